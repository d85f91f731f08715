#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "domain/audit.h"
#include "domain/status.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"

static const char usage[] =
    "baoxue report [--db 路径] out-of-school|summary|children [--township 代码|名称]\n"
    "              [--status 状态] [--format table|csv|xlsx|json] [-o 文件] [--full] [--mask]\n"
    "              [--run 编号]";

static void help(void)
{
    printf("用法：%s\n\n"
           "  out-of-school  适龄未入学和辍学儿童名单（疑似失学辍学台账）\n"
           "  summary        各乡镇、全县各状态人数汇总\n"
           "  children       户籍中每名儿童的状态、学校和情况（儿童状态清单）\n\n"
           "  --status   children 只列此状态的儿童：enrolled、enrolled_elsewhere、not_enrolled、\n"
           "             dropped_out、suspended、pending_review、completed、not_yet_school_age、\n"
           "             beyond_age、inactive（也可写中文：本县在读、辍学……）\n"
           "  --format   table（终端默认）、csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx、json；\n"
           "             用 -o 写文件时可由扩展名推断\n"
           "  --full     显示完整身份证号和电话（记入审计日志）\n"
           "  --mask     遮盖身份证号和电话（json 默认输出完整身份证号供系统对接，加此项遮盖）\n"
           "  --run      使用指定编号的比对结果（默认最新一次）\n",
           usage);
}

static int audit_export(struct store *s, const char *what, const char *format, long rows)
{
    char detail[128];
    snprintf(detail, sizeof(detail), "report=%s format=%s rows=%ld full=1", what, format, rows);
    return audit_record(s, cli_actor(), "cli", "export_full", NULL, detail);
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"township", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
        {"full", no_argument, NULL, 'U'},         {"mask", no_argument, NULL, 'M'},
        {"run", required_argument, NULL, 'R'},    {"status", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *out = NULL, *fmt_name = NULL;
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *status = NULL;
    bool full = false, mask = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            ro.township = optarg;
            break;
        case 'F':
            fmt_name = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'U':
            full = true;
            break;
        case 'M':
            mask = true;
            break;
        case 'R':
            ro.run_id = cli_parse_long("--run", optarg, 1, 1L << 40);
            break;
        case 'S':
            status = optarg;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少报表名称（out-of-school、summary 或 children）；用法：%s", usage);
    if (optind + 1 < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind + 1], usage);
    if (full && mask)
        die_usage("--full 与 --mask 不能同时使用");
    const char *what = argv[optind];
    enum report_format fmt;
    if (fmt_name) {
        if (report_format_parse(fmt_name, &fmt) < 0)
            die_usage("--format 的值“%s”无效，应为 table、csv、xlsx 或 json", fmt_name);
    } else if (out && strcmp(out, "-") && report_format_from_path(out, &fmt) == 0) {
        /* inferred from the extension */
    } else {
        fmt = (!out || !strcmp(out, "-")) && isatty(1) ? FMT_TABLE : FMT_CSV;
    }
    bool is_oos = !strcmp(what, "out-of-school"), is_children = !strcmp(what, "children");
    if (!is_oos && !is_children && strcmp(what, "summary"))
        die_usage("未知报表“%s”，可用：out-of-school、summary、children", what);
    if (status) {
        if (!is_children)
            die_usage("--status 只用于 children 报表");
        ro.status = status_parse(status);
        for (int k = 0; k < ST__COUNT && ro.status < 0; k++)
            if (!strcmp(status, status_label((enum child_status)k)))
                ro.status = k;
        if (ro.status < 0)
            die_usage("--status 的值“%s”不是已知的状态（baoxue report --help 列出全部）", status);
    }
    /* JSON is the interface other systems read: full IDs unless --mask. */
    ro.full = full || (fmt == FMT_JSON && !mask);

    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct report_table t;
    struct buf err = BUF_INIT;
    int rc = is_oos        ? report_out_of_school(s, &ro, &t, &err, &exit_code)
             : is_children ? report_children(s, &ro, &t, &err, &exit_code)
                           : report_summary(s, &ro, &t, &err, &exit_code);
    if (rc == 0) {
        if ((is_oos || is_children) && ro.full &&
            audit_export(s, what, fmt_name ? fmt_name : "auto", (long)t.nrows) < 0) {
            error("无法记录审计日志，已停止导出：%s", store_errmsg(s));
            exit_code = EXIT_RUNTIME;
        } else if (table_render(&t, fmt, out, &err) < 0) {
            error("%s", err.buf);
            exit_code = err.len && fmt == FMT_XLSX && (!out || !strcmp(out, "-")) ? EXIT_INPUT
                                                                                  : EXIT_RUNTIME;
        } else {
            exit_code = EXIT_OK;
            if (out && strcmp(out, "-"))
                fprintf(stderr, "已写入 %s（%zu 行）\n", out, t.nrows);
        }
        table_release(&t);
    } else {
        error("%s", err.buf);
    }
    buf_release(&err);
    store_close(s);
    return exit_code;
}
