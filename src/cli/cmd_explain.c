#include "cli/cli.h"
#include "cli/common.h"
#include "domain/explain.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] = "baoxue explain [--db 路径] [--run 编号] [--full] 身份证号";

int cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"run", required_argument, NULL, 'R'},
        {"full", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int64_t run = 0;
    bool full = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'R':
            run = cli_parse_long("--run", optarg, 1, 1L << 40);
            break;
        case 'U':
            full = true;
            break;
        case 'h':
            printf("用法：%s\n\n列出比对时与这名儿童比较过的每一条学籍、外出就读记录，"
                   "每一项（身份证号、姓名、出生日期、性别）的比较结果和得分，以及最后的决定。"
                   "查看记入审计日志。\n",
                   usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少身份证号；用法：%s", usage);
    if (optind + 1 < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind + 1], usage);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    exit_code = EXIT_OK;
    if (explain_child(s, argv[optind], run, full, cli_actor(), &out, &o) == 0)
        fputs(out.buf, stdout);
    else
        exit_code = cli_failed(&o);
    buf_release(&out);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
