/*
 * Children a later run finds at school: the open tasks, open or returned cases and flagged
 * claims whose child the run's status shows enrolled (the last pass of casework_after_match).
 */
#include "casework/casework.h"
#include "casework/casework_impl.h"

#include "casework/event.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "domain/match.h"
#include "domain/runstatus.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* An open task, an open or returned case, or a flagged claim, whose child a run may find. */
struct watched {
    int64_t child, id; /* the task or case */
    char what;         /* 't' task, 'c' case, 'f' flagged claim */
    char state[12];
    char *key;
    int64_t record; /* the child's record in the run's population batch; 0 none */
};

static int cmp_watched_key(const void *a, const void *b)
{
    return strcmp(((const struct watched *)a)->key, ((const struct watched *)b)->key);
}

static int load_watched(struct store *s, int64_t run_id, struct watched **out, size_t *n)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.id, v.id, 't', v.state, c.child_key FROM verify_task v"
           " JOIN child c ON c.id = v.child_id WHERE v.state <> 'closed' AND v.run_id < $1"
           " UNION ALL SELECT c.id, v.id, 'f', v.state, c.child_key FROM verify_task v"
           " JOIN child c ON c.id = v.child_id WHERE v.state = 'closed'"
           " AND v.flagged_run IS NOT NULL AND v.flagged_run < $1"
           " UNION ALL SELECT c.id, f.id, 'c', f.state, c.child_key FROM case_file f"
           " JOIN child c ON c.id = f.child_id WHERE f.state IN ('open', 'returned')"
           " ORDER BY 1, 3, 2");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    int rc;
    size_t alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct watched *w = &(*out)[(*n)++];
        w->child = stmt_int(q, 0);
        w->id = stmt_int(q, 1);
        w->what = stmt_text(q, 2)[0];
        snprintf(w->state, sizeof(w->state), "%s", stmt_text(q, 3));
        w->key = xstrdup(stmt_text(q, 4));
        w->record = 0;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/*
 * Each watched child's record in the population batch: by ID through the index, and the
 * children keyed by name and birth (no usable ID) in one pass over the batch's records
 * without a usable ID, so that the cost does not grow with their number.
 */
static int find_records(struct store *s, int64_t batch, struct watched *ws, size_t n)
{
    struct stmt *q = store_prepare(s, "SELECT min(id) FROM record WHERE batch_id = $1"
                                      " AND id_number = $2");
    if (!q)
        return -1;
    size_t by_name = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(ws[i].key, "I:", 2)) {
            by_name++;
            continue;
        }
        stmt_reset(q);
        stmt_bind_int(q, 1, batch);
        stmt_bind_str(q, 2, ws[i].key + 2);
        if (stmt_step(q) == 1 && !stmt_is_null(q, 0))
            ws[i].record = stmt_int(q, 0);
    }
    stmt_finalize(q);
    if (!by_name)
        return 0;
    /* the name-keyed ones, sorted by key for bsearch (the order of ws does not matter) */
    qsort(ws, n, sizeof(*ws), cmp_watched_key);
    const int unusable = ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST;
    q = store_prepare(s, "SELECT id, id_number, id_flags, name_key, birth_date, coalesce(gender, 0)"
                         " FROM record WHERE batch_id = $1 AND (id_number IS NULL"
                         " OR length(id_number) <> 18 OR (id_flags & $2) <> 0) ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    stmt_bind_int(q, 2, unusable);
    struct buf k = BUF_INIT;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        child_key(stmt_is_null(q, 1) ? NULL : stmt_text(q, 1), (int)stmt_int(q, 2), stmt_text(q, 3),
                  stmt_text(q, 4), (int)stmt_int(q, 5), &k);
        struct watched probe = {.key = k.buf};
        struct watched *hit = bsearch(&probe, ws, n, sizeof(*ws), cmp_watched_key);
        if (!hit)
            continue;
        /* every entry of that key (a child may have a task and a case) */
        while (hit > ws && !strcmp(hit[-1].key, k.buf))
            hit--;
        for (; hit < ws + n && !strcmp(hit->key, k.buf); hit++)
            if (!hit->record)
                hit->record = stmt_int(q, 0);
    }
    buf_release(&k);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The school the run's status rests on, as lists name it ("郑庄中心小学 五年级"). */
