#include "domain/job.h"

#include <time.h>

#include "core/words.h"
#include "store/store.h"
#include "util/common.h"

static const struct word state_words[] = {
    {"queued", "排队中", NULL, 0, TONE_MUTED},
    {"running", "进行中", NULL, 0, TONE_INFO},
    {"done", "已完成", "完成", 0, TONE_OK},
    {"failed", "失败", NULL, 0, TONE_BAD},
};
const struct vocab job_states = {"任务状态", state_words, ARRAY_SIZE(state_words)};

static const char *const kind_keys[JOB__COUNT] = {
    [JOB_IMPORT] = "import",
    [JOB_MATCH] = "match",
    [JOB_PROVINCE] = "province_indicators",
};

const char *job_kind_key(enum job_kind k)
{
    return k < JOB__COUNT ? kind_keys[k] : "import";
}

int job_kind_parse(const char *key)
{
    for (int k = 0; key && k < JOB__COUNT; k++)
        if (!strcmp(kind_keys[k], key))
            return k;
    return -1;
}

/* The INSERT of a new queued job: its id, 0 when a queued or running job of the same kind,
 * area and topic already holds the topic (about only), -1 on a store error. */
static int64_t insert(struct store *s, enum job_kind kind, const struct scope *sc, const char *text,
                      const char *owner, int64_t lease_until, const char *area, const char *topic)
{
    struct stmt *st = store_prepare(
        s, "INSERT INTO job (kind, state, user_id, who, created_at, phase, params, owner,"
           " lease_until, area, topic) VALUES ($1, 'queued', $2, $3, $4, '排队等待', $5, $6, $7,"
           " $8, $9) ON CONFLICT DO NOTHING RETURNING id");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, job_kind_key(kind));
    if (sc->user_id > 0)
        stmt_bind_int(st, 2, sc->user_id);
    else
        stmt_bind_null(st, 2);
    stmt_bind_str(st, 3, sc->user ? sc->user : "");
    stmt_bind_int(st, 4, (int64_t)time(NULL));
    stmt_bind_str(st, 5, text ? text : "{}");
    stmt_bind_str(st, 6, owner); /* NULL: free for any server */
    if (owner)
        stmt_bind_int(st, 7, lease_until);
    else
        stmt_bind_null(st, 7);
    stmt_bind_str(st, 8, area);
    stmt_bind_str(st, 9, topic);
    int rc = stmt_step(st);
    int64_t id = rc == 1 ? stmt_int(st, 0) : rc == 0 ? 0 : -1;
    stmt_finalize(st);
    return id;
}

int64_t job_create(struct store *s, enum job_kind kind, const struct scope *sc, json_t *params,
                   const char *owner, int64_t lease_until)
{
    char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t id = insert(s, kind, sc, text, owner, lease_until, NULL, NULL);
    free(text);
    return id > 0 ? id : -1;
}

/* The queued or running job of kind, area and topic: its id, 0 none, -1 a store error. */
static int64_t active_about(struct store *s, enum job_kind kind, const char *area,
                            const char *topic)
{
    struct stmt *st = store_prepare(s, "SELECT id FROM job WHERE kind = $1 AND area = $2 AND"
                                       " topic = $3 AND state IN ('queued', 'running')");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, job_kind_key(kind));
    stmt_bind_str(st, 2, area);
    stmt_bind_str(st, 3, topic);
    int rc = stmt_step(st);
    int64_t id = rc == 1 ? stmt_int(st, 0) : rc;
    stmt_finalize(st);
    return id;
}

int64_t job_create_about(struct store *s, enum job_kind kind, const struct scope *sc,
                         json_t *params, const char *area, const char *topic, bool *created)
{
    *created = false;
    char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t id = 0;
    /* the job that holds the topic may end between the refused INSERT and the look for it:
     * then the next INSERT is the one */
    for (int tries = 0; id == 0 && tries < 3; tries++) {
        id = insert(s, kind, sc, text, NULL, 0, area, topic);
        if (id > 0)
            *created = true;
        else if (id == 0)
            id = active_about(s, kind, area, topic);
    }
    free(text);
    return id > 0 ? id : -1;
}

