#include "domain/batch.h"

#include <jansson.h>

#include "core/date.h"
#include "core/words.h"
#include "store/audit.h"
#include "domain/department.h"
#include "domain/settings.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/fieldtext.h"

static int school_cmp(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "township")),
                   json_string_value(json_object_get(y, "township")));
    if (!c)
        c = strcmp(json_string_value(json_object_get(x, "name")),
                   json_string_value(json_object_get(y, "name")));
    return c ? c
             : strcmp(json_string_value(json_object_get(x, "code")),
                      json_string_value(json_object_get(y, "code")));
}

struct import_settings {
    long shrink_percent;
};
static const struct setting_field import_fields[] = {
    {"import_shrink_percent", offsetof(struct import_settings, shrink_percent), SETTING_INT},
};

int batch_shrink_percent(struct store *s, int *percent)
{
    struct import_settings is = {IMPORT_SHRINK_PERCENT_DEFAULT};
    if (settings_load(s, import_fields, ARRAY_SIZE(import_fields), &is) < 0)
        return -1;
    *percent = (int)is.shrink_percent;
    return 0;
}

static const struct word batch_state_words[] = {
    {"live", "已生效", "生效", 0, TONE_OK},
    {"pending", "待县教育局确认", "待确认", 0, TONE_WARN},
    {"rejected", "已退回", "退回", 0, TONE_BAD},
};
const struct vocab batch_states = {"批次状态", batch_state_words, ARRAY_SIZE(batch_state_words)};

static json_t *jtext(struct stmt *q, int col)
{
    return stmt_is_null(q, col) ? json_null() : json_string(stmt_text(q, col));
}

/* The pending batch's comparison with the current snapshot it would replace. */
static json_t *compare_json(struct store *s, enum import_kind kind, int64_t id, long rows,
                            int percent)
{
    int64_t cur;
    long cur_rows;
    if (import_current(s, kind, id, &cur, &cur_rows) < 0)
        return NULL;
    if (!cur)
        return json_pack("{s:n, s:I, s:n, s:b, s:i}", "batch", "rows", (json_int_t)0, "percent",
                         "shrinks", false, "threshold", percent);
    return json_pack("{s:I, s:I, s:f, s:b, s:i}", "batch", (json_int_t)cur, "rows",
                     (json_int_t)cur_rows, "percent", 100.0 * (double)rows / (double)cur_rows,
                     "shrinks", import_shrinks(rows, cur_rows, percent), "threshold", percent);
}

json_t *batch_list(struct store *s, const struct scope *sc, int64_t limit)
{
    int percent;
    if (batch_shrink_percent(s, &percent) < 0)
        return NULL;
    /* the current list of each kind; of each group, for the groups' lists */
    int64_t current[KIND__COUNT], groups[KIND__COUNT][GRP__COUNT];
    long rows;
    for (int k = 0; k < KIND__COUNT; k++)
        if (import_current(s, (enum import_kind)k, 0, &current[k], &rows) < 0 ||
            (kind_is_group((enum import_kind)k) &&
             import_group_snapshot(s, (enum import_kind)k, 0, groups[k]) < 0))
            return NULL;
    struct stmt *q = store_prepare(
        s, "SELECT id, kind, file_name, format, imported_at, coalesce(imported_by, ''), forced,"
           " rows_read, rows_imported, rows_flagged, rows_rejected, rows_skipped, flag_counts,"
           " state, department, decided_by, decided_at, decision_note,"
           " " ACTOR_NAME_SQL("coalesce(imported_by, '')") ", " ACTOR_NAME_SQL(
               "decided_by") " FROM batch"
                             " WHERE $1 = 1 OR imported_by = $2 OR department = $3 ORDER BY id "
                             "DESC LIMIT $4");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, role_has(sc->role, PERM_IMPORT) ? 1 : 0);
    stmt_bind_str(q, 2, sc->user);
    stmt_bind_str(q, 3, sc->role == ROLE_DEPARTMENT ? sc->department : NULL);
    stmt_bind_int(q, 4, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        enum import_kind kind = KIND_POPULATION;
        kind_parse(stmt_text(q, 1), &kind);
        const char *state = stmt_text(q, 13);
        const struct department *d = department_find(stmt_text(q, 14));
        json_t *flags = json_loads(stmt_text(q, 12), 0, NULL);
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:s}",
            "id", (json_int_t)stmt_int(q, 0), "kind", kind_key(kind), "kind_label",
            kind_label(kind), "file_name", stmt_text(q, 2), "format", stmt_text(q, 3),
            "imported_at", stmt_text(q, 4), "imported_by", stmt_text(q, 5), "forced",
            stmt_int(q, 6) != 0, "rows_read", (json_int_t)stmt_int(q, 7), "rows_imported",
            (json_int_t)stmt_int(q, 8), "rows_flagged", (json_int_t)stmt_int(q, 9), "rows_rejected",
            (json_int_t)stmt_int(q, 10), "rows_skipped", (json_int_t)stmt_int(q, 11), "flags",
            flags ? flags : json_object(), "state", state, "state_label",
            vocab_label(&batch_states, state));
        json_object_set_new(o, "department", d ? json_string(d->key) : json_null());
        json_object_set_new(o, "department_label", d ? json_string(d->title) : json_null());
        json_object_set_new(o, "decided_by", jtext(q, 15));
        /* the names people read: the accounts' persons, else the account names */
        json_object_set_new(o, "imported_by_name", json_string(stmt_text(q, 18)));
        json_object_set_new(o, "decided_by_name", jtext(q, 19));
        json_object_set_new(o, "decided_at", jtext(q, 16));
        json_object_set_new(o, "decision_note", jtext(q, 17));
        bool is_current = stmt_int(q, 0) == current[kind];
        for (int g = 0; kind_is_group(kind) && g < GRP__COUNT; g++)
            is_current = is_current || stmt_int(q, 0) == groups[kind][g];
        json_object_set_new(o, "current", json_boolean(is_current));
        json_object_set_new(o, "compare", json_null());
        json_array_append_new(items, o);
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    /* after the statement: the comparison reads the batch table again */
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "state")), "pending"))
            continue;
        enum import_kind kind = KIND_POPULATION;
        kind_parse(json_string_value(json_object_get(o, "kind")), &kind);
        json_t *c =
            compare_json(s, kind, json_integer_value(json_object_get(o, "id")),
                         (long)json_integer_value(json_object_get(o, "rows_imported")), percent);
        if (!c) {
            json_decref(items);
            return NULL;
        }
        json_object_set_new(o, "compare", c);
    }
    return json_pack("{s:o, s:i}", "items", items, "shrink_threshold", percent);
}

