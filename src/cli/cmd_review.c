#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "store/audit.h"
#include "domain/review.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue review [--db 路径] list [--all] [--format table|csv|xlsx|json] [-o 文件]\n"
    "       baoxue review [--db 路径] show 编号 [--full]   （--full "
    "显示完整身份证号，记入审计日志）\n"
    "       baoxue review [--db 路径] accept|reject 编号 [--note 说明]";

int cmd_review(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"all", no_argument, NULL, 'A'},
        {"full", no_argument, NULL, 'U'},         {"note", required_argument, NULL, 'N'},
        {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *note = NULL, *fmt_name = NULL, *out = NULL;
    bool all = false, full = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'A':
            all = true;
            break;
        case 'U':
            full = true;
            break;
        case 'N':
            note = optarg;
            break;
        case 'F':
            fmt_name = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("用法：%s\n\n比对中无法自动确定是否为同一人的记录对在此人工复核；"
                   "结论按记录对保存，下次比对时生效，以后的比对和新导入的数据都不会覆盖它。\n",
                   usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少子命令（list、show、accept 或 reject）；用法：%s", usage);
    const char *sub = argv[optind];
    bool is_list = !strcmp(sub, "list");
    bool is_show = !strcmp(sub, "show"), is_accept = !strcmp(sub, "accept"),
         is_reject = !strcmp(sub, "reject");
    if (!is_list && !is_show && !is_accept && !is_reject)
        die_usage("未知子命令“%s”；用法：%s", sub, usage);
    int64_t id = 0;
    if (!is_list) {
        if (optind + 1 >= argc)
            die_usage("review %s 需要候选记录对的编号（见 baoxue review list）", sub);
        id = cli_parse_long("编号", argv[optind + 1], 1, 1L << 50);
        if (optind + 2 < argc)
            die_usage("多余的参数“%s”", argv[optind + 2]);
    } else if (optind + 1 < argc) {
        die_usage("多余的参数“%s”", argv[optind + 1]);
    }
    enum report_format fmt = FMT_TABLE;
    if (fmt_name && report_format_parse(fmt_name, &fmt) < 0)
        die_usage("--format 的值“%s”无效，应为 table、csv、xlsx 或 json", fmt_name);
    if (!fmt_name && out && strcmp(out, "-"))
        report_format_from_path(out, &fmt);
    else if (!fmt_name && !isatty(1))
        fmt = FMT_CSV;

    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf err = BUF_INIT, text = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    exit_code = EXIT_OK;
    /* A full read of children's IDs is recorded before it is shown. */
    if (full && (is_list || is_show)) {
        char detail[64];
        snprintf(detail, sizeof(detail), "review %s full=1", sub);
        char target[AUDIT_TARGET_SIZE];
        audit_target(target, OBJ_CANDIDATE, id);
        if (audit_record(s, cli_actor(), "cli", "read_full", is_show ? target : NULL, detail) < 0) {
            error("无法记录审计日志，已停止：%s", store_errmsg(s));
            buf_release(&err);
            buf_release(&text);
            store_close(s);
            return EXIT_RUNTIME;
        }
    }
    if (is_list) {
        struct report_table t;
        if (review_list(s, all, full, &t, &o) == 0) {
            if (table_render(&t, fmt, out, &err) < 0) {
                error("%s", err.buf);
                exit_code = EXIT_RUNTIME;
            } else {
                exit_code = EXIT_OK;
            }
            table_release(&t);
        } else {
            exit_code = cli_failed(&o);
        }
    } else if (is_show) {
        if (review_show(s, id, full, &text, &o) == 0)
            fputs(text.buf, stdout);
        else
            exit_code = cli_failed(&o);
    } else {
        if (review_decide(s, id, is_accept, cli_actor(), note, &text, &o) == 0)
            printf("%s\n", text.buf);
        else
            exit_code = cli_failed(&o);
    }
    buf_release(&err);
    buf_release(&text);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