static int update(struct store *s, const char *sql, int64_t id, int64_t now, double fraction,
                  const char *text)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return -1;
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, now);
    stmt_bind_double(st, 3, fraction);
    stmt_bind_str(st, 4, text);
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

int job_start(struct store *s, int64_t id, const char *phase)
{
    return update(s,
                  "UPDATE job SET state = 'running', started_at = $2, progress = $3, phase = $4"
                  " WHERE id = $1",
                  id, (int64_t)time(NULL), 0.0, phase);
}

int job_progress(struct store *s, int64_t id, double fraction, const char *phase,
                 int64_t lease_until)
{
    return update(s,
                  "UPDATE job SET progress = $3, phase = $4, lease_until = $2 WHERE id = $1"
                  " AND state = 'running'",
                  id, lease_until, fraction, phase);
}

int job_done(struct store *s, int64_t id, json_t *result)
{
    char *text = json_dumps(result, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int rc = update(s,
                    "UPDATE job SET state = 'done', finished_at = $2, progress = $3,"
                    " phase = '完成', result = $4 WHERE id = $1",
                    id, (int64_t)time(NULL), 1.0, text ? text : "{}");
    free(text);
    return rc;
}

int job_fail(struct store *s, int64_t id, const char *message)
{
    return update(s,
                  "UPDATE job SET state = 'failed', finished_at = $2, phase = '失败',"
                  " error = $4 WHERE id = $1 AND $3 >= 0",
                  id, (int64_t)time(NULL), 0.0, message);
}

int job_saved_run(struct store *s, int64_t id, int64_t run_id)
{
    char text[48];
    snprintf(text, sizeof(text), "{\"saved_run\":%lld}", (long long)run_id);
    return update(s, "UPDATE job SET result = $4 WHERE id = $1 AND $2 >= 0 AND $3 >= 0", id, 0, 0.0,
                  text);
}

int64_t job_claim(struct store *s, const char *owner, int64_t lease_until,
                  const char *const phase[JOB__COUNT])
{
    /* a look first: an idle server asks every second, and on SQLite a write would wait behind
     * an import's transaction */
    struct stmt *st = store_prepare(s, "SELECT id FROM job WHERE state = 'queued' AND"
                                       " (owner IS NULL OR owner = $1) ORDER BY id LIMIT 1");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, owner);
    int rc = stmt_step(st);
    stmt_finalize(st);
    if (rc <= 0)
        return rc;
    /* the claim: one conditional UPDATE, which only one server wins (the other finds the row
     * no longer queued); on PostgreSQL the row another server is claiming is skipped */
    bool pg = !strcmp(store_dialect(s), "postgresql");
    char sql[600];
    snprintf(sql, sizeof(sql),
             "UPDATE job SET state = 'running', owner = $1, lease_until = $2, started_at = $3,"
             " phase = CASE kind WHEN 'match' THEN $5 WHEN 'province_indicators' THEN $6"
             " ELSE $4 END WHERE id = (SELECT id FROM job "
             "WHERE state = 'queued' AND (owner IS NULL OR"
             " owner = $1) ORDER BY id LIMIT 1%s) AND state = 'queued' AND (owner IS NULL OR"
             " owner = $1) RETURNING id",
             pg ? " FOR UPDATE SKIP LOCKED" : "");
    if (!(st = store_prepare(s, sql)))
        return -1;
    stmt_bind_str(st, 1, owner);
    stmt_bind_int(st, 2, lease_until);
    stmt_bind_int(st, 3, (int64_t)time(NULL));
    stmt_bind_str(st, 4, phase[JOB_IMPORT]);
    stmt_bind_str(st, 5, phase[JOB_MATCH]);
    stmt_bind_str(st, 6, phase[JOB_PROVINCE]);
    int64_t id = 0;
    if ((rc = stmt_step(st)) == 1)
        id = stmt_int(st, 0);
    stmt_finalize(st);
    return rc < 0 ? -1 : id;
}

int job_renew(struct store *s, const char *owner, int64_t lease_until)
{
    struct stmt *st = store_prepare(s, "UPDATE job SET lease_until = $2 WHERE owner = $1 AND"
                                       " state IN ('queued', 'running')");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, owner);
    stmt_bind_int(st, 2, lease_until);
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

