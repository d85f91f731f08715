#include "domain/rundiff.h"

#include <jansson.h>

#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD");
}

/* The same child in two snapshots: by ID, else by name and birth date. */
#define SAME_CHILD(a, b)                                                                           \
    "((" a ".id_number IS NOT NULL AND " b ".id_number = " a ".id_number) OR (" a                  \
    ".id_number IS NULL AND " b ".id_number IS NULL AND " b ".name = " a ".name AND " b            \
    ".birth_date = " a ".birth_date))"
#define SUSPECTED "('not_enrolled', 'dropped_out')"
#define ITEM_COLS                                                                                  \
    "r.id, coalesce(r.name, ''), coalesce(r.id_number, ''), coalesce(r.township, ''),"             \
    " coalesce(r.village, '')"

/* One child of a group: a masked view (a run's changes are a list, never a full read). */
static json_t *item(struct stmt *q, const char *status)
{
    static const struct view v = {false, 0, false};
    char masked[VIEW_ID_SIZE];
    view_id(&v, stmt_text(q, 2), masked);
    int st = status ? status_parse(status) : -1;
    return json_pack("{s:I, s:o, s:s, s:o, s:o, s:s?, s:s?}", "id", (json_int_t)stmt_int(q, 0),
                     "name", jstr(stmt_text(q, 1)), "id_number", masked, "township",
                     jstr(stmt_text(q, 3)), "village", jstr(stmt_text(q, 4)), "status",
                     st >= 0 ? status_key((enum child_status)st) : NULL, "status_label",
                     st >= 0 ? status_label((enum child_status)st) : NULL);
}

static json_t *group(void)
{
    return json_pack("{s:I, s:[]}", "total", (json_int_t)0, "items");
}

static void group_add(json_t *g, json_t *it)
{
    json_int_t n = json_integer_value(json_object_get(g, "total"));
    json_object_set_new(g, "total", json_integer(n + 1));
    if (n < RUN_DIFF_ITEMS)
        json_array_append_new(json_object_get(g, "items"), it);
    else
        json_decref(it);
}

static json_t *counts(struct store *s, int64_t run, int *rc)
{
    json_t *o = json_object();
    struct stmt *q = store_prepare(s, "SELECT status, sum(n) FROM run_count WHERE run_id = $1"
                                      " GROUP BY status");
    if (!q) {
        *rc = -1;
        return o;
    }
    stmt_bind_int(q, 1, run);
    while ((*rc = stmt_step(q)) == 1)
        json_object_set_new(o, stmt_text(q, 0), json_integer(stmt_int(q, 1)));
    stmt_finalize(q);
    return o;
}

static json_t *run_json(struct store *s, const struct run_info *ri, int *rc)
{
    json_t *o = json_pack("{s:I, s:s, s:i, s:I}", "id", (json_int_t)ri->id, "as_of", ri->as_of,
                          "school_year", ri->school_year, "population_batch",
                          (json_int_t)ri->population_batch);
    json_object_set_new(o, "counts", counts(s, ri->id, rc));
    struct stmt *q = store_prepare(
        s, "SELECT started_at, coalesce(finished_at, '') FROM match_run WHERE id = $1");
    if (q) {
        stmt_bind_int(q, 1, ri->id);
        if (stmt_step(q) == 1) {
            json_object_set_new(o, "started_at", jstr(stmt_text(q, 0)));
            json_object_set_new(o, "finished_at", jstr(stmt_text(q, 1)));
        }
        stmt_finalize(q);
    }
    return o;
}

