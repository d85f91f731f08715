/* The 通报's content (report/bulletin.h): the period read, the indicators computed on its last
 * day, the townships ranked (report/indicators.h), and the document's sections written as the
 * JSON render/bulletin.h draws. What is kept and read is in bulletin_store.c. */
#include "report/bulletin.h"

#include "casework/inspection.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/division.h"
#include "core/schoolcal.h"
#include "domain/scope.h"
#include "domain/settings.h"
#include "report/bulletin_impl.h"
#include "report/indicators.h"
#include "store/store.h"
#include "util/common.h"

/* ---- the period ---- */

struct rectify_settings {
    int autumn_start, autumn_end, spring_start, spring_end;
    int rectify_days;
};

static const struct setting_field rectify_fields[] = {
    {"term_autumn_start", offsetof(struct rectify_settings, autumn_start), SETTING_INT},
    {"term_autumn_end", offsetof(struct rectify_settings, autumn_end), SETTING_INT},
    {"term_spring_start", offsetof(struct rectify_settings, spring_start), SETTING_INT},
    {"term_spring_end", offsetof(struct rectify_settings, spring_end), SETTING_INT},
    {"bulletin_rectify_days", offsetof(struct rectify_settings, rectify_days), SETTING_INT},
};

/* The period's key, label and last day (today when the period has not ended). */
static int period_of(const struct bulletin_input *in, const struct rectify_settings *rs, int today,
                     struct bulletin_period *p, struct outcome *o)
{
    bool month = in->month && *in->month, term = in->term && *in->term;
    if (month == term)
        return failed_at(o, OUT_INVALID, month ? "term" : "month",
                         "请给出通报的月份（如 2026-10）或学期（如 2026秋），二者取一");
    if (month) {
        int ym;
        if (date_parse_month(in->month, strlen(in->month), &ym) < 0)
            return failed_at(o, OUT_INVALID, "month", "月份应写作 2026-10");
        if (indicators_as_of(in->month, today, &p->as_of, o) < 0)
            return -1;
        snprintf(p->key, sizeof(p->key), "%04d-%02d", ym / 100, ym % 100);
        snprintf(p->label, sizeof(p->label), "%d年%d月", ym / 100, ym % 100);
        return 0;
    }
    int y;
    bool autumn;
    if (bulletin_term_parse(in->term, &y, &autumn) < 0)
        return failed_at(o, OUT_INVALID, "term", "学期应写作 2026秋 或 2027春");
    int start = autumn ? ymd_make(y, rs->autumn_start / 100, rs->autumn_start % 100)
                       : ymd_make(y, rs->spring_start / 100, rs->spring_start % 100);
    int end = autumn ? ymd_make(rs->autumn_end < rs->autumn_start ? y + 1 : y, rs->autumn_end / 100,
                                rs->autumn_end % 100)
                     : ymd_make(y, rs->spring_end / 100, rs->spring_end % 100);
    if (start > today)
        return failed_at(o, OUT_INVALID, "term", "该学期尚未开始，不能通报");
    p->as_of = end < today ? end : today;
    snprintf(p->key, sizeof(p->key), "%d-%s", y, autumn ? "autumn" : "spring");
    snprintf(p->label, sizeof(p->label), "%d年%s季学期", y, autumn ? "秋" : "春");
    return 0;
}

/* ---- the text ---- */

static void pct(double v, char *out, size_t size)
{
    if (v == IND_NONE)
        snprintf(out, size, "—");
    else
        snprintf(out, size, "%.2f%%", v);
}

static json_t *part(const char *kind, const char *text)
{
    return json_pack("{s:s}", kind, text);
}

