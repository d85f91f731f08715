/*
 * The PostgreSQL dialect of the store, over libpq.
 *
 * - SQL is sent as written: $N parameters are PostgreSQL's own. Every statement is prepared
 *   (PQprepare) under a name of its own; parameter types are left to the server, which infers
 *   them from where each $N stands.
 * - Parameters go in text format (an int or a double as its decimal text, so that the server
 *   may read it as whatever type the column has), except blobs, which go in binary format:
 *   the raw bytes, no escaping. Results come back in text format; a bytea column arrives as
 *   hex ("\x0a1b…", bytea_output is set to hex) and stmt_blob decodes it into a buffer of
 *   the statement. A result is read whole (PQexecPrepared), so a statement may be stepped
 *   while others run on the same connection, as with SQLite.
 * - A connection is used by one thread at a time (store_open_peer for another thread).
 * - Reconnection: when the connection is found broken at the start of an operation outside
 *   a transaction it is reset once (PQreset), and the statements prepared before are
 *   prepared again on their next execution. An execution that fails because the connection
 *   broke, outside a transaction, is retried once after the reset (the server had not run
 *   it: a broken session's implicit transaction never commits).
 * - Nothing of the DSN but its masked form (no password) appears in a message.
 * - Queued steps (stmt_step_queued, the writer thread's rows in a bulk load) inside a
 *   transaction go out in libpq's pipeline mode: PIPELINE_MAX executions are sent, then one
 *   sync and their results are read, so a million-row import makes thousands of round trips,
 *   not millions. The first failure is reported with its tag; the server aborts the
 *   transaction at it, so the caller's rollback leaves nothing half-written. Any other
 *   operation first settles what is queued.
 * - Queued steps of an append statement (store_prepare_append) in a bulk load are not sent as
 *   INSERTs but gathered and sent by COPY (store_pg_copy.c).
 */
#include "store/store.h"

#include <assert.h>

#include "store/migrate.h"
#include "store/replica.h"
#include "store/store_pg_impl.h"
#include "util/common.h"

/* Held while the schema is migrated, so that two programs opening a fresh database at once
 * do not both run the same step. Any constant of our own; "bx" in ASCII. */
#define MIGRATE_LOCK 0x6278

static void ignore_notice(void *arg, const char *message)
{
    /* NOTICEs (e.g. "index … does not exist, skipping") are not for the user's stderr */
}

/* PostgreSQL's own message, without the "ERROR:" prefix and trailing newline. */
static void add_pg_message(struct buf *out, PGconn *conn, const PGresult *res)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m || !*m)
        m = PQerrorMessage(conn);
    if (!m || !*m)
        m = "未知错误";
    size_t start = out->len;
    buf_adds(out, m);
    while (out->len > start && (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == ' '))
        buf_setlen(out, out->len - 1);
}

void pg_set_err(struct store *s, const char *what, const PGresult *res)
{
    buf_reset(&s->errmsg);
    buf_addf(&s->errmsg, "%s：", what);
    add_pg_message(&s->errmsg, PG(s)->conn, res);
}

/* Session settings every connection (and every reconnection) starts with. */
static int session_setup(struct pg_store *q)
{
    PQsetNoticeProcessor(q->conn, ignore_notice, NULL);
    if (PQsetClientEncoding(q->conn, "UTF8") != 0)
        return -1;
    static const char ro[] = "SET bytea_output = 'hex'; SET default_transaction_read_only = on";
    PGresult *r = PQexec(q->conn, q->base.replica ? ro : "SET bytea_output = 'hex'");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : -1;
}

/* At the start of an operation: reset a broken connection once, outside a transaction. */
static int pg_ready(struct pg_store *q)
{
    if (PQstatus(q->conn) != CONNECTION_BAD)
        return 0;
    if (q->in_tx) {
        buf_reset(&q->base.errmsg);
        buf_adds(&q->base.errmsg, "数据库连接已断开，事务已中止");
        return -1;
    }
    PQreset(q->conn);
    q->gen++;
    q->generic = false; /* a new session has the default plan_cache_mode */
    if (PQstatus(q->conn) != CONNECTION_OK || session_setup(q) < 0) {
        pg_set_err(&q->base, "数据库连接已断开，重新连接失败", NULL);
        return -1;
    }
    return 0;
}

/* After a failed execution: worth one more try on a fresh connection? */
static bool retry_after_reset(struct pg_store *q, bool was_in_tx)
{
    return !was_in_tx && PQstatus(q->conn) == CONNECTION_BAD && pg_ready(q) == 0;
}

