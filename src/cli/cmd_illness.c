/* baoxue illness: the 疾病台帐 (issue 16, casework/wellbeing.h). Reading: list (the ledger),
 * show (one child's illnesses); adding an illness and a follow-up are action rows
 * (verb/rows_wellbeing.c). */
#include "casework/wellbeing.h"
#include "cli/casework_cli.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/opt.h"
#include "cli/sub.h"
#include "report/wellbeing.h"
#include "store/store.h"
#include "util/common.h"

static int illness_rows(struct store *s, const void *filter, struct report_table *t,
                        struct outcome *o)
{
    return illness_table(s, NULL, filter, t, o);
}

static int list_cmd(int argc, char **argv)
{
    static const char *const usage[] = {
        "baoxue illness list [选项]",
        "列出疾病台帐：学生、疾病类别、病情、起止日期、对到校的影响、"
        "随访",
        NULL};
    struct illness_filter f = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &f.township, "乡镇", "只看这个乡镇（代码或名称）"),
        OPT_STRING(0, "category", &f.category, "类别",
                   "只看这一类：慢性病、重大疾病、传染病、意外伤害、其他"),
        OPT_DATE(0, "open-on", &f.from, "只看这一天尚未痊愈的疾病"),
        OPT_BOOL(0, "serious", &f.serious, "只看慢性或重大疾病"),
        OPT_BOOL(0, "full", &f.full, "显示完整身份证号（记入审计日志）"),
        OPT_INCLUDE(cli_out_opts),
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    return cw_list(
        argc, argv, usage, opts, &f.full, "疾病台帐（完整身份证号）", illness_rows, &f,
        "登记：baoxue illness add 儿童记录编号 --category 类别 --diagnosis 病情 "
        "--effect 影响；随访：baoxue illness follow 台帐编号 --by 随访人 --content 情况");
}

static void print_child(json_t *j)
{
    json_t *items = json_object_get(j, "items");
    if (!json_array_size(items)) {
        printf("疾病台帐中没有这名儿童的记录\n");
        return;
    }
    size_t i, k;
    json_t *it, *f;
    json_array_foreach(items, i, it)
    {
        const char *to = json_string_value(json_object_get(it, "to"));
        printf("第 %lld 条  %s：%s（%s起%s%s）\n",
               (long long)json_integer_value(json_object_get(it, "id")),
               json_string_value(json_object_get(it, "category_label")),
               json_string_value(json_object_get(it, "diagnosis")),
               json_string_value(json_object_get(it, "from")), *to ? "，至" : "，尚未痊愈", to);
        printf("  对到校的影响：%s%s\n", json_string_value(json_object_get(it, "effect_label")),
               json_is_true(json_object_get(it, "serious")) ? "；慢性或重大疾病" : "");
        const char *cert = json_string_value(json_object_get(it, "certificate"));
        if (*cert)
            printf("  诊断证明：%s\n", cert);
        if (json_is_true(json_object_get(it, "placement_offer")))
            printf("  有诊断证明、影响到校：可考虑送教上门或缓学（baoxue placement set）\n");
        json_array_foreach(json_object_get(it, "follows"), k, f)
        {
            printf("  随访 %s %s：%s\n", json_string_value(json_object_get(f, "date")),
                   json_string_value(json_object_get(f, "by")),
                   json_string_value(json_object_get(f, "content")));
        }
    }
}

static int show_cmd(int argc, char **argv)
{
    static const char *const usage[] = {"baoxue illness show 儿童记录编号 [选项]",
                                        "一名学生的疾病台帐记录和随访", NULL};
    const struct opt opts[] = {
        OPT_INCLUDE(cli_db_opts),
        OPT_END(),
    };
    argc = opt_parse(argc, argv, opts, usage, 0);
    int64_t id = cli_number(opts, usage, argc, argv, "儿童记录编号");
    int code;
    struct store *s = cli_open_store(cli_db, &code);
    if (!s)
        return code;
    struct outcome o = OUTCOME_INIT;
    json_t *j = illness_of_child(s, NULL, id, &o);
    if (j)
        print_child(j);
    else
        code = cli_failed(&o);
    json_decref(j);
    store_close(s);
    return code;
}

static const struct cli_sub reads[] = {
    {"list", list_cmd, "列出疾病台帐"},
    {"show", show_cmd, "一名学生的疾病记录和随访"},
    {NULL, NULL, NULL},
};

static const char about[] =
    "疾病台帐：在校学生的慢性病、重大疾病、传染病、意外伤害和其他疾病，起止日期、对到校的影响、\n"
    "诊断证明和随访。由学生就读学校或县教育局登记；乡镇查看本乡镇的。慢性或重大疾病列入预警名单\n"
    "的因素；有诊断证明、影响到校的，可考虑送教上门或缓学。传染病缺课见 《传染病缺课登记表》 "
    "报表。";

int cmd_illness(int argc, char **argv)
{
    return cli_dispatch("illness", reads, about, argc, argv);
}
