/* 控辍保学工作月报 (docs/reports.md): the county's monthly report, a row per township. */
#include "report/reports.h"
#include "report/ledger_impl.h"
#include "report/monthly_confirm.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "domain/monthly_due.h"
#include "domain/run.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

/* ============================================================================================
 * 控辍保学工作月报
 */

int monthly_period_start(int date)
{
    int y = ymd_year(date), m = ymd_month(date) - 1, d = ymd_day(date);
    if (m == 0) {
        m = 12;
        y--;
    }
    while (d > 28 && !date_valid(y, m, d))
        d--;
    return days_to_ymd(ymd_to_days(ymd_make(y, m, d)) + 1);
}

#define N_REASONS 7 /* case_reasons, in their order */

struct mrow {
    char code[10];
    char name[96];
    long school_age, enrolled;
    long new_tasks, verified, pending, new_cases, reopened, returned, closed, still_out;
    long reason[N_REASONS];
    bool have_run; /* school_age and enrolled known (a cross-check on or before the date) */
};

struct monthly {
    struct mrow *r;
    size_t n, alloc;
    const char *filter_code; /* --township: only this one */
};

/* The row of a township (by code; by name when the data has no code); NULL when filtered. */
static struct mrow *mrow_of(struct monthly *m, const char *code, const char *name)
{
    if (m->filter_code && strcmp(code, m->filter_code))
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (*code ? !strcmp(m->r[i].code, code) : !*m->r[i].code && !strcmp(m->r[i].name, name))
            return &m->r[i];
    ALLOC_GROW(m->r, m->n + 1, m->alloc);
    struct mrow *r = &m->r[m->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->name, sizeof(r->name), "%s", *name ? name : "（未填乡镇）");
    return r;
}

