#include "domain/run.h"

#include "core/date.h"
#include "core/idcard.h"
#include "core/view.h"
#include "domain/runstatus.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

void run_info_row(struct stmt *q, int col, struct run_info *ri)
{
    ri->id = stmt_int(q, col);
    snprintf(ri->as_of, sizeof(ri->as_of), "%s", stmt_text(q, col + 1));
    ri->school_year = (int)stmt_int(q, col + 2);
    ri->population_batch = stmt_int(q, col + 3);
    ri->enrollment_batch = stmt_int(q, col + 4);
    ri->outside_batch = stmt_int(q, col + 5);
    ri->cutoff = 0;
    const char *cut = stmt_text(q, col + 6);
    if (date_parse(cut, strlen(cut), &ri->cutoff) < 0)
        ri->cutoff = 0;
    ri->county[0] = '\0';
    const char *county = stmt_text(q, col + 7);
    if (strlen(county) == 6)
        memcpy(ri->county, county, 7);
    snprintf(ri->population_department, sizeof(ri->population_department), "%s",
             stmt_text(q, col + 8));
}

/* The latest run as this thread's request read it with its session (run_latest_prefetched). */
static _Thread_local struct {
    const struct store *s;
    bool none; /* no finished run then */
    struct run_info ri;
} prefetch_;

void run_latest_prefetched(const struct store *s, const struct run_info *ri)
{
    prefetch_.s = s;
    prefetch_.none = !ri;
    if (ri)
        prefetch_.ri = *ri;
}

void run_latest_forget(void)
{
    prefetch_.s = NULL;
}

int run_info_load(struct store *s, int64_t want, struct run_info *ri, struct outcome *o)
{
    if (!want && s && prefetch_.s == s) {
        if (prefetch_.none)
            return failed(o, OUT_NO_RUN, "还没有比对结果：请先导入户籍和学籍数据，再进行比对");
        *ri = prefetch_.ri;
        return 0;
    }
    /* the county setting in the same query: one round trip per request on PostgreSQL */
    struct stmt *q = store_prepare(
        s, want ? "SELECT " RUN_INFO_COLS("m") " FROM match_run m"
                                               " WHERE m.id = $1 AND m.finished_at IS NOT NULL"
                : "SELECT " RUN_INFO_COLS("m") " FROM match_run m WHERE m.finished_at IS NOT NULL"
                                               " ORDER BY m.id DESC LIMIT 1");
    if (!q)
        return fail_store(s, o);
    if (want)
        stmt_bind_int(q, 1, want);
    int rc = stmt_step(q);
    if (rc != 1) {
        stmt_finalize(q);
        if (rc < 0)
            return fail_store(s, o);
        if (want)
            return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的比对结果", (long long)want);
        return failed(o, OUT_NO_RUN, "还没有比对结果：请先导入户籍和学籍数据，再进行比对");
    }
    run_info_row(q, 0, ri);
    stmt_finalize(q);
    return 0;
}

int run_view(struct store *s, bool full, struct view *v)
{
    struct stmt *q = store_prepare(s, "SELECT cutoff FROM match_run WHERE finished_at IS NOT NULL"
                                      " ORDER BY id DESC LIMIT 1");
    if (!q)
        return -1;
    int rc = stmt_step(q);
    *v = view_make(full, rc == 1 ? date_or_zero(stmt_text(q, 0)) : 0);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int run_child_status(struct store *s, const struct run_info *ri, int64_t record_id,
                     struct run_status_entry *e, struct buf *detail)
{
    int rc = run_status_get(s, ri->id, record_id, e);
    if (rc == 0) {
        /* not a child of the register: perhaps a pupil in no register here, whose row is all */
        struct stmt *q = store_prepare(
            s, "SELECT coalesce(age, -1), coalesce(expected_grade, 0), school_record, detail"
               " FROM child_status WHERE run_id = $1 AND record_id = $2"
               " AND status = 'enrolled_nonlocal'");
        if (!q)
            return -1;
        stmt_bind_int(q, 1, ri->id);
        stmt_bind_int(q, 2, record_id);
        rc = stmt_step(q);
        if (rc == 1) {
            *e = (struct run_status_entry){.record_id = record_id,
                                           .school_record = stmt_int(q, 2),
                                           .st = ST_ENROLLED_NONLOCAL,
                                           .age = (int)stmt_int(q, 0),
                                           .grade = (int)stmt_int(q, 1)};
            buf_reset(detail);
            buf_adds(detail, stmt_text(q, 3));
        }
        stmt_finalize(q);
        return rc;
    }
    if (rc < 0)
        return rc;
    buf_reset(detail);
    if (status_has_row(e->st)) {
        struct stmt *q = store_prepare(s, "SELECT detail FROM child_status"
                                          " WHERE run_id = $1 AND record_id = $2");
        if (!q)
            return -1;
        stmt_bind_int(q, 1, ri->id);
        stmt_bind_int(q, 2, record_id);
        rc = stmt_step(q);
        if (rc == 1)
            buf_adds(detail, stmt_text(q, 0));
        stmt_finalize(q);
        if (rc != 0)
            return rc < 0 ? -1 : 1;
    }
    /* written from the child's registration and the record the status rests on */
    struct status_facts f = {.st = e->st,
                             .age = e->age,
                             .grade = e->grade,
                             .cutoff = ri->cutoff,
                             .reg = REG_NORMAL,
                             .school = "",
                             .school_state = ENR_UNKNOWN,
                             .method = e->method};
    struct buf school = BUF_INIT;
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(p.reg_status, ''), coalesce(p.id_number, ''), p.id_flags,"
           " b.kind, coalesce(r.school_name, ''), coalesce(r.school_region, ''),"
           " coalesce(r.grade, 0), coalesce(r.enroll_status, '')"
           " FROM record p LEFT JOIN record r ON r.id = $2 LEFT JOIN batch b ON b.id = r.batch_id"
           " WHERE p.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, record_id);
    stmt_bind_int(q, 2, e->school_record);
    rc = stmt_step(q);
    if (rc == 1) {
        f.reg = (int)reg_status_from_key(stmt_text(q, 0));
        f.has_id = *stmt_text(q, 1) != '\0';
        f.bad_check = (stmt_int(q, 2) & ID_BAD_CHECK) != 0;
        if (e->school_record && !stmt_is_null(q, 3)) {
            enum import_kind kind = KIND_ENROLLMENT;
            kind_parse(stmt_text(q, 3), &kind);
            school_display(&school, kind, stmt_text(q, 4), stmt_text(q, 5));
            f.school = school.buf;
            f.school_grade = (int)stmt_int(q, 6);
            f.school_state = (int)enroll_status_from_key(stmt_text(q, 7));
        }
        status_describe(&f, detail);
    }
    stmt_finalize(q);
    buf_release(&school);
    return rc < 0 ? -1 : 1;
}
