/* The counties one server serves: the registry read from the province's schema, and the
 * connections each thread keeps to the counties' schemas (counties.h). */
#include "http/counties.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/common.h"

/* Connections no request holds, the least lately released first; closed beyond
 * COUNTIES_IDLE_MAX or COUNTIES_IDLE_SECONDS. One a request holds is never closed under it. */
struct idle {
    char code[8];
    struct store *s;
    time_t since;
};

struct counties {
    pthread_mutex_t lock;
    char *base; /* the database's DSN, without the province's schema */
    struct province_county *list;
    size_t n;
    time_t read_at;
    size_t unready;    /* registered counties left out of the last read: no tables of their own */
    struct idle *idle; /* the requests' connections no request holds (counties_release) */
    size_t nidle, idle_alloc;
};

/*
 * The registry read again. A county whose schema has no tables (dropped, or a registry row
 * written by hand) is left out, as if not registered: it could serve no request, and a query
 * naming its tables (counties_with_jobs) would fail for every county. The number left out is
 * logged when it changes.
 */
static int reread(struct counties *c, struct store *s)
{
    struct stmt *st = store_prepare(s, "SELECT code, name, schema_name, added_at,"
                                       " to_regclass('c' || code || '.job') IS NOT NULL"
                                       " FROM province.county ORDER BY code");
    if (!st)
        return -1;
    struct province_county *list = NULL;
    size_t n = 0, alloc = 0, unready = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        const char *code = stmt_text(st, 0);
        /* the registry's table checks it too: a code goes into SQL as a schema's name */
        if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
            continue;
        if (!stmt_int(st, 4)) {
            unready++;
            continue;
        }
        ALLOC_GROW(list, n + 1, alloc);
        struct province_county *p = &list[n++];
        memset(p, 0, sizeof(*p));
        snprintf(p->code, sizeof(p->code), "%s", stmt_text(st, 0));
        snprintf(p->name, sizeof(p->name), "%s", stmt_text(st, 1));
        /* the schema from the code (checked to be six digits by the registry's table): it is
         * written into SQL (counties_with_jobs) */
        province_schema_of(p->code, p->schema);
        snprintf(p->added_at, sizeof(p->added_at), "%s", stmt_text(st, 3));
    }
    stmt_finalize(st);
    if (rc < 0) {
        free(list);
        return -1;
    }
    pthread_mutex_lock(&c->lock);
    free(c->list);
    c->list = list;
    c->n = n;
    c->read_at = time(NULL);
    bool changed = unready != c->unready;
    c->unready = unready;
    pthread_mutex_unlock(&c->lock);
    if (changed && unready)
        error("本库的县名单中有 %zu 个县（区）的数据表不存在，暂不服务它们（见 baoxue province "
              "list）",
              unready);
    return 0;
}

int counties_open(struct counties **out, struct store *main, struct buf *err)
{
    *out = NULL;
    if (strcmp(store_dialect(main), "postgresql"))
        return 0;
    struct buf base = BUF_INIT;
    int here = province_here(main, &base);
    if (here <= 0) {
        buf_release(&base);
        if (here < 0)
            buf_addf(err, "无法读取数据库的设置：%s", store_errmsg(main));
        return here < 0 ? -1 : 0;
    }
    struct counties *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->base = buf_detach(&base, NULL);
    if (reread(c, main) < 0) {
        buf_addf(err, "无法读取本库的县名单：%s", store_errmsg(main));
        counties_close(c);
        return -1;
    }
    *out = c;
    return 0;
}

void counties_close(struct counties *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nidle; i++)
        store_close(c->idle[i].s);
    free(c->idle);
    free(c->list);
    free(c->base);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

size_t counties_count(struct counties *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = c->n;
    pthread_mutex_unlock(&c->lock);
    return n;
}

static bool lookup(struct counties *c, const char *code, struct province_county *out)
{
    bool found = false;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n && !found; i++)
        if (!strcmp(c->list[i].code, code)) {
            *out = c->list[i];
            found = true;
        }
    pthread_mutex_unlock(&c->lock);
    return found;
}

/* The registry read again on s when it was read COUNTIES_REREAD seconds ago or more (by one
 * caller: the others meanwhile use the list as it is): 1 read, 0 not yet due, -1 a store error. */
static int reread_stale(struct counties *c, struct store *s)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&c->lock);
    bool stale = now - c->read_at >= COUNTIES_REREAD;
    if (stale)
        c->read_at = now;
    pthread_mutex_unlock(&c->lock);
    return !stale ? 0 : reread(c, s) < 0 ? -1 : 1;
}

