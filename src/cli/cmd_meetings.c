/* baoxue meetings: 联席会议 (issue 17, casework/meeting.h). Reading: list, show, decisions;
 * registering a meeting and its decisions, reporting progress and the duty checks are action
 * rows (verb/rows_meeting.c). */
#include "casework/meeting.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

static const char *s_of(json_t *j, const char *key)
{
    const char *v = json_string_value(json_object_get(j, key));
    return v ? v : "";
}

static long long i_of(json_t *j, const char *key)
{
    return (long long)json_integer_value(json_object_get(j, key));
}

static void print_json(json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_OUT_REALS);
    if (text)
        printf("%s\n", text);
    free(text);
}

/* Open the store, read, print; the exit code. */
static int read_and_print(json_t *(*read)(struct store *, const void *, struct outcome *),
                          const void *arg, bool as_json, void (*print)(json_t *))
{
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    json_t *j = read(s, arg, &o);
    if (j) {
        if (as_json)
            print_json(j);
        else
            print(j);
    } else {
        code = cli_failed(&o);
    }
    json_decref(j);
    store_close(s);
    return code;
}

static void print_decision(json_t *d)
{
    printf("  议定事项 %lld  %s负责，%s 前完成 [%s]%s%s\n    %s\n", i_of(d, "id"),
           s_of(d, "department_name"), s_of(d, "deadline"), s_of(d, "state_label"),
           *s_of(d, "duty_label") ? "  " : "", s_of(d, "duty_label"), s_of(d, "content"));
    size_t i, k;
    json_t *p, *c, *m;
    json_array_foreach(json_object_get(d, "progress"), i, p)
    {
        printf("    进展 %s %s（%s）：%s\n", s_of(p, "date"), s_of(p, "by"), s_of(p, "state_label"),
               s_of(p, "content"));
    }
    json_array_foreach(json_object_get(d, "checks"), i, c)
    {
        printf("    %s %s：%s；发现未成年人 %lld 名；%s\n", s_of(c, "kind_label"), s_of(c, "date"),
               s_of(c, "places"), i_of(c, "minors_found"), s_of(c, "result"));
        json_array_foreach(json_object_get(c, "minors"), k, m)
        {
            printf("      %s %s", s_of(m, "name"), s_of(m, "id_number"));
            if (json_object_get(m, "record_id"))
                printf("（儿童记录 %lld）", i_of(m, "record_id"));
            printf("\n");
        }
    }
}

static void print_list(json_t *j)
{
    size_t i, k;
    json_t *it, *d;
    if (!json_array_size(json_object_get(j, "items"))) {
        printf("没有联席会议记录\n");
        return;
    }
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        printf("联席会议 %lld  %s  %s\n  参会部门：", i_of(it, "id"), s_of(it, "date"),
               s_of(it, "title"));
        json_array_foreach(json_object_get(it, "departments"), k, d)
        {
            printf("%s%s", k ? "、" : "", s_of(d, "name"));
        }
        printf("\n  议定事项 %lld 项，未办结 %lld 项，逾期 %lld 项\n", i_of(it, "decisions"),
               i_of(it, "open"), i_of(it, "overdue"));
    }
}

static void print_meeting(json_t *j)
{
    size_t i;
    json_t *d;
    printf("联席会议 %lld  %s  %s\n", i_of(j, "id"), s_of(j, "date"), s_of(j, "title"));
    if (*s_of(j, "host"))
        printf("主持人：%s\n", s_of(j, "host"));
    printf("参会部门：");
    json_array_foreach(json_object_get(j, "departments"), i, d)
    {
        printf("%s%s", i ? "、" : "", s_of(d, "name"));
    }
    printf("\n");
    if (*s_of(j, "notes"))
        printf("会议纪要：%s\n", s_of(j, "notes"));
    json_array_foreach(json_object_get(j, "decisions"), i, d)
    {
        print_decision(d);
    }
}

static void print_decisions(json_t *j)
{
    size_t i;
    json_t *d;
    if (!json_array_size(json_object_get(j, "items"))) {
        printf("没有议定事项\n");
        return;
    }
    json_array_foreach(json_object_get(j, "items"), i, d)
    {
        printf("联席会议 %lld（%s）", i_of(d, "meeting_id"), s_of(d, "meeting_date"));
        print_decision(d);
    }
}

static json_t *list_read(struct store *s, const void *f, struct outcome *o)
{
    return meeting_list(s, NULL, f, o);
}

static json_t *decisions_read(struct store *s, const void *f, struct outcome *o)
{
    return decision_list(s, NULL, f, o);
}

static json_t *show_read(struct store *s, const void *id, struct outcome *o)
{
    return meeting_show(s, NULL, *(const int64_t *)id, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue meetings list [选项]",
                                        "列出联席会议：日期、参会部门、议定事项的办理情况", NULL};
    struct meeting_filter f = {0};
    bool as_json = false;
    const struct opt opts[] = {
        OPT_STRING(0, "department", &f.department, "部门", "只看有这个部门事项的会议"),
        OPT_BOOL(0, "overdue", &f.overdue, "只看有逾期事项的会议"),
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    opt_parse(argc, argv, opts, usage, 0);
    return read_and_print(list_read, &f, as_json, print_list);
}

static int decisions_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue meetings decisions [选项]",
                                        "列出议定事项：未办结的在前，按完成期限", NULL};
    struct meeting_filter f = {0};
    bool as_json = false;
    const struct opt opts[] = {
        OPT_STRING(0, "department", &f.department, "部门", "只看这个部门负责的事项"),
        OPT_BOOL(0, "overdue", &f.overdue, "只看逾期的事项"),
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    opt_parse(argc, argv, opts, usage, 0);
    return read_and_print(decisions_read, &f, as_json, print_decisions);
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue meetings show 会议编号 [选项]",
                                        "一次联席会议：参会部门、议定事项、进展和检查结果", NULL};
    bool as_json = false;
    const struct opt opts[] = {
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "会议编号");
    return read_and_print(show_read, &id, as_json, print_meeting);
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出联席会议"},
    {"show", show_cmd, "一次联席会议及其议定事项"},
    {"decisions", decisions_cmd, "列出议定事项（按部门、逾期）"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "联席会议：日期、参会部门（教育、公安、财政、乡村振兴、民政、残联、人社、文旅、卫健、司法、审计"
    "），\n"
    "议定事项各有责任部门、完成期限和办理状态（待办、进行中、已完成；过期未完成为逾期）。县教育局\n"
    "登记会议和议定事项；部门账号查看并报告本部门事项的进展，登记未成年人务工检查、网吧/"
    "歌舞厅检查\n"
    "的结果（发现的未成年人凭身份证号与儿童记录对应）。";

int cmd_meetings(int argc, char **argv)
{
    return cli_dispatch("meetings", reads, about, argc, argv);
}