/* Wait for the executions sent in pipeline mode and leave it: 0, or -1 with the first
 * failure's message and (when failed_tag) its tag. */
int pg_settle_pipeline(struct pg_store *q, long *failed_tag)
{
    if (!q->npending)
        return 0;
    int rc = 0;
    if (PQpipelineSync(q->conn) != 1) {
        pg_set_err(&q->base, "数据库批量写入失败", NULL);
        rc = -1;
        if (failed_tag)
            *failed_tag = q->pending[0];
    }
    /* each execution's result is followed by a NULL; then the sync's own result */
    size_t i = 0;
    while (rc == 0) {
        PGresult *r = PQgetResult(q->conn);
        if (!r) {
            if (++i > q->npending) {
                pg_set_err(&q->base, "数据库批量写入失败", NULL);
                rc = -1;
                if (failed_tag)
                    *failed_tag = q->pending[q->npending - 1];
            }
            continue;
        }
        ExecStatusType es = PQresultStatus(r);
        if (es == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK && es != PGRES_PIPELINE_ABORTED) {
            pg_set_err(&q->base, "数据库操作失败", r);
            rc = -1;
            if (failed_tag)
                *failed_tag = q->pending[i < q->npending ? i : q->npending - 1];
            /* the rest are skipped by the server: read up to the sync */
            PQclear(r);
            while ((r = PQgetResult(q->conn)) != NULL || PQstatus(q->conn) == CONNECTION_OK) {
                if (!r)
                    continue;
                bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
                PQclear(r);
                if (sync)
                    break;
            }
            break;
        }
        PQclear(r);
    }
    q->npending = 0;
    if (PQexitPipelineMode(q->conn) != 1 && rc == 0) {
        pg_set_err(&q->base, "数据库批量写入失败", NULL);
        rc = -1;
    }
    return rc;
}

/* Everything queued sent and answered: the pipeline, then the rows gathered for COPY. After a
 * failure the transaction is aborted: the rest are let go. */
int pg_settle(struct pg_store *q, long *failed_tag)
{
    int rc = pg_settle_pipeline(q, failed_tag);
    while (q->ncopying) {
        struct pg_stmt *x = q->copying[0];
        if (rc < 0)
            pg_copy_drop(q, x);
        else
            rc = pg_copy_send(q, x, failed_tag);
    }
    return rc;
}

static void pg_close(struct store *s)
{
    pg_copy_drop_all(PG(s));
    pg_settle(PG(s), NULL);
    free(PG(s)->pending);
    store_release_statements(s);
    PQfinish(PG(s)->conn);
    buf_release(&s->errmsg);
    free(s);
}

/* Run SQL without parameters: 0, or -1 with `what` and the server's message. */
static int run_simple(struct store *s, const char *sql, const char *what)
{
    struct pg_store *q = PG(s);
    bool was_in_tx = q->in_tx;
    if (pg_settle(q, NULL) < 0 || pg_ready(q) < 0)
        return -1;
    for (int attempt = 0;; attempt++) {
        PGresult *r = PQexec(q->conn, sql);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            PQclear(r);
            return 0;
        }
        pg_set_err(s, what, r);
        PQclear(r);
        if (attempt > 0 || !retry_after_reset(q, was_in_tx))
            return -1;
    }
}

static int pg_exec(struct store *s, const char *sql)
{
    return run_simple(s, sql, "数据库执行失败");
}

static int pg_begin(struct store *s)
{
    /* a transaction runs at the default plan_cache_mode (plan_mode): a write's statements are
     * not the ones marked, and the mode cannot be changed safely inside it */
    struct pg_store *q = PG(s);
    if (run_simple(s, q->generic ? "RESET plan_cache_mode; BEGIN" : "BEGIN", "开始事务失败") < 0)
        return -1;
    q->generic = false;
    q->in_tx = true;
    return 0;
}