static const struct table_col monthly_cols[] = {
    {"township", "乡镇", COL_TEXT},
    {"school_age", "适龄儿童", COL_INT},
    {"enrolled", "在校（含外出就读）", COL_INT},
    {"enrolment_rate", "入学率", COL_TEXT},
    {"new_suspected", "新增疑似", COL_INT},
    {"verified", "核查办结", COL_INT},
    {"pending", "待核查", COL_INT},
    {"new_cases", "新增失学辍学", COL_INT},
    {"reopened", "重新打开", COL_INT},
    {"returned", "劝返复学", COL_INT},
    {"closed", "销号", COL_INT},
    {"still_out", "仍失学辍学", COL_INT},
    {"reason_learning", "其中学习困难/厌学", COL_INT},
    {"reason_work", "其中外出打工", COL_INT},
    {"reason_marriage", "其中早婚早育", COL_INT},
    {"reason_religion", "其中信教", COL_INT},
    {"reason_illness", "其中疾病残疾", COL_INT},
    {"reason_poverty", "其中家庭经济困难", COL_INT},
    {"reason_other", "其中其他", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

static void monthly_row(struct report_table *t, const struct mrow *r)
{
    bool have_run = r->have_run;
    long v[] = {r->new_tasks, r->verified, r->pending, r->new_cases,
                r->reopened,  r->returned, r->closed,  r->still_out};
    table_set(t, 0, r->name);
    if (have_run) {
        table_setf(t, 1, "%ld", r->school_age);
        table_setf(t, 2, "%ld", r->enrolled);
        if (r->school_age)
            table_setf(t, 3, "%.2f%%", 100.0 * (double)r->enrolled / (double)r->school_age);
    }
    for (size_t k = 0; k < ARRAY_SIZE(v); k++)
        table_setf(t, 4 + k, "%ld", v[k]);
    for (size_t k = 0; k < N_REASONS; k++)
        table_setf(t, 12 + k, "%ld", r->reason[k]);
    table_set(t, 19, r->code);
}

/* Runs `sql` with $1/$2 bound to two dates and hands every row to fn. */
static int monthly_query(struct store *s, const char *sql, const char *d1, const char *d2,
                         void (*fn)(struct monthly *m, struct stmt *q), struct monthly *m)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return -1;
    stmt_bind_str(q, 1, d1);
    if (d2)
        stmt_bind_str(q, 2, d2);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        fn(m, q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static void add_new_tasks(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (r)
        r->new_tasks += (long)stmt_int(q, 2);
}

static void add_events(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (!r)
        return;
    const char *kind = stmt_text(q, 2);
    long n = (long)stmt_int(q, 3);
    if (!strcmp(kind, "verified"))
        r->verified += n;
    else if (!strcmp(kind, "case_opened"))
        r->new_cases += n;
    else if (!strcmp(kind, "reopened"))
        r->reopened += n;
    else if (!strcmp(kind, "resolved"))
        r->returned += n;
    else if (!strcmp(kind, "closed"))
        r->closed += n;
}

static void add_pending(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (r)
        r->pending += (long)stmt_int(q, 2);
}

static void add_run_count(struct monthly *m, struct stmt *q)
{
    int st = status_parse(stmt_text(q, 2));
    if (st < 0 || !status_is_school_age((enum child_status)st))
        return;
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (!r)
        return;
    r->school_age += (long)stmt_int(q, 3);
    if (status_counts_enrolled((enum child_status)st))
        r->enrolled += (long)stmt_int(q, 3);
}

/* A case is out of school on a date when its last open/reopen/resolve/close event on or before
 * that date opened it: the events are the history, case_file only the state of today. */
static int add_still_out(struct store *s, struct monthly *m, const char *date)
{
    struct stmt *q = store_prepare(
        s, "SELECT e.case_id, e.kind, coalesce(c.township_code, ''), coalesce(c.township, ''),"
           " coalesce(c.reason, '') FROM event e JOIN case_file c ON c.id = e.case_id"
           " WHERE e.kind IN ('case_opened', 'reopened', 'resolved', 'closed')"
           " AND e.on_date <= $1 ORDER BY e.case_id, e.on_date, e.id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, date);
    int rc;
    int64_t cur = 0;
    bool out = false;
    char code[10] = "", name[96] = "", reason[32] = "";
#define FLUSH_CASE()                                                                               \
    do {                                                                                           \
        struct mrow *r_ = cur && out ? mrow_of(m, code, name) : NULL;                              \
        if (r_) {                                                                                  \
            r_->still_out++;                                                                       \
            int k_ = vocab_parse(&case_reasons, reason);                                           \
            r_->reason[k_ >= 0 && k_ < N_REASONS ? k_ : N_REASONS - 1]++;                          \
        }                                                                                          \
    } while (0)
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        if (id != cur) {
            FLUSH_CASE();
            cur = id;
            snprintf(code, sizeof(code), "%s", stmt_text(q, 2));
            snprintf(name, sizeof(name), "%s", stmt_text(q, 3));
            snprintf(reason, sizeof(reason), "%s", stmt_text(q, 4));
        }
        const char *kind = stmt_text(q, 1);
        out = !strcmp(kind, "case_opened") || !strcmp(kind, "reopened");
    }
    if (rc == 0)
        FLUSH_CASE();
#undef FLUSH_CASE
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The figures of every township of month `month` as of `date` (the filter: one township's code,
 * or NULL): m filled, *run the cross-check its enrolment rate comes from (0 none, ri then
 * empty). */
static int monthly_collect(struct store *s, int date, struct monthly *m, int64_t *run,
                           struct run_info *ri, struct outcome *o)
{
    int start = monthly_period_start(date);
    char d_start[11], d_end[11];
    date_format(start, d_start);
    date_format(date, d_end);
    char county[7];
    ledger_county_name(s, county);
    size_t ntw = 0;
    const struct township *tw = county[0] ? division_townships(county, &ntw) : NULL;
    for (size_t i = 0; i < ntw; i++) /* every township has its row, with or without events */
        mrow_of(m, tw[i].code, tw[i].name);

    /* the enrolment rate: the latest run made on or before the report date */
    *run = 0;
    const char *p[] = {d_end};
    int ret = store_int(s,
                        "SELECT coalesce(max(id), 0) FROM match_run"
                        " WHERE finished_at IS NOT NULL AND as_of <= $1",
                        1, p, run);
    memset(ri, 0, sizeof(*ri));
    if (ret == 0 && *run && run_info_load(s, *run, ri, o) < 0)
        return -1;
    char runs[24];
    snprintf(runs, sizeof(runs), "%lld", (long long)*run);
    if (ret == 0 && *run)
        ret = monthly_query(s,
                            "SELECT township_code, township, status, sum(n) FROM run_count"
                            " WHERE run_id = $1 GROUP BY 1, 2, 3",
                            runs, NULL, add_run_count, m);
    if (ret == 0)
        ret = monthly_query(s,
                            "SELECT coalesce(township_code, ''), coalesce(township, ''), count(*)"
                            " FROM verify_task WHERE opened_on >= $1 AND opened_on <= $2"
                            " GROUP BY 1, 2",
                            d_start, d_end, add_new_tasks, m);
    if (ret == 0)
        ret = monthly_query(
            s,
            "SELECT coalesce(c.township_code, t.township_code, ''),"
            " coalesce(c.township, t.township, ''), e.kind,"
            " count(DISTINCT CASE WHEN e.kind = 'verified' THEN e.task_id ELSE e.case_id END)"
            " FROM event e LEFT JOIN verify_task t ON t.id = e.task_id"
            " LEFT JOIN case_file c ON c.id = e.case_id"
            " WHERE e.on_date >= $1 AND e.on_date <= $2"
            " AND e.kind IN ('verified', 'case_opened', 'reopened', 'resolved', 'closed')"
            " GROUP BY 1, 2, 3",
            d_start, d_end, add_events, m);
    if (ret == 0)
        ret = monthly_query(s,
                            "SELECT coalesce(t.township_code, ''), coalesce(t.township, ''),"
                            " count(*) FROM verify_task t WHERE t.opened_on <= $1"
                            " AND NOT EXISTS (SELECT 1 FROM event e WHERE e.task_id = t.id"
                            "  AND e.kind = 'verified' AND e.on_date <= $1)"
                            " GROUP BY 1, 2",
                            d_end, NULL, add_pending, m);
    if (ret == 0)
        ret = add_still_out(s, m, d_end);
    if (ret < 0)
        return fail_store(s, o);
    for (size_t i = 0; i < m->n; i++)
        m->r[i].have_run = *run != 0;
    return 0;
}

/* The month being compiled by default: the first 15th on or after today. */
static int monthly_default_month(int today)
{
    int y = ymd_year(today), mo = ymd_month(today);
    if (ymd_day(today) > 15 && ++mo > 12) {
        mo = 1;
        y++;
    }
    return ymd_make(y, mo, 1);
}

/* The table of m: the caption, a row per township, the totals and the notes. `code`: the one
 * township of the filter ("" the county); frozen: the rows are the townships' confirmed ones
 * (run then 0: each row says itself whether its rate is known). */
static void monthly_build(struct store *s, struct report_table *t, const struct monthly *m,
                          int month, int date, const char *code, const char *tname, int64_t run,
                          const struct run_info *ri, bool frozen)
{
    int today = date_today();
    int start = monthly_period_start(date);
    char d_start[11], d_end[11], d_cn[24], s_cn[24];
    date_format(start, d_start);
    date_format(date, d_end);
    date_format_cn(date, d_cn, sizeof(d_cn));
    date_format_cn(start, s_cn, sizeof(s_cn));
    char county[7];
    const char *cname = ledger_county_name(s, county);

    struct buf what = BUF_INIT;
    buf_addf(&what, "控辍保学工作月报（%d年%d月）", ymd_year(month), ymd_month(month));
    table_init(t, "控辍保学月报", "townships", monthly_cols, ARRAY_SIZE(monthly_cols));
    ledger_caption(t, cname, tname, what.buf, "截至", date, date);
    buf_release(&what);
    struct mrow sum;
    memset(&sum, 0, sizeof(sum));
    sum.have_run = m->n > 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct mrow *r = &m->r[i];
        table_add_row(t);
        monthly_row(t, r);
        sum.have_run = sum.have_run && r->have_run;
        sum.school_age += r->school_age;
        sum.enrolled += r->enrolled;
        sum.new_tasks += r->new_tasks;
        sum.verified += r->verified;
        sum.pending += r->pending;
        sum.new_cases += r->new_cases;
        sum.reopened += r->reopened;
        sum.returned += r->returned;
        sum.closed += r->closed;
        sum.still_out += r->still_out;
        for (size_t k = 0; k < N_REASONS; k++)
            sum.reason[k] += r->reason[k];
    }
    if (!frozen)
        sum.have_run = run != 0;
    snprintf(sum.name, sizeof(sum.name), "%s", code[0] ? "合计" : "全县合计");
    snprintf(sum.code, sizeof(sum.code), "%s", code[0] ? code : county);
    table_add_totals(t);
    monthly_row(t, &sum);

    table_note(t, "统计期：%s至%s。“待核查”“仍失学辍学”及其原因为截至%s的人数。", s_cn, d_cn, d_cn);
    if (frozen)
        table_note(t, "各乡镇的数字是其确认时冻结的数字（此后的比对和办理不再改变本表）；适龄儿童"
                      "和入学率取自确认时截至报表日期的最近一次比对：入学率 =（本县在读 + 外出就读 "
                      "+ 休学 + 已完成义务教育）÷ 义务教育年龄段儿童。");
    else if (run)
        table_note(t,
                   "适龄儿童和入学率取自第 %lld 次比对（截至 %s）：入学率 =（本县在读 + 外出就读 + "
                   "休学 + 已完成义务教育）÷ 义务教育年龄段儿童。",
                   (long long)run, ri->as_of);
    else
        table_note(t, "截至%s还没有比对结果，适龄儿童和入学率空缺。", d_cn);
    table_note(t, "劝返复学含复学、送教上门、特殊教育学校、职业教育安置等劝返结果；销号须巩固回访"
                  "合格并经审批。");
    if (date > today && !frozen) {
        char t_cn[24];
        date_format_cn(today, t_cn, sizeof(t_cn));
        table_note(t, "报表日期晚于今天（%s），数字只到今天为止。", t_cn);
    }
    ledger_signature_note(t);
    char mon[24], runs[24];
    snprintf(mon, sizeof(mon), "%04d-%02d", ymd_year(month), ymd_month(month));
    snprintf(runs, sizeof(runs), "%lld", (long long)run);
    table_meta(t, "month", mon, META_TEXT);
    table_meta(t, "period_start", d_start, META_TEXT);
    table_meta(t, "report_date", d_end, META_TEXT);
    table_meta(t, "run_id", runs, META_INT);
    buf_addf(&t->footer, "\n统计期 %s 至 %s（报表日期为每月 15 日）。\n", d_start, d_end);
}

int report_monthly(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    char code[10];
    const char *tname;
    if (ledger_township_arg(s, opt->township, code, &tname, o) < 0)
        return -1;
    int month = opt->month ? opt->month : monthly_default_month(date_today());
    int date = opt->date ? opt->date : ymd_make(ymd_year(month), ymd_month(month), 15);
    struct monthly m = {.filter_code = code[0] ? code : NULL};
    int64_t run;
    struct run_info ri;
    if (monthly_collect(s, date, &m, &run, &ri, o) < 0) {
        free(m.r);
        return -1;
    }
    monthly_build(s, t, &m, month, date, code, tname, run, &ri, false);
    free(m.r);
    return 0;
}

/* ---- the figures as JSON, for the confirmation (report/monthly_confirm.h) ---- */

/* The counted columns of a row: its key (the table's column key) and where in mrow. */
static const struct {
    const char *key;
    size_t off;
} fig_cols[] = {
    {"new_suspected", offsetof(struct mrow, new_tasks)},
    {"verified", offsetof(struct mrow, verified)},
    {"pending", offsetof(struct mrow, pending)},
    {"new_cases", offsetof(struct mrow, new_cases)},
    {"reopened", offsetof(struct mrow, reopened)},
    {"returned", offsetof(struct mrow, returned)},
    {"closed", offsetof(struct mrow, closed)},
    {"still_out", offsetof(struct mrow, still_out)},
};

static long *fig_at(struct mrow *r, size_t k)
{
    return (long *)((char *)r + fig_cols[k].off);
}

static json_t *mrow_json(const struct mrow *r, int64_t run)
{
    json_t *j = json_object();
    json_object_set_new(j, "township_code", json_string(r->code));
    json_object_set_new(j, "township", json_string(r->name));
    json_object_set_new(j, "school_age", r->have_run ? json_integer(r->school_age) : json_null());
    json_object_set_new(j, "enrolled", r->have_run ? json_integer(r->enrolled) : json_null());
    for (size_t k = 0; k < ARRAY_SIZE(fig_cols); k++)
        json_object_set_new(j, fig_cols[k].key, json_integer(*fig_at((struct mrow *)r, k)));
    for (size_t k = 0; k < N_REASONS; k++)
        json_object_set_new(j, monthly_cols[12 + k].key, json_integer(r->reason[k]));
    json_object_set_new(j, "run_id", json_integer(run));
    return j;
}

static void json_mrow(const json_t *j, struct mrow *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->code, sizeof(r->code), "%s",
             json_string_value(json_object_get(j, "township_code")) ?: "");
    snprintf(r->name, sizeof(r->name), "%s",
             json_string_value(json_object_get(j, "township")) ?: "");
    const json_t *sa = json_object_get(j, "school_age");
    r->have_run = json_is_integer(sa);
    r->school_age = (long)json_integer_value(sa);
    r->enrolled = (long)json_integer_value(json_object_get(j, "enrolled"));
    for (size_t k = 0; k < ARRAY_SIZE(fig_cols); k++)
        *fig_at(r, k) = (long)json_integer_value(json_object_get(j, fig_cols[k].key));
    for (size_t k = 0; k < N_REASONS; k++)
        r->reason[k] = (long)json_integer_value(json_object_get(j, monthly_cols[12 + k].key));
}

json_t *monthly_figures(struct store *s, int month, const char *township_code, struct outcome *o)
{
    struct monthly m = {.filter_code = township_code && *township_code ? township_code : NULL};
    int64_t run;
    struct run_info ri;
    if (monthly_collect(s, monthly_report_date(month), &m, &run, &ri, o) < 0) {
        free(m.r);
        return NULL;
    }
    json_t *all = json_object();
    for (size_t i = 0; i < m.n; i++)
        json_object_set_new(all, m.r[i].code, mrow_json(&m.r[i], run));
    free(m.r);
    return all;
}

int monthly_table_frozen(struct store *s, int month, const json_t *rows, struct report_table *t,
                         struct outcome *o)
{
    (void)o;
    struct monthly m = {0};
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        ALLOC_GROW(m.r, m.n + 1, m.alloc);
        json_mrow(row, &m.r[m.n++]);
    }
    struct run_info ri;
    memset(&ri, 0, sizeof(ri));
    monthly_build(s, t, &m, month, monthly_report_date(month), "", NULL, 0, &ri, true);
    free(m.r);
    return 0;
}
