/* The filter choices of a run's children, and one child: whether a reader reaches them, and
 * their record with its status and explanation. */
#include "domain/children.h"
#include "domain/children_impl.h"

#include <pthread.h>

#include "core/date.h"
#include "core/schoolyear.h"
#include "store/audit.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "link/linker.h"
#include "render/table.h"
#include "store/store.h"
#include "util/common.h"

/*
 * The county's filter choices of one pair of snapshots. Reading them is a scan of the register
 * (seconds at a million children); batches never change once imported, so the answer is kept
 * for the batches it was read from and shared by every request of the process.
 */
static struct {
    pthread_mutex_t lock;
    int64_t population_batch, enrollment_batch;
    json_t *choices; /* {"townships": […], "schools": […]}, county-wide */
} filters_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static json_t *filters_read(struct store *s, const struct run_info *ri)
{
    json_t *towns = json_array(), *schools = json_array(), *cur = NULL;
    struct stmt *q =
        store_prepare(s, "SELECT DISTINCT coalesce(township_code, ''), coalesce(township, ''),"
                         " coalesce(village, '') FROM record WHERE batch_id = $1 ORDER BY 1, 3");
    int rc = -1;
    if (!q)
        goto out;
    stmt_bind_int(q, 1, ri->population_batch);
    char code_now[16] = "";
    while ((rc = stmt_step(q)) == 1) {
        if (!*stmt_text(q, 0))
            continue;
        if (!cur || strcmp(code_now, stmt_text(q, 0))) {
            snprintf(code_now, sizeof(code_now), "%s", stmt_text(q, 0));
            cur = json_pack("{s:o, s:o, s:[]}", "code", jstr(stmt_text(q, 0)), "name",
                            jstr(stmt_text(q, 1)), "villages");
            json_array_append_new(towns, cur);
        }
        if (*stmt_text(q, 2))
            json_array_append_new(json_object_get(cur, "villages"), jstr(stmt_text(q, 2)));
    }
    stmt_finalize(q);
    if (rc < 0)
        goto out;
    q = store_prepare(s, "SELECT school_code, max(coalesce(school_name, '')) FROM record"
                         " WHERE batch_id = $1 AND school_code IS NOT NULL AND school_code <> ''"
                         " GROUP BY school_code ORDER BY school_code");
    rc = -1;
    if (!q)
        goto out;
    stmt_bind_int(q, 1, ri->enrollment_batch);
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(schools, json_pack("{s:o, s:o}", "code", jstr(stmt_text(q, 0)),
                                                 "name", jstr(stmt_text(q, 1))));
    stmt_finalize(q);
out:
    if (rc < 0) {
        json_decref(towns);
        json_decref(schools);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "townships", towns, "schools", schools);
}

json_t *children_filters(struct store *s, const struct scope *sc, struct outcome *oc)
{
    if (!role_has(sc->role, PERM_CHILDREN))
        return refuse(oc, OUT_FORBIDDEN, "您的账号无权查看儿童名单");
    struct run_info ri;
    if (run_info_load(s, 0, &ri, oc) < 0)
        return NULL;
    json_t *all = NULL;
    pthread_mutex_lock(&filters_cache.lock);
    if (filters_cache.choices && filters_cache.population_batch == ri.population_batch &&
        filters_cache.enrollment_batch == ri.enrollment_batch)
        all = json_incref(filters_cache.choices);
    pthread_mutex_unlock(&filters_cache.lock);
    if (!all) {
        if (!(all = filters_read(s, &ri))) {
            fail_store(s, oc);
            return NULL;
        }
        pthread_mutex_lock(&filters_cache.lock);
        json_decref(filters_cache.choices);
        filters_cache.choices = json_incref(all);
        filters_cache.population_batch = ri.population_batch;
        filters_cache.enrollment_batch = ri.enrollment_batch;
        pthread_mutex_unlock(&filters_cache.lock);
    }
    /* the scope's part of the county's choices (the shared object is only read) */
    const char *township = NULL, *school = NULL, *gt, *gs;
    json_t *towns = json_array(), *schools = json_array(), *groups = json_array(), *t;
    size_t i;
    /* the priority groups the scope reads (a department its own, scope_groups) */
    unsigned own = 0;
    bool by_groups = sc->role == ROLE_DEPARTMENT &&
                     !scope_reads_run(sc, ri.population_department) &&
                     scope_groups(sc, &own, &gt, &gs);
    if (sc->role != ROLE_DEPARTMENT || by_groups)
        for (int g = 0; g < GRP__COUNT; g++)
            if (!own || (own & (1u << g)))
                json_array_append_new(groups,
                                      json_pack("{s:s, s:s}", "key", priority_groups.words[g].key,
                                                "label", priority_groups.words[g].label));
    if (by_groups) {
        /* a department's children are anywhere in the county: every township to filter by */
        json_array_foreach(json_object_get(all, "townships"), i, t)
            json_array_append_new(towns, json_deep_copy(t));
    } else if (scope_filter(sc, &township, &school) ||
               scope_reads_run(sc, ri.population_department)) {
        json_array_foreach(json_object_get(all, "townships"), i, t)
        {
            const char *c = json_string_value(json_object_get(t, "code"));
            if (!township || !*township || !strcmp(township, c))
                json_array_append_new(towns, json_deep_copy(t));
        }
        json_array_foreach(json_object_get(all, "schools"), i, t)
        {
            const char *c = json_string_value(json_object_get(t, "code"));
            if (!school || !strcmp(school, c))
                json_array_append_new(schools, json_deep_copy(t));
        }
    }
    json_decref(all);
    return json_pack("{s:o, s:o, s:o}", "townships", towns, "schools", schools, "groups", groups);
}

