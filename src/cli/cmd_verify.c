/* baoxue verify: 核查. Reading: list, show; recording an outcome and assigning are action rows
 * (verb/rows_verify.c). */
#include "casework/casework.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"

static int verify_table(struct store *s, const void *filter, struct report_table *t,
                        struct outcome *o)
{
    return verify_list(s, filter, t, o);
}

static int verify_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue verify list [选项]",
                                        "列出核查任务（默认未办结和外联保学的）", NULL};
    struct verify_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_STRING(0, "state", &f.state, "状态",
                   "open（待核查）、outreach（外联保学）、closed（已办结）、flagged（与新名单"
                   "不符）或 all"),
        OPT_STRING(0, "group", &f.group, "群体", "只看这个重点群体儿童的（如 脱贫户、低保）"),
        OPT_BOOL(0, "full", &f.full, "显示完整身份证号和电话（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(
        argc, argv, usage, opts, &f.full, "核查任务列表（完整身份证号和电话）", verify_table, &f,
        "查看：baoxue verify show 任务编号；记录结论：baoxue verify record 任务编号 --outcome "
        "结论 --by 核查人");
}

static int verify_show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue verify show 任务编号 [选项]",
                                        "一项核查任务：儿童、责任人、结论和时间线", NULL};
    return cw_show(argc, argv, usage, "任务编号", OBJ_TASK, "核查任务（完整身份证号和电话）",
                   verify_show);
}

static int verify_photos_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue verify photos 核查任务编号 [--get 照片编号 -o 文件] [选项]",
        "一项核查任务的照片，或取出其中一张", NULL};
    return cw_photos(argc, argv, usage, "核查任务编号", SCOPE_TASK);
}

static const struct cli_sub reads[] = {
    {"list", verify_list_cmd, "列出核查任务"},
    {"show", verify_show_cmd, "一项核查任务及其记录"},
    {"photos", verify_photos_cmd, "照片（列出，或取出一张）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "比对后，每名适龄未入学或辍学的儿童都有一项核查任务（默认 10 天内完成）。核查结论：\n"
    "  已在校注册学籍、省内就读无学籍、省外就读（须写就读学校和证明材料，下次比对时复核）、\n"
    "  出国、送教上门/因病因残（须证明材料）、延缓入学（须证明材料，批准文号）、超龄离校、死亡、\n"
    "  户籍问题（须写户籍问题类型）、随父母外出无法联系（转为外联保学，任务不关闭）、\n"
    "  确认失学辍学（须写主要原因，立案）。\n"
    "核查人、责任人为人员名册中的编号或姓名。";

int cmd_verify(int argc, char **argv)
{
    return cli_dispatch("verify", reads, about, argc, argv);
}
