#include "casework/case.h"
#include "casework/case_impl.h"
#include "casework/casework_impl.h"

#include <errno.h>

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "domain/runstatus.h"
#include "store/audit.h"
#include "store/store.h"
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

int case_load(struct store *s, int64_t id, struct case_row *c, struct outcome *o)
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
int case_must_be(const struct case_row *c, const char *want, const char *doing, struct outcome *o)
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

int case_row_followup_dates(struct store *s, const struct case_row *c, int **dates, size_t *n)
{
    return case_followup_dates(s, c->id, c->outcome_on, dates, n);
}

int case_finish(struct store *s, const char *actor, const char *action, int64_t case_id,
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
        {"更正原因", in->reason, TEXT_NOTE, "reason"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct case_row c;
    if (case_load(s, case_id, &c, o) < 0)
        return -1;
    int64_t corrects = 0;
    if (!case_blank(in->corrects)) {
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
        /* one correction per record: a second one corrects the correction, so that the
         * record in force is always the last of one chain */
        int64_t by = 0;
        if (store_int(s, "SELECT coalesce(max(id), 0) FROM attempt WHERE corrects = $1", 1, p,
                      &by) < 0)
            return fail_store(s, o);
        if (by) {
            return failed_at(o, OUT_INVALID, "corrects",
                             "劝返记录 #%lld 已由 #%lld 更正，如需再改请更正 #%lld",
                             (long long)corrects, (long long)by, (long long)by);
        }
        if (case_blank(in->reason))
            return failed_at(o, OUT_INVALID, "reason",
                             "更正劝返记录须写明更正原因（如 走访方式记错，实为电话联系）");
    } else if (!case_blank(in->reason)) {
        return failed_at(o, OUT_INVALID, "reason",
                         "更正原因只用于更正劝返记录：请同时填写要更正的记录编号");
    } else if (case_must_be(&c, "open", "再记录劝返", o) < 0) {
        return -1; /* a correction is allowed in any state: the record must be right */
    }
    int m = vocab_parse(&attempt_methods, in->method);
    if (m < 0) {
        return casework_vocab_refused(o, "method", NULL, &attempt_methods, in->method);
    }
    if (case_blank(in->people))
        return failed_at(o, OUT_INVALID, "people", "缺少参加人员（如 王五、李四、家长张某）");
    if (case_blank(in->result))
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
           " next_step, corrects, recorded_by, recorded_at, reason)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id");
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
        if (corrects)
            stmt_bind_str(q, 12, in->reason);
        else
            stmt_bind_null(q, 12);
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
    if (!case_blank(in->next_step))
        buf_addf(&t, "；下一步：%s", in->next_step);
    if (corrects)
        buf_addf(&t, "；更正原因：%s", in->reason);
    int rc = id ? event_add(s, c.child, 0, case_id, corrects ? "correction" : "attempt", on, actor,
                            t.buf)
                : -1;
    buf_release(&t);
    if (rc < 0 ||
        case_finish(s, actor, "case_attempt", case_id, attempt_methods.words[m].label) < 0) {
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
    if (!case_blank(in->step) && strlen(in->step) == 1 && in->step[0] >= '1' && in->step[0] <= '4')
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
    if (case_blank(in->authority))
        return failed_at(o, OUT_INVALID, "authority",
                         "缺少实施机关（如 郑庄镇人民政府、县教育局）");
    int on;
    if (casework_date("日期", "date", in->date, c.opened, &on, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    int deadline = 0;
    if (!case_blank(in->deadline)) {
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
    if (!case_blank(in->result))
        buf_addf(&t, "；结果：%s", in->result);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "ladder", on, actor, t.buf);
    if (rc < 0 ||
        case_finish(s, actor, "case_escalate", case_id, ladder_steps.words[step - 1].label) < 0) {
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
    double v = case_blank(text) ? 0 : strtod(text, &end);
    if (case_blank(text) || errno || *end || v <= 0 || v > max)
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
    if ((w->flags & CO_NEEDS_SCHOOL) && case_blank(in->school))
        return failed_at(o, OUT_INVALID, "school", "劝返结果“%s”须写明学校", w->label);
    if ((w->flags & CO_NEEDS_GRADE) && case_blank(in->grade))
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
    if (w->key[0] == 'o' && case_blank(in->note)) { /* other */
        buf_release(&detail);
        return failed_at(o, OUT_INVALID, "note", "劝返结果“其他”须在说明中写明情况");
    }
    if (!case_blank(in->note))
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
    struct stmt *q = store_prepare(
        s, "UPDATE case_file SET state = 'returned', outcome = $2, outcome_on = $3,"
           " outcome_school = $4, outcome_grade = $5, outcome_detail = $6,"
           " ladder_deadline = NULL, outcome_lists = " LISTS_NOW_SQL " WHERE id = $1");
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
    if (!case_blank(in->school))
        buf_addf(&t, "，%s", in->school);
    if (!case_blank(in->grade))
        buf_addf(&t, " %s", in->grade);
    if (detail.len)
        buf_addf(&t, "（%s）", detail.buf);
    buf_addf(&t, "；巩固回访 %d 次，第 1 次 %s", count, first);
    if (rc == 0)
        rc = event_add(s, c.child, 0, case_id, "resolved", on, actor, t.buf);
    buf_release(&t);
    buf_release(&detail);
    if (rc < 0 || case_finish(s, actor, "case_resolve", case_id, w->label) < 0) {
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
    for (size_t i = 0; !case_blank(in->in_school) && i < ARRAY_SIZE(yes_words); i++) {
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
    if (!case_blank(in->note))
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
    if (rc < 0 || case_finish(s, actor, "case_follow_up", case_id, yes ? "在校" : "不在校") < 0) {
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
        case_row_followup_dates(s, &c, &dates, &n);
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
