/* Reads on a streaming replica, with read-your-own-writes and fallback to the primary. */
#include "http/replica.h"

#include <pthread.h>

#include "core/date.h"
#include "http/cookie.h"
#include "http/route.h"
#include "store/replica.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/common.h"

/* seconds a replica that could not be reached is left alone before the next try */
#define REPLICA_RETRY 5.0

struct replica_pool {
    char *dsn;
    double max_lag;
    pthread_mutex_t lock;
    struct store **stores; /* every thread's connection, closed by replica_close */
    size_t nstores, alloc;
    double down_until; /* mono_seconds(): no try before */
    bool failing;      /* the last probe failed (a state change is logged once) */
};

static _Thread_local struct store *thread_replica; /* kept once open (it reconnects itself) */

/* The lists, reports and exports (docs/decisions.md, issue 18): reads that may be seconds old
 * for anyone but the one who just wrote. Not here: the session, a single object opened to act
 * on it, the review queue, jobs and runs (they follow a write in progress), the audit trail
 * (its chain is checked against the head), settings and accounts. */
static const char *const read_routes[] = {
    "/api/v1/summary",          "/api/v1/dashboard",      "/api/v1/children",
    "/api/v1/children/filters", "/api/v1/verify",         "/api/v1/cases",
    "/api/v1/warnings",         "/api/v1/people",         "/api/v1/illnesses",
    "/api/v1/mental-health",    "/api/v1/reports/{name}", "/api/v1/monthly/report",
    "/api/v1/bulletins",        "/api/v1/attendance",     "/api/v1/inspections",
    "/api/v1/meetings",         "/api/v1/decisions",      "/api/v1/interviews",
};

bool replica_reads(const struct route *rt, const char *method)
{
    if (!rt || (strcmp(method, "GET") && strcmp(method, "HEAD")))
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(read_routes); i++)
        if (!strcmp(rt->pattern, read_routes[i]))
            return true;
    return false;
}

/* One line of the log (a driver's message may span several): no names, no DSN password. */
static void say(struct buf *line)
{
    for (size_t i = 0; i < line->len; i++)
        if (line->buf[i] == '\n' || line->buf[i] == '\t')
            line->buf[i] = ' ';
    char now[32];
    date_now_text(now, sizeof(now));
    fprintf(stderr, "%s %s\n", now, line->buf);
}

int replica_open(struct replica_pool **out, const char *dsn, double max_lag, struct buf *err)
{
    if (!store_dsn_is_pg(dsn)) {
        buf_addf(err, "--db-read 应为 PostgreSQL 只读副本的连接串，“%s”不是", dsn);
        return -1;
    }
    struct replica_pool *p = xcalloc(1, sizeof(*p));
    p->dsn = xstrdup(dsn);
    p->max_lag = max_lag;
    pthread_mutex_init(&p->lock, NULL);
    /* one connection now, to say at once when it cannot answer; not fatal: the replica may be
     * down, or not yet have replayed the migration the primary just ran at this start */
    struct store *s = NULL;
    struct buf why = BUF_INIT;
    if (store_replica_open(&s, dsn, &why) < 0) {
        struct buf line = BUF_INIT;
        buf_addf(&line, "%s；列表和报表先由主库应答，%g 秒后再试", why.buf, REPLICA_RETRY);
        say(&line);
        buf_release(&line);
        p->failing = true;
        p->down_until = mono_seconds() + REPLICA_RETRY;
    } else {
        store_close(s);
    }
    buf_release(&why);
    *out = p;
    return 0;
}

void replica_close(struct replica_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nstores; i++)
        store_close(p->stores[i]);
    free(p->stores);
    pthread_mutex_destroy(&p->lock);
    free(p->dsn);
    free(p);
}

/* A line when the replica stops or starts answering (not one per request). */
static void mark(struct replica_pool *p, bool failing, struct buf *why)
{
    pthread_mutex_lock(&p->lock);
    bool change = p->failing != failing;
    p->failing = failing;
    if (failing)
        p->down_until = mono_seconds() + REPLICA_RETRY;
    pthread_mutex_unlock(&p->lock);
    if (!change)
        return;
    struct buf line = BUF_INIT;
    buf_trim(why);
    if (failing)
        buf_addf(&line, "%s；列表和报表改由主库应答", why->buf);
    else
        buf_adds(&line, "只读副本恢复：列表和报表的读请求回到副本");
    say(&line);
    buf_release(&line);
}

/* This thread's connection to the replica, opened on first need. */
static struct store *thread_store(struct replica_pool *p)
{
    if (thread_replica)
        return thread_replica;
    struct buf err = BUF_INIT;
    struct store *s = NULL;
    if (store_replica_open(&s, p->dsn, &err) == 0) {
        pthread_mutex_lock(&p->lock);
        ALLOC_GROW(p->stores, p->nstores + 1, p->alloc);
        p->stores[p->nstores++] = s;
        pthread_mutex_unlock(&p->lock);
        thread_replica = s;
    } else {
        mark(p, true, &err); /* tried again after REPLICA_RETRY */
    }
    buf_release(&err);
    return thread_replica;
}

struct store *replica_for(struct replica_pool *p, const char *cookie_header)
{
    if (!p)
        return NULL;
    pthread_mutex_lock(&p->lock);
    bool resting = mono_seconds() < p->down_until;
    pthread_mutex_unlock(&p->lock);
    if (resting)
        return NULL;
    /* the position of this browser's last write (a value it may have made up: then its own
     * reads go to the primary, or read what anyone else reads) */
    char text[24];
    int64_t need = 0;
    if (cookie_get(cookie_header, REPLICA_COOKIE, text, sizeof(text)))
        need = strtoll(text, NULL, 10);
    struct store *s = thread_store(p);
    if (!s)
        return NULL;
    /* one short query per read: reachable, still a replica, lag, replay position */
    struct buf why = BUF_INIT;
    int ok = store_replica_usable(s, p->max_lag, need, &why);
    if (ok || why.len)
        mark(p, !ok, &why);
    buf_release(&why);
    return ok ? s : NULL;
}

const char *replica_wrote(struct replica_pool *p, struct store *primary, bool secure,
                          struct arena *a)
{
    int64_t pos = 0;
    if (!p || store_wal_position(primary, &pos) < 0)
        return NULL; /* the reads of this browser may miss its write for a moment: no error */
    char cookie[160];
    snprintf(cookie, sizeof(cookie), "%s=%lld; Path=/; Max-Age=%.0f; HttpOnly; SameSite=Strict%s",
             REPLICA_COOKIE, (long long)pos, p->max_lag < 1 ? 1 : p->max_lag,
             secure ? "; Secure" : "");
    return arena_strdup(a, cookie);
}
