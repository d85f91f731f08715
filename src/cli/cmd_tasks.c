#include "casework/casework.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/store.h"
#include "util/common.h"

static const char *const usage[] = {
    "baoxue tasks [选项]",
    "",
    "列出到期和逾期的事项（核查、外联保学、立案后首次走访、依法控辍期限、巩固回访、待审批销号、",
    "人工复核、送教上门未达到每月最低要求），每项一行并列出全部责任人和儿童所属的重点群体。"
    "重点群体儿童（脱贫户、低保、孤儿、残疾儿童、留守儿童等）的事项在前，各自按截止日期排序："
    "逾期最久的在前，然后是最先到期的。",
    "“今天”可用环境变量 BAOXUE_TODAY 指定。",
    NULL,
};

int cmd_tasks(int argc, char **argv)
{
    /* the command line is the county's own: the review queue is its work too */
    struct tasks_filter f = {.review = true};
    const struct opt opts[] = {
        OPT_STRING(0, "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_STRING(0, "person", &f.person, "人员", "只看这个责任人（编号或姓名）的事项"),
        OPT_BOOL(0, "overdue", &f.overdue, "只列逾期的事项"),
        OPT_BOOL(0, "by-due", &f.by_due, "只按截止日期排序（默认重点群体儿童的事项在前）"),
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
    struct report_table t;
    if (tasks_list(s, &f, &t, &o) == 0)
        exit_code = cw_render(&t, fmt, cli_out.output);
    else
        exit_code = cli_failed(&o);
    outcome_release(&o);
    store_close(s);
    return exit_code;
}