bool counties_find(struct counties *c, struct store *s, const char *code,
                   struct province_county *out)
{
    if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return false;
    /* a county taken off the registry stops being served, its sessions with it */
    if (reread_stale(c, s) < 0)
        error("无法读取本库的县名单：%s", store_errmsg(s));
    return lookup(c, code, out);
}

json_t *counties_json(struct counties *c, struct store *s)
{
    if (reread_stale(c, s) < 0)
        error("无法读取本库的县名单：%s", store_errmsg(s));
    json_t *a = json_array();
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "code", c->list[i].code, "name", c->list[i].name));
    pthread_mutex_unlock(&c->lock);
    return a;
}

static int connect_county(struct counties *c, const struct province_county *county,
                          struct store **out, struct buf *err)
{
    struct outcome o = OUTCOME_INIT;
    int rc = province_open_county(c->base, county, out, &o);
    if (rc < 0)
        buf_addf(err, "无法连接%s的数据：%s", county->name, o.msg.buf);
    outcome_release(&o);
    return rc;
}

int counties_connect(struct counties *c, const char *code, struct store **out, struct buf *err)
{
    struct province_county county;
    if (!lookup(c, code, &county)) {
        buf_addf(err, "县 %s 不在本库的县名单中", code);
        return -1;
    }
    return connect_county(c, &county, out, err);
}

/* ---- the connections of the requests ---- */

struct store *counties_acquire(struct counties *c, const struct province_county *county,
                               struct buf *err)
{
    struct store *s = NULL;
    pthread_mutex_lock(&c->lock);
    for (size_t i = c->nidle; i-- > 0;)
        if (!strcmp(c->idle[i].code, county->code)) {
            s = c->idle[i].s;
            memmove(&c->idle[i], &c->idle[i + 1], (c->nidle - i - 1) * sizeof(*c->idle));
            c->nidle--;
            break;
        }
    pthread_mutex_unlock(&c->lock);
    if (!s && connect_county(c, county, &s, err) < 0)
        return NULL;
    return s;
}

void counties_release(struct counties *c, const char *code, struct store *s)
{
    if (!s)
        return;
    struct store *gone[COUNTIES_IDLE_MAX + 1];
    size_t ngone = 0;
    time_t now = time(NULL);
    pthread_mutex_lock(&c->lock);
    /* the oldest go: beyond the number kept, or idle too long */
    while (c->nidle &&
           (c->nidle >= COUNTIES_IDLE_MAX || now - c->idle[0].since > COUNTIES_IDLE_SECONDS) &&
           ngone < ARRAY_SIZE(gone)) {
        gone[ngone++] = c->idle[0].s;
        memmove(&c->idle[0], &c->idle[1], (c->nidle - 1) * sizeof(*c->idle));
        c->nidle--;
    }
    ALLOC_GROW(c->idle, c->nidle + 1, c->idle_alloc);
    struct idle *k = &c->idle[c->nidle++];
    snprintf(k->code, sizeof(k->code), "%s", code);
    k->s = s;
    k->since = now;
    pthread_mutex_unlock(&c->lock);
    for (size_t i = 0; i < ngone; i++)
        store_close(gone[i]);
}

/* ---- the counties with jobs ---- */

int counties_with_jobs(struct counties *c, struct store *s, bool running, char (**codes)[8],
                       size_t *n)
{
    *codes = NULL;
    *n = 0;
    /* the job threads see counties added and taken off without a request asking */
    if (reread_stale(c, s) < 0)
        return -1;
    struct buf sql = BUF_INIT;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n; i++)
        buf_addf(&sql, "%s(SELECT '%s' FROM %s.job WHERE state IN ('queued'%s) LIMIT 1)",
                 i ? " UNION ALL " : "", c->list[i].code, c->list[i].schema,
                 running ? ", 'running'" : "");
    pthread_mutex_unlock(&c->lock);
    if (!sql.len) {
        buf_release(&sql);
        return 0;
    }
    struct stmt *st = store_prepare(s, sql.buf);
    buf_release(&sql);
    if (!st)
        return -1;
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        ALLOC_GROW(*codes, *n + 1, alloc);
        snprintf((*codes)[(*n)++], 8, "%s", stmt_text(st, 0));
    }
    stmt_finalize(st);
    if (rc < 0) {
        free(*codes);
        *codes = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
