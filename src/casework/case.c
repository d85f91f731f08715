#include "casework/case.h"

#include <errno.h>

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "store/audit.h"
#include "ingest/field.h"
#include "render/notice.h"
#include "store/store.h"
#include "domain/user.h"
#include "util/common.h"
#include "util/fieldtext.h"

/* ---- follow-up rule (pure) ---- */

int followup_due(const struct casework_settings *cs, int outcome_on, int k)
{
    return deadline_months(&cs->holidays, outcome_on, k * cs->followup_months);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int followup_progress(const struct casework_settings *cs, int outcome_on, const int *dates,
                      size_t n, int *next_due)
{
    int *d = xcalloc(n ? n : 1, sizeof(int));
    if (n) { /* memcpy and qsort want real pointers even for nothing */
        memcpy(d, dates, n * sizeof(int));
        qsort(d, n, sizeof(int), cmp_int);
    }
    int k = 1;
    for (size_t i = 0; i < n && k <= cs->followup_count; i++)
        if (days_between(d[i], followup_due(cs, outcome_on, k)) <= FOLLOWUP_EARLY_DAYS)
            k++;
    free(d);
    *next_due = k <= cs->followup_count ? followup_due(cs, outcome_on, k) : 0;
    return k - 1;
}

int followup_close_check(const struct casework_settings *cs, int outcome_on, const int *dates,
                         size_t n, struct outcome *o)
{
    int next;
    int done = followup_progress(cs, outcome_on, dates, n, &next);
    if (done >= cs->followup_count)
        return 0;
    char due[11], early[11];
    date_format(next, due);
    date_format(days_to_ymd(ymd_to_days(next) - FOLLOWUP_EARLY_DAYS), early);
    return failed(o, OUT_INVALID,
                  "还不能销号：返校后须回访 %d 次确认在校，已完成 %d 次；第 %d 次回访应在 %s"
                  "（最早 %s）",
                  cs->followup_count, done, done + 1, due, early);
}

/* ---- loading a case ---- */

struct case_row {
    int64_t id, child, task, record, run, closed_by, closed_by_user;
    char state[16], township[64], reason[32], other[128], outcome[32];
    char outcome_school[128], outcome_grade[64], outcome_detail[256], close_reason[256];
    int opened, active_since, first_visit_due, ladder, ladder_deadline, outcome_on, closed_on;
    int reopened;
};

static int case_load(struct store *s, int64_t id, struct case_row *c, struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, "SELECT child_id, task_id, record_id, run_id, state, coalesce(township, ''),"
           " coalesce(reason, ''), coalesce(other_reasons, ''), coalesce(outcome, ''),"
           " coalesce(outcome_school, ''), coalesce(outcome_grade, ''),"
           " coalesce(outcome_detail, ''), coalesce(close_reason, ''), opened_on, active_since,"
           " first_visit_due, ladder, coalesce(ladder_deadline, ''), coalesce(outcome_on, ''),"
           " coalesce(closed_on, ''), coalesce(closed_by, 0), reopened,"
           " coalesce(closed_by_user, 0) FROM case_file WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        memset(c, 0, sizeof(*c));
        c->id = id;
        c->child = stmt_int(q, 0);
        c->task = stmt_int(q, 1);
        c->record = stmt_int(q, 2);
        c->run = stmt_int(q, 3);
        snprintf(c->state, sizeof(c->state), "%s", stmt_text(q, 4));
        snprintf(c->township, sizeof(c->township), "%s", stmt_text(q, 5));
        snprintf(c->reason, sizeof(c->reason), "%s", stmt_text(q, 6));
        snprintf(c->other, sizeof(c->other), "%s", stmt_text(q, 7));
        snprintf(c->outcome, sizeof(c->outcome), "%s", stmt_text(q, 8));
        snprintf(c->outcome_school, sizeof(c->outcome_school), "%s", stmt_text(q, 9));
        snprintf(c->outcome_grade, sizeof(c->outcome_grade), "%s", stmt_text(q, 10));
        snprintf(c->outcome_detail, sizeof(c->outcome_detail), "%s", stmt_text(q, 11));
        snprintf(c->close_reason, sizeof(c->close_reason), "%s", stmt_text(q, 12));
        c->opened = date_or_zero(stmt_text(q, 13));
        c->active_since = date_or_zero(stmt_text(q, 14));
        c->first_visit_due = date_or_zero(stmt_text(q, 15));
        c->ladder = (int)stmt_int(q, 16);
        c->ladder_deadline = date_or_zero(stmt_text(q, 17));
        c->outcome_on = date_or_zero(stmt_text(q, 18));
        c->closed_on = date_or_zero(stmt_text(q, 19));
        c->closed_by = stmt_int(q, 20);
        c->reopened = (int)stmt_int(q, 21);
        c->closed_by_user = stmt_int(q, 22);
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0) {
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的案件", (long long)id);
    }
    return 0;
}

/* Refuse a write on a case in the wrong state, saying what the case is. */
static int case_must_be(const struct case_row *c, const char *want, const char *doing,
                        struct outcome *o)
{
    if (!strcmp(c->state, want))
        return 0;
    if (!strcmp(c->state, "closed"))
        return failed(o, OUT_INVALID, "案件 %lld 已销号，不能%s（如儿童再次失学，请重新打开案件）",
                      (long long)c->id, doing);
    if (!strcmp(want, "open"))
        return failed(o, OUT_INVALID,
                      "案件 %lld 已记录劝返结果（%s），不能%s；如儿童再次失学，请先重新打开案件",
                      (long long)c->id, vocab_label(&case_states, c->state), doing);
    return failed(o, OUT_INVALID, "案件 %lld 还在劝返中，尚未记录劝返结果，不能%s",
                  (long long)c->id, doing);
}