static int school_of(struct store *s, int64_t record, struct buf *out)
{
    struct stmt *q = store_prepare(s, "SELECT b.kind, coalesce(r.school_name, ''),"
                                      " coalesce(r.school_region, ''), coalesce(r.grade, 0)"
                                      " FROM record r JOIN batch b ON b.id = r.batch_id"
                                      " WHERE r.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record);
    int rc = stmt_step(q);
    if (rc == 1) {
        enum import_kind kind = KIND_ENROLLMENT;
        kind_parse(stmt_text(q, 0), &kind);
        school_display(out, kind, stmt_text(q, 1), stmt_text(q, 2));
        const char *g = grade_name((int)stmt_int(q, 3));
        if (*g)
            buf_addf(out, " %s", g);
    }
    stmt_finalize(q);
    if (rc == 0)
        buf_adds(out, "（学校未填）");
    return rc < 0 ? -1 : 0;
}

static int found_enrolled(struct store *s, const struct watched *w, int64_t run_id,
                          const struct run_status_entry *e, int today, const char *actor,
                          struct casework_summary *sum)
{
    struct buf school = BUF_INIT, t = BUF_INIT, ev = BUF_INIT;
    int rc = school_of(s, e->school_record, &school);
    char run[24], num[24], day[11];
    snprintf(run, sizeof(run), "%lld", (long long)run_id);
    snprintf(num, sizeof(num), "%lld", (long long)w->id);
    date_format(today, day);
    buf_addf(&ev, "第 %lld 次比对", (long long)run_id);
    const char *where = status_label(e->st);
    if (rc == 0 && w->what == 't') {
        /* the verification is done by the run itself: 已在校注册学籍, verifier the system */
        buf_addf(&t, "%s：%s（%s）", ev.buf, where, school.buf);
        const char *p[] = {num, day, school.buf, ev.buf, t.buf};
        rc = store_run(s,
                       "UPDATE verify_task SET state = 'closed', outcome = 'registered',"
                       " outcome_sub = NULL, verified_on = $2, verified_by = NULL, school = $3,"
                       " evidence = $4, note = $5, flagged_run = NULL,"
                       " outcome_lists = " LISTS_NOW_SQL " WHERE id = $1",
                       5, p);
        buf_reset(&t);
        buf_addf(&t,
                 "%s发现已在校：%s（%s）；核查任务 %lld 自动办结，结论：已在校注册学籍；"
                 "核查人 系统（%s）",
                 ev.buf, school.buf, where, (long long)w->id, ev.buf);
        if (rc == 0)
            rc = event_add(s, w->child, w->id, 0, "verified", today, actor, t.buf);
        sum->tasks_closed++;
    } else if (rc == 0 && w->what == 'f') {
        const char *p[] = {num};
        rc = store_run(s, "UPDATE verify_task SET flagged_run = NULL WHERE id = $1", 1, p);
        buf_addf(&t, "%s发现已在校：%s（%s）；核查任务 %lld 的结论不再存疑", ev.buf, school.buf,
                 where, (long long)w->id);
        if (rc == 0)
            rc = event_add(s, w->child, w->id, 0, "claim_cleared", today, actor, t.buf);
        sum->flags_cleared++;
    } else if (rc == 0) {
        /* a case is closed only by a person (销号 needs follow-ups and an approver); the run
         * is noted once in its history, and is not a follow-up */
        char like[48];
        snprintf(like, sizeof(like), "%s发现%%", ev.buf);
        struct stmt *q = store_prepare(s, "SELECT count(*) FROM event WHERE case_id = $1"
                                          " AND kind = 'found_enrolled' AND text LIKE $2");
        int64_t seen = 0;
        if (!q) {
            rc = -1;
        } else {
            stmt_bind_int(q, 1, w->id);
            stmt_bind_str(q, 2, like);
            rc = stmt_step(q) == 1 ? 0 : -1;
            seen = rc == 0 ? stmt_int(q, 0) : 0;
            stmt_finalize(q);
        }
        if (rc == 0 && !seen) {
            buf_addf(&t, "%s发现已在校：%s（%s）；", ev.buf, school.buf, where);
            if (!strcmp(w->state, "open"))
                buf_adds(&t, "案件仍在劝返中，请核实后记录劝返结果");
            else
                buf_adds(&t, "可作巩固的佐证，不计入回访次数（回访须由人员到校或入户核实）");
            rc = event_add(s, w->child, 0, w->id, "found_enrolled", today, actor, t.buf);
            sum->cases_found_enrolled++;
        }
    }
    buf_release(&school);
    buf_release(&t);
    buf_release(&ev);
    return rc;
}

int casework_enrolled_pass(struct store *s, int64_t run_id, int64_t population_batch, int today,
                           const char *actor, struct casework_summary *sum)
{
    struct watched *ws = NULL;
    size_t n = 0;
    int rc = load_watched(s, run_id, &ws, &n);
    if (rc == 0 && n)
        rc = find_records(s, population_batch, ws, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct run_status_entry e;
        if (!ws[i].record)
            continue;
        int r = run_status_get(s, run_id, ws[i].record, &e);
        if (r < 0)
            rc = -1;
        else if (r == 1 && (e.st == ST_ENROLLED || e.st == ST_ENROLLED_ELSEWHERE))
            rc = found_enrolled(s, &ws[i], run_id, &e, today, actor, sum);
    }
    for (size_t i = 0; i < n; i++)
        free(ws[i].key);
    free(ws);
    return rc;
}
