/* `baoxue tasks`: what is due and overdue, by township and person. */
#include "casework/case.h"
#include "casework/casework.h"
#include "casework/meeting.h"
#include "casework/warning.h"
#include "casework/monthly_todo.h"
#include "casework/inspection.h"
#include "casework/people.h"
#include "casework/placement.h"
#include "core/words.h"
#include "core/date.h"
#include "domain/batch.h"
#include "domain/review.h"
#include "ingest/category.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

struct due_item {
    char tcode[10], township[64], what[96], ref[32], child[64];
    int64_t task, case_id, pair; /* pair: a candidate pair of the review queue */
    int64_t record;   /* 送教上门 short of the minimum: the child's record (issue 15) */
    char school[128]; /* and the school that sends the teachers, who owes it */
    int due;
    int64_t child_id;      /* the casework's child (0: a review pair, no child yet) */
    unsigned groups;       /* its priority groups (child_groups_of), 1u << enum priority_group */
    int64_t warning;       /* an attendance warning the township holds (warning.h) */
    int monthly;           /* a month's 月报 the township has not confirmed (yyyymm; issue 17) */
    int64_t rectify;       /* a rectification item of an inspection (inspection.h, issue 17) */
    int64_t acct;          /* a meeting's decision or an interview's commitment (issue 17) */
    const char *acct_kind; /* "decision", "commitment" (static) */
    char unit[128];        /* who owes it: the department, the unit interviewed */
};

struct send_items {
    struct due_item **items;
    size_t *n, *alloc;
};

/* A month of 送教上门 short of the minimum: the school that sends the teachers owes it. */
static void add_send(void *ctx, const struct send_due *d)
{
    struct send_items *si = ctx;
    ALLOC_GROW(*si->items, *si->n + 1, *si->alloc);
    struct due_item *it = &(*si->items)[(*si->n)++];
    memset(it, 0, sizeof(*it));
    it->record = d->record_id;
    it->child_id = d->child_id;
    snprintf(it->tcode, sizeof(it->tcode), "%s", d->tcode);
    snprintf(it->township, sizeof(it->township), "%s", d->township);
    snprintf(it->child, sizeof(it->child), "%s", d->name);
    snprintf(it->what, sizeof(it->what), "%s", d->what);
    snprintf(it->school, sizeof(it->school), "%s", d->school_name);
    /* "儿童记录 110": the child's record, as the audit trail names it */
    snprintf(it->ref, sizeof(it->ref), "%s %lld", vocab_label(&audit_objects, "record"),
             (long long)d->record_id);
    it->due = d->due;
}

/* An attendance warning passed to the township (or left unanswered by the school). */
static void add_warning(void *ctx, const struct warning_due *d)
{
    struct send_items *si = ctx;
    ALLOC_GROW(*si->items, *si->n + 1, *si->alloc);
    struct due_item *it = &(*si->items)[(*si->n)++];
    memset(it, 0, sizeof(*it));
    it->warning = d->id;
    snprintf(it->tcode, sizeof(it->tcode), "%s", d->tcode);
    snprintf(it->township, sizeof(it->township), "%s", d->township);
    snprintf(it->child, sizeof(it->child), "%s", d->name);
    snprintf(it->what, sizeof(it->what), "%s", d->what);
    snprintf(it->ref, sizeof(it->ref), "考勤预警 %lld", (long long)d->id);
    it->due = d->due;
}

/* A month's 月报 the township has not confirmed (issue 17, monthly_todo.h). */
static void add_monthly(void *ctx, const struct monthly_due *d)
{
    struct send_items *si = ctx;
    ALLOC_GROW(*si->items, *si->n + 1, *si->alloc);
    struct due_item *it = &(*si->items)[(*si->n)++];
    memset(it, 0, sizeof(*it));
    it->monthly = d->month;
    snprintf(it->tcode, sizeof(it->tcode), "%s", d->tcode);
    snprintf(it->township, sizeof(it->township), "%s", d->township);
    snprintf(it->what, sizeof(it->what), "%s", d->what);
    snprintf(it->ref, sizeof(it->ref), "%s", d->ref);
    it->due = d->due;
}

