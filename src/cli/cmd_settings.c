#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "domain/settings.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue settings [--db 路径] list [--format table|csv|xlsx|json] [-o 文件]\n"
    "       baoxue settings get 设置项\n"
    "       baoxue settings set 设置项 值\n"
    "       baoxue settings unset 设置项";

int cmd_settings(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt_name = NULL, *out = NULL;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'F':
            fmt_name = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("用法：%s\n\n本县的设置：入学年龄截止日、义务教育年龄段、比对分数线、"
                   "核查和劝返的期限、学校假期等。list 列出每一项的当前值、默认值和有效值；"
                   "set 只接受有效值（否则什么也不写）；unset 恢复默认。每次修改记入审计日志"
                   "（谁、原值、新值）。\n",
                   usage);
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少子命令（list、get、set 或 unset）；用法：%s", usage);
    const char *sub = argv[optind];
    int want = !strcmp(sub, "list")                           ? 0
               : !strcmp(sub, "get") || !strcmp(sub, "unset") ? 1
               : !strcmp(sub, "set")                          ? 2
                                                              : -1;
    if (want < 0)
        die_usage("未知子命令“%s”；用法：%s", sub, usage);
    if (argc - optind - 1 < want)
        die_usage("settings %s 需要%s；用法：%s", sub, want == 2 ? "设置项和值" : "设置项", usage);
    if (argc - optind - 1 > want)
        die_usage("多余的参数“%s”", argv[optind + 1 + want]);
    const char *key = want ? argv[optind + 1] : NULL;
    const char *value = want == 2 ? argv[optind + 2] : NULL;
    enum report_format fmt = cw_format(fmt_name, out);
    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc;
    if (want == 0) {
        struct report_table t;
        if (settings_list(s, &t, &o) == 0)
            exit_code = cw_render(&t, fmt, out);
        else
            exit_code = cli_failed(&o);
    } else if (!strcmp(sub, "get")) {
        rc = settings_get(s, key, &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    } else {
        rc = settings_set(s, key, value, cli_actor(), &msg, &o);
        exit_code = cw_done(rc, &msg, &o);
    }
    buf_release(&msg);
    store_close(s);
    return exit_code;
}
