/* baoxue case: 一人一案. Reading: list, show; every change is an action row (verb/rows_case.c). */
#include "casework/case.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"

static int case_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    return case_list(s, filter, t, o);
}

static int case_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue case list [选项]", "列出案件（默认未销号的）",
                                        NULL};
    struct case_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_STRING(0, "state", &f.state, "状态",
                   "open（劝返中）、returned（巩固回访中）、closed（已销号）或 all"),
        OPT_STRING(0, "group", &f.group, "群体", "只看这个重点群体儿童的（如 脱贫户、低保）"),
        OPT_BOOL(0, "full", &f.full, "显示完整身份证号和电话（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, &f.full, "案件列表（完整身份证号和电话）", case_table,
                   &f, "查看：baoxue case show 案件编号");
}

static int case_show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue case show 案件编号 [选项]",
        "一个案件：儿童、责任人、劝返记录、依法控辍、结果、回访和时间线", NULL};
    return cw_show(argc, argv, usage, "案件编号", OBJ_CASE, "案件（完整身份证号和电话）",
                   case_show);
}

static int case_photos_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue case photos 案件编号 [--get 照片编号 -o 文件] [选项]",
        "一个案件的照片和回执扫描件，或取出其中一张", NULL};
    return cw_photos(argc, argv, usage, "案件编号", SCOPE_CASE);
}

static const struct cli_sub reads[] = {
    {"list", case_list_cmd, "列出案件"},
    {"show", case_show_cmd, "一个案件及其时间线"},
    {"photos", case_photos_cmd, "照片（列出，或取出一张）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "一人一案：确认失学辍学的儿童立案后，记录每次劝返（劝返复学书面报告，只增不改，更正另增一条），"
    "\n"
    "依法控辍按 宣传教育 → 书面通知/责令限期改正（义务教育法第五十八条）→ 行政处罚 → "
    "申请强制执行或诉讼 依次进行，\n"
    "记录劝返结果后按期回访（默认每月一次、共三次），回访完成后由未经办此案的县教育局账号审批销号。"
    "\n"
    "以后的比对如发现儿童不在校，案件自动重新打开。";

int cmd_case(int argc, char **argv)
{
    return cli_dispatch("case", reads, about, argc, argv);
}
