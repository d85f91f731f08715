/* baoxue people: the people registry. Reading: list; adding, editing, deactivating and
 * importing are action rows (verb/rows_people.c). */
#include "casework/people.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"

static int people_table(struct store *s, const void *filter, struct report_table *t,
                        struct outcome *o)
{
    return people_list(s, filter, t, o);
}

static int people_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue people list [选项]", "列出人员名册", NULL};
    struct people_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_BOOL(0, "all", &f.all, "也列出已停用的人员"),
        OPT_BOOL(0, "full", &f.full, "显示完整电话（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, &f.full, "人员名册（完整电话）", people_table, &f,
                   "登记：baoxue people add；批量导入：baoxue people import 文件");
}

static const struct cli_sub reads[] = {
    {"list", people_list_cmd, "列出人员名册"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "人员名册：包保干部、村干部、校长、班主任、结对教师等。核查任务和案件指派给名册中的人；\n"
    "停用的人员保留在历史记录中。电话默认隐去中间四位。";

int cmd_people(int argc, char **argv)
{
    return cli_dispatch("people", reads, about, argc, argv);
}