static const char child_not_found[] = "没有这名儿童，或不在您的管辖范围内";

/* The groups a department account reads (scope_groups), 0 for every other account. */
static unsigned own_groups(const struct scope *sc, const struct run_info *ri)
{
    unsigned own = 0;
    const char *t, *sch;
    if (sc->role != ROLE_DEPARTMENT || scope_reads_run(sc, ri->population_department) ||
        !scope_groups(sc, &own, &t, &sch))
        return 0;
    return own;
}

/* Is the child in one of the groups of a department account (issue 15: it reads the children
 * of its own groups)? 1 yes, 0 no (or not such an account), -1 store error. */
static int in_own_groups(struct store *s, const struct scope *sc, const struct run_info *ri,
                         int64_t record_id)
{
    unsigned own = own_groups(sc, ri);
    if (!own)
        return 0;
    struct stmt *g = store_prepare(
        s, "SELECT DISTINCT grp FROM group_member WHERE run_id = $1 AND record_id = $2");
    if (!g)
        return -1;
    stmt_bind_int(g, 1, ri->id);
    stmt_bind_int(g, 2, record_id);
    int rc, found = 0;
    while ((rc = stmt_step(g)) == 1) {
        int k = vocab_parse(&priority_groups, stmt_text(g, 0));
        if (k >= 0 && (own & (1u << k)))
            found = 1;
    }
    stmt_finalize(g);
    return rc < 0 ? -1 : found;
}

/* How a group row was linked to the child, as people read it. */
static const char *matched_by_words(const char *key)
{
    return !strcmp(key, "id")          ? "按身份证号关联"
           : !strcmp(key, "household") ? "按户主或监护人身份证号及姓名、出生日期关联"
           : !strcmp(key, "name_birth") ? "按姓名、出生日期和乡镇关联"
                                        : "";
}

/*
 * The child's priority groups (issue 15): "groups": [{key, label, category, level, kind_label,
 * file_name, batch_id, imported_at, matched_by, matched_by_label, detail}] — one a group row
 * linked to the child in the run, each group the reader sees (a department its own).
 */
