/*
 * The indicators as reports (issue 17, docs/reports.md): 控辍保学指标 (indicators), its trend
 * (indicators-trend) and the ranking of townships or schools (ranking), each a catalog row.
 */
#include <jansson.h>

#include "report/indicators.h"
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "core/date.h"
#include "ingest/category.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* The as_of of the report options: the date, else the month's last day (today when it is the
 * current month), else today. */
static int options_as_of(const struct report_options *opt, int *as_of, struct outcome *o)
{
    if (opt->date) {
        *as_of = opt->date;
        return 0;
    }
    char month[16] = "";
    if (opt->month)
        snprintf(month, sizeof(month), "%04d-%02d", ymd_year(opt->month), ymd_month(opt->month));
    return indicators_as_of(month, date_today(), as_of, o);
}

enum {
    C_CODE,
    C_NAME,
    C_ENROLL,
    C_RETAIN,
    C_DROPOUT,
    C_VERIFIED,
    C_RETURNED_RATE,
    C_DAYS,
    C_OVERDUE_TASKS,
    C_OVERDUE_CASES,
    C_GROUP_OUT,
    C_SCHOOL_AGE,
    C_ENROLLED,
    C_BASE,
    C_KEPT,
    C_MOVED_OUT,
    C_MOVED_IN,
    C_DIED,
    C_YEAR_START,
    C_DROPPED,
    C_DUE,
    C_ON_TIME,
    C_CONFIRMED,
    C_RETURNED,
    C_OUT,
    C__COUNT
};

static const struct table_col ind_cols[C__COUNT] = {
    {"code", "代码", COL_TEXT},
    {"name", "单位", COL_TEXT},
    {"enrollment_rate", "入学率（%）", COL_REAL},
    {"retention_rate", "巩固率（%）", COL_REAL},
    {"dropout_rate", "辍学率（%）", COL_REAL},
    {"verified_on_time", "疑似儿童按时核查率（%）", COL_REAL},
    {"returned_rate", "劝返复学率（%）", COL_REAL},
    {"avg_return_days", "平均劝返天数", COL_REAL},
    {"overdue_tasks", "逾期核查任务", COL_INT},
    {"overdue_cases", "逾期案件", COL_INT},
    {"group_out", "重点群体失学辍学", COL_INT},
    {"school_age", "适龄儿童", COL_INT},
    {"enrolled", "在校（含外出就读、送教上门）", COL_INT},
    {"cohort_base", "巩固率基数", COL_INT},
    {"cohort_kept", "巩固人数", COL_INT},
    {"moved_out", "转出（不计入基数）", COL_INT},
    {"moved_in", "转入（计入基数）", COL_INT},
    {"died", "死亡（不计入基数）", COL_INT},
    {"year_start", "学年初在校生", COL_INT},
    {"dropped", "本学年辍学", COL_INT},
    {"tasks_due", "到期核查任务", COL_INT},
    {"verified_in_time", "按期核查", COL_INT},
    {"confirmed", "确认失学辍学", COL_INT},
    {"returned", "劝返复学", COL_INT},
    {"out_of_school", "失学辍学（比对）", COL_INT},
};

static void set_rate(struct report_table *t, size_t col, double v)
{
    if (v != IND_NONE)
        table_setf(t, col, "%.2f", v);
}

static void unit_row(struct report_table *t, const struct ind_unit *u)
{
    const struct ind_counts *c = &u->c;
    table_set(t, C_NAME, u->name);
    set_rate(t, C_ENROLL, u->r.enrollment);
    set_rate(t, C_RETAIN, u->r.retention);
    set_rate(t, C_DROPOUT, u->r.dropout);
    set_rate(t, C_VERIFIED, u->r.verified_on_time);
    set_rate(t, C_RETURNED_RATE, u->r.returned);
    set_rate(t, C_DAYS, u->r.avg_return_days);
    long v[] = {c->overdue_tasks, c->overdue_cases, c->group_out, c->school_age,       c->enrolled,
                c->cohort_base,   c->cohort_kept,   c->moved_out, c->moved_in,         c->died,
                c->year_start,    c->dropped,       c->tasks_due, c->verified_on_time, c->confirmed,
                c->returned,      c->out_of_school};
    for (size_t k = 0; k < ARRAY_SIZE(v); k++)
        table_setf(t, C_OVERDUE_TASKS + k, "%ld", v[k]);
    table_set(t, C_CODE, u->code);
}

static json_t *rate_json(double v)
{
    return v == IND_NONE ? json_null() : json_real((double)(long)(v * 100 + 0.5) / 100);
}