static void situation(const struct indicators *x, json_t *parts)
{
    const struct ind_unit *c = &x->county;
    char day[32], a[24], b[24], d[24];
    date_format_cn(x->as_of, day, sizeof(day));
    struct buf t = BUF_INIT;
    pct(c->r.enrollment, a, sizeof(a));
    pct(c->r.retention, b, sizeof(b));
    pct(c->r.dropout, d, sizeof(d));
    buf_addf(&t,
             "截至%s，全县义务教育阶段适龄儿童少年%ld人，在校（含送教上门）%ld人，入学率%s；"
             "九年义务教育巩固率%s；本学年辍学%ld人，辍学率%s。",
             day, c->c.school_age, c->c.enrolled, a, b, c->c.dropped, d);
    json_array_append_new(parts, part("p", t.buf));
    buf_reset(&t);
    pct(c->r.verified_on_time, a, sizeof(a));
    pct(c->r.returned, b, sizeof(b));
    buf_addf(&t,
             "期限已到的疑似失学辍学儿童核查任务%ld项，按期完成%ld项，按时核查率%s；"
             "已立案劝返%ld人，已返校或妥善安置%ld人，劝返率%s",
             c->c.tasks_due, c->c.verified_on_time, a, c->c.confirmed, c->c.returned, b);
    if (c->r.avg_return_days != IND_NONE)
        buf_addf(&t, "，平均%.1f天返校", c->r.avg_return_days);
    buf_addf(&t, "。截至当日，逾期未办结的核查任务%ld项、逾期未落实的案件%ld件。",
             c->c.overdue_tasks, c->c.overdue_cases);
    json_array_append_new(parts, part("p", t.buf));
    buf_release(&t);
}

static json_t *ranking_table(const struct ind_ranked *r, size_t n)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct ind_unit *u = r[i].u;
        char e[24], k[24], d[24], v[24], ret[24], num[16], over[16];
        pct(u->r.enrollment, e, sizeof(e));
        pct(u->r.retention, k, sizeof(k));
        pct(u->r.dropout, d, sizeof(d));
        pct(u->r.verified_on_time, v, sizeof(v));
        pct(u->r.returned, ret, sizeof(ret));
        snprintf(num, sizeof(num), "%d", r[i].order);
        snprintf(over, sizeof(over), "%ld", u->c.overdue_tasks + u->c.overdue_cases);
        json_array_append_new(rows, json_pack("[s,s,s,s,s,s,s,s,s]", num, u->name, e, k, d, v, ret,
                                              over, r[i].high_dropout ? "辍学高发" : ""));
    }
    return json_pack("{s:s, s:[s,s,s,s,s,s,s,s,s], s:o, s:[f,f,f,f,f,f,f,f,f]}", "caption",
                     "表1 各乡镇控辍保学工作排名", "columns", "名次", "乡镇", "入学率", "巩固率",
                     "辍学率", "按时核查率", "劝返率", "逾期事项", "备注", "rows", rows, "widths",
                     11.0, 19.0, 18.0, 18.0, 16.0, 22.0, 16.0, 18.0, 18.0);
}

static json_t *chart(const struct ind_ranked *r, size_t n)
{
    json_t *bars = json_array();
    for (size_t i = 0; i < n; i++) {
        char t[24];
        pct(r[i].u->r.dropout, t, sizeof(t));
        json_array_append_new(
            bars, json_pack("{s:s, s:f, s:s}", "label", r[i].u->name, "value",
                            r[i].u->r.dropout == IND_NONE ? 0.0 : r[i].u->r.dropout, "text", t));
    }
    return json_pack("{s:s, s:o}", "caption", "图1 各乡镇辍学率", "bars", bars);
}

/* 存在问题 (三): the units whose 督导检查 rectification items are past their deadline and not
 * submitted on `today` (casework/inspection.h); counts them in *named */
static int late_rectification(struct store *s, int today, json_t *parts, int *named)
{
    struct rectify_overdue *ro = NULL;
    size_t n = 0;
    if (rectify_overdue_counts(s, today, &ro, &n) < 0)
        return -1;
    struct buf t = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!ro[i].overdue)
            continue;
        buf_addf(&t, "%s%s逾期未整改%d项", t.len ? "；" : "", ro[i].unit_name, ro[i].overdue);
        (*named)++;
    }
    json_array_append_new(parts, part("h2", "（三）督导检查逾期未整改的单位"));
    if (t.len) {
        buf_adds(&t, "。以上事项已超过督导检查规定的整改期限仍未提交整改材料。");
        json_array_append_new(parts, part("p", t.buf));
    } else {
        json_array_append_new(parts, part("p", "督导检查发现的问题均在整改期限内或已整改。"));
    }
    buf_release(&t);
    free(ro);
    return 0;
}