/* Suspected now, not in the previous run. */
static int newly_suspected(struct store *s, const struct run_info *cur, const struct run_info *prev,
                           json_t *g)
{
    struct stmt *q = store_prepare(
        s,
        "SELECT " ITEM_COLS ", cs.status FROM child_status cs JOIN record r ON r.id = cs.record_id"
        " WHERE cs.run_id = $1 AND cs.status IN " SUSPECTED " AND NOT EXISTS (SELECT 1"
        " FROM child_status p JOIN record pr ON pr.id = p.record_id WHERE p.run_id = $2"
        " AND p.status IN " SUSPECTED " AND " SAME_CHILD("r", "pr") ") ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, cur->id);
    stmt_bind_int(q, 2, prev->id);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        group_add(g, item(q, stmt_text(q, 5)));
    stmt_finalize(q);
    return rc;
}

/* Suspected in the previous run, not now: where each one is now. */
static int no_longer_suspected(struct store *s, const struct run_info *cur,
                               const struct run_info *prev, json_t *returned, json_t *other,
                               json_t *left)
{
    struct stmt *q = store_prepare(
        s, "SELECT " ITEM_COLS ","
           " CASE WHEN r.id_number IS NOT NULL THEN (SELECT min(c.id) FROM record c"
           " WHERE c.batch_id = $3 AND c.id_number = r.id_number) ELSE (SELECT min(c.id)"
           " FROM record c WHERE c.batch_id = $3 AND c.id_number IS NULL AND c.name = r.name"
           " AND c.birth_date = r.birth_date) END"
           " FROM child_status p JOIN record r ON r.id = p.record_id"
           " WHERE p.run_id = $2 AND p.status IN " SUSPECTED " AND NOT EXISTS (SELECT 1"
           " FROM child_status cs JOIN record cr ON cr.id = cs.record_id WHERE cs.run_id = $1"
           " AND cs.status IN " SUSPECTED " AND " SAME_CHILD("r", "cr") ") ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, cur->id);
    stmt_bind_int(q, 2, prev->id);
    stmt_bind_int(q, 3, cur->population_batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        struct run_status_entry e;
        int found = stmt_is_null(q, 5) ? 0 : run_status_get(s, cur->id, stmt_int(q, 5), &e);
        if (found < 0) {
            rc = -1;
            break;
        }
        if (!found || e.st == ST_INACTIVE) {
            group_add(left, item(q, found ? status_key(e.st) : NULL));
            continue;
        }
        json_t *it = item(q, status_key(e.st));
        json_object_set_new(it, "id", json_integer(stmt_int(q, 5))); /* this run's record */
        group_add(status_counts_enrolled(e.st) ? returned : other, it);
    }
    stmt_finalize(q);
    return rc;
}

/* In one population snapshot and not the other (by ID number, on its index): left (prev → not
 * cur) or arrived. */
static int moved(struct store *s, int64_t from, int64_t to, bool list, json_t *g)
{
    struct stmt *q = store_prepare(
        s, "SELECT " ITEM_COLS " FROM record r WHERE r.batch_id = $1 AND r.id_number IS NOT NULL"
           " AND NOT EXISTS (SELECT 1 FROM record c WHERE c.id_number = r.id_number"
           " AND c.batch_id = $2) ORDER BY r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, from);
    stmt_bind_int(q, 2, to);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (list)
            group_add(g, item(q, NULL));
        else
            json_object_set_new(g, "total",
                                json_integer(json_integer_value(json_object_get(g, "total")) + 1));
    }
    stmt_finalize(q);
    return rc;
}

json_t *run_diff(struct store *s, const struct scope *sc, int64_t run_id, struct outcome *o)
{
    if (!role_has(sc->role, PERM_IMPORT)) {
        failed(o, OUT_FORBIDDEN, "您的账号无权查看比对");
        return NULL;
    }
    struct run_info cur, prev;
    int rc = 0;
    if (run_info_load(s, run_id, &cur, o) < 0)
        return NULL;
    json_t *root = json_object();
    json_object_set_new(root, "run", run_json(s, &cur, &rc));
    int64_t prev_id = 0;
    struct stmt *q = rc < 0 ? NULL
                            : store_prepare(s, "SELECT coalesce(max(id), 0) FROM match_run"
                                               " WHERE id < $1 AND finished_at IS NOT NULL");
    if (q) {
        stmt_bind_int(q, 1, cur.id);
        rc = stmt_step(q);
        prev_id = rc == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    } else {
        rc = -1;
    }
    if (rc >= 0 && prev_id > 0) {
        struct outcome o2 = OUTCOME_INIT;
        if (run_info_load(s, prev_id, &prev, &o2) < 0)
            rc = -1;
        outcome_release(&o2);
    }
    json_t *changes = NULL;
    if (rc >= 0 && prev_id > 0) {
        json_object_set_new(root, "previous", run_json(s, &prev, &rc));
        json_t *ns = group(), *ret = group(), *oth = group(), *left = group(), *arr = group();
        changes = json_pack("{s:o, s:o, s:o, s:o, s:o}", "new_suspected", ns, "returned", ret,
                            "other", oth, "left", left, "arrived", arr);
        if (rc >= 0)
            rc = newly_suspected(s, &cur, &prev, ns);
        if (rc >= 0)
            rc = no_longer_suspected(s, &cur, &prev, ret, oth, left);
        if (rc >= 0 && prev.population_batch != cur.population_batch) {
            /* everyone who left the register, not only the suspected: listed after those */
            json_t *all_left = group();
            rc = moved(s, prev.population_batch, cur.population_batch, true, all_left);
            json_object_set(changes, "left_register", all_left);
            json_decref(all_left);
            if (rc >= 0)
                rc = moved(s, cur.population_batch, prev.population_batch, false, arr);
        }
    } else {
        json_object_set_new(root, "previous", json_null());
    }
    json_object_set_new(root, "changes", changes ? changes : json_null());
    if (rc < 0) {
        json_decref(root);
        fail_store(s, o);
        return NULL;
    }
    return root;
}
