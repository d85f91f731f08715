/* Reads on a streaming replica, with read-your-own-writes and fallback to the primary. */
#include "http/replica.h"

#include <pthread.h>

#include "core/date.h"
#include "http/route.h"
#include "store/replica.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/common.h"

/* seconds a replica that could not be reached is left alone before the next try */
#define REPLICA_RETRY 5.0
/* accounts with a write the replica may not have yet; when full, every read goes to the
 * primary until the oldest entries expire */
#define PENDING_MAX 1024

struct pending {
    int64_t user, position;
    double at; /* mono_seconds() of the write */
};

struct replica_pool {
    char *dsn;
    double max_lag;
    pthread_mutex_t lock;
    struct store **stores; /* every thread's connection, closed by replica_close */
    size_t nstores, alloc;
    double down_until; /* mono_seconds(): no try before */
    double full_until; /* the pending table overflowed: everything on the primary */
    bool failing;      /* the last probe failed (a state change is logged once) */
    struct pending pending[PENDING_MAX];
    size_t npending;
};

static _Thread_local struct store *thread_replica;
static _Thread_local bool thread_replica_tried; /* opened (or failed) on this thread */

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
    if (thread_replica || thread_replica_tried)
        return thread_replica;
    struct buf err = BUF_INIT;
    struct store *s = NULL;
    if (store_replica_open(&s, p->dsn, &err) == 0) {
        pthread_mutex_lock(&p->lock);
        ALLOC_GROW(p->stores, p->nstores + 1, p->alloc);
        p->stores[p->nstores++] = s;
        pthread_mutex_unlock(&p->lock);
        thread_replica = s;
        thread_replica_tried = true;
    } else {
        mark(p, true, &err); /* tried again after REPLICA_RETRY */
    }
    buf_release(&err);
    return thread_replica;
}

/* The position user_id's reads wait for (0 none), dropping what has expired; -1: the table
 * overflowed, everyone waits. */
static int64_t pending_of(struct replica_pool *p, int64_t user_id, double now)
{
    int64_t need = 0;
    if (now < p->full_until)
        return -1;
    for (size_t i = 0; i < p->npending;) {
        if (now - p->pending[i].at > p->max_lag) {
            p->pending[i] = p->pending[--p->npending];
            continue;
        }
        if (p->pending[i].user == user_id)
            need = p->pending[i].position;
        i++;
    }
    return need;
}

struct store *replica_for(struct replica_pool *p, int64_t user_id)
{
    if (!p)
        return NULL;
    double now = mono_seconds();
    pthread_mutex_lock(&p->lock);
    bool resting = now < p->down_until;
    int64_t need = resting ? 0 : pending_of(p, user_id, now);
    pthread_mutex_unlock(&p->lock);
    if (resting || need < 0)
        return NULL;
    struct store *s = thread_store(p);
    if (!s)
        return NULL;
    /* one short query per read: reachable, still a replica, lag, replay position */
    struct buf why = BUF_INIT;
    int ok = store_replica_usable(s, p->max_lag, need, &why);
    if (ok || why.len)
        mark(p, !ok, &why);
    buf_release(&why);
    if (!ok)
        return NULL;
    if (need > 0) { /* past this account's write: it reads from the replica again */
        pthread_mutex_lock(&p->lock);
        for (size_t i = 0; i < p->npending; i++)
            if (p->pending[i].user == user_id && p->pending[i].position <= need) {
                p->pending[i] = p->pending[--p->npending];
                break;
            }
        pthread_mutex_unlock(&p->lock);
    }
    return s;
}

void replica_wrote(struct replica_pool *p, struct store *primary, int64_t user_id)
{
    int64_t pos = 0;
    if (!p)
        return;
    if (store_wal_position(primary, &pos) < 0)
        pos = INT64_MAX; /* unknown: this account reads from the primary for max_lag seconds */
    double now = mono_seconds();
    pthread_mutex_lock(&p->lock);
    size_t i = 0;
    while (i < p->npending && p->pending[i].user != user_id)
        i++;
    if (i == p->npending) {
        if (p->npending == PENDING_MAX) {
            p->full_until = now + p->max_lag;
            p->npending = 0;
            pthread_mutex_unlock(&p->lock);
            return;
        }
        p->npending++;
    }
    p->pending[i] = (struct pending){user_id, pos, now};
    pthread_mutex_unlock(&p->lock);
}
