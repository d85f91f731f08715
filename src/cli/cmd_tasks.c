#include "casework/casework.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue tasks [--db 路径] [--township 乡镇] [--person 人员] [--overdue] "
    "[--format table|csv|xlsx|json] [-o 文件]";

int cmd_tasks(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"township", required_argument, NULL, 't'},
        {"person", required_argument, NULL, 'p'}, {"overdue", no_argument, NULL, 'O'},
        {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt_name = NULL, *out = NULL;
    struct tasks_filter f = {0};
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            f.township = optarg;
            break;
        case 'p':
            f.person = optarg;
            break;
        case 'O':
            f.overdue = true;
            break;
        case 'F':
            fmt_name = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf(
                "用法：%s\n\n列出到期和逾期的事项（核查、外联保学、立案后首次走访、依法控辍期限、"
                "巩固回访、待审批销号），按乡镇和责任人分组。--overdue 只列逾期的。"
                "“今天”可用环境变量 BAOXUE_TODAY 指定。\n",
                usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind], usage);
    enum report_format fmt = cw_format(fmt_name, out);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    struct report_table t;
    if (tasks_list(s, &f, &t, &o) == 0)
        exit_code = cw_render(&t, fmt, out);
    else
        exit_code = cli_failed(&o);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