static int pg_commit(struct store *s)
{
    struct pg_store *q = PG(s);
    struct buf failed = BUF_INIT;
    if (pg_settle(q, NULL) < 0) {
        /* the transaction is aborted: roll it back and say why */
        buf_adds(&failed, s->errmsg.buf);
        run_simple(s, "ROLLBACK", "回滚失败");
        q->in_tx = false;
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "提交失败，已回滚：%s", failed.buf);
        buf_release(&failed);
        return -1;
    }
    PGTransactionStatusType ts = PQtransactionStatus(q->conn);
    if (!q->in_tx || ts == PQTRANS_IDLE) {
        buf_reset(&s->errmsg);
        buf_adds(&s->errmsg, "提交失败：没有进行中的事务");
        return -1;
    }
    if (ts == PQTRANS_INERROR) {
        /* COMMIT would answer "ROLLBACK" without an error: say it */
        run_simple(s, "ROLLBACK", "回滚失败");
        q->in_tx = false;
        buf_reset(&s->errmsg);
        buf_adds(&s->errmsg, "提交失败：事务中有语句出错，已回滚");
        return -1;
    }
    PGresult *r = PQexec(q->conn, "COMMIT");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc < 0)
        pg_set_err(s, "提交失败", r);
    PQclear(r);
    q->in_tx = false;
    if (rc == 0 && q->bulk)
        q->bulk_committed = true;
    return rc;
}

static int pg_rollback(struct store *s)
{
    struct pg_store *q = PG(s);
    pg_copy_drop_all(q);
    pg_settle(q, NULL);
    bool had = q->in_tx;
    q->in_tx = false;
    if (PQstatus(q->conn) == CONNECTION_BAD)
        return had ? 0 : -1; /* the server rolled it back when the session ended */
    PGresult *r = PQexec(q->conn, "ROLLBACK");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK && had ? 0 : -1;
    if (rc < 0)
        pg_set_err(s, "回滚失败", r);
    PQclear(r);
    return rc;
}

static int pg_foreign_keys(struct store *s, bool on)
{
    /* Checked always: turning them off needs superuser rights (session_replication_role). */
    return 0;
}

/* The highest $N outside string literals and quoted names. */
static int count_params(const char *sql)
{
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            int n = 0;
            while (p[1] >= '0' && p[1] <= '9')
                n = n * 10 + (*++p - '0');
            if (n > max)
                max = n;
        }
    }
    return max;
}

static int prepare_on_server(struct pg_stmt *x)
{
    struct pg_store *q = PG(x->base.store);
    PGresult *r = PQprepare(q->conn, x->name, x->sql, 0, NULL);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_set_err(&q->base, "数据库语句准备失败", r);
    PQclear(r);
    x->gen = q->gen;
    return ok ? 0 : -1;
}

static void stmt_free(struct pg_stmt *x)
{
    pg_copy_drop(PG(x->base.store), x);
    free(x->copy_sql);
    buf_release(&x->copy);
    free(x->copy_tags);
    PQclear(x->res);
    for (int i = 0; i < x->nparams; i++)
        buf_release(&x->params[i].text);
    free(x->params);
    buf_release(&x->blob);
    free(x->sql);
    free(x);
}

static struct stmt *pg_prepare(struct store *s, const char *sql)
{
    struct pg_store *q = PG(s);
    if (pg_settle(q, NULL) < 0 || pg_ready(q) < 0)
        return NULL;
    struct pg_stmt *x = xcalloc(1, sizeof(*x));
    x->base.store = s;
    x->sql = xstrdup(sql);
    snprintf(x->name, sizeof(x->name), "s%u", ++q->nexts);
    x->nparams = count_params(sql);
    x->params = xcalloc(x->nparams ? (size_t)x->nparams : 1, sizeof(*x->params));
    for (int i = 0; i < x->nparams; i++)
        buf_init(&x->params[i].text, 0);
    buf_init(&x->blob, 0);
    buf_init(&x->copy, 0);
    x->row = -1;
    bool was_in_tx = q->in_tx;
    if (prepare_on_server(x) < 0 &&
        (!retry_after_reset(q, was_in_tx) || prepare_on_server(x) < 0)) {
        stmt_free(x);
        return NULL;
    }
    return &x->base;
}

static struct pg_param *param(struct stmt *st, int idx)
{
    struct pg_stmt *x = PST(st);
    /* a parameter the SQL does not have: an error of the caller's, as SQLite's range error */
    assert(idx >= 1 && idx <= x->nparams);
    return &x->params[idx - 1];
}

static void pg_bind_null(struct stmt *st, int idx)
{
    param(st, idx)->kind = PARAM_NULL;
}

static void pg_bind_text(struct stmt *st, int idx, const char *s, size_t len)
{
    struct pg_param *p = param(st, idx);
    p->kind = PARAM_TEXT;
    buf_reset(&p->text);
    buf_add(&p->text, s, len);
}

static void pg_bind_int(struct stmt *st, int idx, int64_t v)
{
    struct pg_param *p = param(st, idx);
    p->kind = PARAM_TEXT;
    buf_reset(&p->text);
    buf_addf(&p->text, "%lld", (long long)v);
}

