/*
 * The casework ledgers (docs/reports.md): 疑似失学辍学台账 (verification tasks) and 失学辍学台账
 * (一人一案, the cases).
 */
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "domain/groups.h"
#include "domain/review.h"
#include "domain/run.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* ============================================================================================
 * 疑似失学辍学台账
 */

static const struct table_col suspected_cols[] = {
    {"seq", "序号", COL_INT},
    {"task_id", "任务编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"suspected", "疑似情形", COL_TEXT},
    {"run_id", "发现于比对", COL_INT},
    {"opened_on", "建立日期", COL_TEXT},
    {"deadline", "核查截止", COL_TEXT},
    {"days_left", "剩余天数", COL_INT},
    {"state", "核查状态", COL_TEXT},
    {"outcome", "核查结论", COL_TEXT},
    {"verified_on", "核查日期", COL_TEXT},
    {"verified_by", "核查人", COL_TEXT},
    {"school", "就读学校", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},
    {"flag", "提示", COL_TEXT},
    {"case_id", "案件编号", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
    {"status", "疑似情形", COL_KEY}, /* not_enrolled, dropped_out, pending_review */
};

/* What the pending-review rows add to the ledger's notes. */
struct pending_counts {
    long children, late;
};

/*
 * The children of the latest run waiting for a clerk's review (待复核): they may be out of
 * school, and no verification task is raised for them until the clerk decides. One row each,
 * due casework_review_days working days after the run that first queued their pair.
 */
static int suspected_pending_rows(struct store *s, const char *code, const char *grp,
                                  const struct view *v, int today, struct report_table *t,
                                  struct pending_counts *pc, struct buf *b, struct outcome *o)
{
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    casework_settings_release(&cs); /* (only review_days is read) */
    struct stmt *q = store_prepare(
        s, "SELECT cs.record_id, coalesce(r.township, ''), coalesce(r.village, ''),"
           " coalesce(r.name, ''), coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
           " coalesce(r.phone, ''), coalesce(r.township_code, ''), cs.run_id,"
           " coalesce(c.id, 0), coalesce(d.decision, ''), coalesce(" REVIEW_SINCE_SQL(
               "c") ", '')"
                    " FROM child_status cs JOIN record r ON r.id = cs.record_id"
                    " LEFT JOIN candidate c ON c.run_id = cs.run_id AND c.population_record = "
                    "cs.record_id"
                    "  AND c.decision = 'review' AND c.pair_key NOT LIKE '%#G:%'"
                    " LEFT JOIN review_decision d ON d.pair_key = c.pair_key"
                    " WHERE cs.run_id = " REVIEW_LATEST_RUN_SQL " AND cs.status = 'pending_review'"
                    " AND (CAST($1 AS TEXT) IS NULL OR r.township_code = $1)"
                    " AND (CAST($2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM group_member gf"
                    "  WHERE gf.run_id = cs.run_id AND gf.record_id = cs.record_id"
                    "  AND gf.grp = $2))"
                    " ORDER BY r.township_code IS NOT NULL, r.township_code, r.id, c.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, grp);
    int rc = stmt_step(q);
    while (rc == 1) {
        int64_t rec = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%zu", t->nrows);
        table_set(t, 2, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 2));
        table_set(t, 4, stmt_text(q, 3));
        table_set(t, 5, gender_label((int)stmt_int(q, 4)));
        ledger_set_person(t, v, (struct person_cols){6, 7, 8, 10}, stmt_text(q, 5), -1,
                          stmt_text(q, 6), stmt_text(q, 8), b);
        table_set(t, 9, stmt_text(q, 7));
        table_set(t, 11, status_label(ST_PENDING_REVIEW));
        table_setf(t, 12, "%lld", (long long)stmt_int(q, 10));
        table_set(t, 24, stmt_text(q, 9));
        table_set(t, 25, status_key(ST_PENDING_REVIEW));
        /* the child's pairs: the earliest day one was queued, and which wait still */
        int since = 0;
        bool waiting = false;
        buf_reset(b);
        do {
            if (stmt_int(q, 11)) {
                int d = date_or_zero(stmt_text(q, 13));
                since = d && (!since || d < since) ? d : since;
                waiting |= !*stmt_text(q, 12);
                buf_addf(b, "%s%lld", b->len ? "、" : "", (long long)stmt_int(q, 11));
            }
        } while ((rc = stmt_step(q)) == 1 && stmt_int(q, 0) == rec);
        pc->children++;
        if (since) {
            int due = deadline_working_days(since, cs.review_days);
            char on[11], dl[11];
            date_format(since, on);
            date_format(due, dl);
            long left = days_between(today, due);
            table_set(t, 13, on);
            table_set(t, 14, dl);
            if (waiting) {
                table_setf(t, 15, "%ld", left);
                pc->late += left < 0;
            }
            table_setf(t, 16, "%s%s", waiting ? "待人工复核" : "已复核，下次比对生效",
                       waiting && left < 0 ? "（逾期）" : "");
        } else {
            table_set(t, 16, "待人工复核");
        }
        if (b->len)
            table_setf(t, 22, "疑似属于本人的学籍记录待人工复核（候选记录对 %s）", b->buf);
    }
    stmt_finalize(q);
    return rc < 0 ? fail_store(s, o) : 0;
}

int report_ledger_suspected(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o)
{
    char code[10];
    const char *tname;
    struct report_group grp;
    if (ledger_township_arg(s, opt->township, code, &tname, o) < 0 ||
        report_group_arg(opt, &grp, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT v.id, coalesce(v.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
           " coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
           " coalesce(r.phone, ''), v.suspected, v.run_id, v.opened_on, v.deadline, v.state,"
           " coalesce(v.outcome, ''), coalesce(v.outcome_sub, ''), coalesce(v.verified_on, ''),"
           " coalesce(v.verified_by, 0), coalesce(v.school, ''), coalesce(v.flagged_run, 0),"
           " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0),"
           " coalesce(v.township_code, '')"
           " FROM verify_task v JOIN record r ON r.id = v.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR v.township_code = $1)"
           " AND " GROUP_CHILD_SQL(
               "v.child_id",
               "$2") " ORDER BY v.run_id DESC, v.township_code IS NOT NULL, v.township_code, v.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code[0] ? code : NULL);
    stmt_bind_str(q, 2, grp.key);
    char county[7], gcap[64], what[128];
    const char *cname = ledger_county_name(s, county);
    int today = date_today();
    struct view v;
    if (run_view(s, opt->full, &v) < 0) {
        stmt_finalize(q);
        return fail_store(s, o);
    }
    table_init_view(t, "疑似失学辍学台账", "tasks", suspected_cols, ARRAY_SIZE(suspected_cols), &v);
    snprintf(what, sizeof(what), "疑似失学辍学台账%s", report_group_caption(&grp, gcap));
    ledger_caption(t, cname, tname, what, "数据截至", today, today);
    long n_open = 0, n_outreach = 0, n_closed = 0, n_late = 0, n_case = 0, n_school = 0,
         n_flagged = 0;
    int rc;
    struct buf b = BUF_INIT;
    /* the latest run's children waiting for review first: nobody has looked at them yet */
    struct pending_counts pc = {0};
    if (suspected_pending_rows(s, code[0] ? code : NULL, grp.key, &v, today, t, &pc, &b, o) < 0) {
        stmt_finalize(q);
        buf_release(&b);
        table_release(t);
        return -1;
    }
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%zu", t->nrows);
        table_setf(t, 1, "%lld", (long long)id);
        table_set(t, 2, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 2));
        table_set(t, 4, stmt_text(q, 3));
        table_set(t, 5, gender_label((int)stmt_int(q, 4)));
        ledger_set_person(t, &v, (struct person_cols){6, 7, 8, 10}, stmt_text(q, 5), -1,
                          stmt_text(q, 6), stmt_text(q, 8), &b);
        table_set(t, 9, stmt_text(q, 7));
        int st = status_parse(stmt_text(q, 9));
        table_set(t, 11, st >= 0 ? status_label((enum child_status)st) : "");
        table_set(t, 25, stmt_text(q, 9));
        table_setf(t, 12, "%lld", (long long)stmt_int(q, 10));
        table_set(t, 13, stmt_text(q, 11));
        table_set(t, 14, stmt_text(q, 12));
        const char *state = stmt_text(q, 13);
        bool closed = !strcmp(state, "closed");
        long left = days_between(today, date_or_zero(stmt_text(q, 12)));
        if (!closed)
            table_setf(t, 15, "%ld", left);
        table_setf(t, 16, "%s%s", vocab_label(&task_states, state),
                   !closed && left < 0 ? "（逾期）" : "");
        n_open += !strcmp(state, "open");
        n_outreach += !strcmp(state, "outreach");
        n_closed += closed;
        n_late += !closed && left < 0;
        const char *oc = stmt_text(q, 14);
        table_setf(t, 17, "%s%s%s", vocab_label(&verify_outcomes, oc),
                   *stmt_text(q, 15) ? "：" : "",
                   vocab_label(&registration_problems, stmt_text(q, 15)));
        if (closed) {
            int w = vocab_parse(&verify_outcomes, oc);
            n_school += w >= 0 && (verify_outcomes.words[w].flags & VO_CLAIMS_SCHOOL);
        }
        table_set(t, 18, stmt_text(q, 16));
        buf_reset(&b);
        if (stmt_int(q, 17))
            people_describe(s, stmt_int(q, 17), &b);
        table_set(t, 19, b.buf);
        table_set(t, 20, stmt_text(q, 18));
        buf_reset(&b);
        casework_assignees(s, id, 0, &b);
        table_set(t, 21, b.buf);
        if (stmt_int(q, 19)) {
            n_flagged++;
            table_setf(t, 22, "第 %lld 次比对仍不在校，结论待复核", (long long)stmt_int(q, 19));
        }
        if (stmt_int(q, 20)) {
            n_case++;
            table_setf(t, 23, "%lld", (long long)stmt_int(q, 20));
        }
        table_set(t, 24, stmt_text(q, 21));
    }
    stmt_finalize(q);
    if (rc < 0) {
        buf_release(&b);
        table_release(t);
        return fail_store(s, o);
    }
    long total = (long)t->nrows;
    table_add_totals(t);
    table_set(t, 2, "合计");
    table_setf(t, 4, "%ld 人", total);
    table_note(
        t,
        "其中：待核查 %ld 人（逾期 %ld 人），外联保学 %ld 人，已办结 %ld 人（确认失学辍学并立案 "
        "%ld 人，核实在校或就读 %ld 人，其他情形 %ld 人）；核查结论与后来的比对不符、待复核 "
        "%ld 人。",
        n_open, n_late, n_outreach, n_closed, n_case, n_school, n_closed - n_case - n_school,
        n_flagged);
    if (pc.children)
        table_note(t,
                   "另有疑似属于本人的学籍记录待人工复核的 %ld 人（逾期 %ld 人），复核前不建核查"
                   "任务：复核为不是同一人的，下次比对后建立核查任务。",
                   pc.children, pc.late);
    table_note(t, "剩余天数为负数的，表示已逾期的天数。");
    table_note_view(t, &v, true);
    ledger_signature_note(t);
    buf_release(&b);
    char ns[24];
    snprintf(ns, sizeof(ns), "%ld", total);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", opt->full ? "false" : "true", META_BOOL);
    report_group_meta(t, &grp);
    buf_addf(&t->footer, "\n共 %ld 人%s\n", total,
             opt->full ? "" : "。身份证号和电话已遮盖，不列出生日期（列年龄）");
    return 0;
}

/* ============================================================================================
 * 失学辍学台账（一人一案）
 */

static const struct table_col dropout_cols[] = {
    {"seq", "序号", COL_INT},
    {"case_id", "案件编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"reason", "主要原因", COL_TEXT},
    {"other_reasons", "其他原因", COL_TEXT},
    {"opened_on", "立案日期", COL_TEXT},
    {"days_open", "立案天数", COL_INT},
    {"attempts", "劝返次数", COL_INT},
    {"last_attempt", "最近劝返", COL_TEXT},
    {"ladder", "依法控辍", COL_TEXT},
    {"state", "状态", COL_TEXT},
    {"outcome", "劝返结果", COL_TEXT},
    {"outcome_on", "结果日期", COL_TEXT},
    {"follow_ups_done", "已回访", COL_INT},
    {"follow_ups_required", "应回访", COL_INT},
    {"closed_on", "销号日期", COL_TEXT},
    {"township_official", "乡镇包保干部", COL_TEXT},
    {"village_cadre", "村干部", COL_TEXT},
    {"teacher", "结对教师", COL_TEXT},
    {"reopened", "重新打开次数", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

int report_ledger_dropout(struct store *s, const struct report_options *opt, struct report_table *t,
                          struct outcome *o)
{
    char code[10];
    const char *tname;
    struct report_group grp;
    if (ledger_township_arg(s, opt->township, code, &tname, o) < 0 ||
        report_group_arg(opt, &grp, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT c.id, coalesce(c.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
           " coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
           " coalesce(r.phone, ''), coalesce(c.reason, ''), coalesce(c.other_reasons, ''),"
           " c.opened_on, c.state, c.ladder, coalesce(c.outcome, ''), coalesce(c.outcome_on, ''),"
           " coalesce(c.outcome_school, ''), coalesce(c.outcome_grade, ''),"
           " coalesce(c.closed_on, ''), c.reopened, coalesce(c.township_code, ''),"
           " (SELECT count(*) FROM attempt a WHERE a.case_id = c.id AND a.corrects IS NULL),"
           " coalesce((SELECT max(a.on_date) FROM attempt a WHERE a.case_id = c.id), '')"
           " FROM case_file c JOIN record r ON r.id = c.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
           " AND " GROUP_CHILD_SQL(
               "c.child_id", "$2") " ORDER BY c.township_code IS NOT NULL, c.township_code, c.id");
    struct stmt *who = store_prepare(
        s, "SELECT a.role, p.name, p.active FROM assignment a JOIN person p ON p.id = a.person_id"
           " WHERE a.id IN (SELECT max(id) FROM assignment WHERE case_id = $1 GROUP BY role)");
    if (!q || !who) {
        stmt_finalize(q);
        stmt_finalize(who);
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    stmt_bind_str(q, 1, code[0] ? code : NULL);
    stmt_bind_str(q, 2, grp.key);
    char county[7], gcap[64], what[128];
    const char *cname = ledger_county_name(s, county);
    int today = date_today();
    struct view v;
    if (run_view(s, opt->full, &v) < 0) {
        stmt_finalize(q);
        stmt_finalize(who);
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    table_init_view(t, "失学辍学台账", "cases", dropout_cols, ARRAY_SIZE(dropout_cols), &v);
    snprintf(what, sizeof(what), "失学辍学台账（一人一案）%s", report_group_caption(&grp, gcap));
    ledger_caption(t, cname, tname, what, "数据截至", today, today);
    long by_state[3] = {0}, by_reason[16] = {0}, attempts = 0;
    int rc;
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%zu", t->nrows);
        table_setf(t, 1, "%lld", (long long)id);
        table_set(t, 2, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 2));
        table_set(t, 4, stmt_text(q, 3));
        table_set(t, 5, gender_label((int)stmt_int(q, 4)));
        ledger_set_person(t, &v, (struct person_cols){6, 7, 8, 10}, stmt_text(q, 5), -1,
                          stmt_text(q, 6), stmt_text(q, 8), &b);
        table_set(t, 9, stmt_text(q, 7));
        const char *reason = stmt_text(q, 9);
        table_set(t, 11, vocab_label(&case_reasons, reason));
        int rk = vocab_parse(&case_reasons, reason);
        if (rk >= 0 && rk < 16)
            by_reason[rk]++;
        buf_reset(&b);
        ledger_reasons_label(stmt_text(q, 10), &b);
        table_set(t, 12, b.buf);
        int opened = date_or_zero(stmt_text(q, 11));
        table_set(t, 13, stmt_text(q, 11));
        const char *state = stmt_text(q, 12);
        bool closed = !strcmp(state, "closed"), open = !strcmp(state, "open");
        int closed_on = date_or_zero(stmt_text(q, 18));
        if (opened)
            table_setf(t, 14, "%ld", days_between(opened, closed && closed_on ? closed_on : today));
        int64_t n_att = stmt_int(q, 21);
        attempts += (long)n_att;
        table_setf(t, 15, "%lld", (long long)n_att);
        table_set(t, 16, stmt_text(q, 22));
        int step = (int)stmt_int(q, 13);
        table_set(t, 17, step >= 1 && step <= 4 ? ladder_steps.words[step - 1].label : "");
        table_set(t, 18, vocab_label(&case_states, state));
        by_state[open ? 0 : closed ? 2 : 1]++;
        if (!open) { /* a reopened case keeps its last outcome, which no longer holds */
            buf_reset(&b);
            buf_adds(&b, vocab_label(&case_outcomes, stmt_text(q, 14)));
            if (*stmt_text(q, 16))
                buf_addf(&b, "，%s", stmt_text(q, 16));
            if (*stmt_text(q, 17))
                buf_addf(&b, " %s", stmt_text(q, 17));
            table_set(t, 19, b.buf);
            table_set(t, 20, stmt_text(q, 15));
            int outcome_on = date_or_zero(stmt_text(q, 15));
            int *dates = NULL;
            size_t nd = 0;
            if (case_followup_dates(s, id, outcome_on, &dates, &nd) < 0) {
                free(dates);
                rc = -1;
                break;
            }
            int next;
            table_setf(t, 21, "%d", followup_progress(&cs, outcome_on, dates, nd, &next));
            table_setf(t, 22, "%d", cs.followup_count);
            free(dates);
        }
        table_set(t, 23, stmt_text(q, 18));
        stmt_reset(who);
        stmt_bind_int(who, 1, id);
        int r2;
        while ((r2 = stmt_step(who)) == 1) {
            int k = vocab_parse(&assignee_roles, stmt_text(who, 0));
            if (k >= 0)
                table_setf(t, 24 + (size_t)k, "%s%s", stmt_text(who, 1),
                           stmt_int(who, 2) ? "" : "[已停用]");
        }
        if (r2 < 0) {
            rc = -1;
            break;
        }
        table_setf(t, 27, "%lld", (long long)stmt_int(q, 19));
        table_set(t, 28, stmt_text(q, 20));
    }
    stmt_finalize(q);
    stmt_finalize(who);
    casework_settings_release(&cs);
    if (rc < 0) {
        buf_release(&b);
        table_release(t);
        return fail_store(s, o);
    }
    long total = (long)t->nrows;
    table_add_totals(t);
    table_set(t, 2, "合计");
    table_setf(t, 4, "%ld 人", total);
    table_setf(t, 15, "%ld", attempts);
    table_note(t, "其中：劝返中 %ld 人，已返校巩固回访中 %ld 人，已销号 %ld 人。", by_state[0],
               by_state[1], by_state[2]);
    buf_reset(&b);
    for (size_t k = 0; k < case_reasons.n && k < 16; k++)
        buf_addf(&b, "%s%s %ld 人", k ? "，" : "", case_reasons.words[k].label, by_reason[k]);
    table_note(t, "按主要原因：%s。", b.buf);
    table_note(t, "劝返次数不含更正记录；立案天数算到销号日期，未销号的算到制表日期。");
    table_note_view(t, &v, true);
    ledger_signature_note(t);
    buf_release(&b);
    char ns[24];
    snprintf(ns, sizeof(ns), "%ld", total);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", opt->full ? "false" : "true", META_BOOL);
    report_group_meta(t, &grp);
    buf_addf(&t->footer, "\n共 %ld 件%s\n", total,
             opt->full ? "" : "。身份证号和电话已遮盖，不列出生日期（列年龄）");
    return 0;
}
