/* baoxue settings: the county's settings. Reading: list, get; changing is an action row
 * (verb/rows_admin.c). */
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "domain/settings.h"
#include "store/store.h"
#include "util/common.h"

static int settings_table(struct store *s, const void *nothing, struct report_table *t,
                          struct outcome *o)
{
    (void)nothing;
    return settings_list(s, t, o);
}

static int settings_list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue settings list [选项]",
                                        "每一项设置的当前值、默认值和有效值", NULL};
    const struct opt opts[] = {OPT_INCLUDE(cli_out_opts), OPT_INCLUDE(cli_db_opts), OPT_END()};
    return cw_list(argc, argv, usage, opts, NULL, NULL, settings_table, NULL, NULL);
}

static int settings_get_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue settings get 设置项 [选项]", "一项设置的值", NULL};
    const struct opt opts[] = {OPT_INCLUDE(cli_db_opts), OPT_END()};
    argc = opt_parse(argc, argv, opts, usage, 0);
    if (argc != 2)
        opt_die(opts, usage, argc < 2 ? "缺少设置项" : "多余的参数“%s”", argv[2]);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct buf text = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (settings_get(s, argv[1], &text, &o) == 0) {
        printf("%s\n", text.buf);
        code = EXIT_OK;
    } else {
        code = cli_failed(&o);
    }
    buf_release(&text);
    store_close(s);
    return code;
}

static const struct cli_sub reads[] = {
    {"list", settings_list_cmd, "列出全部设置项"},
    {"get", settings_get_cmd, "一项设置的值"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "本县的设置：入学年龄截止日、义务教育年龄段、比对分数线、核查和劝返的期限、学校假期等。\n"
    "修改只接受有效值（否则什么也不写）；每次修改记入审计日志（谁、原值、新值）。";

int cmd_settings(int argc, char **argv)
{
    return cli_dispatch("settings", reads, about, argc, argv);
}