static void pg_bind_double(struct stmt *st, int idx, double v)
{
    struct pg_param *p = param(st, idx);
    p->kind = PARAM_TEXT;
    buf_reset(&p->text);
    buf_addf(&p->text, "%.17g", v);
}

static void pg_bind_blob_ref(struct stmt *st, int idx, const void *data, size_t len)
{
    struct pg_param *p = param(st, idx);
    p->kind = PARAM_BLOB;
    p->blob = data ? data : "";
    p->blob_len = len;
}

static int pg_begin_bulk(struct store *s)
{
    /* A plain transaction: PostgreSQL's WAL has no mode to leave for a load. For the
     * transaction only: room to sort in memory for the index a large import builds again, and
     * lz4 where the server has it for the values it compresses (a million-row import's
     * batch_keys blob: pglz took 4.8 s over it, bench/RESULTS.md). */
    if (pg_begin(s) < 0 ||
        run_simple(s,
                   "SELECT set_config('maintenance_work_mem', '256MB', true), (SELECT"
                   " set_config('default_toast_compression', 'lz4', true) FROM pg_settings"
                   " WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))",
                   "开始事务失败") < 0)
        return -1;
    PG(s)->bulk = true;
    PG(s)->bulk_committed = false;
    PG(s)->nwritten = 0;
    return 0;
}

/* SQL whose failure the caller lets pass (an ANALYZE, a planner setting): run, with the
 * store's last error left as it was whatever happens. 0 done, -1 not. */
static int run_best_effort(struct store *s, const char *sql)
{
    struct buf keep = BUF_INIT;
    buf_adds(&keep, s->errmsg.buf);
    int rc = run_simple(s, sql, "数据库设置失败");
    buf_reset(&s->errmsg);
    buf_add(&s->errmsg, keep.buf, keep.len);
    buf_release(&keep);
    return rc;
}

static void pg_end_bulk(struct store *s)
{
    struct pg_store *q = PG(s);
    /* After a committed load the planner learns the new sizes of the tables it wrote at once,
     * not at autovacuum's next round up to a minute later: until then a list of a
     * million-child run was planned on an empty table's statistics and answered 45 requests a
     * second instead of 2,300 (bench/RESULTS.md). Best effort: without the right to analyze,
     * autovacuum still does it. */
    if (q->bulk_committed && q->nwritten) {
        struct buf sql = BUF_INIT;
        buf_adds(&sql, "ANALYZE ");
        for (int i = 0; i < q->nwritten; i++)
            buf_addf(&sql, "%s%s", i ? ", " : "", q->written[i]);
        run_best_effort(s, sql.buf);
        buf_release(&sql);
    }
    q->bulk = q->bulk_committed = false;
    q->nwritten = 0;
}

/* The parameters of an execution as libpq takes them. */
struct pg_args {
    const char **values;
    int *lengths, *formats;
};

static void args_make(struct pg_stmt *x, struct pg_args *a)
{
    int n = x->nparams;
    a->values = xcalloc(n ? (size_t)n : 1, sizeof(*a->values));
    a->lengths = xcalloc(n ? (size_t)n : 1, sizeof(*a->lengths));
    a->formats = xcalloc(n ? (size_t)n : 1, sizeof(*a->formats));
    for (int i = 0; i < n; i++) {
        const struct pg_param *p = &x->params[i];
        if (p->kind == PARAM_TEXT) {
            a->values[i] = p->text.buf;
        } else if (p->kind == PARAM_BLOB) {
            if (p->blob_len > INT32_MAX)
                die("数据过大（%zu 字节），超出 PostgreSQL 单个值的上限", p->blob_len);
            a->values[i] = p->blob;
            a->lengths[i] = (int)p->blob_len;
            a->formats[i] = 1;
        }
    }
}

static void args_free(struct pg_args *a)
{
    free(a->values);
    free(a->lengths);
    free(a->formats);
}

static PGresult *execute(struct pg_stmt *x)
{
    struct pg_store *q = PG(x->base.store);
    struct pg_args a;
    args_make(x, &a);
    PGresult *r = PQexecPrepared(q->conn, x->name, x->nparams, a.values, a.lengths, a.formats, 0);
    args_free(&a);
    return r;
}

