#include "store/audit.h"

#include <jansson.h>

#include "core/date.h"
#include "store/store.h"
#include "util/common.h"

/* The front end's origin on this thread (a request being served, a job being run). */
static _Thread_local const char *thread_origin;

void audit_set_origin(const char *origin)
{
    thread_origin = origin;
}

const char *audit_origin(void)
{
    return thread_origin ? thread_origin : "cli";
}

int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail)
{
    if (!origin)
        origin = audit_origin();
    char now[32];
    date_now_text(now, sizeof(now));
    /* stmt_bind_str binds "" as NULL; an unnamed caller is still someone */
    const char *p[] = {now, actor && *actor ? actor : "unknown", origin, action, target, detail};
    /* the next link of the chain (schema step 10), read and written by one statement, which
     * SQLite runs under its one writer's lock; PostgreSQL's trigger recomputes both under its
     * advisory lock */
    return store_run(s,
                     "INSERT INTO audit (at, actor, origin, action, target, detail, seq, hash)"
                     " VALUES ($1, $2, $3, $4, $5, $6,"
                     " (SELECT coalesce(max(seq), 0) + 1 FROM audit),"
                     " baoxue_audit_hash((SELECT coalesce(max(hash), '') FROM audit"
                     "  WHERE seq = (SELECT max(seq) FROM audit)),"
                     " (SELECT coalesce(max(seq), 0) + 1 FROM audit), $1, $2, $3, $4, $5, $6))",
                     6, p);
}

int audit_verify(struct store *s, struct audit_check *out)
{
    memset(out, 0, sizeof(*out));
    /* each row against the one before it in seq order: a missing row is a gap in seq, a
     * changed one a hash that its fields and its predecessor's hash no longer give */
    /* each row joined to the one numbered before it, streamed in seq order (no window over
     * the whole trail) */
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(a.seq, 0), coalesce(a.hash, ''), a.id,"
           " baoxue_audit_hash(coalesce(p.hash, ''), a.seq, a.at, a.actor, a.origin, a.action,"
           " a.target, a.detail)"
           " FROM audit a LEFT JOIN audit p ON p.seq = a.seq - 1 ORDER BY a.seq, a.id");
    if (!q)
        return -1;
    int rc;
    int64_t expect = 1;
    while ((rc = stmt_step(q)) == 1) {
        int64_t seq = stmt_int(q, 0);
        const char *hash = stmt_text(q, 1);
        out->rows++;
        if (!out->first_bad && (seq != expect || strcmp(hash, stmt_text(q, 3)))) {
            out->first_bad = seq ? seq : -1;
            out->bad_id = stmt_int(q, 2);
            out->missing = seq > expect ? seq - expect : 0;
        }
        expect = seq + 1;
        out->last_seq = seq;
        snprintf(out->last_hash, sizeof(out->last_hash), "%s", hash);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int audit_head(struct store *s, int64_t *seq, char hash[65])
{
    *seq = 0;
    hash[0] = '\0';
    struct stmt *q = store_prepare(
        s, "SELECT seq, coalesce(hash, '') FROM audit WHERE seq IS NOT NULL ORDER BY seq DESC"
           " LIMIT 1");
    if (!q)
        return -1;
    int rc = stmt_step(q);
    if (rc == 1) {
        *seq = stmt_int(q, 0);
        snprintf(hash, 65, "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

#define AUDIT_WHERE                                                                                \
    " WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = "   \
    "$2)"                                                                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR target = $3) AND (CAST($4 AS TEXT) IS NULL OR at >= $4)"    \
    " AND (CAST($5 AS TEXT) IS NULL OR at <= $5 || '~')"

static void bind_filters(struct stmt *st, const struct audit_query *q)
{
    stmt_bind_str(st, 1, q->actor);
    stmt_bind_str(st, 2, q->action);
    stmt_bind_str(st, 3, q->target);
    stmt_bind_str(st, 4, q->since);
    stmt_bind_str(st, 5, q->until);
}

static json_t *text_or_null(struct stmt *st, int col)
{
    return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

json_t *audit_list(struct store *s, const struct audit_query *q)
{
    struct stmt *c = store_prepare(s, "SELECT count(*) FROM audit" AUDIT_WHERE);
    if (!c)
        return NULL;
    bind_filters(c, q);
    int rc = stmt_step(c);
    int64_t total = rc == 1 ? stmt_int(c, 0) : 0;
    stmt_finalize(c);
    if (rc < 0)
        return NULL;
    struct stmt *st =
        store_prepare(s, "SELECT id, at, actor, origin, action, target, detail"
                         " FROM audit" AUDIT_WHERE " ORDER BY id DESC LIMIT $6 OFFSET $7");
    if (!st)
        return NULL;
    bind_filters(st, q);
    stmt_bind_int(st, 6, q->per_page);
    stmt_bind_int(st, 7, (q->page - 1) * q->per_page);
    json_t *items = json_array();
    while ((rc = stmt_step(st)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(stmt_int(st, 0)));
        json_object_set_new(o, "at", json_string(stmt_text(st, 1)));
        json_object_set_new(o, "actor", json_string(stmt_text(st, 2)));
        json_object_set_new(o, "origin", json_string(stmt_text(st, 3)));
        json_object_set_new(o, "action", json_string(stmt_text(st, 4)));
        json_object_set_new(o, "target", text_or_null(st, 5));
        json_object_set_new(o, "detail", text_or_null(st, 6));
        json_array_append_new(items, o);
    }
    stmt_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
                     (json_int_t)q->page, "per_page", (json_int_t)q->per_page);
}