/* A rectification item of an inspection: the responsible unit's, or the inspectors' to accept. */
static void add_rectify(void *ctx, const struct rectify_due *d)
{
    struct send_items *si = ctx;
    ALLOC_GROW(*si->items, *si->n + 1, *si->alloc);
    struct due_item *it = &(*si->items)[(*si->n)++];
    memset(it, 0, sizeof(*it));
    it->rectify = d->id;
    if (!strcmp(d->unit_kind, "township"))
        snprintf(it->tcode, sizeof(it->tcode), "%.9s", d->unit_code);
    snprintf(it->township, sizeof(it->township), "%.63s", d->unit_name);
    snprintf(it->school, sizeof(it->school), "%s", d->unit_name);
    snprintf(it->what, sizeof(it->what), "%s", d->what);
    snprintf(it->ref, sizeof(it->ref), "%s %lld", vocab_label(&audit_objects, "rectify"),
             (long long)d->id);
    it->due = d->due;
}

/* A decision of a joint meeting or a commitment of an interview (issue 17). */
static void add_accountability(void *ctx, const struct accountability_due *d)
{
    struct send_items *si = ctx;
    ALLOC_GROW(*si->items, *si->n + 1, *si->alloc);
    struct due_item *it = &(*si->items)[(*si->n)++];
    memset(it, 0, sizeof(*it));
    it->acct = d->id;
    it->acct_kind = d->kind;
    snprintf(it->tcode, sizeof(it->tcode), "%s", d->tcode);
    snprintf(it->unit, sizeof(it->unit), "%s", d->unit);
    if (*d->tcode) /* a township's official interviewed: the township's item */
        snprintf(it->township, sizeof(it->township), "%s", d->unit);
    snprintf(it->what, sizeof(it->what), "%s", d->what);
    /* "议定事项 3", "约谈承诺 2": the object's kind as the audit trail names it */
    snprintf(it->ref, sizeof(it->ref), "%s %lld", vocab_label(&audit_objects, d->kind),
             (long long)d->id);
    it->due = d->due;
}

/* Who does a review: the county's clerks (whoever holds the review permission), nobody of the
 * people registry. */
#define REVIEWER "县教育局（人工复核）"

/* One row of the worklist: an item and everyone currently assigned to it, joined. */
struct due_row {
    const struct due_item *it;
    char who[512];
};

/* q's columns: 0 task, 1 case, 2 township code, 3 township, 4 child's name; the child's id in
 * column `child_col` */
static void add_item(struct due_item **items, size_t *n, size_t *alloc, struct stmt *q,
                     int child_col, const char *what, int due)
{
    ALLOC_GROW(*items, *n + 1, *alloc);
    struct due_item *it = &(*items)[(*n)++];
    memset(it, 0, sizeof(*it));
    it->task = stmt_int(q, 0);
    it->case_id = stmt_int(q, 1);
    it->child_id = stmt_int(q, child_col);
    snprintf(it->tcode, sizeof(it->tcode), "%s", stmt_text(q, 2));
    snprintf(it->township, sizeof(it->township), "%s", stmt_text(q, 3));
    snprintf(it->child, sizeof(it->child), "%s", stmt_text(q, 4));
    snprintf(it->what, sizeof(it->what), "%s", what);
    /* "案件 3", "核查任务 12": the object's kind as the audit trail names it */
    snprintf(it->ref, sizeof(it->ref), "%s %lld",
             vocab_label(&audit_objects, it->case_id ? "case" : "task"),
             (long long)(it->case_id ? it->case_id : it->task));
    it->due = due;
}

/* The worklist's order: by due date, so the most overdue come first, then the soonest due;
 * the same day by township, then by the item's number. */