long job_held_queued(struct store *s, const char *owner, int64_t *ids, long max)
{
    struct stmt *st = store_prepare(s, "SELECT id FROM job WHERE state = 'queued' AND owner = $1"
                                       " ORDER BY id");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, owner);
    long n = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1 && n < max)
        ids[n++] = stmt_int(st, 0);
    stmt_finalize(st);
    return rc < 0 ? -1 : n;
}

/* A job found abandoned, as job_reap read it. */
struct stale {
    int64_t id, lease;
    int kind; /* enum job_kind, -1 unknown */
    bool running, has_lease;
    int64_t saved_run;
    char owner[256];
};

/* The message of an abandoned job: what was and was not saved. */
static void stale_message(const struct stale *j, const char *running_msg, const char *queued_msg,
                          char *msg, size_t size)
{
    if (!j->running)
        snprintf(msg, size, "%s", queued_msg);
    else if (j->kind == JOB_MATCH && j->saved_run > 0)
        snprintf(msg, size,
                 "%s：第 %lld 次比对的结果已保存，但其后的核查任务未生成完毕（再比对一次即可生成）",
                 running_msg, (long long)j->saved_run);
    else if (j->kind == JOB_MATCH)
        snprintf(msg, size, "%s：本次比对未保存，请重新比对", running_msg);
    else if (j->kind == JOB_PROVINCE)
        snprintf(msg, size, "%s：本次各县指标没有算完，没有保存，请重新计算", running_msg);
    else
        snprintf(msg, size, "%s：本次导入未保存（名单没有改变），请重新上传", running_msg);
}

/* Fail one abandoned job unless its owner renewed the lease since it was read: 1 failed, 0 not,
 * -1 store error. */
static int fail_stale(struct store *s, const struct stale *j, const char *msg)
{
    struct stmt *st = store_prepare(
        s, "UPDATE job SET state = 'failed', finished_at = $2, phase = '失败', error = $3"
           " WHERE id = $1 AND state IN ('queued', 'running') AND COALESCE(owner, '') = $4"
           " AND COALESCE(lease_until, 0) = $5 RETURNING id");
    if (!st)
        return -1;
    stmt_bind_int(st, 1, j->id);
    stmt_bind_int(st, 2, (int64_t)time(NULL));
    stmt_bind_str(st, 3, msg);
    stmt_bind_text(st, 4, j->owner, strlen(j->owner)); /* '' too */
    stmt_bind_int(st, 5, j->has_lease ? j->lease : 0);
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc;
}

long job_reap(struct store *s, const char *self, int64_t now,
              bool (*gone)(const char *owner, void *ctx), void *ctx, const char *running_msg,
              const char *queued_msg)
{
    /* the jobs another server holds (or a running one nobody does) */
    struct stmt *st = store_prepare(
        s, "SELECT id, state, kind, owner, lease_until, result FROM job WHERE"
           " (state = 'running' AND owner IS NULL) OR (state IN ('queued', 'running') AND"
           " owner <> $1) ORDER BY id");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, self);
    struct stale jobs[64];
    size_t n = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1 && n < ARRAY_SIZE(jobs)) {
        struct stale *j = &jobs[n];
        memset(j, 0, sizeof(*j));
        j->id = stmt_int(st, 0);
        j->running = !strcmp(stmt_text(st, 1), "running");
        j->kind = job_kind_parse(stmt_text(st, 2));
        bool owned = !stmt_is_null(st, 3);
        if (owned)
            snprintf(j->owner, sizeof(j->owner), "%s", stmt_text(st, 3));
        j->has_lease = !stmt_is_null(st, 4);
        j->lease = j->has_lease ? stmt_int(st, 4) : 0;
        if (!stmt_is_null(st, 5)) {
            json_t *r = json_loads(stmt_text(st, 5), 0, NULL);
            j->saved_run = json_integer_value(json_object_get(r, "saved_run"));
            json_decref(r);
        }
        if (!owned || j->lease < now || (gone && gone(j->owner, ctx)))
            n++;
    }
    stmt_finalize(st);
    if (rc < 0)
        return -1;
    long failed = 0;
    for (size_t i = 0; i < n; i++) {
        char msg[512];
        stale_message(&jobs[i], running_msg, queued_msg, msg, sizeof(msg));
        if ((rc = fail_stale(s, &jobs[i], msg)) < 0)
            return -1;
        failed += rc;
    }
    return failed;
}

