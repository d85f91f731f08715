/*
 * The PostgreSQL driver's COPY: the queued steps of an append statement (store_prepare_append)
 * in a bulk load. Each row is written into the statement's buffer in COPY's text format with
 * its tag. Every COPY_BYTES of them are sent into the statement's COPY … FROM STDIN, opened at
 * the first and kept open while the rows keep coming, so that the server stores the rows sent
 * while the program reads and writes the next ones (a COPY sent whole, then waited for, left a
 * core idle half the time). The COPY ends when the queue is settled, or when another statement
 * has rows to send (one COPY at a time on a connection; an import's rejected rows wait for the
 * end of the records' COPY). A row the server refuses is found by the "line N" of the error's
 * context: the N-th row of that COPY, whose tag is reported. Text format, not binary: the
 * driver holds every value as text already (the server reads it with the same input functions
 * as an INSERT's text parameters), and binary would need each column's type
 * (docs/decisions.md).
 */
#include "store/store_pg_impl.h"

#include "util/common.h"

void pg_copy_drop(struct pg_store *q, struct pg_stmt *x)
{
    if (q->open_copy == x) { /* its COPY abandoned: the server refuses it, the rows go */
        q->open_copy = NULL;
        PGresult *r;
        if (PQputCopyEnd(q->conn, "abandoned") == 1)
            while ((r = PQgetResult(q->conn)) != NULL)
                PQclear(r);
    }
    buf_reset(&x->copy);
    x->ncopy = 0;
    for (int i = 0; i < q->ncopying; i++)
        if (q->copying[i] == x) {
            q->copying[i] = q->copying[--q->ncopying];
            break;
        }
}

/* The tag of the row a failed COPY names ("COPY record, line 1234, column …"), else its
 * first row's. */
static long copy_failed_tag(const struct pg_stmt *x, const PGresult *r)
{
    const char *ctx = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    const char *at = ctx ? strstr(ctx, "COPY ") : NULL;
    at = at ? strstr(at, ", line ") : NULL;
    long line = at ? strtol(at + strlen(", line "), NULL, 10) : 0;
    return line >= 1 && (size_t)line <= x->ncopy ? x->copy_tags[line - 1] : x->copy_tags[0];
}

/* Open x's COPY on the connection: 0, or -1 with the message (the rows are let go). */
static int copy_open(struct pg_store *q, struct pg_stmt *x, long *failed_tag)
{
    PGresult *r = PQexec(q->conn, x->copy_sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        pg_set_err(&q->base, "数据库批量写入失败", r);
        PQclear(r);
        if (failed_tag)
            *failed_tag = x->copy_tags[0];
        pg_copy_drop(q, x);
        return -1;
    }
    PQclear(r);
    q->open_copy = x;
    return 0;
}

/* The rows gathered for x into its open COPY: 0, or -1 (the rows are let go). */
static int copy_put(struct pg_store *q, struct pg_stmt *x, long *failed_tag)
{
    if (x->copy.len && PQputCopyData(q->conn, x->copy.buf, (int)x->copy.len) != 1) {
        pg_set_err(&q->base, "数据库批量写入失败", NULL);
        if (failed_tag)
            *failed_tag = x->copy_tags[0];
        pg_copy_drop(q, x);
        return -1;
    }
    buf_reset(&x->copy);
    return 0;
}

/* Send what is gathered for x and end its COPY (opened here if it is not): 0, or -1 with the
 * message and the failed row's tag. The rows are let go either way. */
