#include "domain/runstatus.h"

#include "store/store.h"
#include "store/writer.h"
#include "util/common.h"

#define ENTRY_SIZE 20

static void put64(unsigned char *p, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | p[i];
    return (int64_t)u;
}

void run_status_encode_entry(struct buf *out, const struct run_status_entry *e)
{
    unsigned char b[ENTRY_SIZE];
    put64(b, e->record_id);
    put64(b + 8, e->school_record);
    b[16] = (unsigned char)e->st;
    b[17] = (unsigned char)(e->age < 0 || e->age > 254 ? 255 : e->age);
    b[18] = (unsigned char)(e->grade < 0 || e->grade > 255 ? 0 : e->grade);
    b[19] = (unsigned char)e->method;
    buf_add(out, b, sizeof(b));
}

int run_status_decode(const void *data, size_t len, size_t i, struct run_status_entry *out)
{
    if (len % ENTRY_SIZE || i >= len / ENTRY_SIZE)
        return -1;
    const unsigned char *b = (const unsigned char *)data + i * ENTRY_SIZE;
    if (b[16] >= ST__COUNT)
        return -1;
    out->record_id = get64(b);
    out->school_record = get64(b + 8);
    out->st = (enum child_status)b[16];
    out->age = b[17] == 255 ? -1 : b[17];
    out->grade = b[18];
    out->method = b[19];
    return 0;
}

int run_status_writer_begin(struct run_status_writer *w, struct store *s,
                            struct store_writer *queue, int64_t run_id)
{
    memset(w, 0, sizeof(*w));
    w->s = s;
    w->queue = queue;
    w->run_id = run_id;
    buf_init(&w->chunk, RUN_STATUS_CHUNK * ENTRY_SIZE);
    w->ins = store_prepare(s, "INSERT INTO run_status (run_id, first_record, last_record, n, data)"
                              " VALUES ($1, $2, $3, $4, $5)");
    if (!w->ins) {
        buf_release(&w->chunk);
        return -1;
    }
    return 0;
}

static int flush(struct run_status_writer *w)
{
    if (!w->n)
        return 0;
    if (w->queue) {
        writer_bind_int(w->queue, 1, w->run_id);
        writer_bind_int(w->queue, 2, w->first);
        writer_bind_int(w->queue, 3, w->last);
        writer_bind_int(w->queue, 4, (int64_t)w->n);
        writer_bind_blob(w->queue, 5, w->chunk.buf, w->chunk.len);
        buf_reset(&w->chunk);
        w->n = 0;
        return writer_step(w->queue, w->ins, (long)w->first);
    }
    stmt_reset(w->ins);
    stmt_bind_int(w->ins, 1, w->run_id);
    stmt_bind_int(w->ins, 2, w->first);
    stmt_bind_int(w->ins, 3, w->last);
    stmt_bind_int(w->ins, 4, (int64_t)w->n);
    stmt_bind_blob_ref(w->ins, 5, w->chunk.buf, w->chunk.len);
    int rc = stmt_step(w->ins);
    buf_reset(&w->chunk);
    w->n = 0;
    return rc < 0 ? -1 : 0;
}

int run_status_writer_add(struct run_status_writer *w, const struct run_status_entry *e)
{
    if (w->n == RUN_STATUS_CHUNK && flush(w) < 0)
        return -1;
    if (!w->n)
        w->first = e->record_id;
    w->last = e->record_id;
    run_status_encode_entry(&w->chunk, e);
    w->n++;
    return 0;
}

void run_status_writer_release(struct run_status_writer *w)
{
    stmt_finalize(w->ins);
    buf_release(&w->chunk);
    memset(w, 0, sizeof(*w));
}

int run_status_writer_end(struct run_status_writer *w)
{
    return flush(w);
}

/* A run stored before the compact store: every child has a child_status row. */
static int legacy_get(struct store *s, int64_t run_id, int64_t record_id,
                      struct run_status_entry *out)
{
    struct stmt *q = store_prepare(s, "SELECT status, coalesce(age, -1), coalesce(expected_grade,"
                                      " 0), coalesce(school_record, 0) FROM child_status"
                                      " WHERE run_id = $1 AND record_id = $2");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    stmt_bind_int(q, 2, record_id);
    int rc = stmt_step(q), st;
    if (rc == 1 && (st = status_parse(stmt_text(q, 0))) >= 0) {
        out->record_id = record_id;
        out->st = (enum child_status)st;
        out->age = (int)stmt_int(q, 1);
        out->grade = (int)stmt_int(q, 2);
        out->school_record = stmt_int(q, 3);
        out->method = 0;
    } else if (rc == 1) {
        rc = 0;
    }
    stmt_finalize(q);
    return rc;
}

static int has_chunks(struct store *s, int64_t run_id)
{
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run_id);
    const char *p[] = {r};
    int64_t n = 0;
    if (store_int(s,
                  "SELECT count(*) FROM (SELECT 1 FROM run_status WHERE run_id = $1 LIMIT 1) AS x",
                  1, p, &n) < 0)
        return -1;
    return n > 0;
}