/* The pending batch `id`: its kind and records; -1 with the reason when it is not pending. */
static int pending_batch(struct store *s, int64_t id, enum import_kind *kind, long *rows,
                         struct outcome *o)
{
    struct stmt *q = store_prepare(s, "SELECT kind, state, rows_imported FROM batch WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    char state[16] = "";
    if (rc == 1) {
        kind_parse(stmt_text(q, 0), kind);
        snprintf(state, sizeof(state), "%s", stmt_text(q, 1));
        *rows = (long)stmt_int(q, 2);
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "没有第 %lld 批导入", (long long)id);
    if (strcmp(state, "pending"))
        return failed(o, OUT_INVALID, "第 %lld 批%s，不在待确认之列", (long long)id,
                      !strcmp(state, "live") ? "已经生效" : "已被退回");
    return 0;
}

/* The state change and its audit row, in one transaction. */
static int decide(struct store *s, int64_t id, const char *sql, const char *note, const char *actor,
                  const char *action, const char *detail, struct outcome *o)
{
    char num[24], now[32];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    date_now_text(now, sizeof(now));
    const char *p[] = {num, actor && *actor ? actor : "unknown", now, note};
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_BATCH, id);
    int rc = store_begin(s);
    /* the state is checked again by the statement itself: two deciders, one decision */
    int64_t changed = 0;
    if (rc == 0)
        rc = store_int(s, sql, note ? 4 : 3, p, &changed);
    if (rc == 0 && !changed) {
        store_rollback(s);
        failed(o, OUT_INVALID, "第 %lld 批已由别人处理过，请刷新后再看", (long long)id);
        return -1;
    }
    if (rc == 0)
        rc = audit_record(s, actor, NULL, action, target, detail);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    return 0;
}

int batch_accept(struct store *s, int64_t id, bool shrink_confirmed, const char *actor,
                 struct buf *msg, struct outcome *o)
{
    enum import_kind kind = KIND_POPULATION;
    long rows = 0, cur_rows;
    int64_t cur;
    int percent;
    if (pending_batch(s, id, &kind, &rows, o) < 0)
        return -1;
    if (batch_shrink_percent(s, &percent) < 0 || import_current(s, kind, id, &cur, &cur_rows) < 0)
        return fail_store(s, o);
    if (import_shrinks(rows, cur_rows, percent) && !shrink_confirmed) {
        struct buf why = BUF_INIT;
        import_shrink_message(&why, kind, rows, cur, cur_rows, percent);
        failed_at(o, OUT_INVALID, "confirm_shrink", "%s", why.buf);
        buf_release(&why);
        return -1;
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "%s，%ld 人", kind_label(kind), rows);
    if (decide(s, id,
               "UPDATE batch SET state = 'live', decided_by = $2, decided_at = $3,"
               " live_seq = (SELECT coalesce(max(live_seq), 0) + 1 FROM batch)"
               " WHERE id = $1 AND state = 'pending' RETURNING id",
               NULL, actor, "import_accept", detail, o) < 0)
        return -1;
    buf_addf(msg, "已确认第 %lld 批（%s，%ld 人），现在是%s的当前名单；请重新比对", (long long)id,
             kind_label(kind), rows, kind_label(kind));
    return 0;
}