/* The in-school follow-ups since the latest outcome. */
int case_followup_dates(struct store *s, int64_t case_id, int outcome_on, int **dates, size_t *n)
{
    char since[11];
    date_format(outcome_on, since);
    struct stmt *q = store_prepare(s, "SELECT on_date FROM follow_up WHERE case_id = $1"
                                      " AND in_school = 1 AND on_date >= $2 AND id >"
                                      " coalesce((SELECT max(id) FROM follow_up f2 WHERE"
                                      "  f2.case_id = $1 AND f2.in_school = 0), 0)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, case_id);
    stmt_bind_str(q, 2, since);
    int rc;
    size_t alloc = 0;
    *n = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*dates, *n + 1, alloc);
        (*dates)[(*n)++] = date_or_zero(stmt_text(q, 0));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int followup_dates(struct store *s, const struct case_row *c, int **dates, size_t *n)
{
    return case_followup_dates(s, c->id, c->outcome_on, dates, n);
}

static int finish(struct store *s, const char *actor, const char *action, int64_t case_id,
                  const char *detail)
{
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CASE, case_id);
    if (audit_record(s, actor, NULL, action, target, detail) < 0 || store_commit(s) < 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

static bool blank(const char *s)
{
    return !s || !*s;
}

/* ---- list and show ---- */

static const struct table_col case_cols[] = {
    {"case_id", "案件编号", COL_INT},    {"township", "乡镇", COL_TEXT},
    {"village", "村", COL_TEXT},         {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},        {"id_number", "身份证号", COL_TEXT},
    {"opened_on", "立案日期", COL_TEXT}, {"reason", "主要原因", COL_TEXT},
    {"state", "状态", COL_TEXT},         {"attempts", "劝返次数", COL_INT},
    {"ladder", "依法控辍", COL_TEXT},    {"outcome", "劝返结果", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},   {"reopened", "重新打开次数", COL_INT},
    {"state_key", "状态", COL_KEY},
};

int case_list(struct store *s, const struct case_filter *f, struct report_table *t,
              struct outcome *o)
{
    char code[10] = "";
    const char *tname;
    const char *st = f->state ? f->state : "pending";
    if (strcmp(st, "pending") && strcmp(st, "all") && strcmp(st, "open") &&
        strcmp(st, "returned") && strcmp(st, "closed")) {
        return failed_at(o, OUT_INVALID, "state", "要列出的案件状态“%s”无效", st);
    }
    if (f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    struct stmt *q = store_prepare(
        s, "SELECT c.id, coalesce(c.township, ''), coalesce(r.village, ''),"
           " coalesce(r.name, ''), coalesce(r.gender, 0), coalesce(r.id_number, r.id_raw, ''),"
           " c.opened_on, coalesce(c.reason, ''), c.state,"
           " (SELECT count(*) FROM attempt a WHERE a.case_id = c.id AND a.corrects IS NULL),"
           " c.ladder, coalesce(c.outcome, ''), c.reopened"
           " FROM case_file c JOIN record r ON r.id = c.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
           " AND ($2 = 'all' OR c.state = $2 OR ($2 = 'pending' AND c.state <> 'closed'))"
           " AND " TIES_FILTER_SQL(
               "$3", TIE_SCHOOL_RECORD_SQL("c", "$4"), TIE_RETURNED_TO_SQL("$5"),
               TIE_TEACHER_SQL("case_id", "c", "$5"),
               "1 = 0") " ORDER BY c.township_code IS NOT NULL, c.township_code, c.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, st);
    stmt_bind_int(q, 3, f->school_ties);
    stmt_bind_str(q, 4, f->school);
    stmt_bind_str(q, 5, f->school_name);
    table_init(t, "辍学学生台账（一人一案）", "cases", case_cols, ARRAY_SIZE(case_cols));
    int rc;
    struct buf a = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)id);
        table_set(t, 1, stmt_text(q, 1));
        table_set(t, 2, stmt_text(q, 2));
        table_set(t, 3, stmt_text(q, 3));
        table_set(t, 4, gender_label((int)stmt_int(q, 4)));
        struct view v = view_make(f->full, 0); /* no birth dates: no cutoff needed */
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 5), m);
        table_set(t, 5, m);
        table_set(t, 6, stmt_text(q, 6));
        table_set(t, 7, vocab_label(&case_reasons, stmt_text(q, 7)));
        table_set(t, 8, vocab_label(&case_states, stmt_text(q, 8)));
        table_setf(t, 9, "%lld", (long long)stmt_int(q, 9));
        int step = (int)stmt_int(q, 10);
        table_set(t, 10, step ? ladder_steps.words[step - 1].label : "");
        /* a reopened case keeps its last outcome for the record, but it no longer holds */
        if (strcmp(stmt_text(q, 8), "open"))
            table_set(t, 11, vocab_label(&case_outcomes, stmt_text(q, 11)));
        buf_reset(&a);
        casework_assignees(s, 0, id, &a);
        table_set(t, 12, a.buf);
        table_setf(t, 13, "%lld", (long long)stmt_int(q, 12));
        table_set(t, 14, stmt_text(q, 8));
    }
    stmt_finalize(q);
    buf_release(&a);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    buf_addf(&t->footer, "\n共 %zu 件。查看：baoxue case show 案件编号\n", t->nrows);
    return 0;
}