/*
 * The connection's plan_cache_mode for x: force_generic_plan for a statement marked so
 * (stmt_plan_generic), the default otherwise. Changed only outside transactions (a SET in one
 * that rolls back would be undone behind our back; pg_begin puts the default back before it
 * begins one), and only when it differs: the two marked statements of a list request cost
 * no round trip more. Best effort: the mode decides how fast, never what a statement returns.
 */
static void plan_mode(struct pg_store *q, const struct pg_stmt *x)
{
    if (q->in_tx || q->generic == x->generic)
        return;
    if (run_best_effort(&q->base, x->generic ? "SET plan_cache_mode = force_generic_plan"
                                             : "RESET plan_cache_mode") == 0)
        q->generic = x->generic;
}

static void pg_plan_generic(struct stmt *st)
{
    PST(st)->generic = true;
}

static int pg_step(struct stmt *st)
{
    struct pg_stmt *x = PST(st);
    struct pg_store *q = PG(st->store);

    if (!x->res) {
        bool was_in_tx = q->in_tx;
        if (pg_settle(q, NULL) < 0 || pg_ready(q) < 0)
            return -1;
        plan_mode(q, x);
        for (int attempt = 0;; attempt++) {
            if (x->gen != q->gen && prepare_on_server(x) < 0)
                return -1;
            PGresult *r = execute(x);
            ExecStatusType es = PQresultStatus(r);
            if (es == PGRES_TUPLES_OK || es == PGRES_COMMAND_OK) {
                x->res = r;
                x->row = -1;
                break;
            }
            pg_set_err(st->store, "数据库操作失败", r);
            PQclear(r);
            if (attempt > 0 || !retry_after_reset(q, was_in_tx))
                return -1;
        }
    }
    if (++x->row < PQntuples(x->res))
        return 1;
    /* done: the next step executes again, with the same parameters (as sqlite3_step) */
    PQclear(x->res);
    x->res = NULL;
    x->row = -1;
    return 0;
}

/* Note the table an "INSERT INTO name" of a bulk load writes, for its ANALYZE. */
static void note_written(struct pg_store *q, const char *sql)
{
    static const char prefix[] = "INSERT INTO ";
    if (!q->bulk || strncmp(sql, prefix, sizeof(prefix) - 1))
        return;
    const char *name = sql + sizeof(prefix) - 1;
    size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789");
    if (!n || n >= sizeof(q->written[0]))
        return;
    for (int i = 0; i < q->nwritten; i++)
        if (strlen(q->written[i]) == n && !strncmp(q->written[i], name, n))
            return;
    if (q->nwritten < (int)ARRAY_SIZE(q->written)) {
        memcpy(q->written[q->nwritten], name, n);
        q->written[q->nwritten++][n] = '\0';
    }
}

static int pg_step_queued(struct stmt *st, long tag, long *failed_tag)
{
    struct pg_stmt *x = PST(st);
    struct pg_store *q = PG(st->store);
    note_written(q, x->sql);
    if (x->copy_sql && q->bulk && q->in_tx && x->gen == q->gen &&
        PQstatus(q->conn) == CONNECTION_OK)
        return pg_copy_queue(q, x, tag, failed_tag);
    if (!q->in_tx || x->gen != q->gen || PQstatus(q->conn) != CONNECTION_OK ||
        (!q->npending && PQenterPipelineMode(q->conn) != 1)) {
        /* outside a transaction (or on a connection to mend first): one at a time */
        if (pg_settle(q, failed_tag) < 0)
            return -1;
        int rc;
        while ((rc = pg_step(st)) == 1)
            ;
        if (rc < 0) {
            *failed_tag = tag;
            return -1;
        }
        return 0;
    }
    struct pg_args a;
    args_make(x, &a);
    int sent = PQsendQueryPrepared(q->conn, x->name, x->nparams, a.values, a.lengths, a.formats, 0);
    args_free(&a);
    ALLOC_GROW(q->pending, q->npending + 1, q->pending_alloc);
    q->pending[q->npending++] = tag;
    if (sent != 1) {
        pg_set_err(st->store, "数据库操作失败", NULL);
        pg_settle(q, NULL);
        *failed_tag = tag;
        return -1;
    }
    return q->npending >= PIPELINE_MAX ? pg_settle(q, failed_tag) : 0;
}

static int pg_flush(struct store *s, long *failed_tag)
{
    return pg_settle(PG(s), failed_tag);
}

static int pg_reset(struct stmt *st)
{
    struct pg_stmt *x = PST(st);
    PQclear(x->res);
    x->res = NULL;
    x->row = -1;
    for (int i = 0; i < x->nparams; i++)
        x->params[i].kind = PARAM_NULL;
    return 0;
}

