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

const char *job_kind_key(enum job_kind k)
{
    return k == JOB_MATCH ? "match" : "import";
}

int64_t job_create(struct store *s, enum job_kind kind, const struct scope *sc, json_t *params)
{
    char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    struct stmt *st =
        store_prepare(s, "INSERT INTO job (kind, state, user_id, who, created_at, phase, params)"
                         " VALUES ($1, 'queued', $2, $3, $4, '排队等待', $5) RETURNING id");
    int64_t id = -1;
    if (st) {
        stmt_bind_str(st, 1, job_kind_key(kind));
        if (sc->user_id > 0)
            stmt_bind_int(st, 2, sc->user_id);
        else
            stmt_bind_null(st, 2);
        stmt_bind_str(st, 3, sc->user ? sc->user : "");
        stmt_bind_int(st, 4, (int64_t)time(NULL));
        stmt_bind_str(st, 5, text ? text : "{}");
        if (stmt_step(st) == 1)
            id = stmt_int(st, 0);
        stmt_finalize(st);
    }
    free(text);
    return id;
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

int job_progress(struct store *s, int64_t id, double fraction, const char *phase)
{
    /* $2 unused by the statement would upset PostgreSQL: every $N appears */
    return update(s,
                  "UPDATE job SET progress = $3, phase = $4 WHERE id = $1 AND $2 >= 0"
                  " AND state = 'running'",
                  id, 0, fraction, phase);
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

/* The match jobs among those being interrupted whose run was committed: failed with a message
 * that says the run was saved. The number, or -1. */
static long interrupt_saved_runs(struct store *s, const char *message)
{
    struct stmt *st = store_prepare(s, "SELECT id, result FROM job WHERE kind = 'match' AND"
                                       " state = 'running' AND result IS NOT NULL");
    if (!st)
        return -1;
    int64_t ids[64], runs[64];
    size_t n = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1 && n < ARRAY_SIZE(ids)) {
        json_t *j = json_loads(stmt_text(st, 1), 0, NULL);
        json_int_t run = json_integer_value(json_object_get(j, "saved_run"));
        json_decref(j);
        if (run > 0) {
            ids[n] = stmt_int(st, 0);
            runs[n++] = run;
        }
    }
    stmt_finalize(st);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char msg[512];
        snprintf(msg, sizeof(msg),
                 "%s：第 %lld 次比对的结果已保存，但其后的核查任务未生成完毕（再比对一次即可生成）",
                 message, (long long)runs[i]);
        if (job_fail(s, ids[i], msg) < 0)
            return -1;
    }
    return (long)n;
}

long job_interrupt_all(struct store *s, const char *message)
{
    long saved = interrupt_saved_runs(s, message);
    if (saved < 0)
        return -1;
    struct stmt *st = store_prepare(
        s, "UPDATE job SET state = 'failed', finished_at = $1, phase = '失败', error = $2"
           " WHERE state IN ('queued', 'running') RETURNING id");
    if (!st)
        return -1;
    stmt_bind_int(st, 1, (int64_t)time(NULL));
    stmt_bind_str(st, 2, message);
    long n = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1)
        n++;
    stmt_finalize(st);
    return rc < 0 ? -1 : n + saved;
}

int job_params(struct store *s, int64_t id, enum job_kind *kind, json_t **params)
{
    struct stmt *st = store_prepare(s, "SELECT kind, params FROM job WHERE id = $1");
    if (!st)
        return -1;
    stmt_bind_int(st, 1, id);
    int rc = -1;
    if (stmt_step(st) == 1) {
        *kind = strcmp(stmt_text(st, 0), "match") ? JOB_IMPORT : JOB_MATCH;
        *params = json_loads(stmt_text(st, 1), 0, NULL);
        rc = *params ? 0 : -1;
    }
    stmt_finalize(st);
    return rc;
}

#define JOB_COLUMNS                                                                                \
    "SELECT id, kind, state, who, created_at, started_at, finished_at, progress, phase, result,"   \
    " error, user_id FROM job"

static bool sees_all(const struct scope *sc)
{
    return sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY;
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
    json_object_set_new(j, "error",
                        stmt_is_null(st, 10) ? json_null() : json_string(stmt_text(st, 10)));
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
    if (rc == 1 && (sees_all(sc) || (!stmt_is_null(st, 11) && stmt_int(st, 11) == sc->user_id)))
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
    struct stmt *st =
        store_prepare(s, JOB_COLUMNS " WHERE $1 = 1 OR user_id = $2 ORDER BY id DESC LIMIT $3");
    if (!st)
        return NULL;
    stmt_bind_int(st, 1, sees_all(sc) ? 1 : 0);
    stmt_bind_int(st, 2, sc->user_id);
    stmt_bind_int(st, 3, limit);
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
