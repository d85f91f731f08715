/* baoxue province: many counties in one PostgreSQL database (issue 18, domain/province.h):
 * add a county, list them, and the counties' indicators and ranking (report/counties.h). */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "core/date.h"
#include "domain/province.h"
#include "report/counties.h"
#include "report/counties_kept.h"
#include "report/indicators.h"
#include "store/store.h"
#include "util/common.h"

static int add_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue province add 区划代码 [选项]",
        "把一个县加入共用的 PostgreSQL 数据库：建本县的模式（c 加区划代码）、建表、登记到县名单",
        NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc < 2)
        opt_die(opts, usage, "缺少县的区划代码（6 位数字，例如 140521）");
    if (argc > 2)
        opt_die(opts, usage, "多余的参数“%s”", argv[2]);
    const char *dsn = cli_db_path(cli_db);
    struct province_county c;
    struct outcome o = OUTCOME_INIT;
    if (province_add_county(dsn, argv[1], &c, &o) < 0)
        return cli_failed(&o);
    struct buf cdsn = BUF_INIT, shown = BUF_INIT, err = BUF_INIT;
    printf("已加入：%s（%s），模式 %s。\n", c.name, c.code, c.schema);
    if (store_dsn_schema(dsn, c.schema, &cdsn, &err) == 0) {
        store_dsn_mask(cdsn.buf, &shown);
        printf("本县的命令和服务用这个连接串：%s\n", shown.buf);
    }
    buf_reset(&cdsn);
    buf_reset(&shown);
    if (store_dsn_schema(dsn, "province", &cdsn, &err) == 0) {
        store_dsn_mask(cdsn.buf, &shown);
        printf("省级服务（登录时选县，一个服务器服务全部县）用这个连接串：%s\n", shown.buf);
    }
    buf_release(&cdsn);
    buf_release(&shown);
    buf_release(&err);
    return EXIT_OK;
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue province list [选项]",
                                        "列出共用数据库里登记的县和每个县的连接串", NULL};
    const char *area = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "area", &area, "代码", "只列这个省（2 位）或市（4 位）的县"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    if (report_county_list(cli_db_path(cli_db), area, &t, &o) < 0)
        return cli_failed(&o);
    return cw_render(&t, fmt, cli_out.output);
}

/* A day rather than a month (2026-11-15): computed and printed, not kept (the kept tables are
 * a month's). */
static bool a_day(const char *month)
{
    int ymd;
    return month && strlen(month) > 8 && date_parse(month, strlen(month), &ymd) == 0;
}

static int indicators_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue province indicators [选项]",
        "各县的控辍保学指标和排名（入学率、巩固率、辍学率、按时核查率、劝返复学率、逾期）；"
        "按月计算的结果保存在省级模式里，省级服务的各县指标页显示它",
        NULL};
    const char *area = NULL, *month = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "area", &area, "代码",
                   "只看这个省（2 位）或市（4 位）的县（默认：本库的县所在的省）"),
        OPT_STRING(0, "month", &month, "年-月",
                   "这个月底的指标，如 2026-11（默认本月，截至今天）；写某一天时只显示，不保存"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    const char *dsn = cli_db_path(cli_db);
    struct outcome o = OUTCOME_INIT;
    /* every county of the database: kept as their province's table, which its accounts read */
    char whole[8];
    if ((!area || !*area) && counties_whole_area(dsn, whole, &o) < 0)
        return cli_failed(&o);
    if (!area || !*area)
        area = whole;
    struct report_table t;
    if (a_day(month)) {
        int as_of = 0;
        if (indicators_as_of(month, date_today(), &as_of, &o) < 0 ||
            report_counties(dsn, area, as_of, NULL, &t, &o) < 0)
            return cli_failed(&o);
        fprintf(stderr, "按某一天计算的结果只显示，不保存（各县指标按月保存）。\n");
        return cw_render(&t, fmt, cli_out.output);
    }
    struct store *p = NULL;
    struct counties_kept k;
    if (province_open_own(dsn, &p, &o) < 0)
        return cli_failed(&o);
    int rc = counties_compute_keep(p, area, month, cli_actor(), "cli", 0, NULL, &t, &k, &o);
    store_close(p);
    if (rc < 0) {
        table_release(&t);
        return cli_failed(&o);
    }
    fprintf(stderr, "已保存 %s 的各县指标（截至 %s）：省级服务的各县指标页显示这次的结果。\n",
            k.month, k.as_of);
    return cw_render(&t, fmt, cli_out.output);
}

static const struct cli_sub reads[] = {
    {"add", add_cmd, "把一个县加入共用的数据库（建模式、建表、登记）"},
    {"list", list_cmd, "列出共用数据库里的县和各县的连接串"},
    {"indicators", indicators_cmd, "计算各县的控辍保学指标和排名，附合计，并保存"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "多个县共用一个 PostgreSQL 数据库（省、市部署）：每个县的数据在自己的模式里，\n"
    "县里的命令和服务用本县的连接串（baoxue province list 列出），看不到别的县；\n"
    "省、市看各县的指标和排名，不看儿童个人信息。SQLite 仍是一个县一个文件。";

int cmd_province(int argc, char **argv)
{
    return cli_dispatch("province", reads, about, argc, argv);
}