int batch_reject(struct store *s, int64_t id, const char *reason, const char *actor,
                 struct buf *msg, struct outcome *o)
{
    enum import_kind kind = KIND_POPULATION;
    long rows = 0;
    if (!reason || !*reason)
        return failed_at(o, OUT_INVALID, "reason", "请写明退回的理由（上传的部门会看到）");
    if (text_check("退回理由", reason, TEXT_NOTE, o) < 0) {
        o->field = "reason";
        return -1;
    }
    if (pending_batch(s, id, &kind, &rows, o) < 0)
        return -1;
    if (decide(s, id,
               "UPDATE batch SET state = 'rejected', decided_by = $2, decided_at = $3,"
               " decision_note = $4 WHERE id = $1 AND state = 'pending' RETURNING id",
               reason, actor, "import_reject", kind_label(kind), o) < 0)
        return -1;
    buf_addf(msg, "已退回第 %lld 批（%s），上传的部门会看到理由", (long long)id, kind_label(kind));
    return 0;
}

/* ---- what the current lists name ---- */

#define CURRENT_LIST(KIND)                                                                         \
    "(SELECT id FROM batch WHERE kind = '" KIND "' AND state = 'live'"                             \
    " ORDER BY live_seq DESC, id DESC LIMIT 1)"

int batch_school_name(struct store *s, const char *code, char *name, size_t size)
{
    name[0] = '\0';
    if (!code || !*code)
        return 0;
    struct stmt *q =
        store_prepare(s, "SELECT coalesce(max(school_name), ''), count(*) FROM record WHERE "
                         "batch_id = " CURRENT_LIST("enrollment") " AND school_code = $1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, code);
    int rc = stmt_step(q);
    if (rc == 1 && stmt_int(q, 1) == 0)
        rc = 0;
    if (rc == 1)
        snprintf(name, size, "%s", stmt_text(q, 0));
    stmt_finalize(q);
    return rc;
}

json_t *batch_schools(struct store *s)
{
    /* one row per school and township it names: the school's township is the one most of its
     * rows give (the 学籍 list's 乡镇 column), folded here */
    struct stmt *q = store_prepare(
        s, "SELECT school_code, coalesce(township, ''), coalesce(max(school_name), ''), count(*)"
           " FROM record WHERE batch_id = " CURRENT_LIST(
               "enrollment") " AND school_code IS NOT NULL AND school_code <> ''"
                             " GROUP BY school_code, coalesce(township, '') ORDER BY school_code");
    if (!q)
        return NULL;
    json_t *a = json_array(), *cur = NULL;
    int64_t best = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *code = stmt_text(q, 0), *town = stmt_text(q, 1), *name = stmt_text(q, 2);
        int64_t n = stmt_int(q, 3);
        if (!cur || strcmp(json_string_value(json_object_get(cur, "code")), code)) {
            cur = json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "township", town);
            json_array_append_new(a, cur);
            best = *town ? n : 0;
            continue;
        }
        if (*name && !*json_string_value(json_object_get(cur, "name")))
            json_object_set_new(cur, "name", json_string(name));
        if (*town && n > best) {
            json_object_set_new(cur, "township", json_string(town));
            best = n;
        }
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    /* by township, then name (sorted here: the stores collate Chinese differently) */
    size_t n = json_array_size(a);
    json_t **v = xcalloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(a, i));
    qsort(v, n, sizeof(*v), school_cmp);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, v[i]);
    free(v);
    json_decref(a);
    int64_t have = 0;
    if (store_int(s, "SELECT count(*) FROM batch WHERE kind = 'enrollment' AND state = 'live'", 0,
                  NULL, &have) < 0) {
        json_decref(sorted);
        return NULL;
    }
    return json_pack("{s:o, s:b}", "schools", sorted, "list", have > 0);
}

int batch_has_village(struct store *s, const char *township_code, const char *village)
{
    int64_t lists = 0, n = 0;
    const char *p[] = {township_code, village};
    if (store_int(s, "SELECT count(*) FROM batch WHERE kind = 'population' AND state = 'live'", 0,
                  NULL, &lists) < 0)
        return -1;
    if (!lists)
        return 2;
    if (store_int(s,
                  "SELECT count(*) FROM (SELECT 1 FROM record WHERE batch_id = " CURRENT_LIST(
                      "population") " AND township_code = $1 AND village = $2 LIMIT 1) x",
                  2, p, &n) < 0)
        return -1;
    return n > 0;
}