static int child_groups(struct store *s, const struct scope *sc, const struct run_info *ri,
                        int64_t record_id, json_t *root)
{
    unsigned own = own_groups(sc, ri);
    struct stmt *g = store_prepare(
        s, "SELECT gm.grp, coalesce(gm.category, ''), b.kind, b.file_name, b.id, b.imported_at,"
           " coalesce(gm.matched_by, ''), gm.detail, coalesce(d.category_text, ''),"
           " coalesce(d.level, '')"
           " FROM group_member gm JOIN record r ON r.id = gm.group_record"
           " JOIN batch b ON b.id = r.batch_id"
           " LEFT JOIN group_detail d ON d.batch_id = r.batch_id AND d.row_no = r.row_no"
           " WHERE gm.run_id = $1 AND gm.record_id = $2 ORDER BY gm.grp, b.id, r.id");
    if (!g)
        return -1;
    stmt_bind_int(g, 1, ri->id);
    stmt_bind_int(g, 2, record_id);
    json_t *arr = json_array();
    json_object_set_new(root, "groups", arr);
    int rc;
    while ((rc = stmt_step(g)) == 1) {
        int k = vocab_parse(&priority_groups, stmt_text(g, 0));
        if (k < 0 || (own && !(own & (1u << k))))
            continue;
        enum import_kind kind = KIND_POPULATION;
        kind_parse(stmt_text(g, 2), &kind);
        const struct vocab *cats = kind_categories(kind);
        const char *cat = cats && *stmt_text(g, 1) ? vocab_label(cats, stmt_text(g, 1)) : "";
        if (!*cat)
            cat = stmt_text(g, 8); /* the list's own words when not one of ours */
        const char *level =
            *stmt_text(g, 9) ? vocab_label(&disability_levels, stmt_text(g, 9)) : "";
        json_t *o = json_object();
        json_object_set_new(o, "key", jstr(priority_groups.words[k].key));
        json_object_set_new(o, "label", jstr(priority_groups.words[k].label));
        json_object_set_new(o, "category", jstr(cat));
        json_object_set_new(o, "level", jstr(level));
        json_object_set_new(o, "kind_label", jstr(kind_label(kind)));
        json_object_set_new(o, "file_name", jstr(stmt_text(g, 3)));
        json_object_set_new(o, "batch_id", json_integer(stmt_int(g, 4)));
        json_object_set_new(o, "imported_at", jstr(stmt_text(g, 5)));
        json_object_set_new(o, "matched_by", jstr(stmt_text(g, 6)));
        json_object_set_new(o, "matched_by_label", jstr(matched_by_words(stmt_text(g, 6))));
        json_object_set_new(o, "detail", jstr(stmt_text(g, 7)));
        json_array_append_new(arr, o);
    }
    stmt_finalize(g);
    return rc < 0 ? -1 : 0;
}

/* child_reach with the run and the child's entry in it for child_get; `detail` gets the
 * status's explanation. */
static bool reach(struct store *s, const struct scope *sc, int64_t record_id, struct run_info *ri,
                  struct run_status_entry *e, struct buf *detail, struct outcome *oc)
{
    if (!role_has(sc->role, PERM_CHILDREN)) {
        refuse(oc, OUT_FORBIDDEN, "您的账号无权查看儿童信息");
        return false;
    }
    if (run_info_load(s, 0, ri, oc) < 0)
        return false;
    int rc = run_child_status(s, ri, record_id, e, detail);
    struct stmt *q = NULL;
    if (rc == 1) {
        /* a pupil in no register here is counted in the township of nonlocal_pupil */
        /* a school also reads the children placed with it (issue 15, casework/placement.h: a
         * disabled child it sends teachers to or teaches), the placement's record being this
         * child's by its ID, or this very record */
        q = store_prepare(
            s,
            "SELECT coalesce((SELECT np.township_code FROM nonlocal_pupil np"
            " WHERE np.run_id = $3 AND np.record_id = p.id), p.township_code, ''),"
            " coalesce(sr.school_code, ''), CASE WHEN CAST($4 AS TEXT) IS NOT NULL AND EXISTS"
            " (SELECT 1 FROM placement pl JOIN record pr ON pr.id = pl.record_id"
            " WHERE pl.school = $4 AND (pr.id = p.id OR pr.id_number = p.id_number))"
            " THEN 1 ELSE 0 END FROM record p LEFT JOIN record sr ON sr.id = $2 WHERE p.id = $1");
        rc = -1;
        if (q) {
            stmt_bind_int(q, 1, record_id);
            stmt_bind_int(q, 2, e->school_record);
            stmt_bind_int(q, 3, ri->id);
            stmt_bind_str(q, 4, sc->role == ROLE_SCHOOL ? sc->school : NULL);
            rc = stmt_step(q);
            if (rc == 1 && !scope_allows(sc, stmt_text(q, 0), stmt_text(q, 1)) &&
                !scope_reads_run(sc, ri->population_department) && !stmt_int(q, 2))
                rc = in_own_groups(s, sc, ri, record_id);
        }
        stmt_finalize(q);
    }
    if (rc < 0)
        fail_store(s, oc);
    else if (rc == 0)
        failed(oc, OUT_NOT_FOUND, "%s", child_not_found);
    return rc == 1;
}

bool child_reach(struct store *s, const struct scope *sc, int64_t record_id, struct outcome *oc)
{
    struct run_info ri;
    struct run_status_entry e;
    struct buf detail = BUF_INIT;
    bool ok = reach(s, sc, record_id, &ri, &e, &detail, oc);
    buf_release(&detail);
    return ok;
}

