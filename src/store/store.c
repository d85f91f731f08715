#include "store/store.h"

#include "util/common.h"

bool store_dsn_is_pg(const char *dsn)
{
    return !strncmp(dsn, "postgresql://", 13) || !strncmp(dsn, "postgres://", 11);
}

/*
 * A libpq URI carries a password either as user:password@ before the host or as a
 * password=… parameter after the '?'; both are masked. A path is shown as it is.
 */
void store_dsn_mask(const char *dsn, struct buf *out)
{
    if (!store_dsn_is_pg(dsn)) {
        buf_adds(out, dsn);
        return;
    }
    const char *auth = strstr(dsn, "://") + 3;
    const char *end = auth + strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        buf_add(out, dsn, (size_t)(colon - dsn));
        buf_adds(out, ":***");
        dsn = at;
    }
    const char *q = strchr(dsn, '?');
    if (!q) {
        buf_adds(out, dsn);
        return;
    }
    buf_add(out, dsn, (size_t)(q - dsn));
    for (const char *p = q; *p;) {
        size_t n = 1 + strcspn(p + 1, "&");
        if (!strncmp(p + 1, "password=", 9)) {
            buf_add(out, p, 10);
            buf_adds(out, "***");
        } else {
            buf_add(out, p, n);
        }
        p += n;
    }
}

int store_dsn_schema(const char *dsn, const char *schema, struct buf *out, struct buf *err)
{
    if (!store_dsn_is_pg(dsn)) {
        buf_addf(err, "“%s”不是 PostgreSQL 连接串（postgresql://…）", dsn);
        return -1;
    }
    size_t n = strlen(schema);
    if (!n || n > 63 || strspn(schema, "abcdefghijklmnopqrstuvwxyz0123456789_") != n ||
        (*schema >= '0' && *schema <= '9')) {
        buf_addf(err, "模式名“%s”无效：只能用小写字母、数字和下划线，且不以数字开头", schema);
        return -1;
    }
    const char *q = strchr(dsn, '?');
    for (const char *p = q; p && *p; p += 1 + strcspn(p + 1, "&"))
        if (!strncmp(p + 1, "options=", 8)) {
            struct buf shown = BUF_INIT;
            store_dsn_mask(dsn, &shown);
            buf_addf(err, "连接串“%s”已带有 options 参数；省级库的连接串不能再指定连接选项",
                     shown.buf);
            buf_release(&shown);
            return -1;
        }
    buf_adds(out, dsn);
    if (!q)
        buf_addch(out, '?');
    else if (dsn[strlen(dsn) - 1] != '?' && dsn[strlen(dsn) - 1] != '&')
        buf_addch(out, '&');
    buf_addf(out, "options=-csearch_path%%3D%s", schema);
    return 0;
}

void store_dsn_without_options(const char *dsn, struct buf *out)
{
    const char *q = strchr(dsn, '?');
    if (!q) {
        buf_adds(out, dsn);
        return;
    }
    buf_add(out, dsn, (size_t)(q - dsn));
    bool first = true;
    for (const char *p = q + 1; *p;) {
        size_t n = strcspn(p, "&");
        if (n && strncmp(p, "options=", 8)) {
            buf_addch(out, first ? '?' : '&');
            buf_add(out, p, n);
            first = false;
        }
        p += n + (p[n] == '&');
    }
}

int store_open(struct store **out, const char *dsn, enum store_open_mode mode, struct buf *err)
{
    int rc = store_dsn_is_pg(dsn) ? store_pg_open(out, dsn, mode, err)
                                  : store_sqlite_open(out, dsn, mode, err);
    if (rc < 0)
        return -1;
    (*out)->dsn = xstrdup(dsn);
    (*out)->replica = mode == STORE_OPEN_REPLICA;
    struct buf name = BUF_INIT;
    store_dsn_mask(dsn, &name);
    (*out)->name = buf_detach(&name, NULL);
    return 0;
}