int due_order(int due_a, const char *tcode_a, const char *ref_a, int due_b, const char *tcode_b,
              const char *ref_b)
{
    int c = (due_a > due_b) - (due_a < due_b);
    if (!c)
        c = strcmp(tcode_a, tcode_b);
    if (!c) /* "案件 3" before "案件 12": the number's length first */
        c = (strlen(ref_a) > strlen(ref_b)) - (strlen(ref_a) < strlen(ref_b));
    if (!c)
        c = strcmp(ref_a, ref_b);
    return c;
}

static int cmp_rows_due(const void *a, const void *b)
{
    const struct due_item *x = ((const struct due_row *)a)->it,
                          *y = ((const struct due_row *)b)->it;
    int c = due_order(x->due, x->tcode, x->ref, y->due, y->tcode, y->ref);
    if (!c) /* one case may owe two things on one day */
        c = strcmp(x->what, y->what);
    return c;
}

/* The default order (issue 15): the items of priority-group children first, each part in the
 * worklist's order. */
static int cmp_rows(const void *a, const void *b)
{
    const struct due_item *x = ((const struct due_row *)a)->it,
                          *y = ((const struct due_row *)b)->it;
    int c = (y->groups != 0) - (x->groups != 0);
    return c ? c : cmp_rows_due(a, b);
}

static const struct table_col due_cols[] = {
    {"township", "乡镇", COL_TEXT},    {"person", "责任人", COL_TEXT},
    {"item", "事项", COL_TEXT},        {"ref", "编号", COL_TEXT},
    {"child", "儿童", COL_TEXT},       {"due", "截止日期", COL_TEXT},
    {"days", "剩余天数", COL_INT},     {"status", "状态", COL_TEXT},
    {"object", "对象", COL_KEY},       {"object_id", "编号", COL_KEY},
    {"groups", "重点群体", COL_WORDS},
};

