/* baoxue mental: the 心理健康台帐 (issue 16, casework/wellbeing.h), restricted to the accounts
 * an admin granted it (baoxue user mental-health). The command line has no account of its own:
 * each command names with --as the granted account the operator acts for, and every read is
 * audited under that account. Reading: list (the holder's ledger; --due the reviews due), show
 * (one child's entries); adding an entry and an intervention or review are action rows. */
#include "casework/wellbeing.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "report/wellbeing.h"
#include "store/store.h"
#include "util/common.h"

/* The command line's scope: no account (user_id 0), so the library asks for --as. */
static struct scope cli_scope(void)
{
    return (struct scope){.user = cli_actor(), .origin = "cli", .role = ROLE_ADMIN};
}

static int mental_rows(struct store *s, const void *filter, struct report_table *t,
                       struct outcome *o)
{
    struct scope sc = cli_scope();
    return mental_table(s, &sc, filter, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue mental list --as 账号 [选项]",
        "列出心理健康台帐（学校的被授权人员看本校的，县教育局指定专人看全县的）", NULL};
    struct mental_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING(0, "as", &f.as, "账号", "以这个已授权账号的身份查看（必填；记入审计日志）"),
        OPT_BOOL(0, "due", &f.overdue, "只看复查已到期的"),
        OPT_BOOL(0, "open", &f.open, "只看未结案的"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(argc, argv, usage, opts, NULL, NULL, mental_rows, &f,
                   "查看一名学生：baoxue mental show 儿童记录编号 --as 账号");
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue mental show 儿童记录编号 --as 账号 [选项]",
                                        "一名学生的心理健康台帐、干预和复查（记入审计日志）", NULL};
    const char *as = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "as", &as, "账号", "以这个已授权账号的身份查看（必填）"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "儿童记录编号");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    code = EXIT_OK; /* (cli_open_store sets it only when it fails) */
    struct outcome o = OUTCOME_INIT;
    struct scope sc = cli_scope();
    json_t *j = mental_of_child(s, &sc, id, as, &o);
    if (!j) {
        code = cli_failed(&o);
    } else if (!json_array_size(json_object_get(j, "items"))) {
        printf("心理健康台帐中没有这名学生的记录\n");
    } else {
        size_t i, k;
        json_t *it, *e;
        json_array_foreach(json_object_get(j, "items"), i, it)
        {
            const char *closed = json_string_value(json_object_get(it, "closed_on"));
            printf("第 %lld 条  %s，%s建档%s%s\n",
                   (long long)json_integer_value(json_object_get(it, "id")),
                   json_string_value(json_object_get(it, "level_label")),
                   json_string_value(json_object_get(it, "opened_on")), *closed ? "，结案 " : "",
                   closed);
            printf("  情况：%s\n", json_string_value(json_object_get(it, "concern")));
            printf("  转介：%s %s\n", json_string_value(json_object_get(it, "referral_label")),
                   json_string_value(json_object_get(it, "referral_note")));
            if (!*closed)
                printf("  下次复查：%s%s\n", json_string_value(json_object_get(it, "next_review")),
                       json_is_true(json_object_get(it, "review_due")) ? "（已到期）" : "");
            json_array_foreach(json_object_get(it, "events"), k, e)
            {
                printf("  %s %s %s：%s\n", json_string_value(json_object_get(e, "date")),
                       json_string_value(json_object_get(e, "kind_label")),
                       json_string_value(json_object_get(e, "by")),
                       json_string_value(json_object_get(e, "content")));
            }
        }
    }
    json_decref(j);
    outcome_release(&o);
    store_close(s);
    return code;
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出心理健康台帐（--due 复查到期的）"},
    {"show", show_cmd, "一名学生的心理健康台帐"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "心理健康台帐：关注等级、转介、干预和复查。只对系统管理员逐个授权的账号开放（学校的心理辅导\n"
    "教师、校长，县教育局指定专人；baoxue user mental-health 账号 --grant "
    "是），每次查看都记入审计\n"
    "日志，不进入任何报表和导出。命令行没有自己的账号：每条命令用 --as "
    "指明以哪个已授权账号的身份操作。";

int cmd_mental(int argc, char **argv)
{
    return cli_dispatch("mental", reads, about, argc, argv);
}