/* 存在问题: the townships with overdue work, the units flagged 辍学高发; counts them in *named */
static void problems(const struct indicators *x, const struct ind_ranked *r, size_t n,
                     const struct ind_flag_rule *rule, json_t *parts, int *named)
{
    struct buf t = BUF_INIT;
    json_array_append_new(parts, part("h2", "（一）逾期未办结的核查任务和案件"));
    for (size_t i = 0; i < n; i++) {
        const struct ind_unit *u = r[i].u;
        if (!u->c.overdue_tasks && !u->c.overdue_cases)
            continue;
        buf_addf(&t, "%s%s逾期核查任务%ld项、逾期案件%ld件", t.len ? "；" : "", u->name,
                 u->c.overdue_tasks, u->c.overdue_cases);
        (*named)++;
    }
    if (t.len) {
        buf_adds(&t, "。以上事项已超过规定期限仍未办结，须立即整改。");
        json_array_append_new(parts, part("p", t.buf));
    } else {
        json_array_append_new(parts, part("p", "各乡镇均无逾期未办结的核查任务和案件。"));
    }
    buf_reset(&t);
    json_array_append_new(parts, part("h2", "（二）辍学高发单位"));
    for (size_t i = 0; i < n; i++) {
        if (!r[i].high_dropout)
            continue;
        char d[24];
        pct(r[i].u->r.dropout, d, sizeof(d));
        buf_addf(&t, "%s%s（辍学%ld人，辍学率%s）", t.len ? "、" : "", r[i].u->name,
                 r[i].u->c.dropped, d);
        (*named)++;
    }
    for (size_t i = 0; i < x->nschools; i++) {
        const struct ind_unit *u = &x->schools[i];
        if (!ind_high_dropout(u, rule))
            continue;
        char d[24];
        pct(u->r.dropout, d, sizeof(d));
        buf_addf(&t, "%s%s（辍学%ld人，辍学率%s）", t.len ? "、" : "", u->name, u->c.dropped, d);
        (*named)++;
    }
    if (t.len) {
        struct buf h = BUF_INIT;
        buf_addf(&h, "按辍学率达到%.2f%%且辍学不少于%ld人的标准，%s为辍学高发单位。",
                 rule->dropout_rate, rule->min_dropped, t.buf);
        json_array_append_new(parts, part("p", h.buf));
        buf_release(&h);
    } else {
        json_array_append_new(parts, part("p", "本期没有辍学高发的乡镇和学校。"));
    }
    buf_release(&t);
}

static void demands(const struct bulletin_input *in, int deadline, int named, const char *office,
                    json_t *parts)
{
    char day[32];
    date_format_cn(deadline, day, sizeof(day));
    struct buf t = BUF_INIT;
    if (named)
        buf_addf(&t,
                 "一是限期整改。上述被点名的乡镇和学校要逐项查找原因，于%s前完成整改，"
                 "并将整改情况书面报送%s。逾期未整改的，将按规定约谈相关负责人。",
                 day, office);
    else
        buf_addf(&t, "一是巩固成果。各乡镇、各学校要保持工作力度，于%s前将本期工作情况书面报送%s。",
                 day, office);
    json_array_append_new(parts, part("p", t.buf));
    json_array_append_new(
        parts, part("p", "二是压实责任。各乡镇、各学校要落实控辍保学“七长”责任制，对疑似失学辍学"
                         "儿童在规定期限内完成核查，对确认失学辍学的儿童一人一案、及时劝返，"
                         "返校后做好巩固回访。"));
    json_array_append_new(
        parts, part("p", "三是动态监测。各乡镇、各学校要每月比对学籍和户籍数据，及时发现、"
                         "及时处置，杜绝新增失学辍学。"));
    if (in->demand && *in->demand) {
        buf_reset(&t);
        buf_addf(&t, "四是%s", in->demand);
        json_array_append_new(parts, part("p", t.buf));
    }
    buf_release(&t);
}

static json_t *section(const char *heading, json_t *parts)
{
    return json_pack("{s:s, s:o}", "heading", heading, "parts", parts);
}