int job_params(struct store *s, int64_t id, enum job_kind *kind, json_t **params)
{
    struct stmt *st = store_prepare(s, "SELECT kind, params FROM job WHERE id = $1");
    if (!st)
        return -1;
    stmt_bind_int(st, 1, id);
    int rc = -1;
    if (stmt_step(st) == 1) {
        int k = job_kind_parse(stmt_text(st, 0));
        *kind = k < 0 ? JOB_IMPORT : (enum job_kind)k;
        *params = json_loads(stmt_text(st, 1), 0, NULL);
        rc = *params && k >= 0 ? 0 : -1;
    }
    stmt_finalize(st);
    return rc;
}

#define JOB_COLUMNS                                                                                \
    "SELECT id, kind, state, who, created_at, started_at, finished_at, progress, phase, result,"   \
    " error, user_id, area, topic FROM job"

static bool sees_all(const struct scope *sc)
{
    return sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY;
}

/* The area whose jobs the scope sees beside its own (a province's or a city's), or NULL. */
static const char *area_of(const struct scope *sc)
{
    bool above = sc->role == ROLE_PROVINCE || sc->role == ROLE_CITY;
    return above && sc->area && *sc->area ? sc->area : NULL;
}

/* May the scope see the job of this row (JOB_COLUMNS)? */
static bool sees(const struct scope *sc, struct stmt *st)
{
    if (sees_all(sc) || (!stmt_is_null(st, 11) && stmt_int(st, 11) == sc->user_id))
        return true;
    const char *area = area_of(sc);
    return area && !stmt_is_null(st, 12) && !strncmp(stmt_text(st, 12), area, strlen(area));
}

static json_t *text_json(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

static json_t *time_json(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_integer((json_int_t)stmt_int(st, col));
}

static json_t *row_json(struct stmt *st)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:f, s:s}", "id",
                          (json_int_t)stmt_int(st, 0), "kind", stmt_text(st, 1), "state",
                          stmt_text(st, 2), "who", stmt_text(st, 3), "created_at", time_json(st, 4),
                          "started_at", time_json(st, 5), "finished_at", time_json(st, 6),
                          "progress", stmt_double(st, 7), "phase", stmt_text(st, 8));
    json_t *result = stmt_is_null(st, 9) ? NULL : json_loads(stmt_text(st, 9), 0, NULL);
    json_object_set_new(j, "result", result ? result : json_null());
    json_object_set_new(j, "error", text_json(st, 10));
    json_object_set_new(j, "area", text_json(st, 12));
    json_object_set_new(j, "topic", text_json(st, 13));
    return j;
}

json_t *job_get(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    struct stmt *st = store_prepare(s, JOB_COLUMNS " WHERE id = $1");
    if (!st) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(st, 1, id);
    json_t *j = NULL;
    int rc = stmt_step(st);
    if (rc == 1 && sees(sc, st))
        j = row_json(st);
    else if (rc >= 0)
        failed(o, OUT_NOT_FOUND, "没有这个任务，或不是您发起的");
    else
        fail_store(s, o);
    stmt_finalize(st);
    return j;
}

json_t *job_list(struct store *s, const struct scope *sc, int64_t limit)
{
    /* an area is digits (domain/province.h): nothing in it LIKE would read as a pattern */
    struct stmt *st =
        store_prepare(s, JOB_COLUMNS " WHERE $1 = 1 OR user_id = $2 OR"
                                     " area LIKE $4 || '%' ORDER BY id DESC LIMIT $3");
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, sees_all(sc) ? 1 : 0);
    stmt_bind_int(st, 2, sc->user_id);
    stmt_bind_int(st, 3, limit);
    stmt_bind_str(st, 4, area_of(sc)); /* NULL: no job by its area */
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(st)) == 1)
        json_array_append_new(items, row_json(st));
    stmt_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:o}", "items", items);
}
