/* Verification (核查): the task list, one task shown, and a verification recorded. */
#include "casework/casework.h"
#include "casework/casework_impl.h"

#include "casework/event.h"
#include "casework/people.h"
#include "casework/warning.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "store/audit.h"
#include "domain/groups.h"
#include "domain/match.h"
#include "domain/run.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"

static const struct table_col verify_cols[] = {
    {"task_id", "任务编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"suspected", "疑似情形", COL_TEXT},
    {"opened_on", "建立日期", COL_TEXT},
    {"deadline", "截止日期", COL_TEXT},
    {"state", "状态", COL_TEXT},
    {"outcome", "核查结论", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},
    {"flag", "提示", COL_TEXT},
    {"case_id", "案件编号", COL_TEXT},
    {"state_key", "状态", COL_KEY},
    {"overdue", "逾期", COL_FLAG},
    {"groups", "重点群体", COL_WORDS},
};

int verify_list(struct store *s, const struct verify_filter *f, struct report_table *t,
                struct outcome *o)
{
    char code[10] = "";
    const char *tname = NULL;
    const char *st = f->state ? f->state : "pending";
    static const char *const states[] = {"pending", "all", "open", "outreach", "closed", "flagged"};
    bool ok = false;
    for (size_t i = 0; i < ARRAY_SIZE(states); i++)
        ok = ok || !strcmp(st, states[i]);
    if (!ok)
        return failed_at(o, OUT_INVALID, "state", "要列出的核查任务状态“%s”无效", st);
    if (f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    const char *grp;
    if (casework_group_arg(f->group, &grp, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s,
        "SELECT v.id, coalesce(v.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
        " coalesce(r.gender, 0), coalesce(r.birth_date, ''), coalesce(r.id_number, r.id_raw, ''),"
        " v.suspected, v.opened_on, v.deadline, v.state, coalesce(v.outcome, ''),"
        " coalesce(v.outcome_sub, ''), coalesce(v.flagged_run, 0),"
        " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0), v.child_id"
        " FROM verify_task v JOIN record r ON r.id = v.record_id"
        " WHERE (CAST($1 AS TEXT) IS NULL OR v.township_code = $1)"
        " AND ($2 = 'all' OR v.state = $2"
        "  OR ($2 = 'pending' AND (v.state <> 'closed' OR v.flagged_run IS NOT NULL))"
        "  OR ($2 = 'flagged' AND v.flagged_run IS NOT NULL))"
        " AND " TIES_FILTER_SQL("$3", TIE_SCHOOL_RECORD_SQL("v", "$4"), "1 = 0",
                                TIE_TEACHER_SQL("task_id", "v", "$5"), TIE_REGISTRATION_SQL("v"),
                                TIE_VILLAGE_SQL("v", "$6")) " AND " GROUP_CHILD_SQL("v.child_id",
                                                                                    "$8")
        /* the priority groups' children first (issue 15) */
        " ORDER BY " CHILD_IN_GROUPS_SQL(
            "v.child_id", "$7") " DESC,"
                                " v.township_code IS NOT NULL, v.township_code, v.deadline, v.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, st);
    stmt_bind_int(q, 3, f->school_ties);
    stmt_bind_str(q, 4, f->school);
    stmt_bind_str(q, 5, f->school_name);
    stmt_bind_int(q, 6, f->user_id);
    stmt_bind_str(q, 7, f->groups_seen);
    stmt_bind_str(q, 8, grp);
    struct view v;
    struct child_groups cg = {0};
    if (run_view(s, f->full, &v) < 0 || child_groups_load(s, &cg) < 0) {
        stmt_finalize(q);
        child_groups_release(&cg);
        return fail_store(s, o);
    }
    table_init_view(t, "核查任务（疑似失学辍学儿童，重点群体在前）", "tasks", verify_cols,
                    ARRAY_SIZE(verify_cols), &v);
    t->words = &priority_groups;
    int rc, today = date_today();
    long overdue = 0, priority = 0;
    struct buf a = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%lld", (long long)id);
        for (int c = 1; c <= 3; c++)
            table_set(t, (size_t)c, stmt_text(q, c));
        table_set(t, 4, gender_label((int)stmt_int(q, 4)));
        table_set(t, 5, stmt_text(q, 5));
        int age = view_age(&v, stmt_text(q, 5));
        if (age >= 0)
            table_setf(t, 6, "%d", age);
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 6), m);
        table_set(t, 7, m);
        table_set(t, 8, casework_suspect_label(stmt_text(q, 7)));
        table_set(t, 9, stmt_text(q, 8));
        table_set(t, 10, stmt_text(q, 9));
        const char *state = stmt_text(q, 10);
        bool late = strcmp(state, "closed") && date_or_zero(stmt_text(q, 9)) < today;
        overdue += late;
        table_setf(t, 11, "%s%s", vocab_label(&task_states, state), late ? "（逾期）" : "");
        const char *oc = stmt_text(q, 11);
        table_setf(t, 12, "%s%s%s%s", vocab_label(&verify_outcomes, oc),
                   *stmt_text(q, 12) ? "：" : "",
                   vocab_label(&registration_problems, stmt_text(q, 12)), "");
        buf_reset(&a);
        casework_assignees(s, id, 0, &a);
        table_set(t, 13, a.buf);
        if (stmt_int(q, 13))
            table_setf(t, 14, "第 %lld 次比对仍不在校，结论待复核", (long long)stmt_int(q, 13));
        if (stmt_int(q, 14))
            table_setf(t, 15, "%lld", (long long)stmt_int(q, 14));
        table_set(t, 16, state);
        table_set(t, 17, late ? "1" : "0");
        buf_reset(&a);
        groups_labels(child_groups_of(&cg, stmt_int(q, 15), f->groups_seen), &a);
        table_set(t, 18, a.buf);
        priority += a.len > 0;
    }
    stmt_finalize(q);
    buf_release(&a);
    child_groups_release(&cg);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    char n[24];
    snprintf(n, sizeof(n), "%zu", t->nrows);
    table_meta(t, "total", n, META_INT);
    snprintf(n, sizeof(n), "%ld", priority);
    table_meta(t, "priority", n, META_INT);
    buf_addf(&t->footer, "\n共 %zu 项，其中逾期 %ld 项；重点群体儿童 %ld 项，列在前面。\n",
             t->nrows, overdue, priority);
    return 0;
}

/* Stand on a task's row: $1 the task id. */
static struct stmt *task_row(struct store *s, const char *sql, int64_t id, struct outcome *o)
{
    return store_row_by_id(s, sql, id, "核查任务", o);
}

int verify_show(struct store *s, int64_t task_id, bool full, struct buf *out, struct outcome *o)
{
    struct stmt *q = task_row(
        s,
        "SELECT v.child_id, v.record_id, v.run_id, v.suspected, v.opened_on, v.deadline, v.state,"
        " coalesce(v.outcome, ''), coalesce(v.outcome_sub, ''), coalesce(v.verified_on, ''),"
        " coalesce(v.verified_by, 0), coalesce(v.school, ''), coalesce(v.evidence, ''),"
        " coalesce(v.note, ''), coalesce(v.flagged_run, 0), coalesce(v.township, ''),"
        " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0)"
        " FROM verify_task v WHERE v.id = $1",
        task_id, o);
    if (!q)
        return -1;
    int64_t child = stmt_int(q, 0), record = stmt_int(q, 1), by = stmt_int(q, 10);
    buf_addf(out, "核查任务 %lld（第 %lld 次比对：%s）\n", (long long)task_id,
             (long long)stmt_int(q, 2), casework_suspect_label(stmt_text(q, 3)));
    casework_child_header(s, child, record, full, out);
    buf_addf(out, "责任乡镇：%s；建立 %s，截止 %s；状态：%s\n", stmt_text(q, 15), stmt_text(q, 4),
             stmt_text(q, 5), vocab_label(&task_states, stmt_text(q, 6)));
    buf_adds(out, "责任人：");
    casework_assignees(s, task_id, 0, out);
    buf_adds(out, "\n");
    struct buf ev = BUF_INIT;
    if (warning_task_evidence(s, task_id, &ev) == 0 && ev.len)
        buf_addf(out, "考勤证据：%s\n", ev.buf);
    buf_release(&ev);
    if (*stmt_text(q, 7)) {
        buf_addf(out, "核查结论：%s%s%s（%s", vocab_label(&verify_outcomes, stmt_text(q, 7)),
                 *stmt_text(q, 8) ? "：" : "", vocab_label(&registration_problems, stmt_text(q, 8)),
                 stmt_text(q, 9));
        if (by) {
            buf_adds(out, "，核查人 ");
            people_describe(s, by, out);
        } else {
            buf_addf(out, "，核查人 系统（%s）", stmt_text(q, 12)); /* closed by a run */
        }
        buf_adds(out, "）\n");
        if (*stmt_text(q, 11))
            buf_addf(out, "就读学校：%s\n", stmt_text(q, 11));
        if (*stmt_text(q, 12))
            buf_addf(out, "证明材料：%s\n", stmt_text(q, 12));
        if (*stmt_text(q, 13))
            buf_addf(out, "说明：%s\n", stmt_text(q, 13));
    }
    if (stmt_int(q, 14))
        buf_addf(out, "提示：第 %lld 次比对显示该儿童仍不在校，结论待复核\n",
                 (long long)stmt_int(q, 14));
    if (stmt_int(q, 16))
        buf_addf(out, "已立案：案件 %lld\n", (long long)stmt_int(q, 16));
    stmt_finalize(q);
    struct timeline tl = {0};
    if (timeline_load(s, child, &tl) < 0) {
        timeline_release(&tl);
        return fail_store(s, o);
    }
    buf_adds(out, "\n");
    timeline_render(&tl, out);
    timeline_release(&tl);
    return 0;
}

/* "学习困难,外出打工" → "learning,work" (the primary reason left out); -1 with the outcome. */
static int parse_reasons(const char *text, const char *primary, struct buf *keys, struct outcome *o)
{
    struct buf t = BUF_INIT, one = BUF_INIT;
    buf_adds(&t, text ? text : "");
    int ret = 0;
    const char *p = t.buf;
    while (*p && ret == 0) {
        size_t n = 0;
        while (p[n] && p[n] != ',' && strncmp(p + n, "，", 3) && strncmp(p + n, "、", 3))
            n++;
        buf_reset(&one);
        buf_add(&one, p, n);
        buf_trim(&one);
        if (one.len) {
            int k = vocab_parse(&case_reasons, one.buf);
            if (k < 0) {
                ret = casework_vocab_refused(o, "other_reasons", NULL, &case_reasons, one.buf);
            } else if (strcmp(case_reasons.words[k].key, primary ? primary : "") &&
                       !strstr(keys->buf, case_reasons.words[k].key)) {
                buf_addf(keys, "%s%s", keys->len ? "," : "", case_reasons.words[k].key);
            }
        }
        p += n;
        if (*p == ',')
            p++;
        else if (*p)
            p += 3;
    }
    buf_release(&t);
    buf_release(&one);
    return ret;
}

/* "learning,work" → "学习困难/厌学、外出打工" */
static void reasons_label(const char *keys, struct buf *out)
{
    const char *p = keys;
    while (p && *p) {
        const char *c = strchr(p, ',');
        char k[32];
        snprintf(k, sizeof(k), "%.*s", (int)(c ? (size_t)(c - p) : strlen(p)), p);
        buf_addf(out, "%s%s", p == keys ? "" : "、", vocab_label(&case_reasons, k));
        p = c ? c + 1 : NULL;
    }
}

int verify_record(struct store *s, int64_t task_id, const struct verify_input *in,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    const struct text_field typed[] = {
        {"学校", in->school, TEXT_LINE, "school"},
        {"证明材料", in->evidence, TEXT_NOTE, "evidence"},
        {"备注", in->note, TEXT_NOTE, "note"},
        {"其他辍学原因", in->other_reasons, TEXT_LINE, "other_reasons"},
    };
    if (text_check_all(typed, ARRAY_SIZE(typed), o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct buf other = BUF_INIT, t = BUF_INIT;
    int ret = -1;
    struct stmt *q = task_row(s,
                              "SELECT child_id, state, coalesce(outcome, ''), opened_on, run_id,"
                              " record_id, coalesce(township_code, ''), coalesce(township, ''),"
                              " coalesce(flagged_run, 0) FROM verify_task WHERE id = $1",
                              task_id, o);
    if (!q)
        goto out;
    int64_t child = stmt_int(q, 0), run = stmt_int(q, 4), record = stmt_int(q, 5);
    char state[16], before[32], tcode[10], tname[64];
    snprintf(state, sizeof(state), "%s", stmt_text(q, 1));
    snprintf(before, sizeof(before), "%s", stmt_text(q, 2));
    int opened = date_or_zero(stmt_text(q, 3));
    snprintf(tcode, sizeof(tcode), "%s", stmt_text(q, 6));
    snprintf(tname, sizeof(tname), "%s", stmt_text(q, 7));
    int64_t flagged = stmt_int(q, 8);
    stmt_finalize(q);

    /* every check before anything is written */
    /* a closed task takes a new outcome only when a later run contradicted its claim */
    if (!strcmp(state, "closed") && !flagged) {
        failed(o, OUT_INVALID, "核查任务 %lld 已办结（结论：%s），不能再次记录", (long long)task_id,
               vocab_label(&verify_outcomes, before));
        goto out;
    }
    int vo = vocab_parse(&verify_outcomes, in->outcome);
    if (vo < 0) {
        casework_vocab_refused(o, "outcome", NULL, &verify_outcomes, in->outcome);
        goto out;
    }
    const struct word *w = &verify_outcomes.words[vo];
    const char *sub = NULL;
    if (w->flags & VO_NEEDS_SUBKIND) {
        int k = vocab_parse(&registration_problems, in->subkind);
        if (k < 0) {
            casework_vocab_refused(o, "subkind", "结论为户籍问题时须写明户籍问题的类别：",
                                   &registration_problems, in->subkind);
            goto out;
        }
        sub = registration_problems.words[k].key;
    } else if (in->subkind && *in->subkind) {
        failed_at(o, OUT_INVALID, "subkind", "户籍问题的类别只用于结论“户籍问题”，不适用于“%s”",
                  w->label);
        goto out;
    }
    if ((w->flags & VO_CLAIMS_SCHOOL) && (!in->school || !*in->school)) {
        failed_at(o, OUT_INVALID, "school", "结论“%s”须写明就读学校", w->label);
        goto out;
    }
    if ((w->flags & VO_NEEDS_EVIDENCE) && (!in->evidence || !*in->evidence)) {
        failed_at(o, OUT_INVALID, "evidence",
                  "结论“%s”须写明证明材料（如学籍号、在读证明、批准文号）", w->label);
        goto out;
    }
    const char *reason = NULL;
    if (w->flags & VO_OPENS_CASE) {
        int r = vocab_parse(&case_reasons, in->reason);
        if (r < 0) {
            casework_vocab_refused(o, "reason", "确认失学辍学须写明主要原因：", &case_reasons,
                                   in->reason);
            goto out;
        }
        reason = case_reasons.words[r].key;
        if (parse_reasons(in->other_reasons, reason, &other, o) < 0)
            goto out;
    } else if ((in->reason && *in->reason) || (in->other_reasons && *in->other_reasons)) {
        failed_at(o, OUT_INVALID, in->reason && *in->reason ? "reason" : "other_reasons",
                  "失学辍学的原因只用于结论“确认失学辍学”");
        goto out;
    }
    int on;
    if (casework_date("核查日期", "date", in->date, opened, &on, o) < 0)
        goto out;
    int64_t by = 0;
    if (people_resolve(s, "核查人", "by", in->by, &by, o) < 0)
        goto out;

    char day[11];
    date_format(on, day);
    bool keeps_open = w->flags & VO_KEEPS_OPEN;
    int next_due = deadline_days(&cs.holidays, on, cs.verify_days);
    char due[11];
    date_format(next_due, due);
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    q = store_prepare(
        s, "UPDATE verify_task SET state = $2, outcome = $3, outcome_sub = $4,"
           " verified_on = $5, verified_by = $6, school = $7, evidence = $8,"
           " note = $9, flagged_run = NULL, deadline = CASE WHEN $2 = 'outreach' THEN $10"
           " ELSE deadline END, outcome_lists = " LISTS_NOW_SQL " WHERE id = $1");
    if (!q)
        goto store_failed;
    stmt_bind_int(q, 1, task_id);
    stmt_bind_str(q, 2, keeps_open ? "outreach" : "closed");
    stmt_bind_str(q, 3, w->key);
    stmt_bind_str(q, 4, sub);
    stmt_bind_str(q, 5, day);
    stmt_bind_int(q, 6, by);
    stmt_bind_str(q, 7, in->school);
    stmt_bind_str(q, 8, in->evidence);
    stmt_bind_str(q, 9, in->note);
    stmt_bind_str(q, 10, due);
    int rc = stmt_step(q);
    stmt_finalize(q);
    if (rc < 0)
        goto store_failed;
    buf_addf(&t, "核查任务 %lld 结论：%s%s%s", (long long)task_id, w->label, sub ? "：" : "",
             sub ? vocab_label(&registration_problems, sub) : "");
    if (in->school && *in->school)
        buf_addf(&t, "，学校 %s", in->school);
    if (in->evidence && *in->evidence)
        buf_addf(&t, "，证明材料 %s", in->evidence);
    buf_adds(&t, "；核查人 ");
    people_describe(s, by, &t);
    if (in->note && *in->note)
        buf_addf(&t, "；%s", in->note);
    if (keeps_open)
        buf_addf(&t, "；转为外联保学，%s 前再次联系", due);
    if (event_add(s, child, task_id, 0, keeps_open ? "outreach" : "verified", on, actor, t.buf) < 0)
        goto store_failed;
    int64_t case_id = 0;
    if (w->flags & VO_OPENS_CASE) {
        int fv = deadline_days(&cs.holidays, on, cs.first_visit_days);
        char fvd[11];
        date_format(fv, fvd);
        q = store_prepare(s, "INSERT INTO case_file (child_id, task_id, run_id, record_id,"
                             " township_code, township, opened_on, active_since, first_visit_due,"
                             " reason, other_reasons)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10) RETURNING id");
        if (!q)
            goto store_failed;
        stmt_bind_int(q, 1, child);
        stmt_bind_int(q, 2, task_id);
        stmt_bind_int(q, 3, run);
        stmt_bind_int(q, 4, record);
        stmt_bind_str(q, 5, tcode);
        stmt_bind_str(q, 6, tname);
        stmt_bind_str(q, 7, day);
        stmt_bind_str(q, 8, fvd);
        stmt_bind_str(q, 9, reason);
        stmt_bind_str(q, 10, other.buf);
        case_id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
        if (!case_id)
            goto store_failed;
        struct stmt *a = store_prepare(
            s, "INSERT INTO assignment (case_id, role, person_id, assigned_on, assigned_by,"
               " reason) SELECT $1, role, person_id, $2, $3, '由核查任务转入' FROM assignment"
               " WHERE id IN (SELECT max(id) FROM assignment WHERE task_id = $4 GROUP BY role)");
        if (!a)
            goto store_failed;
        stmt_bind_int(a, 1, case_id);
        stmt_bind_str(a, 2, day);
        stmt_bind_str(a, 3, actor && *actor ? actor : "unknown");
        stmt_bind_int(a, 4, task_id);
        rc = stmt_step(a);
        stmt_finalize(a);
        if (rc < 0)
            goto store_failed;
        buf_reset(&t);
        buf_addf(&t, "确认失学辍学，立案（一人一案）：案件 %lld，主要原因 %s", (long long)case_id,
                 vocab_label(&case_reasons, reason));
        if (other.len) {
            buf_adds(&t, "，其他原因 ");
            reasons_label(other.buf, &t);
        }
        buf_addf(&t, "；首次走访截止 %s", fvd);
        if (event_add(s, child, task_id, case_id, "case_opened", on, actor, t.buf) < 0)
            goto store_failed;
    }
    char target[AUDIT_TARGET_SIZE], detail[160];
    audit_target(target, OBJ_TASK, task_id);
    snprintf(detail, sizeof(detail), "结论：%s%s%s", w->label, sub ? "：" : "",
             sub ? vocab_label(&registration_problems, sub) : "");
    if (audit_record(s, actor, NULL, "verify", target, detail) < 0 || store_commit(s) < 0)
        goto store_failed;
    buf_addf(msg, "已记录核查任务 %lld 的结论：%s", (long long)task_id, w->label);
    if (keeps_open)
        buf_addf(msg, "。任务转为外联保学，仍保持未办结，请在 %s 前再次联系", due);
    if (case_id)
        buf_addf(msg, "。已立案：案件 %lld，首次走访须在 %s 前完成", (long long)case_id,
                 (date_format(deadline_days(&cs.holidays, on, cs.first_visit_days), due), due));
    if (w->flags & VO_CLAIMS_SCHOOL)
        buf_adds(msg, "。导入新的学籍或外出就读名单后，下次比对时将核对该儿童是否确实在校");
    ret = 0;
    goto out;
store_failed:
    fail_store(s, o);
    store_rollback(s);
out:
    buf_release(&other);
    buf_release(&t);
    casework_settings_release(&cs);
    return ret;
}
