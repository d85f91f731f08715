/* baoxue catchment and baoxue entrants: 招生入学 (issue 17, casework/entrants.h). Reading the
 * 学区 is `catchment list` (the report "catchment"); setting, removing and importing it, and a
 * school's application (`entrants apply`), are action rows (verb/rows_entrants.c). The lists
 * of entrants are reports: baoxue report entrants, baoxue report entrants-check. */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "report/entrants.h"
#include "store/store.h"
#include "util/common.h"

struct catch_filter {
    const char *township, *school;
};

static int list_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    const struct catch_filter *f = filter;
    struct report_options opt = REPORT_OPTIONS_INIT;
    opt.township = f->township;
    opt.school = f->school;
    return report_catchment(s, &opt, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue catchment list [选项]",
        "列出户籍名单中每个村（社区）划入的学校，未划学区的村标明“未划学区”", NULL};
    struct catch_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "名称或区划代码"),
        OPT_STRING('s', "school", &f.school, "学校", "学籍中的学校标识码或名称"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, NULL, list_table, &f,
                   "划定学区：baoxue catchment set --township 乡镇 --village 村 --school 学校");
}

static const struct cli_sub catchment_reads[] = {
    {"list", list_cmd, "列出每个村（社区）的学区学校和未划学区的村"},
    {NULL, NULL, NULL},
};

static const char catchment_about[] =
    "学区（免试就近入学）：户籍名单中的每个村（社区）划入一所学校，由县教育局划定。\n"
    "明年入学的儿童按所在村列入学区学校：baoxue report entrants。";

int cmd_catchment(int argc, char **argv)
{
    return cli_dispatch("catchment", catchment_reads, catchment_about, argc, argv);
}

static const struct cli_sub entrants_reads[] = {
    {NULL, NULL, NULL},
};

static const char entrants_about[] =
    "招生入学：学校登记入学申请（随迁子女等户籍名单中没有的儿童）。\n"
    "名单：baoxue report entrants；九月学籍导入后的核对：baoxue report entrants-check。";

int cmd_entrants(int argc, char **argv)
{
    return cli_dispatch("entrants", entrants_reads, entrants_about, argc, argv);
}
