/* baoxue warnings: the early warnings of the attendance (issue 16, casework/warning.h). The
 * list (the default, or `list`), `refresh` (the rules applied again to the whole term, after
 * the settings or the calendar changed); contact, resolve and escalate are action rows
 * (verb/rows_warning.c). */
#include "casework/warning.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "core/date.h"
#include "store/store.h"
#include "util/common.h"

static int list_table(struct store *s, const void *filter, struct report_table *t,
                      struct outcome *o)
{
    return warning_table(s, NULL, filter, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue warnings [list] [选项]",
        "列出考勤预警，最紧急的在前（已上报乡镇、逾期转校长、新预警、已联系家长）；默认未解除的。\n"
        "处置：baoxue warnings contact|resolve|escalate 预警编号 --outcome 结果；\n"
        "按本学期考勤重新计算：baoxue warnings refresh",
        NULL};
    struct warning_filter f = {.state = "open"};
    const struct opt opts[] = {
        OPT_STRING('s', "school", &f.school, "学校", "学籍中的学校标识码或名称"),
        OPT_STRING('t', "township", &f.township, "乡镇", "乡镇代码或名称"),
        OPT_STRING(0, "state", &f.state, "状态",
                   "新预警、已联系家长、已上报、已解除；全部写“全部”，默认未解除"),
        OPT_STRING(0, "kind", &f.kind, "类型", "连续旷课、当月累计旷课或长期病假"),
        OPT_BOOL(0, "full", &f.full, "显示完整身份证号（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, &f.full, "考勤预警", list_table, &f, NULL);
}

static int refresh_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue warnings refresh [选项]",
        "按本学期的考勤和当前设置重新计算全部考勤预警（修改预警设置、学期或假期之后）", NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    if ((argc = opt_parse(argc, argv, opts, usage, 0)) > 1)
        opt_die(opts, usage, "多余的参数“%s”", argv[1]);
    int exit_code;
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (!s)
        return exit_code;
    struct outcome o = OUTCOME_INIT;
    struct warning_refresh_summary sum;
    if (warnings_refresh_all(s, date_today(), cli_actor(), &sum, &o) == 0) {
        struct buf b = BUF_INIT;
        warning_refresh_describe(&sum, &b);
        printf("%s\n", b.buf);
        buf_release(&b);
        exit_code = EXIT_OK;
    } else {
        exit_code = cli_failed(&o);
    }
    outcome_release(&o);
    store_close(s);
    return exit_code;
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出考勤预警（学校、乡镇、状态、类型）"},
    {"refresh", refresh_cmd, "按本学期考勤重新计算全部预警"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "连续旷课 3 个上课日发出预警，班主任当天联系家长；7 个上课日报乡镇核查（疑似辍学）；\n"
    "20 个上课日学校须将学籍标为辍学。一个月累计旷课 10 天也发出预警；病假超过 15 个上课日\n"
    "转健康随访。天数都在设置 warning_* 中。未按期处理的预警先转校长，再报乡镇。";

int cmd_warnings(int argc, char **argv)
{
    /* options only: the list */
    if (argc < 2 || argv[1][0] == '-')
        return list_cmd(argc, argv);
    return cli_dispatch("warnings", reads, about, argc, argv);
}
