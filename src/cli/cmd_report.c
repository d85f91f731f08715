#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "core/date.h"
#include "store/audit.h"
#include "domain/status.h"
#include "report/catalog.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"

/* "baoxue report … 报表：out-of-school、…" (the reports of the catalog the command line has) */
static const char *usage(void)
{
    static char text[1024];
    if (!*text) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "baoxue report [--db 路径] 报表 [--township 代码|名称] [--status 状态]\n"
                     "              [--format table|csv|xlsx|json] [-o 文件] [--full] [--mask] "
                     "[--run 编号]\n"
                     "              [--month 年-月] [--date 日期]\n  报表：");
        report_names(&b, true);
        snprintf(text, sizeof(text), "%s", b.buf);
        buf_release(&b);
    }
    return text;
}

/* "--status 只用于 children、ledger-school-age" (the reports that take a status) */
static void takers(struct buf *out, unsigned what)
{
    size_t before = out->len;
    for (size_t i = 0; i < report_defs_count; i++)
        if (report_defs[i].fn && (report_defs[i].takes & what))
            buf_addf(out, "%s%s", out->len > before ? "、" : "", report_defs[i].name);
}

static void help(void)
{
    printf("用法：%s\n\n", usage());
    for (size_t i = 0; i < report_defs_count; i++)
        if (report_defs[i].fn)
            printf("  %-18s %s\n", report_defs[i].name, report_defs[i].help);
    struct buf st = BUF_INIT, names = BUF_INIT;
    takers(&st, RT_STATUS);
    for (int k = 0; k < ST__COUNT; k++)
        buf_addf(&names, "%s%s（%s）",
                 !k      ? ""
                 : k % 3 ? "、"
                         : "、\n             ",
                 status_key((enum child_status)k), status_label((enum child_status)k));
    printf("\n  --status   %s 只列此状态的儿童（英文或中文均可）：\n             %s\n", st.buf,
           names.buf);
    buf_release(&st);
    buf_release(&names);
    printf("  --format   table（终端默认）、csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx、json；\n"
           "             用 -o 写文件时可由扩展名推断\n"
           "  --full     显示完整身份证号和电话（记入审计日志）\n"
           "  --mask     遮盖身份证号和电话（json 默认输出完整身份证号供系统对接，加此项遮盖）\n"
           "  --run      使用指定编号的比对结果（默认最新一次）\n"
           "  --month    monthly 的月份，如 2026-11（默认本月）；报表日期为该月 15 日，\n"
           "             统计期为上月 16 日至本月 15 日\n"
           "  --date     monthly 的报表日期（默认 --month 那个月的 15 日），统计期为其前一个月\n"
           "  xlsx 带标题行、填报单位和日期、合计行和签字栏，可直接上报\n");
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
        {"month", required_argument, NULL, 'm'},  {"date", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *out = NULL, *fmt_name = NULL;
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *status = NULL, *month = NULL, *date = NULL;
    bool full = false, mask = false;
    int c;
    cli_getopt_reset();
    while ((c = cli_getopt(argc, argv, "o:", opts, usage())) != -1) {
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
        case 'm':
            month = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        die_usage("缺少报表名称；用法：%s", usage());
    if (optind + 1 < argc)
        die_usage("多余的参数“%s”；用法：%s", argv[optind + 1], usage());
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
    const struct report_def *def = report_find(what);
    if (!def || !def->fn) {
        struct buf b = BUF_INIT;
        report_names(&b, true);
        die_usage("未知报表“%s”，可用：%s", what, b.buf);
    }
    if (status) {
        if (!(def->takes & RT_STATUS)) {
            struct buf b = BUF_INIT;
            takers(&b, RT_STATUS);
            die_usage("--status 只用于 %s 报表", b.buf);
        }
        if ((ro.status = status_parse(status)) < 0)
            die_usage("--status 的值“%s”不是已知的状态（baoxue report --help 列出全部）", status);
    }
    if ((month || date) && !(def->takes & RT_MONTH)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_MONTH);
        die_usage("--month 和 --date 只用于 %s 报表", b.buf);
    }
    if (month) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s-01", month);
        int ymd = 0;
        bool ok = strlen(month) == 7 && month[4] == '-' && date_parse(b.buf, b.len, &ymd) == 0 &&
                  ymd_day(ymd) == 1;
        buf_release(&b);
        if (!ok)
            die_usage("--month 的值“%s”无效，应为 年-月，如 2026-11", month);
        ro.month = ymd;
    }
    if (date) {
        int ymd = 0;
        if (date_parse(date, strlen(date), &ymd) < 0)
            die_usage("--date 的值“%s”不是有效日期，应如 2026-11-15", date);
        if (month && (ymd_year(ymd) != ymd_year(ro.month) || ymd_month(ymd) != ymd_month(ro.month)))
            die_usage("--date %s 不在 --month %s 那个月里", date, month);
        ro.date = ymd;
        if (!month)
            ro.month = ymd_make(ymd_year(ymd), ymd_month(ymd), 1);
    }
    /* JSON is the interface other systems read: full IDs unless --mask. */
    ro.full = full || (fmt == FMT_JSON && !mask);

    int exit_code;
    struct store *s = cli_open_store(db, &exit_code);
    if (!s)
        return exit_code;
    struct report_table t;
    struct buf err = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = def->fn(s, &ro, &t, &o);
    if (rc == 0) {
        if (def->personal && ro.full &&
            audit_export(s, what, fmt_name ? fmt_name : "auto", (long)table_data_rows(&t)) < 0) {
            error("无法记录审计日志，已停止导出：%s", store_errmsg(s));
            exit_code = EXIT_RUNTIME;
        } else if (table_render(&t, fmt, out, &err) < 0) {
            error("%s", err.buf);
            exit_code = err.len && fmt == FMT_XLSX && (!out || !strcmp(out, "-")) ? EXIT_INPUT
                                                                                  : EXIT_RUNTIME;
        } else {
            exit_code = EXIT_OK;
            if (out && strcmp(out, "-"))
                fprintf(stderr, "已写入 %s（%zu 行%s）\n", out, table_data_rows(&t),
                        t.has_totals ? "，另有合计行" : "");
        }
        table_release(&t);
    } else {
        exit_code = cli_failed(&o);
    }
    buf_release(&err);
    store_close(s);
    return exit_code;
}
