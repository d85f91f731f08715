/* baoxue interviews: 约谈 (issue 17, casework/meeting.h). Reading: list, show; registering an
 * interview, its commitments and follow-ups are action rows (verb/rows_interview.c). */
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

static int finish(struct store *s, json_t *j, struct outcome *o, bool as_json,
                  void (*print)(json_t *))
{
    int code = 0;
    if (j && as_json) {
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_OUT_REALS);
        if (text)
            printf("%s\n", text);
        free(text);
    } else if (j) {
        print(j);
    } else {
        code = cli_failed(o);
    }
    json_decref(j);
    store_close(s);
    return code;
}

static void print_list(json_t *j)
{
    size_t i;
    json_t *it;
    if (!json_array_size(json_object_get(j, "items"))) {
        printf("没有约谈记录\n");
        return;
    }
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        printf(
            "约谈 %lld  %s  %s %s（%s）  约谈人：%s\n  事由：%s\n  承诺 %lld 项，待落实 %lld 项，"
            "逾期未落实 %lld 项\n",
            i_of(it, "id"), s_of(it, "date"), s_of(it, "unit_name"), s_of(it, "person"),
            s_of(it, "post"), s_of(it, "by"), s_of(it, "reason"), i_of(it, "commitments"),
            i_of(it, "open"), i_of(it, "overdue"));
    }
}

static void print_one(json_t *j)
{
    printf("约谈 %lld  %s\n被约谈：%s %s（%s）\n约谈人：%s\n事由：%s\n", i_of(j, "id"),
           s_of(j, "date"), s_of(j, "unit_name"), s_of(j, "person"), s_of(j, "post"), s_of(j, "by"),
           s_of(j, "reason"));
    if (*s_of(j, "month"))
        printf("排名月份：%s\n", s_of(j, "month"));
    if (*s_of(j, "finding"))
        printf("督导发现问题：%s\n", s_of(j, "finding"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "commitments"), i, c)
    {
        printf("  承诺 %lld：%s（%s 前）[%s]\n", i_of(c, "id"), s_of(c, "content"),
               s_of(c, "deadline"), s_of(c, "state_label"));
    }
    json_array_foreach(json_object_get(j, "followups"), i, c)
    {
        printf("  回访 %s %s：%s", s_of(c, "date"), s_of(c, "by"), s_of(c, "found"));
        if (i_of(c, "commitment"))
            printf("（承诺 %lld %s）", i_of(c, "commitment"), s_of(c, "kept"));
        printf("\n");
    }
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue interviews list [选项]",
                                        "列出约谈：被约谈单位和人、事由、承诺落实情况", NULL};
    struct interview_filter f = {0};
    bool as_json = false;
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇的约谈"),
        OPT_BOOL(0, "overdue", &f.overdue, "只看有逾期未落实承诺的约谈"),
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    opt_parse(argc, argv, opts, usage, 0);
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    return finish(s, interview_list(s, NULL, &f, &o), &o, as_json, print_list);
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue interviews show 约谈编号 [选项]",
                                        "一次约谈：承诺及其期限、回访", NULL};
    bool as_json = false;
    const struct opt opts[] = {
        OPT_BOOL(0, "json", &as_json, "以 JSON 输出"),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "约谈编号");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    return finish(s, interview_show(s, NULL, id, &o), &o, as_json, print_one);
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出约谈"},
    {"show", show_cmd, "一次约谈及其承诺、回访"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "约谈：对控辍保学工作不力的乡镇、学校负责人的约谈。被约谈单位和人、约谈人、日期、事由（可注明\n"
    "排名月份或督导发现问题编号），约谈中作出的承诺及完成期限，回访时记录承诺是否落实。逾期未落实的"
    "\n"
    "承诺列入县教育局和被约谈单位的待办。县教育局登记；被约谈的乡镇、学校查看本单位的约谈。";

int cmd_interviews(int argc, char **argv)
{
    return cli_dispatch("interviews", reads, about, argc, argv);
}