/* One unit as the JSON's objects write it (the row's keys). */
static json_t *unit_json(const struct ind_unit *u)
{
    const struct ind_counts *c = &u->c;
    json_t *j = json_pack("{s:s, s:s}", "code", u->code, "name", u->name);
    if (u->level == IND_SCHOOL)
        json_object_set_new(j, "township_code", json_string(u->township_code));
    json_object_set_new(j, "enrollment_rate", rate_json(u->r.enrollment));
    json_object_set_new(j, "retention_rate", rate_json(u->r.retention));
    json_object_set_new(j, "dropout_rate", rate_json(u->r.dropout));
    json_object_set_new(j, "verified_on_time", rate_json(u->r.verified_on_time));
    json_object_set_new(j, "returned_rate", rate_json(u->r.returned));
    json_object_set_new(j, "avg_return_days", rate_json(u->r.avg_return_days));
    const struct {
        const char *key;
        long v;
    } n[] = {
        {"overdue_tasks", c->overdue_tasks}, {"overdue_cases", c->overdue_cases},
        {"group_out", c->group_out},         {"school_age", c->school_age},
        {"enrolled", c->enrolled},           {"cohort_base", c->cohort_base},
        {"cohort_kept", c->cohort_kept},     {"moved_out", c->moved_out},
        {"moved_in", c->moved_in},           {"died", c->died},
        {"year_start", c->year_start},       {"dropped", c->dropped},
        {"tasks_due", c->tasks_due},         {"verified_in_time", c->verified_on_time},
        {"confirmed", c->confirmed},         {"returned", c->returned},
        {"out_of_school", c->out_of_school},
    };
    for (size_t k = 0; k < ARRAY_SIZE(n); k++)
        json_object_set_new(j, n[k].key, json_integer(n[k].v));
    return j;
}

static json_t *units_json(const struct ind_unit *u, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, unit_json(&u[i]));
    return a;
}

static void date_meta(struct report_table *t, const char *key, int ymd)
{
    char d[11] = "";
    if (ymd)
        date_format(ymd, d);
    table_meta(t, key, d, META_TEXT);
}

/* The notes every indicators table carries: where each figure comes from. */
static void ind_notes(struct report_table *t, const struct indicators *x)
{
    char d[24];
    if (x->run_id) {
        date_format_cn(x->run_as_of, d, sizeof(d));
        table_note(t,
                   "入学率 =（本县在读 + 外出就读 + 休学 + 已完成义务教育 + 送教上门）÷ 适龄儿童，"
                   "取自第 %lld 次比对（截至%s）。",
                   (long long)x->run_id, d);
    } else {
        table_note(t, "截至统计日还没有比对结果，入学率空缺。");
    }
    if (x->base_snapshot) {
        char b[24], l[24];
        date_format_cn(x->base_snapshot, b, sizeof(b));
        date_format_cn(x->latest_snapshot, l, sizeof(l));
        table_note(
            t,
            "巩固率 = 巩固人数 ÷（基期学生 − 转出 − 死亡 + 转入），按身份证号从%s的学籍跟踪到"
            "%s的学籍%s。",
            b, l,
            x->retention_full ? "（九年一贯：当年九年级学生对应的一年级入学人数）"
                              : "（学籍数据不足九年，以最早的学籍为基期，跟踪全部在校生）");
    } else {
        table_note(t, "巩固率须有两期以上学籍数据，现有学籍不足，空缺。");
    }
    if (x->year_snapshot) {
        date_format_cn(x->year_snapshot, d, sizeof(d));
        table_note(t,
                   "辍学率 = 本学年辍学人数 ÷ 学年初在校生（%s的学籍）；辍学指学籍标为辍学或本学年"
                   "立案确认失学辍学。",
                   d);
    }
    table_note(t,
               "按时核查率 = 截止日前完成核查的任务 ÷ 截止日已到（或已核查）的任务；劝返复学率 = "
               "已劝返复学（含送教上门等安置）÷ 确认失学辍学的案件；空白表示没有可计算的数。");
}

static const char *group_label_arg(const struct report_options *opt, int *only, struct outcome *o)
{
    *only = -1;
    if (!opt->group || !*opt->group || !strcmp(opt->group, "all") || !strcmp(opt->group, "全部"))
        return "";
    int g = vocab_parse(&priority_groups, opt->group);
    if (g < 0) {
        failed_at(o, OUT_INVALID, "group", "重点群体“%s”不是已知的群体", opt->group);
        return NULL;
    }
    *only = g;
    return priority_groups.words[g].label;
}