json_t *child_get(struct store *s, const struct scope *sc, int64_t record_id, bool full,
                  struct outcome *oc)
{
    if (full && role_has(sc->role, PERM_CHILDREN) && !role_has(sc->role, PERM_FULL_ID))
        return refuse(oc, OUT_FORBIDDEN, "您的账号无权查看完整身份证号和电话");
    struct run_info ri;
    struct run_status_entry e;
    struct buf detail = BUF_INIT, tmp = BUF_INIT;
    json_t *root = NULL;
    struct stmt *q = NULL;
    int rc;
    if (!reach(s, sc, record_id, &ri, &e, &detail, oc))
        goto out;
    q = store_prepare(
        s, "SELECT coalesce(p.name, ''), coalesce(p.gender, 0), coalesce(p.birth_date, ''),"
           " coalesce(p.ethnicity, ''), coalesce(p.id_number, p.id_raw, ''),"
           " coalesce(p.address, ''), coalesce(p.township_code, ''), coalesce(p.township, ''),"
           " coalesce(p.village, ''), coalesce(p.guardian, ''), coalesce(p.phone, ''),"
           " coalesce(p.reg_status, ''), coalesce(sr.school_code, ''),"
           " coalesce(sr.school_name, ''), coalesce(sr.grade_text, ''), coalesce(sr.class, ''),"
           " coalesce(sr.enroll_status, ''), coalesce(p.id_number, '')"
           " FROM record p LEFT JOIN record sr ON sr.id = $2 WHERE p.id = $1");
    if (!q) {
        fail_store(s, oc);
        goto out;
    }
    stmt_bind_int(q, 1, record_id);
    stmt_bind_int(q, 2, e.school_record);
    rc = stmt_step(q);
    if (rc <= 0) { /* the record was there a moment ago (reach): only a store error or a race */
        if (rc < 0)
            fail_store(s, oc);
        else
            failed(oc, OUT_NOT_FOUND, "%s", child_not_found);
        goto out;
    }
    struct view v = view_make(full, ri.cutoff);
    if (full) {
        /* audited before anything is shown */
        char target[AUDIT_TARGET_SIZE];
        audit_target(target, OBJ_RECORD, record_id);
        if (audit_record(s, sc->user, sc->origin, "read_full", target, "学生档案") < 0) {
            failed(oc, OUT_ERROR, "无法记录审计日志，未显示完整信息：%s", store_errmsg(s));
            goto out;
        }
    }
    root = json_object();
    json_object_set_new(root, "id", json_integer(record_id));
    json_object_set_new(root, "run_id", json_integer(ri.id));
    json_object_set_new(root, "as_of", jstr(ri.as_of));
    json_object_set_new(root, "masked", json_boolean(!full));
    json_object_set_new(root, "status", jstr(status_key(e.st)));
    json_object_set_new(root, "status_label", jstr(status_label(e.st)));
    json_object_set_new(root, "explanation", jstr(detail.buf));
    json_object_set_new(root, "age", e.age >= 0 ? json_integer(e.age) : json_null());
    char cutoff[11] = "";
    if (ri.cutoff)
        date_format(ri.cutoff, cutoff);
    json_object_set_new(root, "age_on", *cutoff ? jstr(cutoff) : json_null());
    json_object_set_new(root, "expected_grade",
                        e.grade >= 1 && e.grade <= 9 ? jstr(grade_name(e.grade)) : json_null());
    json_t *p = json_object();
    json_object_set_new(p, "name", jstr(stmt_text(q, 0)));
    json_object_set_new(p, "gender", jstr(gender_label((int)stmt_int(q, 1))));
    const char *birth = view_birth(&v, stmt_text(q, 2));
    json_object_set_new(p, "birth_date", birth ? jstr(birth) : json_null());
    json_object_set_new(p, "ethnicity", jstr(stmt_text(q, 3)));
    shown_id(&v, stmt_text(q, 4), &tmp);
    json_object_set_new(p, "id_number", jstr(tmp.buf));
    json_object_set_new(p, "address", jstr(stmt_text(q, 5)));
    json_object_set_new(p, "township_code", jstr(stmt_text(q, 6)));
    json_object_set_new(p, "township", jstr(stmt_text(q, 7)));
    json_object_set_new(p, "village", jstr(stmt_text(q, 8)));
    json_object_set_new(p, "guardian", jstr(stmt_text(q, 9)));
    buf_reset(&tmp);
    view_phone(&v, stmt_text(q, 10), &tmp);
    json_object_set_new(p, "phone", jstr(tmp.buf));
    json_object_set_new(p, "registration",
                        jstr(reg_status_label(reg_status_from_key(stmt_text(q, 11)))));
    json_object_set_new(root, "person", p);
    if (e.school_record) {
        json_t *sr = json_object();
        json_object_set_new(sr, "record_id", json_integer(e.school_record));
        json_object_set_new(sr, "school_code", jstr(stmt_text(q, 12)));
        json_object_set_new(sr, "school_name", jstr(stmt_text(q, 13)));
        json_object_set_new(sr, "grade", jstr(stmt_text(q, 14)));
        json_object_set_new(sr, "class", jstr(stmt_text(q, 15)));
        json_object_set_new(sr, "enroll_status",
                            jstr(enroll_status_label(enroll_status_from_key(stmt_text(q, 16)))));
        json_object_set_new(sr, "link_method", jstr(lk_method_key((enum lk_method)e.method)));
        json_object_set_new(sr, "link_label", jstr(lk_method_label((enum lk_method)e.method)));
        json_object_set_new(root, "school", sr);
    } else {
        json_object_set_new(root, "school", json_null());
    }
    char *idn = xstrdup(stmt_text(q, 17));
    stmt_finalize(q);
    q = NULL;
    if (child_groups(s, sc, &ri, record_id, root) < 0) {
        free(idn);
        goto store_error;
    }
    /* every record of the run's snapshots that is this child's: same ID, the deciding record,
     * and every record the linker joined to it */
    q = store_prepare(
        s, "SELECT r.id, b.kind, b.file_name, r.row_no, coalesce(r.name, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.school_name, ''),"
           " coalesce(r.grade_text, ''), coalesce(r.enroll_status, ''), l.method, l.score,"
           " l.explanation, b.id, b.imported_at FROM record r JOIN batch b ON b.id = r.batch_id"
           " LEFT JOIN link l ON l.run_id = $1 AND l.population_record = $2"
           "  AND l.other_record = r.id"
           " WHERE r.id = $2 OR r.id = $3"
           " OR (r.batch_id IN ($4, $5) AND r.id_number = $6)"
           " OR r.id IN (SELECT other_record FROM link WHERE run_id = $1"
           "  AND population_record = $2)"
           " ORDER BY r.id");
    if (!q) {
        free(idn);
        goto store_error;
    }
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_int(q, 2, record_id);
    stmt_bind_int(q, 3, e.school_record);
    stmt_bind_int(q, 4, ri.enrollment_batch);
    stmt_bind_int(q, 5, ri.outside_batch);
    stmt_bind_str(q, 6, idn);
    json_t *sources = json_array();
    json_object_set_new(root, "sources", sources);
    while ((rc = stmt_step(q)) == 1) {
        json_t *o = json_object();
        enum import_kind kind = KIND_POPULATION;
        kind_parse(stmt_text(q, 1), &kind);
        json_object_set_new(o, "record_id", json_integer(stmt_int(q, 0)));
        json_object_set_new(o, "kind", jstr(stmt_text(q, 1)));
        json_object_set_new(o, "kind_label", jstr(kind_label(kind)));
        json_object_set_new(o, "file_name", jstr(stmt_text(q, 2)));
        json_object_set_new(o, "row", json_integer(stmt_int(q, 3)));
        json_object_set_new(o, "batch_id", json_integer(stmt_int(q, 12)));
        json_object_set_new(o, "imported_at", jstr(stmt_text(q, 13)));
        json_object_set_new(o, "name", jstr(stmt_text(q, 4)));
        shown_id(&v, stmt_text(q, 5), &tmp);
        json_object_set_new(o, "id_number", jstr(tmp.buf));
        json_object_set_new(o, "school_name", jstr(stmt_text(q, 6)));
        json_object_set_new(o, "grade", jstr(stmt_text(q, 7)));
        json_object_set_new(o, "enroll_status",
                            jstr(enroll_status_label(enroll_status_from_key(stmt_text(q, 8)))));
        if (!stmt_is_null(q, 9))
            json_object_set_new(o, "link",
                                json_pack("{s:s?, s:f, s:s?}", "method", stmt_text(q, 9), "score",
                                          stmt_double(q, 10), "explanation", stmt_text(q, 11)));
        json_array_append_new(sources, o);
    }
    free(idn);
    if (rc < 0)
        goto store_error;
    goto out;
store_error:
    json_decref(root);
    root = NULL;
    fail_store(s, oc);
out:
    stmt_finalize(q);
    buf_release(&detail);
    buf_release(&tmp);
    return root;
}
