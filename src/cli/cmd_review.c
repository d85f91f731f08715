/* baoxue review: the clerical review queue. Reading: list, show; a decision is an action row
 * (verb/rows_people.c). */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "domain/review.h"
#include "store/store.h"
#include "util/common.h"

struct review_args {
    bool all, full;
};

static int review_table(struct store *s, const void *args, struct report_table *t,
                        struct outcome *o)
{
    const struct review_args *a = args;
    return review_list(s, a->all, a->full, t, o);
}

static int review_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue review list [选项]", "列出等待人工复核的记录对",
                                        NULL};
    struct review_args a = {0};
    const struct opt opts[] = {
        OPT_BOOL(0, "all", &a.all, "也列出已有复核结论的记录对"),
        OPT_BOOL(0, "full", &a.full, "显示完整身份证号（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, &a.full, "人工复核队列（完整身份证号）", review_table,
                   &a, "查看：baoxue review show 编号");
}

static int review_show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue review show 编号 [选项]",
                                        "一个记录对：两条记录并排，每项的比对等级和得分", NULL};
    return cw_show(argc, argv, usage, "编号", OBJ_CANDIDATE, "人工复核记录对（完整身份证号）",
                   review_show);
}

static const struct cli_sub reads[] = {
    {"list", review_list_cmd, "列出等待人工复核的记录对"},
    {"show", review_show_cmd, "一个记录对，并排比较"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "比对中无法自动确定是否为同一人的记录对在此人工复核；结论按记录对保存，下次比对时生效，\n"
    "以后的比对和新导入的数据都不会覆盖它。";

int cmd_review(int argc, char **argv)
{
    return cli_dispatch("review", reads, about, argc, argv);
}