static void pg_finalize(struct stmt *st)
{
    struct pg_stmt *x = PST(st);
    struct pg_store *q = PG(st->store);
    /* Best effort: in a failed transaction or on a lost connection the name just stays
     * unused until the session ends. */
    pg_settle(q, NULL);
    if (x->gen == q->gen && PQstatus(q->conn) == CONNECTION_OK &&
        PQtransactionStatus(q->conn) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", x->name);
        PQclear(PQexec(q->conn, sql));
    }
    stmt_free(x);
}

static const struct store_ops pg_ops = {
    .dialect = "postgresql",
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .foreign_keys = pg_foreign_keys,
    .prepare = pg_prepare,
    .bind_null = pg_bind_null,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_text_ref = pg_bind_text, /* a text parameter must end in NUL: always copied */
    .begin_bulk = pg_begin_bulk,
    .end_bulk = pg_end_bulk,
    .plan_generic = pg_plan_generic,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .is_null = pg_is_null,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .bind_blob_ref = pg_bind_blob_ref,
    .col_blob = pg_col_blob,
    .step_queued = pg_step_queued,
    .flush = pg_flush,
    .mark_append = pg_mark_append,
};

/* 1 when the schema has been created (by init), 0 when not, -1 on error. */
static int initialised(struct store *s)
{
    int64_t v = 0;
    if (store_int(s, "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL, &v) < 0)
        return -1;
    return v ? 1 : 0;
}

static int migrate_locked(struct store *s)
{
    /* one lock per schema: in a database of many counties (domain/province.h) a county's
     * migration, or a program waiting on it, holds up the opening of no other county's */
    char sql[96];
    snprintf(sql, sizeof(sql),
             "SELECT pg_advisory_lock(%d, hashtext(coalesce(current_schema(), '')))", MIGRATE_LOCK);
    if (store_exec(s, sql) < 0)
        return -1;
    int rc = migrate(s);
    struct buf keep = BUF_INIT;
    buf_adds(&keep, s->errmsg.buf);
    snprintf(sql, sizeof(sql),
             "SELECT pg_advisory_unlock(%d, hashtext(coalesce(current_schema(), '')))",
             MIGRATE_LOCK);
    store_exec(s, sql);
    buf_reset(&s->errmsg);
    buf_add(&s->errmsg, keep.buf, keep.len);
    buf_release(&keep);
    return rc;
}

int store_pg_open(struct store **out, const char *dsn, enum store_open_mode mode, struct buf *err)
{
    struct buf shown = BUF_INIT;
    store_dsn_mask(dsn, &shown);

    struct pg_store *q = xcalloc(1, sizeof(*q));
    q->base.ops = &pg_ops;
    buf_init(&q->base.errmsg, 0);
    q->base.replica = mode == STORE_OPEN_REPLICA;
    const char *const keys[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {dsn, "baoxue", NULL};
    q->conn = PQconnectdbParams(keys, values, 1);
    int rc = -1;
    if (!q->conn) {
        buf_addf(err, "无法连接数据库“%s”：内存不足", shown.buf);
        goto out;
    }
    if (PQstatus(q->conn) != CONNECTION_OK) {
        buf_addf(err, "无法连接数据库“%s”：", shown.buf);
        add_pg_message(err, q->conn, NULL);
        goto out;
    }
    if (session_setup(q) < 0) {
        buf_addf(err, "数据库“%s”不可用：", shown.buf);
        add_pg_message(err, q->conn, NULL);
        goto out;
    }
    if (mode != STORE_OPEN_CREATE && mode != STORE_OPEN_BARE) {
        int init = initialised(&q->base);
        if (init <= 0) {
            if (init < 0)
                buf_addf(err, "数据库“%s”不可用：%s", shown.buf, q->base.errmsg.buf);
            else
                buf_addf(err, "数据库“%s”尚未初始化；请先运行 baoxue init --db %s", shown.buf,
                         shown.buf);
            goto out;
        }
    }
    if ((q->base.replica                                       ? store_replica_schema(&q->base)
         : mode == STORE_OPEN_AS_IS || mode == STORE_OPEN_BARE ? 0
                                                               : migrate_locked(&q->base)) < 0) {
        buf_addf(err, "数据库“%s”不可用：%s", shown.buf, q->base.errmsg.buf);
        goto out;
    }
    *out = &q->base;
    q = NULL;
    rc = 0;
out:
    if (q)
        pg_close(&q->base);
    buf_release(&shown);
    return rc;
}