int store_open_peer(struct store *s, struct store **out, struct buf *err)
{
    return store_open(out, s->dsn, s->replica ? STORE_OPEN_REPLICA : STORE_OPEN_EXISTING, err);
}

void store_release_statements(struct store *s)
{
    for (int i = 0; i < STMT_CACHE; i++) {
        struct stmt_cache_entry *e = &s->cache[i];
        if (e->sql) {
            s->ops->finalize(e->st); /* a statement still handed out is the caller's bug */
            free(e->sql);
            e->sql = NULL;
        }
    }
}

void store_close(struct store *s)
{
    if (!s)
        return;
    free(s->dsn);
    free(s->name);
    s->dsn = s->name = NULL;
    s->ops->close(s);
}

const char *store_dialect(const struct store *s)
{
    return s->ops->dialect;
}

const char *store_errmsg(struct store *s)
{
    return s->errmsg.buf;
}

const char *store_name(const struct store *s)
{
    return s->name;
}

int store_exec(struct store *s, const char *sql)
{
    return s->ops->exec(s, sql);
}

int store_begin(struct store *s)
{
    return s->ops->begin(s);
}

int store_commit(struct store *s)
{
    return s->ops->commit(s);
}

int store_rollback(struct store *s)
{
    return s->ops->rollback(s);
}

int store_foreign_keys(struct store *s, bool on)
{
    return s->ops->foreign_keys(s, on);
}

int store_begin_bulk(struct store *s)
{
    return s->ops->begin_bulk(s);
}

void store_end_bulk(struct store *s)
{
    s->ops->end_bulk(s);
}

struct stmt *store_prepare(struct store *s, const char *sql)
{
    int free_slot = -1;
    for (int i = 0; i < STMT_CACHE; i++) {
        struct stmt_cache_entry *e = &s->cache[i];
        if (!e->sql) {
            if (free_slot < 0)
                free_slot = i;
        } else if (!e->busy && !strcmp(e->sql, sql)) {
            e->busy = true;
            return e->st;
        }
    }
    struct stmt *st = s->ops->prepare(s, sql);
    if (!st)
        return NULL;
    if (free_slot < 0) {
        /* all slots taken: the next one round the ring that is not handed out makes room */
        for (int k = 0; k < STMT_CACHE && free_slot < 0; k++) {
            int i = (int)(s->evict++ % STMT_CACHE);
            if (!s->cache[i].busy) {
                s->ops->finalize(s->cache[i].st);
                free(s->cache[i].sql);
                s->cache[i].sql = NULL;
                free_slot = i;
            }
        }
        if (free_slot < 0)
            return st; /* every kept statement is in use: this one is not kept */
    }
    struct stmt_cache_entry *e = &s->cache[free_slot];
    e->sql = xstrdup(sql);
    e->st = st;
    e->busy = true;
    st->cache_slot = free_slot + 1;
    return st;
}

void stmt_plan_generic(struct stmt *st)
{
    if (st->store->ops->plan_generic)
        st->store->ops->plan_generic(st);
}

void stmt_bind_null(struct stmt *st, int idx)
{
    st->store->ops->bind_null(st, idx);
}

void stmt_bind_int(struct stmt *st, int idx, int64_t v)
{
    st->store->ops->bind_int(st, idx, v);
}

void stmt_bind_double(struct stmt *st, int idx, double v)
{
    st->store->ops->bind_double(st, idx, v);
}

void stmt_bind_text(struct stmt *st, int idx, const char *s, size_t len)
{
    st->store->ops->bind_text(st, idx, s, len);
}

void stmt_bind_text_ref(struct stmt *st, int idx, const char *s, size_t len)
{
    st->store->ops->bind_text_ref(st, idx, s, len);
}

void stmt_bind_str(struct stmt *st, int idx, const char *s)
{
    if (!s || !*s)
        stmt_bind_null(st, idx);
    else
        stmt_bind_text(st, idx, s, strlen(s));
}

int stmt_step(struct stmt *st)
{
    return st->store->ops->step(st);
}

