/* Cases read: the list of cases and one case shown, with its attempts and legal steps. */
#include "casework/case.h"
#include "casework/case_impl.h"

#include "casework/event.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "domain/groups.h"
#include "domain/runstatus.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

static const struct table_col case_cols[] = {
    {"case_id", "案件编号", COL_INT},    {"township", "乡镇", COL_TEXT},
    {"village", "村", COL_TEXT},         {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},        {"id_number", "身份证号", COL_TEXT},
    {"opened_on", "立案日期", COL_TEXT}, {"reason", "主要原因", COL_TEXT},
    {"state", "状态", COL_TEXT},         {"attempts", "劝返次数", COL_INT},
    {"ladder", "依法控辍", COL_TEXT},    {"outcome", "劝返结果", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},   {"reopened", "重新打开次数", COL_INT},
    {"state_key", "状态", COL_KEY},      {"groups", "重点群体", COL_WORDS},
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
    const char *grp;
    if (casework_group_arg(f->group, &grp, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT c.id, coalesce(c.township, ''), coalesce(r.village, ''),"
           " coalesce(r.name, ''), coalesce(r.gender, 0), coalesce(r.id_number, r.id_raw, ''),"
           " c.opened_on, coalesce(c.reason, ''), c.state,"
           " (SELECT count(*) FROM attempt a WHERE a.case_id = c.id AND a.corrects IS NULL),"
           " c.ladder, coalesce(c.outcome, ''), c.reopened, c.child_id"
           " FROM case_file c JOIN record r ON r.id = c.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
           " AND ($2 = 'all' OR c.state = $2 OR ($2 = 'pending' AND c.state <> 'closed'))"
           " AND " TIES_FILTER_SQL(
               "$3", TIE_SCHOOL_RECORD_SQL("c", "$4"), TIE_RETURNED_TO_SQL("$5"),
               TIE_TEACHER_SQL("case_id", "c", "$5"), "1 = 0",
               TIE_VILLAGE_SQL(
                   "c", "$6")) " AND " GROUP_CHILD_SQL("c.child_id",
                                                       "$7") " ORDER BY c.township_code IS NOT "
                                                             "NULL, c.township_code, c.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, st);
    stmt_bind_int(q, 3, f->school_ties);
    stmt_bind_str(q, 4, f->school);
    stmt_bind_str(q, 5, f->school_name);
    stmt_bind_int(q, 6, f->user_id);
    stmt_bind_str(q, 7, grp);
    /* each child's priority groups (issue 15), read once: the tag the task had */
    struct child_groups cg;
    if (child_groups_load(s, &cg) < 0) {
        child_groups_release(&cg);
        stmt_finalize(q);
        return fail_store(s, o);
    }
    table_init(t, "辍学学生台账（一人一案）", "cases", case_cols, ARRAY_SIZE(case_cols));
    t->words = &priority_groups;
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
        buf_reset(&a);
        groups_labels(child_groups_of(&cg, stmt_int(q, 13), NULL), &a);
        table_set(t, 15, a.buf);
    }
    stmt_finalize(q);
    child_groups_release(&cg);
    buf_release(&a);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    buf_addf(&t->footer, "\n共 %zu 件。查看：baoxue case show 案件编号\n", t->nrows);
    return 0;
}

int case_first_visit(struct store *s, int64_t case_id, struct first_visit *fv)
{
    memset(fv, 0, sizeof(*fv));
    fv->method_label = "";
    struct stmt *q = store_prepare(
        s, "SELECT fv.id, fv.on_date, fv.method FROM case_file c JOIN attempt fv "
           "ON " FIRST_VISIT_WHERE_SQL("c") " WHERE c.id = $1 ORDER BY fv.on_date, fv.id LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, case_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        fv->attempt = stmt_int(q, 0);
        snprintf(fv->date, sizeof(fv->date), "%s", stmt_text(q, 1));
        fv->method_label = vocab_label(&attempt_methods, stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)case_id);
    const char *p[] = {num};
    return store_int(s,
                     "SELECT count(*) FROM case_file c JOIN attempt a ON a.case_id = c.id"
                     " WHERE c.id = $1 AND a.on_date >= c.active_since"
                     " AND a.method NOT IN " ATTEMPT_IN_PERSON_SQL
                     " AND NOT EXISTS (SELECT 1 FROM attempt x WHERE x.corrects = a.id)",
                     1, p, &fv->distant) < 0
               ? -1
               : 0;
}

static int show_attempts(struct store *s, int64_t case_id, struct buf *out)
{
    struct stmt *q =
        store_prepare(s, "SELECT a.id, a.on_date, a.method, a.people, coalesce(a.said, ''),"
                         " coalesce(a.response, ''), a.result, coalesce(a.next_step, ''),"
                         " coalesce(a.corrects, 0),"
                         " coalesce((SELECT max(b.id) FROM attempt b WHERE b.corrects = a.id), 0),"
                         " coalesce(a.reason, ''), a.recorded_by, substr(a.recorded_at, 1, 16)"
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
        if (stmt_int(q, 8))
            buf_addf(out, "     更正原因：%s（%s 更正于 %s）\n",
                     *stmt_text(q, 10) ? stmt_text(q, 10) : "未记录", stmt_text(q, 11),
                     stmt_text(q, 12));
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
        struct first_visit fv;
        if (case_first_visit(s, case_id, &fv) < 0) {
            casework_settings_release(&cs);
            return fail_store(s, o);
        }
        date_format(c.first_visit_due, d2);
        if (fv.attempt) {
            buf_addf(out, "首次走访：已完成（%s %s，劝返记录 #%lld）\n", fv.date, fv.method_label,
                     (long long)fv.attempt);
        } else {
            buf_addf(out, "首次走访：%s（截止 %s，须入户走访或当面约谈",
                     c.first_visit_due < date_today() ? "逾期未完成" : "待完成", d2);
            if (fv.distant)
                buf_addf(out, "；已有 %lld 次电话等非当面联系，不算走访", (long long)fv.distant);
            buf_adds(out, "）\n");
        }
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
        case_row_followup_dates(s, &c, &dates, &n);
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