/* The entry of record_id among a chunk's (in increasing record_id): 1, or 0 when absent. */
static int chunk_find(const void *data, size_t len, int64_t record_id, struct run_status_entry *out)
{
    size_t lo = 0, hi = data ? len / ENTRY_SIZE : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct run_status_entry e;
        if (run_status_decode(data, len, mid, &e) < 0)
            return 0;
        if (e.record_id == record_id) {
            *out = e;
            return 1;
        }
        if (e.record_id < record_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void run_status_cursor_init(struct run_status_cursor *c, struct store *s, int64_t run_id)
{
    memset(c, 0, sizeof(*c));
    c->s = s;
    c->run_id = run_id;
    buf_init(&c->chunk, 0);
}

void run_status_cursor_release(struct run_status_cursor *c)
{
    buf_release(&c->chunk);
    c->have = false;
}

int run_status_cursor_get(struct run_status_cursor *c, int64_t record_id,
                          struct run_status_entry *out)
{
    if (c->have && record_id >= c->first && record_id <= c->last)
        return chunk_find(c->chunk.buf, c->chunk.len, record_id, out);
    struct stmt *q = store_prepare(c->s, "SELECT first_record, last_record, data FROM run_status"
                                         " WHERE run_id = $1 AND first_record <= $2"
                                         " ORDER BY first_record DESC LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, c->run_id);
    stmt_bind_int(q, 2, record_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        size_t len;
        const void *data = stmt_blob(q, 2, &len);
        c->first = stmt_int(q, 0);
        c->last = stmt_int(q, 1);
        buf_reset(&c->chunk);
        buf_add(&c->chunk, data, len);
        c->have = true;
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    if (rc == 1 && record_id <= c->last)
        return chunk_find(c->chunk.buf, c->chunk.len, record_id, out);
    if (rc == 1)
        return 0; /* past the chunk that starts before it: not in the run */
    /* before the first chunk, or a run of the time before chunks */
    return run_status_get(c->s, c->run_id, record_id, out);
}

int run_status_get(struct store *s, int64_t run_id, int64_t record_id, struct run_status_entry *out)
{
    struct stmt *q = store_prepare(s, "SELECT last_record, data FROM run_status WHERE run_id = $1"
                                      " AND first_record <= $2 ORDER BY first_record DESC LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    stmt_bind_int(q, 2, record_id);
    int rc = stmt_step(q), ret = rc < 0 ? -1 : 0;
    if (rc == 1 && stmt_int(q, 0) >= record_id) {
        size_t len;
        const void *data = stmt_blob(q, 1, &len);
        ret = chunk_find(data, len, record_id, out);
    }
    stmt_finalize(q);
    if (ret == 0 && rc == 0) {
        int h = has_chunks(s, run_id);
        if (h < 0)
            return -1;
        if (!h)
            return legacy_get(s, run_id, record_id, out);
    }
    return ret;
}

static int legacy_each(struct store *s, int64_t run_id,
                       int (*fn)(void *ctx, const struct run_status_entry *e), void *ctx)
{
    struct stmt *q = store_prepare(s, "SELECT record_id, status, coalesce(age, -1),"
                                      " coalesce(expected_grade, 0), coalesce(school_record, 0)"
                                      " FROM child_status WHERE run_id = $1 ORDER BY record_id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    int rc, ret = 0;
    while (!ret && (rc = stmt_step(q)) == 1) {
        int st = status_parse(stmt_text(q, 1));
        if (st < 0)
            continue;
        struct run_status_entry e = {stmt_int(q, 0),        stmt_int(q, 4),
                                     (enum child_status)st, (int)stmt_int(q, 2),
                                     (int)stmt_int(q, 3),   0};
        ret = fn(ctx, &e);
    }
    if (!ret && rc < 0)
        ret = -1;
    stmt_finalize(q);
    return ret;
}

int run_status_each(struct store *s, int64_t run_id,
                    int (*fn)(void *ctx, const struct run_status_entry *e), void *ctx)
{
    struct stmt *q = store_prepare(s, "SELECT n, data FROM run_status WHERE run_id = $1"
                                      " ORDER BY first_record");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    int rc, ret = 0;
    bool any = false;
    while (!ret && (rc = stmt_step(q)) == 1) {
        any = true;
        size_t len, n = (size_t)stmt_int(q, 0);
        const void *data = stmt_blob(q, 1, &len);
        if (!data || len != n * ENTRY_SIZE) {
            ret = -2;
            break;
        }
        for (size_t i = 0; i < n && !ret; i++) {
            struct run_status_entry e;
            if (run_status_decode(data, len, i, &e) < 0)
                ret = -2;
            else
                ret = fn(ctx, &e);
        }
    }
    if (!ret && rc < 0)
        ret = -1;
    stmt_finalize(q);
    if (!ret && !any)
        return legacy_each(s, run_id, fn, ctx);
    return ret;
}