int stmt_step_queued(struct stmt *st, long tag, long *failed_tag)
{
    if (st->store->ops->step_queued)
        return st->store->ops->step_queued(st, tag, failed_tag);
    if (stmt_step(st) < 0) {
        *failed_tag = tag;
        return -1;
    }
    return 0;
}

int store_flush(struct store *s, long *failed_tag)
{
    return s->ops->flush ? s->ops->flush(s, failed_tag) : 0;
}

struct stmt *store_prepare_append(struct store *s, const char *table, const char *columns)
{
    struct buf sql = BUF_INIT;
    buf_addf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
    int n = 1;
    for (const char *c = columns; *c; c++)
        n += *c == ',';
    for (int i = 1; i <= n; i++)
        buf_addf(&sql, "%s$%d", i > 1 ? ", " : "", i);
    buf_adds(&sql, ")");
    struct stmt *st = store_prepare(s, sql.buf);
    buf_release(&sql);
    if (st && s->ops->mark_append)
        s->ops->mark_append(st, table, columns);
    return st;
}

int stmt_reset(struct stmt *st)
{
    return st->store->ops->reset(st);
}

void stmt_finalize(struct stmt *st)
{
    if (!st)
        return;
    if (st->cache_slot) {
        /* kept for the next prepare of the same text: reset ends its read and frees the
         * bindings, so it holds no lock and no caller's memory */
        st->store->ops->reset(st);
        st->store->cache[st->cache_slot - 1].busy = false;
        return;
    }
    st->store->ops->finalize(st);
}

bool stmt_is_null(struct stmt *st, int col)
{
    return st->store->ops->is_null(st, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
    return st->store->ops->col_int(st, col);
}

double stmt_double(struct stmt *st, int col)
{
    return st->store->ops->col_double(st, col);
}

const char *stmt_text(struct stmt *st, int col)
{
    return st->store->ops->col_text(st, col);
}

const void *stmt_blob(struct stmt *st, int col, size_t *len)
{
    return st->store->ops->col_blob(st, col, len);
}

void stmt_bind_blob_ref(struct stmt *st, int idx, const void *data, size_t len)
{
    st->store->ops->bind_blob_ref(st, idx, data, len);
}

static struct stmt *prepare_with(struct store *s, const char *sql, int n, const char *const *params)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return NULL;
    for (int i = 0; i < n; i++)
        stmt_bind_str(st, i + 1, params[i]);
    return st;
}

int store_run(struct store *s, const char *sql, int n, const char *const *params)
{
    struct stmt *st = prepare_with(s, sql, n, params);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

int store_int(struct store *s, const char *sql, int n, const char *const *params, int64_t *out)
{
    struct stmt *st = prepare_with(s, sql, n, params);
    if (!st)
        return -1;
    int rc = stmt_step(st);
    *out = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_finalize(st);
    return rc < 0 ? -1 : 0;
}

int store_get_setting(struct store *s, const char *key, struct buf *out)
{
    struct stmt *st = store_prepare(s, "SELECT value FROM setting WHERE key = $1");
    if (!st)
        return -1;
    stmt_bind_str(st, 1, key);
    int rc = stmt_step(st);
    if (rc == 1) {
        buf_reset(out);
        buf_adds(out, stmt_text(st, 0));
    }
    stmt_finalize(st);
    return rc;
}

int store_set_setting(struct store *s, const char *key, const char *value)
{
    const char *p[] = {key, value};
    return store_run(s,
                     "INSERT INTO setting (key, value) VALUES ($1, $2) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     2, p);
}

int fail_store(struct store *s, struct outcome *o)
{
    return failed_error(o, store_errmsg(s));
}

struct stmt *store_row_by_id(struct store *s, const char *sql, int64_t id, const char *what,
                             struct outcome *o)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        return q;
    stmt_finalize(q);
    if (rc < 0)
        fail_store(s, o);
    else
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的%s", (long long)id, what);
    return NULL;
}