int bulletin_make(struct store *s, const struct scope *sc, const struct bulletin_input *in,
                  struct bulletin_draft *out, struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    int today = date_today();
    struct rectify_settings rs = {TERM_AUTUMN_START, TERM_AUTUMN_END, TERM_SPRING_START,
                                  TERM_SPRING_END, 15};
    if (settings_load(s, rectify_fields, ARRAY_SIZE(rectify_fields), &rs) < 0)
        return fail_store(s, o);
    if (period_of(in, &rs, today, &out->period, o) < 0)
        return -1;
    out->published = today;
    if (in->date && *in->date && date_parse(in->date, strlen(in->date), &out->published) < 0)
        return failed_at(o, OUT_INVALID, "date", "成文日期应写作 2026-11-20");
    if (out->published < out->period.as_of)
        return failed_at(o, OUT_INVALID, "date", "成文日期不能早于通报期末");
    out->deadline = deadline_working_days(out->published, rs.rectify_days);
    if (in->deadline && *in->deadline &&
        date_parse(in->deadline, strlen(in->deadline), &out->deadline) < 0)
        return failed_at(o, OUT_INVALID, "deadline", "整改期限应写作 2026-12-11");
    if (out->deadline <= out->published)
        return failed_at(o, OUT_INVALID, "deadline", "整改期限须晚于成文日期");

    /* the office and the prefix: the settings, or the county's name */
    struct buf office = BUF_INIT, prefix = BUF_INIT, county = BUF_INIT;
    int rc = -1;
    if (settings_get(s, "bulletin_office", &office, o) < 0 ||
        settings_get(s, "bulletin_prefix", &prefix, o) < 0 ||
        settings_get(s, "county", &county, o) < 0)
        goto out;
    char doff[96], dpre[32];
    bulletin_office_default(division_county_name(county.buf), doff, sizeof(doff), dpre,
                            sizeof(dpre));
    snprintf(out->office, sizeof(out->office), "%s", office.len ? office.buf : doff);
    snprintf(out->prefix, sizeof(out->prefix), "%s", prefix.len ? prefix.buf : dpre);

    struct ind_options opt = {.as_of = out->period.as_of, .scope = sc, .schools = true};
    struct indicators x;
    struct ind_flag_rule rule;
    if (ind_flag_rule_load(s, &rule, o) < 0 || indicators_compute(s, &opt, &x, o) < 0)
        goto out;
    struct ind_ranked *ranked = xcalloc(x.ntownships ? x.ntownships : 1, sizeof(*ranked));
    ind_rank(x.townships, x.ntownships, &rule, ranked);

    snprintf(out->title, sizeof(out->title), "关于%s控辍保学工作情况的通报", out->period.label);
    json_t *sections = json_array();
    json_t *p1 = json_array();
    situation(&x, p1);
    json_array_append_new(sections, section("一、基本情况", p1));
    json_t *p2 = json_array();
    json_array_append_new(
        p2, part("p", "按入学率、巩固率、辍学率、按时核查率、劝返率和逾期事项六项指标分别排名，"
                      "以平均名次确定各乡镇的综合名次（平均名次相同的，辍学率低者在前）。"));
    json_array_append_new(p2, json_pack("{s:o}", "table", ranking_table(ranked, x.ntownships)));
    json_array_append_new(p2, json_pack("{s:o}", "chart", chart(ranked, x.ntownships)));
    json_array_append_new(sections, section("二、各乡镇工作排名", p2));
    json_t *p3 = json_array();
    int named = 0;
    problems(&x, ranked, x.ntownships, &rule, p3, &named);
    if (late_rectification(s, out->published, p3, &named) < 0) {
        json_decref(p3);
        json_decref(sections);
        free(ranked);
        indicators_release(&x);
        fail_store(s, o);
        goto out;
    }
    json_array_append_new(sections, section("三、存在问题", p3));
    json_t *p4 = json_array();
    demands(in, out->deadline, named, out->office, p4);
    json_array_append_new(sections, section("四、下一步要求", p4));

    char date_text[32];
    date_format_cn(out->published, date_text, sizeof(date_text));
    struct buf to = BUF_INIT;
    buf_adds(&to,
             in->addressee && *in->addressee ? in->addressee : "各乡（镇）人民政府，各中小学校");
    if (!(to.len >= strlen("：") && !strcmp(to.buf + to.len - strlen("："), "：")))
        buf_adds(&to, "：");
    out->content = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:i}", "office", out->office,
                             "doc_number", "", "title", out->title, "addressee", to.buf,
                             "date_text", date_text, "sections", sections, "period_label",
                             out->period.label, "as_of", x.as_of, "named_units", named);
    buf_release(&to);
    free(ranked);
    indicators_release(&x);
    rc = 0;
out:
    buf_release(&office);
    buf_release(&prefix);
    buf_release(&county);
    return rc;
}
