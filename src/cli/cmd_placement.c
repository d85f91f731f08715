/* baoxue placement: children with disabilities — a child's placement and the 送教上门 visits
 * (casework/placement.h). Reading: list (送教上门, one month); setting a placement and logging
 * a visit are action rows (verb/rows_placement.c). */
#include "casework/placement.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"

static int send_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    return placement_list(s, NULL, filter, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue placement list [选项]",
        "列出安置为送教上门的儿童，及一个月（默认本月）的送教次数、课时和是否达到每月最低要求",
        NULL};
    struct placement_filter f = {0};
    bool full = false;
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_DATE(0, "month", &f.month, "这个月份中的任一天，如 2026-11-01；默认本月"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(
        argc, argv, usage, opts, &full, NULL, send_table, &f,
        "设置安置方式：baoxue placement set 记录编号 --kind 送教上门 --school 学校；"
        "记录送教：baoxue placement visit 记录编号 --teachers 姓名 --hours 2 --content 内容");
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出送教上门的儿童和本月送教情况"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "残疾儿童的安置方式：随班就读、特殊教育学校、送教上门、缓学、免学（缓学、免学须写明批准机关、\n"
    "文号和截止日期）。送教上门每次记录日期、教师、课时和内容，每月至少次数和课时见设置\n"
    "send_teach_visits、send_teach_hours。儿童以比对结果中户籍名单的记录编号指明。";

int cmd_placement(int argc, char **argv)
{
    return cli_dispatch("placement", reads, about, argc, argv);
}
