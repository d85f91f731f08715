#include <unistd.h>

#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "core/date.h"
#include "store/audit.h"
#include "store/replica.h"
#include "domain/status.h"
#include "report/catalog.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"

/* "--status 只用于 children、ledger-school-age" (the reports that take a status) */
static void takers(struct buf *out, unsigned what)
{
    size_t before = out->len;
    for (size_t i = 0; i < report_defs_count; i++)
        if (report_defs[i].fn && (report_defs[i].takes & what))
            buf_addf(out, "%s%s", out->len > before ? "、" : "", report_defs[i].name);
}

/*
 * The usage: the form, then the reports of the catalog the command line has and the states
 * --status takes (written once from the catalog and the status vocabulary), then the rows.
 */
static const char *const *usage(void)
{
    static const char *lines[4];
    static struct buf text = BUF_INIT;
    if (!lines[0]) {
        buf_adds(&text, "报表：\n");
        for (size_t i = 0; i < report_defs_count; i++)
            if (report_defs[i].fn)
                buf_addf(&text, "  %-18s %s\n", report_defs[i].name, report_defs[i].help);
        buf_adds(&text, "\n--status 的状态（英文或中文均可），只用于 ");
        takers(&text, RT_STATUS);
        buf_adds(&text, " 报表：\n  ");
        for (int k = 0; k < ST__COUNT; k++)
            buf_addf(&text, "%s%s（%s）",
                     !k      ? ""
                     : k % 3 ? "、"
                             : "、\n  ",
                     status_key((enum child_status)k), status_label((enum child_status)k));
        buf_adds(&text, "\nxlsx 带标题行、填报单位和日期、合计行和签字栏，可直接上报；");
        takers(&text, RT_PDF);
        buf_adds(&text, " 还可输出 pdf（A4 横向，可直接打印）。");
        lines[0] = "baoxue report [选项] 报表";
        lines[1] = "";
        lines[2] = text.buf;
        lines[3] = NULL;
    }
    return lines;
}

static int audit_export(struct store *s, const char *what, const char *format, long rows)
{
    char detail[128];
    snprintf(detail, sizeof(detail), "%s（%s），%ld 行，完整身份证号和电话", what, format, rows);
    return audit_record(s, cli_actor(), "cli", "export_full", NULL, detail);
}

/* --db-read: the replica, when it can answer now; else NULL after a warning (the primary
 * makes the report: never an error). */
static struct store *open_replica(struct store *primary, const char *dsn)
{
    struct store *rs = NULL;
    struct buf why = BUF_INIT;
    if (strcmp(store_dialect(primary), "postgresql"))
        buf_adds(&why, "只读副本只用于 PostgreSQL 主库");
    else if (store_replica_open(&rs, dsn, &why) == 0 &&
             !store_replica_usable(rs, (double)cli_db_read_max_lag, 0, &why)) {
        store_close(rs);
        rs = NULL;
    }
    buf_trim(&why);
    if (!rs)
        warning("%s；报表改由主库生成", why.buf);
    buf_release(&why);
    return rs;
}

int cmd_report(int argc, char **argv)
{
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *status = NULL, *month = NULL, *date = NULL;
    bool full = false, mask = false;
    long run = 0;
    const struct opt opts[] = {
        OPT_STRING(0, "township", &ro.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_STRING(0, "school", &ro.school, "学校", "只看这所学校（学校标识码或名称；人籍分离）"),
        OPT_STRING(0, "village", &ro.village, "村", "只列这个村（社区）（走访清单）"),
        OPT_STRING(0, "group", &ro.group, "群体",
                   "只列这个重点群体的儿童（如 脱贫户、低保、残疾）：名单、台账和重点群体在校情况"),
        OPT_STRING(0, "by", &ro.by, "对象", "排名的单位：township（乡镇，默认）或 school（学校）"),
        OPT_STRING(0, "status", &status, "状态", "只列此状态的儿童（状态见 baoxue help report）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_BOOL(0, "full", &full, "显示完整身份证号和电话（记入审计日志）"),
        OPT_BOOL(0, "mask", &mask, "遮盖身份证号和电话（json 默认输出完整身份证号供系统对接）"),
        OPT_LONG(0, "run", &run, "编号", "使用这一次比对的结果（默认最新一次）", 1, 1L << 40),
        OPT_STRING(0, "month", &month, "年-月",
                   "monthly 的月份，如 2026-11（默认本月）；统计期为上月 16 日至本月 15 日"),
        OPT_STRING(0, "date", &date, "日期",
                   "monthly 的报表日期（默认那个月的 15 日），统计期为其前一个月"),
        OPT_INCLUDE(cli_db_opts),
        OPT_INCLUDE(cli_db_read_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage(), 0);
    ro.run_id = run;
    if (argc < 2) {
        struct buf b = BUF_INIT;
        report_names(&b, true);
        opt_die(opts, usage(), "缺少报表名称，可用：%s", b.buf);
    }
    if (argc > 2)
        opt_die(opts, usage(), "多余的参数“%s”", argv[2]);
    const char *out = cli_out.output, *fmt_name = cli_out.format;
    if (full && mask)
        die_usage("--full 与 --mask 不能同时使用");
    const char *what = argv[1];
    enum report_format fmt;
    if (fmt_name) {
        if (report_format_parse(fmt_name, &fmt) < 0)
            die_usage("--format 的值“%s”无效，应为 table、csv、xlsx、json 或 pdf", fmt_name);
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
    if (fmt == FMT_PDF && !(def->takes & RT_PDF)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_PDF);
        die_usage("pdf 格式只用于 %s 报表", b.buf);
    }
    if (ro.village && !(def->takes & RT_VILLAGE)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_VILLAGE);
        die_usage("--village 只用于 %s 报表", b.buf);
    }
    if (ro.school && !(def->takes & RT_SCHOOL)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_SCHOOL);
        die_usage("--school 只用于 %s 报表", b.buf);
    }
    if (ro.by && !(def->takes & RT_BY)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_BY);
        die_usage("--by 只用于 %s 报表", b.buf);
    }
    if (ro.group && !(def->takes & RT_GROUPS)) {
        struct buf b = BUF_INIT;
        takers(&b, RT_GROUPS);
        die_usage("--group 只用于 %s 报表", b.buf);
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
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct store *rs = cli_db_read && *cli_db_read ? open_replica(s, cli_db_read) : NULL;
    struct report_table t;
    struct buf err = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    audit_set_primary(s);
    int rc = def->fn(rs ? rs : s, &ro, &t, &o);
    audit_set_primary(NULL);
    store_close(rs);
    if (rc == 0) {
        if (def->personal && ro.full &&
            audit_export(s, def->title, report_format_name(fmt), (long)table_data_rows(&t)) < 0) {
            error("无法记录审计日志，已停止导出：%s", store_errmsg(s));
            exit_code = EXIT_RUNTIME;
        } else if (table_render(&t, fmt, out, &err) < 0) {
            error("%s", err.buf);
            exit_code = err.len && fmt == FMT_XLSX && (!out || !strcmp(out, "-")) ? EXIT_INPUT
                                                                                  : EXIT_RUNTIME;
        } else {
            exit_code = EXIT_OK;
            cw_table_hints(&t, fmt, out, NULL);
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