int report_indicators(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o)
{
    struct ind_options io = {
        .township = opt->township, .scope = opt->scope, .schools = true, .groups = true};
    int only_group;
    if (options_as_of(opt, &io.as_of, o) < 0 || !group_label_arg(opt, &only_group, o))
        return -1;
    struct indicators x;
    if (indicators_compute(s, &io, &x, o) < 0)
        return -1;
    bool by_group = opt->group != NULL;
    table_init(t, "控辍保学指标", by_group ? "groups" : "townships", ind_cols, C__COUNT);
    char county[7];
    const char *cname = ledger_county_name(s, county);
    const char *tname = x.ntownships == 1 && opt->township ? x.townships[0].name : NULL;
    ledger_caption(t, cname, tname, by_group ? "重点群体控辍保学指标" : "控辍保学指标", "截至",
                   x.as_of, date_today());
    if (by_group) {
        for (size_t i = 0; i < x.ngroups; i++)
            if (only_group < 0 || (int)i == only_group) {
                table_add_row(t);
                unit_row(t, &x.groups[i]);
            }
    } else {
        for (size_t i = 0; i < x.ntownships; i++) {
            table_add_row(t);
            unit_row(t, &x.townships[i]);
        }
    }
    table_add_totals(t);
    struct ind_unit total = x.county;
    snprintf(total.name, sizeof(total.name), "%s", tname ? "合计" : "全县合计");
    unit_row(t, &total);
    ind_notes(t, &x);
    date_meta(t, "as_of", x.as_of);
    char sy[16];
    snprintf(sy, sizeof(sy), "%d", x.school_year);
    table_meta(t, "school_year", sy, META_INT);
    char run[24];
    snprintf(run, sizeof(run), "%lld", (long long)x.run_id);
    table_meta(t, "run_id", run, META_INT);
    date_meta(t, "base_snapshot", x.base_snapshot);
    date_meta(t, "latest_snapshot", x.latest_snapshot);
    date_meta(t, "year_snapshot", x.year_snapshot);
    table_meta(t, "retention_full", x.retention_full ? "true" : "false", META_BOOL);
    table_json_set(t, "county", unit_json(&x.county));
    if (by_group)
        table_json_set(t, "townships", units_json(x.townships, x.ntownships));
    else
        table_json_set(t, "groups", units_json(x.groups, x.ngroups));
    table_json_set(t, "schools", units_json(x.schools, x.nschools));
    indicators_release(&x);
    return 0;
}

/* ---- the trend ---- */

static const struct table_col trend_cols[] = {
    {"month", "月份", COL_TEXT},
    {"as_of", "统计日", COL_TEXT},
    {"enrollment_rate", "入学率（%）", COL_REAL},
    {"retention_rate", "巩固率（%）", COL_REAL},
    {"dropout_rate", "辍学率（%）", COL_REAL},
    {"verified_on_time", "按时核查率（%）", COL_REAL},
    {"returned_rate", "劝返复学率（%）", COL_REAL},
    {"overdue_tasks", "逾期核查任务", COL_INT},
    {"overdue_cases", "逾期案件", COL_INT},
    {"out_of_school", "失学辍学", COL_INT},
    {"group_out", "重点群体失学辍学", COL_INT},
};

int report_indicators_trend(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o)
{
    struct ind_options io = {.township = opt->township, .scope = opt->scope};
    if (options_as_of(opt, &io.as_of, o) < 0)
        return -1;
    struct indicators *pts;
    size_t n;
    if (indicators_trend(s, &io, 12, &pts, &n, o) < 0)
        return -1;
    table_init(t, "控辍保学指标趋势", "months", trend_cols, ARRAY_SIZE(trend_cols));
    char county[7];
    const char *cname = ledger_county_name(s, county);
    const char *tname =
        n && pts[n - 1].ntownships == 1 && opt->township ? pts[n - 1].townships[0].name : NULL;
    ledger_caption(t, cname, tname, "控辍保学指标逐月趋势", "截至", io.as_of, date_today());
    json_t *towns = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct ind_unit *u = &pts[i].county;
        table_add_row(t);
        table_setf(t, 0, "%04d-%02d", ymd_year(pts[i].as_of), ymd_month(pts[i].as_of));
        char d[11];
        date_format(pts[i].as_of, d);
        table_set(t, 1, d);
        set_rate(t, 2, u->r.enrollment);
        set_rate(t, 3, u->r.retention);
        set_rate(t, 4, u->r.dropout);
        set_rate(t, 5, u->r.verified_on_time);
        set_rate(t, 6, u->r.returned);
        table_setf(t, 7, "%ld", u->c.overdue_tasks);
        table_setf(t, 8, "%ld", u->c.overdue_cases);
        table_setf(t, 9, "%ld", u->c.out_of_school);
        table_setf(t, 10, "%ld", u->c.group_out);
    }
    /* each township's series, for the charts: {code, name, points: [{month, …rates}]} */
    for (size_t k = 0; n && k < pts[n - 1].ntownships; k++) {
        const struct ind_unit *last = &pts[n - 1].townships[k];
        json_t *points = json_array();
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < pts[i].ntownships; j++) {
                const struct ind_unit *u = &pts[i].townships[j];
                if (strcmp(u->code, last->code) || strcmp(u->name, last->name))
                    continue;
                char m[16];
                snprintf(m, sizeof(m), "%04d-%02d", ymd_year(pts[i].as_of),
                         ymd_month(pts[i].as_of));
                json_t *p = unit_json(u);
                json_object_set_new(p, "month", json_string(m));
                json_array_append_new(points, p);
            }
        json_array_append_new(towns, json_pack("{s:s, s:s, s:o}", "code", last->code, "name",
                                               last->name, "points", points));
    }
    table_json_set(t, "townships", towns);
    date_meta(t, "as_of", io.as_of);
    table_note(t, "每月取月末（本月取统计日）的指标，计算方法同《控辍保学指标》；早于第一次比对和"
                  "第一期学籍的月份不列。");
    for (size_t i = 0; i < n; i++)
        indicators_release(&pts[i]);
    free(pts);
    return 0;
}