int pg_copy_send(struct pg_store *q, struct pg_stmt *x, long *failed_tag)
{
    if (!x->ncopy)
        return 0;
    if (q->open_copy && q->open_copy != x && pg_copy_send(q, q->open_copy, failed_tag) < 0) {
        pg_copy_drop(q, x);
        return -1;
    }
    if (q->open_copy != x && copy_open(q, x, failed_tag) < 0)
        return -1;
    int rc = 0;
    PGresult *r;
    q->open_copy = NULL; /* ended here whatever happens: pg_copy_drop must not end it again */
    if (PQputCopyData(q->conn, x->copy.buf, (int)x->copy.len) != 1 ||
        PQputCopyEnd(q->conn, NULL) != 1) {
        pg_set_err(&q->base, "数据库批量写入失败", NULL);
        rc = -1;
        if (failed_tag)
            *failed_tag = x->copy_tags[0];
    }
    while ((r = PQgetResult(q->conn)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_set_err(&q->base, "数据库操作失败", r);
            rc = -1;
            if (failed_tag)
                *failed_tag = copy_failed_tag(x, r);
        }
        PQclear(r);
    }
    pg_copy_drop(q, x);
    return rc;
}

/* Rows gathered for COPY that a rollback makes moot: not sent. */
void pg_copy_drop_all(struct pg_store *q)
{
    while (q->ncopying)
        pg_copy_drop(q, q->copying[0]);
}

void pg_mark_append(struct stmt *st, const char *table, const char *columns)
{
    struct pg_stmt *x = PST(st);
    if (x->copy_sql)
        return; /* kept from an earlier prepare of the same statement */
    struct buf sql = BUF_INIT;
    buf_addf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
    x->copy_sql = buf_detach(&sql, NULL);
}

/* One value in COPY's text format: \N for NULL; backslash, tab, newline and return escaped;
 * a blob as bytea's hex input. A text value ends at a NUL byte, as a text parameter does. */
static void copy_value(struct buf *out, const struct pg_param *p)
{
    static const char hex[] = "0123456789abcdef";
    if (p->kind == PARAM_NULL) {
        buf_adds(out, "\\N");
        return;
    }
    if (p->kind == PARAM_BLOB) {
        const unsigned char *b = p->blob;
        buf_adds(out, "\\\\x");
        buf_grow(out, p->blob_len * 2);
        for (size_t i = 0; i < p->blob_len; i++) {
            out->buf[out->len++] = hex[b[i] >> 4];
            out->buf[out->len++] = hex[b[i] & 15];
        }
        out->buf[out->len] = '\0';
        return;
    }
    const char *t = p->text.buf;
    size_t start = 0, i = 0;
    for (; t[i]; i++) {
        char e = t[i] == '\\'   ? '\\'
                 : t[i] == '\t' ? 't'
                 : t[i] == '\n' ? 'n'
                 : t[i] == '\r' ? 'r'
                                : 0;
        if (!e)
            continue;
        buf_add(out, t + start, i - start);
        char esc[2] = {'\\', e};
        buf_add(out, esc, 2);
        start = i + 1;
    }
    buf_add(out, t + start, i - start);
}

/* A queued step of an append statement in a bulk load: its row gathered for COPY. */
int pg_copy_queue(struct pg_store *q, struct pg_stmt *x, long tag, long *failed_tag)
{
    if (!x->ncopy) {
        if (q->ncopying == COPY_STMTS && pg_settle(q, failed_tag) < 0)
            return -1;
        q->copying[q->ncopying++] = x;
    }
    for (int i = 0; i < x->nparams; i++) {
        if (i)
            buf_adds(&x->copy, "\t");
        copy_value(&x->copy, &x->params[i]);
    }
    buf_adds(&x->copy, "\n");
    ALLOC_GROW(x->copy_tags, x->ncopy + 1, x->copy_alloc);
    x->copy_tags[x->ncopy++] = tag;
    if (x->copy.len < COPY_BYTES)
        return 0;
    /* the pipeline first: a COPY cannot run in pipeline mode */
    if (pg_settle_pipeline(q, failed_tag) < 0) {
        pg_copy_drop(q, x);
        return -1;
    }
    /* one COPY at a time: another statement's ends first */
    if (q->open_copy && q->open_copy != x && pg_copy_send(q, q->open_copy, failed_tag) < 0) {
        pg_copy_drop(q, x);
        return -1;
    }
    if (!q->open_copy && copy_open(q, x, failed_tag) < 0)
        return -1;
    return copy_put(q, x, failed_tag);
}