static int show_attempts(struct store *s, int64_t case_id, struct buf *out)
{
    struct stmt *q =
        store_prepare(s, "SELECT a.id, a.on_date, a.method, a.people, coalesce(a.said, ''),"
                         " coalesce(a.response, ''), a.result, coalesce(a.next_step, ''),"
                         " coalesce(a.corrects, 0),"
                         " coalesce((SELECT max(b.id) FROM attempt b WHERE b.corrects = a.id), 0)"
                         " FROM attempt a WHERE a.case_id = $1 ORDER BY a.on_date, a.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, case_id);
    int rc, n = 0;
    buf_adds(out, "\n劝返复学记录：\n");
    while ((rc = stmt_step(q)) == 1) {
        n++;
        buf_addf(out, "  #%lld %s %s", (long long)stmt_int(q, 0), stmt_text(q, 1),
                 vocab_label(&attempt_methods, stmt_text(q, 2)));
        if (stmt_int(q, 8))
            buf_addf(out, "（更正 #%lld）", (long long)stmt_int(q, 8));
        if (stmt_int(q, 9))
            buf_addf(out, "（已由 #%lld 更正）", (long long)stmt_int(q, 9));
        buf_addf(out, "\n     参加人员：%s\n", stmt_text(q, 3));
        if (*stmt_text(q, 4))
            buf_addf(out, "     谈话内容：%s\n", stmt_text(q, 4));
        if (*stmt_text(q, 5))
            buf_addf(out, "     家庭回应：%s\n", stmt_text(q, 5));
        buf_addf(out, "     结果：%s\n", stmt_text(q, 6));
        if (*stmt_text(q, 7))
            buf_addf(out, "     下一步：%s\n", stmt_text(q, 7));
    }
    stmt_finalize(q);
    if (!n)
        buf_adds(out, "  （尚无）\n");
    return rc < 0 ? -1 : 0;
}

static int show_ladder(struct store *s, int64_t case_id, struct buf *out)
{
    struct stmt *q = store_prepare(s, "SELECT step, on_date, authority, coalesce(deadline, ''),"
                                      " coalesce(result, '') FROM ladder_step"
                                      " WHERE case_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, case_id);
    int rc, n = 0;
    buf_adds(out, "\n依法控辍：\n");
    while ((rc = stmt_step(q)) == 1) {
        n++;
        int step = (int)stmt_int(q, 0);
        buf_addf(out, "  第 %d 步 %s  %s  %s", step, ladder_steps.words[step - 1].label,
                 stmt_text(q, 1), stmt_text(q, 2));
        if (*stmt_text(q, 3))
            buf_addf(out, "，限期 %s", stmt_text(q, 3));
        if (*stmt_text(q, 4))
            buf_addf(out, "，结果：%s", stmt_text(q, 4));
        buf_adds(out, "\n");
    }
    stmt_finalize(q);
    if (!n)
        buf_adds(out, "  （尚未启动）\n");
    return rc < 0 ? -1 : 0;
}

int case_show(struct store *s, int64_t case_id, bool full, struct buf *out, struct outcome *o)
{
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    char d1[11], d2[11];
    buf_addf(out, "案件 %lld（一人一案）  状态：%s%s\n", (long long)case_id,
             vocab_label(&case_states, c.state), c.reopened ? "（曾重新打开）" : "");
    casework_child_header(s, c.child, c.record, full, out);
    date_format(c.opened, d1);
    buf_addf(out, "立案：%s（核查任务 %lld，第 %lld 次比对），责任乡镇 %s\n", d1, (long long)c.task,
             (long long)c.run, c.township);
    buf_addf(out, "辍学原因：%s", vocab_label(&case_reasons, c.reason));
    if (*c.other) {
        buf_adds(out, "；其他：");
        const char *p = c.other;
        for (int i = 0; p && *p; i++) {
            const char *comma = strchr(p, ',');
            char k[32];
            snprintf(k, sizeof(k), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
            buf_addf(out, "%s%s", i ? "、" : "", vocab_label(&case_reasons, k));
            p = comma ? comma + 1 : NULL;
        }
    }
    buf_adds(out, "\n责任人：");
    casework_assignees(s, 0, case_id, out);
    buf_adds(out, "\n");
    if (!strcmp(c.state, "open")) {
        int64_t visits = 0;
        date_format(c.active_since, d1);
        const char *p[] = {NULL, d1};
        char num[24];
        snprintf(num, sizeof(num), "%lld", (long long)case_id);
        p[0] = num;
        store_int(s, "SELECT count(*) FROM attempt WHERE case_id = $1 AND on_date >= $2", 2, p,
                  &visits);
        date_format(c.first_visit_due, d2);
        buf_addf(out, "首次走访：%s\n",
                 visits ? "已完成" : (c.first_visit_due < date_today() ? "逾期未完成" : "待完成"));
        if (!visits)
            buf_addf(out, "  （截止 %s）\n", d2);
    }
    if (show_attempts(s, case_id, out) < 0 || show_ladder(s, case_id, out) < 0) {
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    if (*c.outcome) {
        date_format(c.outcome_on, d1);
        buf_addf(out, "\n劝返结果：%s，%s", vocab_label(&case_outcomes, c.outcome), d1);
        if (*c.outcome_school)
            buf_addf(out, "，%s", c.outcome_school);
        if (*c.outcome_grade)
            buf_addf(out, " %s", c.outcome_grade);
        if (*c.outcome_detail)
            buf_addf(out, "（%s）", c.outcome_detail);
        buf_adds(out, "\n");
    }
    if (!strcmp(c.state, "returned")) {
        int *dates = NULL;
        size_t n = 0;
        followup_dates(s, &c, &dates, &n);
        int next;
        int done = followup_progress(&cs, c.outcome_on, dates, n, &next);
        free(dates);
        buf_addf(out, "巩固回访：须 %d 次，已完成 %d 次", cs.followup_count, done);
        if (next) {
            date_format(next, d1);
            buf_addf(out, "，下次应在 %s\n", d1);
        } else {
            buf_adds(out, "，可申请销号\n");
        }
    }
    if (!strcmp(c.state, "closed")) {
        date_format(c.closed_on, d1);
        buf_addf(out, "销号：%s，审批人 ", d1);
        case_approver_describe(s, c.closed_by, c.closed_by_user, out);
        buf_addf(out, "，理由：%s\n", c.close_reason);
    }
    casework_settings_release(&cs);
    struct timeline tl = {0};
    if (timeline_load(s, c.child, &tl) < 0) {
        timeline_release(&tl);
        return fail_store(s, o);
    }
    buf_adds(out, "\n");
    timeline_render(&tl, out);
    timeline_release(&tl);
    return 0;
}

/* ---- writes ---- */

int case_attempt(struct store *s, int64_t case_id, const struct attempt_input *in,
                 const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"参加人员", in->people, TEXT_LINE, "people"},
        {"谈话内容", in->said, TEXT_NOTE, "said"},
        {"家长和学生的反应", in->response, TEXT_NOTE, "response"},
        {"劝返结果", in->result, TEXT_NOTE, "result"},
        {"下一步", in->next_step, TEXT_NOTE, "next_step"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    int64_t corrects = 0;
    if (!blank(in->corrects)) {
        char *end;
        errno = 0;
        corrects = strtoll(in->corrects, &end, 10);
        if (errno || *end || corrects <= 0) {
            return failed_at(o, OUT_INVALID, "corrects",
                             "要更正的劝返记录“%s”无效，应为劝返记录的编号", in->corrects);
        }
        int64_t owner = 0;
        const char *p[] = {in->corrects};
        if (store_int(s, "SELECT case_id FROM attempt WHERE id = $1", 1, p, &owner) < 0)
            return fail_store(s, o);
        if (owner != case_id) {
            return failed_at(o, OUT_INVALID, "corrects",
                             "案件 %lld 没有编号为 %lld 的劝返记录，无法更正", (long long)case_id,
                             (long long)corrects);
        }
    } else if (case_must_be(&c, "open", "再记录劝返", o) < 0) {
        return -1; /* a correction is allowed in any state: the record must be right */
    }
    int m = vocab_parse(&attempt_methods, in->method);
    if (m < 0) {
        return casework_vocab_refused(o, "method", NULL, &attempt_methods, in->method);
    }
    if (blank(in->people))
        return failed_at(o, OUT_INVALID, "people", "缺少参加人员（如 王五、李四、家长张某）");
    if (blank(in->result))
        return failed_at(o, OUT_INVALID, "result", "缺少劝返结果（如 家长同意下周返校）");
    int on;
    if (casework_date("劝返日期", "date", in->date, c.opened, &on, o) < 0)
        return -1;
    char day[11], now[32];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0)
        return fail_store(s, o);
    struct stmt *q = store_prepare(
        s, "INSERT INTO attempt (case_id, on_date, method, people, said, response, result,"
           " next_step, corrects, recorded_by, recorded_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
    int64_t id = 0;
    if (q) {
        stmt_bind_int(q, 1, case_id);
        stmt_bind_str(q, 2, day);
        stmt_bind_str(q, 3, attempt_methods.words[m].key);
        stmt_bind_str(q, 4, in->people);
        stmt_bind_str(q, 5, in->said);
        stmt_bind_str(q, 6, in->response);
        stmt_bind_str(q, 7, in->result);
        stmt_bind_str(q, 8, in->next_step);
        if (corrects)
            stmt_bind_int(q, 9, corrects);
        else
            stmt_bind_null(q, 9);
        stmt_bind_str(q, 10, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 11, now);
        id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    struct buf t = BUF_INIT;
    if (corrects)
        buf_addf(&t, "劝返记录 #%lld 更正 #%lld：", (long long)id, (long long)corrects);
    else
        buf_addf(&t, "劝返记录 #%lld：", (long long)id);
    buf_addf(&t, "%s，参加人员 %s；结果：%s", attempt_methods.words[m].label, in->people,
             in->result);
    if (!blank(in->next_step))
        buf_addf(&t, "；下一步：%s", in->next_step);
    int rc = id ? event_add(s, c.child, 0, case_id, corrects ? "correction" : "attempt", on, actor,
                            t.buf)
                : -1;
    buf_release(&t);
    if (rc < 0 || finish(s, actor, "case_attempt", case_id, attempt_methods.words[m].key) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录案件 %lld 的劝返记录 #%lld%s", (long long)case_id, (long long)id,
             corrects ? "（更正记录，原记录保留）" : "");
    return 0;
}

int case_escalate(struct store *s, int64_t case_id, const struct ladder_input *in,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"实施机关", in->authority, TEXT_LINE, "authority"},
        {"结果", in->result, TEXT_NOTE, "result"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0 || case_must_be(&c, "open", "启动依法控辍", o) < 0)
        return -1;
    int step = -1;
    if (!blank(in->step) && strlen(in->step) == 1 && in->step[0] >= '1' && in->step[0] <= '4')
        step = in->step[0] - '0';
    else if ((step = vocab_parse(&ladder_steps, in->step)) >= 0)
        step++;
    if (step < 1) {
        struct buf m = BUF_INIT;
        vocab_error(&ladder_steps, in->step, &m);
        failed_at(o, OUT_INVALID, "step", "%s（或步骤序号 1–4）", m.buf);
        buf_release(&m);
        return -1;
    }
    struct buf why = BUF_INIT;
    if (ladder_check(c.ladder, step, &why) < 0) {
        failed_at(o, OUT_INVALID, "step", "%s", why.buf);
        buf_release(&why);
        return -1;
    }
    buf_release(&why);
    if (blank(in->authority))
        return failed_at(o, OUT_INVALID, "authority",
                         "缺少实施机关（如 郑庄镇人民政府、县教育局）");
    int on;
    if (casework_date("日期", "date", in->date, c.opened, &on, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int deadline = 0;
    if (!blank(in->deadline)) {
        if (date_parse(in->deadline, strlen(in->deadline), &deadline) < 0 || deadline < on) {
            casework_settings_release(&cs);
            return failed_at(o, OUT_INVALID, "deadline",
                             "限期“%s”无效：应为不早于该步骤日期的日期（如 2026-11-20）",
                             in->deadline);
        }
    } else if (step >= 2 && step != c.ladder) {
        /* 责令限期改正 and what follows carry a deadline (义务教育法第58条) */
        deadline = deadline_days(&cs.holidays, on, cs.ladder_days);
    }
    casework_settings_release(&cs);
    char day[11], dl[11] = "", now[32];
    date_format(on, day);
    if (deadline)
        date_format(deadline, dl);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0)
        return fail_store(s, o);
    struct stmt *q = store_prepare(s, "INSERT INTO ladder_step (case_id, step, on_date, authority,"
                                      " deadline, result, recorded_by, recorded_at)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    int rc = -1;
    if (q) {
        stmt_bind_int(q, 1, case_id);
        stmt_bind_int(q, 2, step);
        stmt_bind_str(q, 3, day);
        stmt_bind_str(q, 4, in->authority);
        stmt_bind_str(q, 5, dl);
        stmt_bind_str(q, 6, in->result);
        stmt_bind_str(q, 7, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 8, now);
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    }
    if (rc == 0) {
        q = store_prepare(s, "UPDATE case_file SET ladder = $2,"
                             " ladder_deadline = CASE WHEN CAST($3 AS TEXT) IS NULL AND ladder = $2"
                             "  THEN ladder_deadline ELSE $3 END WHERE id = $1");
        if (q) {
            stmt_bind_int(q, 1, case_id);
            stmt_bind_int(q, 2, step);
            stmt_bind_str(q, 3, dl);
            rc = stmt_step(q) < 0 ? -1 : 0;
            stmt_finalize(q);
        } else {
            rc = -1;
        }
    }
    struct buf t = BUF_INIT;
    buf_addf(&t, "第 %d 步 %s：%s", step, ladder_steps.words[step - 1].label, in->authority);
    if (step == 2)
        buf_adds(&t, "（依据《义务教育法》第五十八条）");
    if (*dl)
        buf_addf(&t, "，限期 %s", dl);
    if (!blank(in->result))
        buf_addf(&t, "；结果：%s", in->result);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "ladder", on, actor, t.buf);
    if (rc < 0 ||
        finish(s, actor, "case_escalate", case_id, ladder_steps.words[step - 1].key) < 0) {
        buf_release(&t);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录案件 %lld 的依法控辍%s", (long long)case_id, t.buf);
    buf_release(&t);
    return 0;
}

static int positive_number(const char *what, const char *field, const char *text, double max,
                           struct outcome *o)
{
    char *end;
    errno = 0;
    double v = blank(text) ? 0 : strtod(text, &end);
    if (blank(text) || errno || *end || v <= 0 || v > max)
        return failed_at(o, OUT_INVALID, field, "%s“%s”无效，应为大于 0、不超过 %g 的数", what,
                         text ? text : "", max);
    return 0;
}

int case_resolve(struct store *s, int64_t case_id, const struct resolve_input *in,
                 const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"学校", in->school, TEXT_LINE, "school"},
        {"年级", in->grade, TEXT_LINE, "grade"},
        {"说明", in->note, TEXT_NOTE, "note"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0 || case_must_be(&c, "open", "再记录劝返结果", o) < 0)
        return -1;
    int co = vocab_parse(&case_outcomes, in->outcome);
    if (co < 0)
        return casework_vocab_refused(o, "outcome", NULL, &case_outcomes, in->outcome);
    const struct word *w = &case_outcomes.words[co];
    if ((w->flags & CO_NEEDS_SCHOOL) && blank(in->school))
        return failed_at(o, OUT_INVALID, "school", "劝返结果“%s”须写明学校", w->label);
    if ((w->flags & CO_NEEDS_GRADE) && blank(in->grade))
        return failed_at(o, OUT_INVALID, "grade", "劝返结果“%s”须写明年级（如 五年级）", w->label);
    struct buf detail = BUF_INIT;
    if (w->flags & CO_NEEDS_VISITS) {
        if (positive_number("每周送教次数", "visits_per_week", in->visits_per_week, 7, o) < 0 ||
            positive_number("每次课时", "hours", in->hours, 12, o) < 0) {
            buf_release(&detail);
            return -1;
        }
        buf_addf(&detail, "每周送教 %s 次，每次 %s 课时", in->visits_per_week, in->hours);
    }
    if (w->key[0] == 'o' && blank(in->note)) { /* other */
        buf_release(&detail);
        return failed_at(o, OUT_INVALID, "note", "劝返结果“其他”须在说明中写明情况");
    }
    if (!blank(in->note))
        buf_addf(&detail, "%s%s", detail.len ? "；" : "", in->note);
    int64_t attempts = 0;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    const char *p[] = {num};
    if (store_int(s, "SELECT count(*) FROM attempt WHERE case_id = $1", 1, p, &attempts) < 0) {
        buf_release(&detail);
        return fail_store(s, o);
    }
    if (!attempts) {
        buf_release(&detail);
        return failed(o, OUT_INVALID, "案件 %lld 还没有劝返记录：请先记录劝返复学过程",
                      (long long)case_id);
    }
    int on;
    if (casework_date("日期", "date", in->date, c.opened, &on, o) < 0) {
        buf_release(&detail);
        return -1;
    }
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0) {
        buf_release(&detail);
        return -1;
    }
    char day[11], first[11];
    date_format(on, day);
    date_format(followup_due(&cs, on, 1), first);
    int count = cs.followup_count;
    casework_settings_release(&cs);
    if (store_begin(s) < 0) {
        buf_release(&detail);
        return fail_store(s, o);
    }
    struct stmt *q =
        store_prepare(s, "UPDATE case_file SET state = 'returned', outcome = $2, outcome_on = $3,"
                         " outcome_school = $4, outcome_grade = $5, outcome_detail = $6,"
                         " ladder_deadline = NULL WHERE id = $1");
    int rc = -1;
    if (q) {
        stmt_bind_int(q, 1, case_id);
        stmt_bind_str(q, 2, w->key);
        stmt_bind_str(q, 3, day);
        stmt_bind_str(q, 4, in->school);
        stmt_bind_str(q, 5, in->grade);
        stmt_bind_str(q, 6, detail.buf);
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    }
    struct buf t = BUF_INIT;
    buf_addf(&t, "劝返结果：%s", w->label);
    if (!blank(in->school))
        buf_addf(&t, "，%s", in->school);
    if (!blank(in->grade))
        buf_addf(&t, " %s", in->grade);
    if (detail.len)
        buf_addf(&t, "（%s）", detail.buf);
    buf_addf(&t, "；巩固回访 %d 次，第 1 次 %s", count, first);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "resolved", on, actor, t.buf);
    buf_release(&t);
    buf_release(&detail);
    if (rc < 0 || finish(s, actor, "case_resolve", case_id, w->key) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已记录案件 %lld 的劝返结果：%s。请按期回访 %d 次（第 1 次 %s），之后方可销号",
             (long long)case_id, w->label, count, first);
    return 0;
}

int case_follow_up(struct store *s, int64_t case_id, const struct followup_input *in,
                   const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"回访情况", in->note, TEXT_NOTE, "note"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0 || case_must_be(&c, "returned", "记录回访", o) < 0)
        return -1;
    int yes = -1;
    static const char *const yes_words[] = {"yes", "是", "在校", "在读", "1"};
    static const char *const no_words[] = {"no", "否", "不在校", "未在校", "0"};
    for (size_t i = 0; !blank(in->in_school) && i < ARRAY_SIZE(yes_words); i++) {
        if (!strcmp(in->in_school, yes_words[i]))
            yes = 1;
        if (!strcmp(in->in_school, no_words[i]))
            yes = 0;
    }
    if (yes < 0)
        return failed_at(o, OUT_INVALID, "in_school",
                         "是否在校“%s”无效，应为 是（在校）或 否（不在校）",
                         in->in_school ? in->in_school : "");
    int on;
    if (casework_date("回访日期", "date", in->date, c.outcome_on, &on, o) < 0)
        return -1;
    int64_t by = 0;
    if (people_resolve(s, "回访人", "by", in->by, &by, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    char day[11], now[32];
    date_format(on, day);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0) {
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    struct stmt *q = store_prepare(s, "INSERT INTO follow_up (case_id, on_date, in_school,"
                                      " by_person, note, recorded_by, recorded_at)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    int rc = -1;
    if (q) {
        stmt_bind_int(q, 1, case_id);
        stmt_bind_str(q, 2, day);
        stmt_bind_int(q, 3, yes);
        stmt_bind_int(q, 4, by);
        stmt_bind_str(q, 5, in->note);
        stmt_bind_str(q, 6, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 7, now);
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    }
    struct buf t = BUF_INIT;
    buf_addf(&t, "回访：%s；回访人 ", yes ? "在校" : "不在校");
    people_describe(s, by, &t);
    if (!blank(in->note))
        buf_addf(&t, "；%s", in->note);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "follow_up", on, actor, t.buf);
    buf_reset(&t);
    if (rc == 0 && !yes) {
        char num[24];
        snprintf(num, sizeof(num), "%lld", (long long)case_id);
        char due[11];
        date_format(deadline_days(&cs.holidays, on, cs.first_visit_days), due);
        const char *p[] = {num, day, due};
        rc = store_run(s,
                       "UPDATE case_file SET state = 'open', reopened = reopened + 1,"
                       " active_since = $2, first_visit_due = $3 WHERE id = $1",
                       3, p);
        buf_addf(&t, "回访发现儿童不在校，案件重新打开；须在 %s 前走访", due);
        if (rc == 0)
            rc = event_add(s, c.child, 0, case_id, "reopened", on, actor, t.buf);
    }
    if (rc < 0 || finish(s, actor, "case_follow_up", case_id, yes ? "in_school" : "absent") < 0) {
        buf_release(&t);
        casework_settings_release(&cs);
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    if (!yes) {
        buf_addf(msg, "已记录回访。%s", t.buf);
    } else {
        int *dates = NULL;
        size_t n = 0;
        followup_dates(s, &c, &dates, &n);
        int next;
        int done = followup_progress(&cs, c.outcome_on, dates, n, &next);
        free(dates);
        buf_addf(msg, "已记录案件 %lld 的回访（在校）。巩固回访已完成 %d/%d 次", (long long)case_id,
                 done, cs.followup_count);
        if (next) {
            char d[11];
            date_format(next, d);
            buf_addf(msg, "，下次应在 %s", d);
        } else {
            buf_adds(msg, "，可由县教育局的账号审批销号");
        }
    }
    buf_release(&t);
    casework_settings_release(&cs);
    return 0;
}

/*
 * The kinds of event that mean an account handled the case: verified the child, persuaded,
 * took a legal step, recorded the outcome or a follow-up, issued a notice. Assigning (which a
 * cross-check does by itself) and reopening are not handling.
 */
#define HANDLED_KINDS                                                                              \
    "('verified', 'outreach', 'case_opened', 'reason', 'attempt', 'correction', 'ladder',"         \
    " 'resolved', 'follow_up', 'notice')"

/*
 * The account that approves a 销号: it exists, is enabled, may approve (a county or admin
 * account: PERM_APPROVE) and did not handle the case (separation of duties). *id its id.
 */
static int approver_check(struct store *s, const struct case_row *c, const char *approver,
                          int64_t *id, struct outcome *o)
{
    if (blank(approver))
        return failed_at(o, OUT_INVALID, "approver",
                         "缺少审批人：销号须由县教育局的账号审批，请写明审批的账号");
    struct user u;
    int rc = user_get(s, approver, &u);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || u.disabled)
        return failed_at(o, OUT_INVALID, "approver", "审批人“%s”%s：销号须由县教育局的账号审批",
                         approver, rc == 0 ? "不是本系统的账号" : "的账号已停用");
    if (!role_has(u.role, PERM_APPROVE))
        return failed_at(o, OUT_INVALID, "approver",
                         "“%s”是%s账号，不能审批销号：销号须由县教育局（或系统管理员）的账号审批",
                         approver, role_label(u.role));
    char cnum[24], tnum[24];
    snprintf(cnum, sizeof(cnum), "%lld", (long long)c->id);
    snprintf(tnum, sizeof(tnum), "%lld", (long long)c->task);
    const char *p[] = {cnum, tnum, u.name};
    int64_t handled = 0;
    if (store_int(s,
                  "SELECT count(*) FROM event WHERE (case_id = $1 OR task_id = $2) AND actor = $3"
                  " AND kind IN " HANDLED_KINDS,
                  3, p, &handled) < 0)
        return fail_store(s, o);
    if (handled)
        return failed_at(o, OUT_INVALID, "approver",
                         "“%s”经办过这个案件（核查、劝返、回访等记录由其录入），不能审批它的销号："
                         "须由未经办的县教育局账号审批",
                         approver);
    *id = u.id;
    return 0;
}

int case_approver_describe(struct store *s, int64_t person, int64_t account, struct buf *out)
{
    if (!account)
        return people_describe(s, person, out);
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)account);
    struct stmt *q = store_prepare(s, "SELECT name, role FROM app_user WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, account);
    int rc = stmt_step(q);
    if (rc == 1) {
        int role = role_parse(stmt_text(q, 1));
        buf_addf(out, "账号 %s（%s）", stmt_text(q, 0), role >= 0 ? role_label(role) : "");
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int case_close(struct store *s, int64_t case_id, const char *approver, const char *reason,
               const char *date, const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"销号理由", reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0 || case_must_be(&c, "returned", "销号", o) < 0)
        return -1;
    if (blank(reason))
        return failed_at(o, OUT_INVALID, "reason", "缺少销号理由");
    int on;
    if (casework_date("销号日期", "date", date, c.outcome_on, &on, o) < 0)
        return -1;
    int64_t by = 0;
    if (approver_check(s, &c, approver, &by, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int *dates = NULL;
    size_t n = 0;
    int rc = followup_dates(s, &c, &dates, &n);
    if (rc == 0 && followup_close_check(&cs, c.outcome_on, dates, n, o) < 0)
        rc = -2;
    free(dates);
    casework_settings_release(&cs);
    if (rc == -1)
        return fail_store(s, o);
    if (rc == -2)
        return -1;
    char day[11], num[24], who[24];
    date_format(on, day);
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    snprintf(who, sizeof(who), "%lld", (long long)by);
    const char *p[] = {num, day, who, reason};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    rc = store_run(s,
                   "UPDATE case_file SET state = 'closed', closed_on = $2, closed_by_user = $3,"
                   " close_reason = $4 WHERE id = $1",
                   4, p);
    struct buf t = BUF_INIT;
    buf_adds(&t, "销号，审批人 ");
    case_approver_describe(s, 0, by, &t);
    buf_addf(&t, "；理由：%s", reason);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "closed", on, actor, t.buf);
    buf_release(&t);
    if (rc < 0 || finish(s, actor, "case_close", case_id, NULL) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "案件 %lld 已销号。如以后的比对发现该儿童不在校，案件将自动重新打开",
             (long long)case_id);
    return 0;
}

int case_reopen(struct store *s, int64_t case_id, const char *reason, const char *actor,
                struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"重新打开的原因", reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    if (!strcmp(c.state, "open"))
        return failed(o, OUT_INVALID, "案件 %lld 正在劝返中，无需重新打开", (long long)case_id);
    if (blank(reason))
        return failed_at(o, OUT_INVALID, "reason", "缺少重新打开的原因");
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int today = date_today();
    char day[11], due[11], num[24];
    date_format(today, day);
    date_format(deadline_days(&cs.holidays, today, cs.first_visit_days), due);
    casework_settings_release(&cs);
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    const char *p[] = {num, day, due};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    int rc = store_run(s,
                       "UPDATE case_file SET state = 'open', reopened = reopened + 1,"
                       " active_since = $2, first_visit_due = $3 WHERE id = $1",
                       3, p);
    struct buf t = BUF_INIT;
    buf_addf(&t, "案件 %lld 重新打开：%s；须在 %s 前走访", (long long)case_id, reason, due);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "reopened", today, actor, t.buf);
    buf_release(&t);
    if (rc < 0 || finish(s, actor, "case_reopen", case_id, NULL) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "案件 %lld 已重新打开，须在 %s 前走访", (long long)case_id, due);
    return 0;
}

/* ---- notices ---- */

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LSAN_DISABLE() __lsan_disable()
#define LSAN_ENABLE()  __lsan_enable()
#else
#define LSAN_DISABLE() ((void)0)
#define LSAN_ENABLE()  ((void)0)
#endif

/* One text column of the first row of `sql` with $1 = id, into out ("" when none). */
static int text_of(struct store *s, const char *sql, int64_t id, char *out, size_t size)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    snprintf(out, size, "%s", rc == 1 ? stmt_text(q, 0) : "");
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int case_notice(struct store *s, int64_t case_id, const struct notice_input *in, const char *path,
                const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"发文机关", in->authority, TEXT_LINE, "authority"},
        {"文号", in->doc_number, TEXT_LINE, "doc_number"},
        {"学校", in->school, TEXT_LINE, "school"},
        {"年级", in->grade, TEXT_LINE, "grade"},
        {"联系人", in->contact, TEXT_LINE, "contact"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    int kind = notice_kind_parse(in->kind ? in->kind : "");
    if (kind < 0)
        return failed_at(o, OUT_INVALID, "kind",
                         "通知书种类“%s”无效，应为劝返复学通知书或责令限期改正通知书",
                         in->kind ? in->kind : "");
    if (blank(path))
        return failed_at(o, OUT_INVALID, "output", "缺少要写入的文件（.pdf）");
    int issue = date_today();
    if (!blank(in->date) && date_parse(in->date, strlen(in->date), &issue) < 0)
        return failed_at(o, OUT_INVALID, "date", "日期“%s”不是有效日期", in->date);
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    if (!strcmp(c.state, "closed"))
        return case_must_be(&c, "open", "出具通知书", o);

    /* the child and guardian, from the record that opened the case */
    char name[128] = "", birth[16] = "", idn[32] = "", guardian[128] = "", address[512] = "";
    char township[64] = "", idshown[VIEW_ID_SIZE] = "";
    int gender = 0;
    {
        struct stmt *q = store_prepare(
            s, "SELECT coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
               " coalesce(id_number, id_raw, ''), coalesce(guardian, ''), coalesce(address, ''),"
               " coalesce(township, '') FROM record WHERE id = $1");
        if (!q)
            return fail_store(s, o);
        stmt_bind_int(q, 1, c.record);
        int rc = stmt_step(q);
        if (rc == 1) {
            snprintf(name, sizeof(name), "%s", stmt_text(q, 0));
            gender = (int)stmt_int(q, 1);
            snprintf(birth, sizeof(birth), "%s", stmt_text(q, 2));
            snprintf(idn, sizeof(idn), "%s", stmt_text(q, 3));
            snprintf(guardian, sizeof(guardian), "%s", stmt_text(q, 4));
            snprintf(address, sizeof(address), "%s", stmt_text(q, 5));
            snprintf(township, sizeof(township), "%s", stmt_text(q, 6));
        }
        stmt_finalize(q);
        if (rc < 0)
            return fail_store(s, o);
    }
    /* on paper as on screen: masked unless --full, an age in place of the birth date */
    struct view v;
    if (run_view(s, in->full, &v) < 0)
        return fail_store(s, o);
    if (v.full || strlen(idn) == 18) /* a notice leaves out a number that is not one */
        view_id(&v, idn, idshown);
    if (!*guardian)
        return failed(o, OUT_INVALID,
                      "户籍记录中没有监护人姓名，无法出具通知书；请先在户籍数据中补全监护人");

    /* the county, the issuing body, the deadline */
    struct buf county = BUF_INIT, authority = BUF_INIT, contact = BUF_INIT, age = BUF_INIT;
    char code[8] = "", step_authority[256] = "", step_deadline[16] = "", deadline[16] = "";
    char school[256] = "", grade[64] = "";
    int ret = -1;
    struct buf cv = BUF_INIT;
    int got = store_get_setting(s, "county", &cv);
    if (got == 1 && cv.len == 6)
        memcpy(code, cv.buf, 7);
    buf_release(&cv);
    /* the latest 书面通知/责令限期改正 step: its authority and deadline */
    struct stmt *lq = got < 0 ? NULL
                              : store_prepare(s, "SELECT authority, coalesce(deadline, '')"
                                                 " FROM ladder_step WHERE case_id = $1 AND step = 2"
                                                 " ORDER BY id DESC LIMIT 1");
    int lrc = -1;
    if (lq) {
        stmt_bind_int(lq, 1, case_id);
        if ((lrc = stmt_step(lq)) == 1) {
            snprintf(step_authority, sizeof(step_authority), "%s", stmt_text(lq, 0));
            snprintf(step_deadline, sizeof(step_deadline), "%s", stmt_text(lq, 1));
        }
        stmt_finalize(lq);
    }
    if (lrc < 0) {
        fail_store(s, o);
        goto out;
    }
    const char *cname = *code ? division_county_name(code) : NULL;
    buf_adds(&county, cname ? cname : "");
    if (!county.len) {
        failed(o, OUT_INVALID, "还没有设置本县，通知书无法写明县名");
        goto out;
    }
    if (!blank(in->authority))
        buf_adds(&authority, in->authority);
    else if (kind == NOTICE_ORDER && *step_authority)
        buf_adds(&authority, step_authority);
    else if (*township || *c.township)
        buf_addf(&authority, "%s人民政府", *c.township ? c.township : township);
    else
        buf_addf(&authority, "%s教育局", county.buf);
    if (!blank(in->deadline)) {
        int d;
        if (date_parse(in->deadline, strlen(in->deadline), &d) < 0) {
            failed_at(o, OUT_INVALID, "deadline", "改正期限“%s”不是有效日期", in->deadline);
            goto out;
        }
        date_format(d, deadline);
    } else if (kind == NOTICE_ORDER) {
        if (!*step_deadline) {
            failed_at(o, OUT_INVALID, "deadline",
                      "责令限期改正通知书需要改正期限：请先记录依法控辍第 2 步（责令限期改正）"
                      "及其限期，或在此写明改正期限");
            goto out;
        }
        snprintf(deadline, sizeof(deadline), "%s", step_deadline);
    }
    /* the school: given, the case's outcome, or the school of the child's 学籍 record */
    if (!blank(in->school)) {
        snprintf(school, sizeof(school), "%s", in->school);
    } else if (*c.outcome_school) {
        snprintf(school, sizeof(school), "%s", c.outcome_school);
    } else {
        /* the record the run's status rests on (a 辍学 child's last school) */
        struct run_status_entry e;
        int rs = run_status_get(s, c.run, c.record, &e);
        if (rs < 0 || (rs == 1 && e.school_record &&
                       text_of(s, "SELECT coalesce(school_name, '') FROM record WHERE id = $1",
                               e.school_record, school, sizeof(school)) < 0)) {
            fail_store(s, o);
            goto out;
        }
    }
    if (!blank(in->grade))
        snprintf(grade, sizeof(grade), "%s", in->grade);
    else if (*c.outcome_grade)
        snprintf(grade, sizeof(grade), "%s", c.outcome_grade);
    if (!blank(in->contact)) {
        buf_adds(&contact, in->contact);
    } else {
        struct stmt *q = store_prepare(
            s, "SELECT p.name, coalesce(p.phone, '') FROM assignment a"
               " JOIN person p ON p.id = a.person_id WHERE a.case_id = $1 AND a.role = 'township'"
               " ORDER BY a.id DESC LIMIT 1");
        if (!q) {
            fail_store(s, o);
            goto out;
        }
        stmt_bind_int(q, 1, case_id);
        if (stmt_step(q) == 1)
            buf_addf(&contact, "%s %s", stmt_text(q, 0), stmt_text(q, 1));
        stmt_finalize(q);
    }

    if (!v.full && view_age(&v, birth) >= 0)
        view_age_text(&v, view_age(&v, birth), &age);
    char issue_text[11], case_no[32];
    date_format(issue, issue_text);
    snprintf(case_no, sizeof(case_no), "%d-%04lld", ymd_year(c.opened), (long long)case_id);
    struct notice_fields f = {
        .kind = (enum notice_kind)kind,
        .county = county.buf,
        .authority = authority.buf,
        .doc_number = in->doc_number,
        .case_no = case_no,
        .child_name = name,
        .child_gender = gender_label(gender),
        .child_birth = view_birth(&v, birth),
        .child_age = age.len ? age.buf : NULL,
        .child_id = idshown,
        .guardian = guardian,
        .guardian_address = address,
        .school = school,
        .grade = grade,
        .issue_date = issue_text,
        .deadline = kind == NOTICE_ORDER || *deadline ? deadline : NULL,
        .contact = contact.len ? contact.buf : NULL,
    };
    /* a full ID on paper is a full read: recorded before it is written */
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CASE, case_id);
    if (in->full && audit_record(s, actor, NULL, "read_full", target, "notice") < 0) {
        fail_store(s, o);
        goto out;
    }
    struct buf nerr = BUF_INIT;
    /* cairo's PDF backend loses two small blocks per document (tests/lsan.supp); with the
     * fast unwinder of a sanitizer build their stacks stop inside libcairo and no suppression
     * can name them, so the leak checker looks away while the PDF is made. test_notice checks
     * notice.c itself with full stacks. */
    LSAN_DISABLE();
    int rendered = notice_render_pdf(&f, path, &nerr);
    LSAN_ENABLE();
    if (rendered < 0) {
        failed(o, OUT_ERROR, "无法生成%s：%s", notice_kind_label((enum notice_kind)kind), nerr.buf);
        buf_release(&nerr);
        goto out;
    }
    buf_release(&nerr);
    /* the notice is part of the case's history */
    struct buf text = BUF_INIT;
    buf_addf(&text, "出具《%s》（%s）%s%s", notice_kind_label((enum notice_kind)kind),
             authority.buf, *deadline ? "，限期至 " : "", deadline);
    int rc = store_begin(s);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "notice", issue, actor, text.buf);
    if (rc == 0)
        rc = finish(s, actor, "notice", case_id, notice_kind_key((enum notice_kind)kind));
    else
        store_rollback(s);
    buf_release(&text);
    if (rc < 0) {
        fail_store(s, o);
        goto out;
    }
    buf_addf(msg, "已生成%s：%s（案件 %lld）", notice_kind_label((enum notice_kind)kind), path,
             (long long)case_id);
    ret = 0;
out:
    buf_release(&county);
    buf_release(&authority);
    buf_release(&contact);
    buf_release(&age);
    return ret;
}
