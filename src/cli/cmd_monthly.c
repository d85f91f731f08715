/* baoxue monthly: the monthly report's confirmation (issue 17, report/monthly_confirm.h). The
 * status of a month (the default, or `status`) and the issued report's file (`download`);
 * confirm, issue and withdraw are action rows (verb/rows_monthly.c). */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "report/monthly_confirm.h"
#include "store/store.h"
#include "util/common.h"

static const struct table_col status_cols[] = {
    {"township", "乡镇", COL_TEXT},          {"state", "状态", COL_TEXT},
    {"person", "确认人", COL_TEXT},          {"confirmed_at", "确认时间", COL_TEXT},
    {"account", "账号", COL_TEXT},           {"still_out", "仍失学辍学", COL_INT},
    {"returned", "劝返复学", COL_INT},       {"pending", "待核查", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

static void status_table(const json_t *j, struct report_table *t)
{
    table_init(t, "月报确认情况", "townships", status_cols, ARRAY_SIZE(status_cols));
    const char *mon = json_string_value(json_object_get(j, "month"));
    char cap[96];
    snprintf(cap, sizeof(cap), "%s 月报确认情况", mon);
    table_caption(t, cap, NULL);
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(j, "townships"), i, r)
    {
        const char *st = json_string_value(json_object_get(r, "state"));
        const json_t *f = json_object_get(r, "figures");
        table_add_row(t);
        table_set(t, 0, json_string_value(json_object_get(r, "name")));
        table_set(t, 1,
                  !strcmp(st, "confirmed") ? "已确认"
                  : !strcmp(st, "overdue") ? "逾期未确认"
                                           : "未确认");
        table_set(t, 2, json_string_value(json_object_get(r, "person")));
        table_set(t, 3, json_string_value(json_object_get(r, "confirmed_at")));
        table_set(t, 4, json_string_value(json_object_get(r, "account")));
        table_setf(t, 5, "%lld", (long long)json_integer_value(json_object_get(f, "still_out")));
        table_setf(t, 6, "%lld", (long long)json_integer_value(json_object_get(f, "returned")));
        table_setf(t, 7, "%lld", (long long)json_integer_value(json_object_get(f, "pending")));
        table_set(t, 8, json_string_value(json_object_get(r, "code")));
    }
    const json_t *iss = json_object_get(j, "issued");
    table_note(t, "确认期限：%s；已确认 %lld/%lld 个乡镇，逾期未确认 %lld 个。",
               json_string_value(json_object_get(j, "deadline")),
               (long long)json_integer_value(json_object_get(j, "confirmed")),
               (long long)json_integer_value(json_object_get(j, "total")),
               (long long)json_integer_value(json_object_get(j, "overdue_townships")));
    if (json_is_object(iss))
        table_note(t,
                   "全县月报已由 %s 于 %.16s 审定上报：baoxue monthly download --month %s -o "
                   "月报.xlsx",
                   json_string_value(json_object_get(iss, "account")),
                   json_string_value(json_object_get(iss, "issued_at")), mon);
    table_meta(t, "month", mon, META_TEXT);
    table_meta(t, "deadline", json_string_value(json_object_get(j, "deadline")), META_TEXT);
    table_meta(t, "issued", json_is_object(iss) ? "是" : "否", META_TEXT);
}

static int status_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue monthly [status] [选项]",
        "一个月的月报各乡镇确认情况：谁于何时确认、逾期未确认的乡镇、全县月报是否已上报。\n"
        "确认：baoxue monthly confirm --township 乡镇 --person 确认人；"
        "上报：baoxue monthly issue --month 2026-10",
        NULL};
    const char *month = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "month", &month, "月份", "年-月，如 2026-10；默认最近一个已到 15 日的月份"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    json_t *j = monthly_status(s, NULL, month, &o);
    if (j) {
        struct report_table t;
        status_table(j, &t);
        json_decref(j);
        exit_code = cw_render(&t, fmt, cli_out.output);
    } else {
        exit_code = cli_failed(&o);
    }
    outcome_release(&o);
    store_close(s);
    return exit_code;
}

static int download_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue monthly download --month 2026-10 -o 文件 [选项]",
        "已审定上报的全县月报，与上报时完全相同（XLSX、PDF，或 JSON 表格）", NULL};
    const char *month = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "month", &month, "月份", "年-月，如 2026-10"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    if (!cli_out.output)
        opt_die(opts, usage, "请用 -o 指定输出文件（.xlsx、.pdf 或 .json）");
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    if (fmt != FMT_XLSX && fmt != FMT_PDF && fmt != FMT_JSON)
        opt_die(opts, usage, "文件格式应为 XLSX、PDF 或 JSON");
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    struct buf b = BUF_INIT;
    char title[160];
    if (monthly_issued(s, month, fmt, &b, title, sizeof(title), &o) == 0) {
        FILE *f = fopen(cli_out.output, "wb");
        if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "无法写入文件 %s\n", cli_out.output);
            exit_code = EXIT_RUNTIME;
        } else {
            printf("已写出《%s》：%s\n", title, cli_out.output);
            exit_code = EXIT_OK;
        }
    } else {
        exit_code = cli_failed(&o);
    }
    buf_release(&b);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}

static const struct cli_sub reads[] = {
    {"status", status_cmd, "一个月的月报各乡镇确认情况"},
    {"download", download_cmd, "下载已审定上报的全县月报（XLSX、PDF）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "每月 15 日为月报的报表日期；各乡镇在次月 15 日（设置 monthly_confirm_day）前确认本乡镇的\n"
    "数字（写明确认人），确认后数字冻结。全部乡镇确认后，县教育局审定上报全县月报，其表格和\n"
    "XLSX、PDF 文件从此不变。确认有误时由县教育局撤回（写明理由），乡镇重新确认。";

int cmd_monthly(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-')
        return status_cmd(argc, argv);
    return cli_dispatch("monthly", reads, about, argc, argv);
}
