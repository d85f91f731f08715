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

static int review_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue review list [选项]", "列出等待人工复核的记录对",
                                        NULL};
    bool all = false, full = false;
    const struct opt opts[] = {
        OPT_BOOL(0, "all", &all, "也列出已有复核结论的记录对"),
        OPT_BOOL(0, "full", &full, "显示完整身份证号（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if (opt_parse(argc, argv, opts, usage, 0) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    enum report_format fmt = cw_format(cli_out.format, cli_out.output);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    code = full ? cw_audit_full(s, "review list full=1", NULL) : EXIT_OK;
    if (code == EXIT_OK) {
        struct report_table t;
        struct outcome o = OUTCOME_INIT;
        code = review_list(s, all, full, &t, &o) == 0 ? cw_render(&t, fmt, cli_out.output)
                                                      : cli_failed(&o);
    }
    store_close(s);
    return code;
}

static int review_show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue review show 编号 [选项]",
                                        "一个记录对：两条记录并排，每项的比对等级和得分", NULL};
    return cw_show(argc, argv, usage, "编号", OBJ_CANDIDATE, "review show full=1", review_show);
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