int tasks_list(struct store *s, const struct tasks_filter *f, struct report_table *t,
               struct outcome *o)
{
    char code[10] = "";
    const char *tname;
    if (f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    int64_t person = 0;
    if (f->person && people_resolve(s, "责任人", "person", f->person, &person, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct due_item *items = NULL;
    size_t n = 0, alloc = 0;
    int rc = 0;
    /* a department's and a school's 待办 hold only their decisions and commitments (issue 17) */
    if (!f->only_accountability) {
        /* verification and outreach tasks */
        struct stmt *q = store_prepare(
            s, "SELECT v.id, 0, coalesce(v.township_code, ''), coalesce(v.township, ''),"
               " coalesce(r.name, ''), v.state, v.deadline, v.child_id FROM verify_task v"
               " JOIN record r ON r.id = v.record_id WHERE v.state <> 'closed'"
               " AND (CAST($1 AS TEXT) IS NULL OR v.township_code = $1)");
        if (q) {
            stmt_bind_str(q, 1, code);
            while ((rc = stmt_step(q)) == 1)
                add_item(&items, &n, &alloc, q, 7,
                         !strcmp(stmt_text(q, 5), "open") ? "核查（摸排）" : "外联保学：再次联系",
                         date_or_zero(stmt_text(q, 6)));
            stmt_finalize(q);
        }
        /* open cases: the first visit, the current ladder step's deadline */
        struct stmt *c = store_prepare(
            s, "SELECT c.task_id, c.id, coalesce(c.township_code, ''), coalesce(c.township, ''),"
               " coalesce(r.name, ''), c.state, c.first_visit_due,"
               " CASE WHEN " FIRST_VISIT_DONE_SQL(
                   "c") " THEN 1 ELSE 0 END, c.ladder, coalesce(c.ladder_deadline, ''),"
                        " coalesce(c.outcome_on, ''), c.child_id"
                        " FROM case_file c JOIN record r ON r.id = c.record_id WHERE c.state <> "
                        "'closed'"
                        " AND (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)");
        if (!q || !c) {
            rc = -1;
        } else {
            stmt_bind_str(c, 1, code);
            while ((rc = stmt_step(c)) == 1) {
                if (!strcmp(stmt_text(c, 5), "open")) {
                    char what[96];
                    if (!stmt_int(c, 7)) {
                        snprintf(what, sizeof(what), "立案后首次走访（%d 日内）",
                                 cs.first_visit_days);
                        add_item(&items, &n, &alloc, c, 11, what, date_or_zero(stmt_text(c, 6)));
                    }
                    int step = (int)stmt_int(c, 8);
                    if (step && *stmt_text(c, 9)) {
                        snprintf(what, sizeof(what), "依法控辍期限：%s",
                                 ladder_steps.words[step - 1].label);
                        add_item(&items, &n, &alloc, c, 11, what, date_or_zero(stmt_text(c, 9)));
                    }
                } else {
                    /* returned: the next follow-up (the counting rule lives in case.c) */
                    int64_t case_id = stmt_int(c, 1);
                    int outcome_on = date_or_zero(stmt_text(c, 10));
                    struct stmt *fq = store_prepare(
                        s, "SELECT on_date FROM follow_up WHERE case_id = $1 AND in_school = 1"
                           " AND on_date >= $2");
                    int *dates = NULL;
                    size_t nd = 0, da = 0;
                    if (fq) {
                        stmt_bind_int(fq, 1, case_id);
                        stmt_bind_str(fq, 2, stmt_text(c, 10));
                        while (stmt_step(fq) == 1) {
                            ALLOC_GROW(dates, nd + 1, da);
                            dates[nd++] = date_or_zero(stmt_text(fq, 0));
                        }
                        stmt_finalize(fq);
                    }
                    int next;
                    int done = followup_progress(&cs, outcome_on, dates, nd, &next);
                    free(dates);
                    char what[96];
                    if (next) {
                        snprintf(what, sizeof(what), "巩固回访（第 %d/%d 次）", done + 1,
                                 cs.followup_count);
                        add_item(&items, &n, &alloc, c, 11, what, next);
                    } else {
                        add_item(&items, &n, &alloc, c, 11, "回访已完成，待审批销号",
                                 followup_due(&cs, outcome_on, cs.followup_count));
                    }
                }
            }
            stmt_finalize(c);
        }
        /* 送教上门 short of the county's monthly minimum (issue 15): this month's, due its last
         * day, and the month before's, overdue */
        if (rc == 0) {
            struct send_items si = {&items, &n, &alloc};
            rc = send_due_each(s, code, add_send, &si);
            /* the attendance warnings the township holds (issue 16) */
            if (rc == 0 && !person)
                rc = warning_due_each(s, code, add_warning, &si);
            /* the months the township has not confirmed its 月报 (issue 17) */
            if (rc == 0 && !person)
                rc = monthly_due_each(s, code, add_monthly, &si);
            /* 限期整改 (issue 17): a township's own items; the county's list every unit's,
             * with those awaiting acceptance */
            if (rc == 0 && !person)
                rc = rectify_due_each(s, *code ? code : NULL, !*code, add_rectify, &si);
        }
    }
    /* 联席会议 decisions and 约谈 commitments not yet done (issue 17, casework/meeting.h): the
     * county's list has them all, a township its interviews' commitments, a department its
     * decisions, a school its commitments; nobody's of the registry */
    if (rc == 0 && !person) {
        struct accountability_reach ar = {
            .decisions = f->only_accountability ? f->department != NULL : !*code,
            .commitments = f->only_accountability ? f->school != NULL : true,
            .department = f->department,
            .township = *code ? code : NULL,
            .school = f->school,
        };
        struct send_items si = {&items, &n, &alloc};
        rc = accountability_due_each(s, &ar, add_accountability, &si);
    }
    /* the review queue: each pair waiting for a clerk, due some working days after the run
     * that first put it there; nobody's of the registry, so not on a person's list */
    if (rc == 0 && f->review && !person) {
        struct stmt *r = store_prepare(
            s, "SELECT c.id, coalesce(p.township_code, ''), coalesce(p.township, ''),"
               " coalesce(p.name, ''), " REVIEW_SINCE_SQL(
                   "c") " FROM candidate c JOIN record p ON p.id = c.population_record"
                        " LEFT JOIN review_decision d ON d.pair_key = c.pair_key"
                        " WHERE c.run_id = " REVIEW_LATEST_RUN_SQL " AND c.decision = 'review'"
                        " AND d.decision IS NULL AND (CAST($1 AS TEXT) IS NULL OR p.township_code "
                        "= $1)");
        if (!r) {
            rc = -1;
        } else {
            stmt_bind_str(r, 1, code);
            while ((rc = stmt_step(r)) == 1) {
                ALLOC_GROW(items, n + 1, alloc);
                struct due_item *it = &items[n++];
                memset(it, 0, sizeof(*it));
                it->pair = stmt_int(r, 0);
                snprintf(it->tcode, sizeof(it->tcode), "%s", stmt_text(r, 1));
                snprintf(it->township, sizeof(it->township), "%s", stmt_text(r, 2));
                snprintf(it->child, sizeof(it->child), "%s", stmt_text(r, 3));
                snprintf(it->what, sizeof(it->what), "人工复核：是否同一名儿童（%d 个工作日内）",
                         cs.review_days);
                snprintf(it->ref, sizeof(it->ref), "%s %lld",
                         vocab_label(&audit_objects, "candidate"), (long long)it->pair);
                it->due = deadline_working_days(date_or_zero(stmt_text(r, 4)), cs.review_days);
            }
            stmt_finalize(r);
        }
    }
    if (rc < 0) {
        free(items);
        casework_settings_release(&cs);
        fail_store(s, o);
        return -1;
    }
    /* each child's priority groups, read once (issue 15) */
    struct child_groups cg;
    if (child_groups_load(s, &cg) < 0) {
        child_groups_release(&cg);
        free(items);
        casework_settings_release(&cs);
        fail_store(s, o);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        items[i].groups = items[i].child_id ? child_groups_of(&cg, items[i].child_id, NULL) : 0;
    child_groups_release(&cg);
    /* one row per item, with the people currently assigned to it (the latest of each role) */
    struct due_row *rows = NULL;
    size_t nr = 0, ra = 0;
    int today = date_today();
    for (size_t i = 0; i < n; i++) {
        if (f->overdue && items[i].due >= today)
            continue;
        struct due_row row = {.it = &items[i]};
        if (items[i].record) {
            /* the school that sends the teachers; on a person's list, its teachers' */
            if (person) {
                int64_t hit = 0;
                char pid[24];
                snprintf(pid, sizeof(pid), "%lld", (long long)person);
                const char *p[] = {pid, items[i].school};
                if (store_int(s,
                              "SELECT count(*) FROM person WHERE id = CAST($1 AS BIGINT)"
                              " AND org_kind = 'school' AND org = $2",
                              2, p, &hit) < 0) {
                    rc = -1;
                    break;
                }
                if (!hit)
                    continue;
            }
            snprintf(row.who, sizeof(row.who), "%s（送教学校）", items[i].school);
        } else if (items[i].pair) {
            if (person)
                continue;
            snprintf(row.who, sizeof(row.who), "%s", REVIEWER);
        } else if (items[i].monthly) {
            snprintf(row.who, sizeof(row.who), "%s（月报确认）",
                     *items[i].township ? items[i].township : "乡镇");
        } else if (items[i].acct) {
            snprintf(row.who, sizeof(row.who), "%s", items[i].unit);
        } else if (items[i].warning) {
            snprintf(row.who, sizeof(row.who), "%s（考勤预警）",
                     *items[i].township ? items[i].township : "乡镇");
        } else if (items[i].rectify) {
            snprintf(row.who, sizeof(row.who), "%s（整改责任单位）", items[i].school);
        } else {
            struct stmt *a = store_prepare(
                s, "SELECT a.person_id, p.name, a.role FROM assignment a"
                   " JOIN person p ON p.id = a.person_id WHERE a.id IN (SELECT max(id)"
                   " FROM assignment WHERE (task_id = $1 AND $2 = 0) OR case_id = $2 GROUP BY "
                   "role)"
                   " ORDER BY CASE a.role WHEN 'township' THEN 1 WHEN 'village' THEN 2 ELSE 3 END");
            if (!a) {
                rc = -1;
                break;
            }
            stmt_bind_int(a, 1, items[i].task);
            stmt_bind_int(a, 2, items[i].case_id);
            bool mine = !person;
            struct buf who = BUF_INIT;
            while (stmt_step(a) == 1) {
                mine = mine || stmt_int(a, 0) == person;
                buf_addf(&who, "%s%s（%s）", who.len ? "、" : "", stmt_text(a, 1),
                         vocab_label(&assignee_roles, stmt_text(a, 2)));
            }
            stmt_finalize(a);
            snprintf(row.who, sizeof(row.who), "%s", who.len ? who.buf : "（未指派）");
            buf_release(&who);
            if (!mine)
                continue;
        }
        ALLOC_GROW(rows, nr + 1, ra);
        rows[nr++] = row;
    }
    if (rc < 0) {
        free(rows);
        free(items);
        casework_settings_release(&cs);
        fail_store(s, o);
        return -1;
    }
    if (nr)
        qsort(rows, nr, sizeof(*rows), f->by_due ? cmp_rows_due : cmp_rows);
    table_init(t,
               f->by_due    ? (f->overdue ? "逾期事项（最久逾期的在前）"
                                          : "待办事项（按截止日期，最紧急的在前）")
               : f->overdue ? "逾期事项（重点群体儿童的在前，再按最久逾期）"
                            : "待办事项（重点群体儿童的在前，再按截止日期，最紧急的在前）",
               "tasks", due_cols, ARRAY_SIZE(due_cols));
    t->words = &priority_groups;
    long late = 0, priority = 0;
    struct buf g = BUF_INIT;
    for (size_t i = 0; i < nr; i++) {
        const struct due_item *it = rows[i].it;
        long days = days_between(today, it->due);
        char d[11];
        date_format(it->due, d);
        table_add_row(t);
        table_set(t, 0, *it->township ? it->township : it->acct ? "全县" : "（未填乡镇）");
        table_set(t, 1, rows[i].who);
        table_set(t, 2, it->what);
        table_set(t, 3, it->ref);
        table_set(t, 4, it->child);
        table_set(t, 5, d);
        table_setf(t, 6, "%ld", days);
        if (days < 0) {
            table_setf(t, 7, "逾期 %ld 天", -days);
            late++;
        } else {
            table_set(t, 7, days == 0 ? "今天到期" : "未到期");
        }
        table_set(t, 8,
                  it->monthly   ? "monthly"
                  : it->rectify ? "rectify"
                  : it->acct    ? it->acct_kind
                  : it->warning ? "warning"
                  : it->record  ? "record"
                  : it->pair    ? "candidate"
                  : it->case_id ? "case"
                                : "task");
        table_setf(t, 9, "%lld",
                   (long long)(it->monthly   ? it->monthly
                               : it->rectify ? it->rectify
                               : it->acct    ? it->acct
                               : it->warning ? it->warning
                               : it->record  ? it->record
                               : it->pair    ? it->pair
                               : it->case_id ? it->case_id
                                             : it->task));
        buf_reset(&g);
        groups_labels(it->groups, &g);
        table_set(t, 10, g.buf);
        priority += it->groups != 0;
    }
    buf_release(&g);
    char today_s[11];
    date_format(today, today_s);
    table_meta(t, "today", today_s, META_TEXT);
    char np[24];
    snprintf(np, sizeof(np), "%ld", priority);
    table_meta(t, "priority", np, META_INT);
    buf_addf(&t->footer, "\n截至 %s，共 %zu 项，其中逾期 %ld 项；重点群体儿童的事项 %ld 项%s。\n",
             today_s, nr, late, priority, f->by_due || !priority ? "" : "，列在前面");
    free(rows);
    free(items);
    casework_settings_release(&cs);
    return 0;
}

int casework_region(struct store *s, enum scope_object what, int64_t id, char township[10])
{
    static const char *const sql[] = {
        [SCOPE_TASK] = "SELECT coalesce(township_code, '') FROM verify_task WHERE id = $1",
        [SCOPE_CASE] = "SELECT coalesce(township_code, '') FROM case_file WHERE id = $1",
        [SCOPE_PERSON] = "SELECT coalesce(township_code, '') FROM person WHERE id = $1",
    };
    township[0] = '\0';
    if (what <= SCOPE_NONE || what > SCOPE_PERSON)
        return 0;
    struct stmt *q = store_prepare(s, sql[what]);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(township, 10, "%s", stmt_text(q, 0));
    stmt_finalize(q);
    return rc;
}

int casework_ties(struct store *s, enum scope_object what, int64_t id, const char *school,
                  const char *school_name, int64_t user_id, struct object_ties *t)
{
    static const char *const sql[] = {
        [SCOPE_TASK] =
            "SELECT coalesce(v.township_code, ''),"
            " CASE WHEN " TIE_SCHOOL_RECORD_SQL(
                "v",
                "$2") " THEN 1 ELSE 0 END, 0,"
                      " CASE WHEN " TIE_TEACHER_SQL(
                          "task_id", "v",
                          "$3") " THEN 4 ELSE 0 END,"
                                " CASE WHEN " TIE_REGISTRATION_SQL(
                                    "v") " THEN 8 ELSE 0 END,"
                                         " CASE WHEN " TIE_VILLAGE_SQL(
                                             "v",
                                             "$4") " THEN 16 ELSE 0 END,"
                                                   " CASE WHEN " TIE_ASSIGNED_SQL(
                                                       "task_id", "v",
                                                       "$4") " THEN 32 ELSE 0 END"
                                                             " FROM verify_task v WHERE v.id = $1",
        [SCOPE_CASE] =
            "SELECT coalesce(c.township_code, ''),"
            " CASE WHEN " TIE_SCHOOL_RECORD_SQL(
                "c",
                "$2") " THEN 1 ELSE 0 END,"
                      " CASE WHEN " TIE_RETURNED_TO_SQL(
                          "$3") " THEN 2 ELSE 0 END,"
                                " CASE WHEN " TIE_TEACHER_SQL(
                                    "case_id", "c",
                                    "$3") " THEN 4 ELSE 0 END, 0,"
                                          " CASE WHEN " TIE_VILLAGE_SQL(
                                              "c",
                                              "$4") " THEN 16 ELSE 0 END,"
                                                    " CASE WHEN " TIE_ASSIGNED_SQL(
                                                        "case_id", "c",
                                                        "$4") " THEN 32 ELSE 0 END"
                                                              " FROM case_file c WHERE c.id = $1",
    };
    memset(t, 0, sizeof(*t));
    if (what != SCOPE_TASK && what != SCOPE_CASE)
        return casework_region(s, what, id, t->township);
    struct stmt *q = store_prepare(s, sql[what]);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, school);
    stmt_bind_str(q, 3, school_name);
    stmt_bind_int(q, 4, user_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(t->township, sizeof(t->township), "%s", stmt_text(q, 0));
        if (school && *school)
            t->ties = (unsigned)(stmt_int(q, 1) | stmt_int(q, 2) | stmt_int(q, 3));
        t->ties |= (unsigned)(stmt_int(q, 4) | stmt_int(q, 5) | stmt_int(q, 6));
    }
    stmt_finalize(q);
    return rc;
}

int casework_school_name(struct store *s, const char *code, char *name, size_t size)
{
    return batch_school_name(s, code, name, size);
}
