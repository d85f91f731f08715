#ifndef BAOXUE_STORE_H
#define BAOXUE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

/*
 * The storage interface. Domain code talks to a `struct store` and prepared `struct stmt`s;
 * each dialect (store_sqlite.c now; libpq with the server issue) implements `struct store_ops`.
 *
 * SQL is written once with PostgreSQL-style positional parameters ($1, $2, …) and
 * `INSERT … RETURNING id`; the SQLite driver rewrites $N to ?N. Only bound parameters, never
 * string-built values. Schema migrations are per dialect and run automatically at open.
 *
 * Errors: functions returning int give 0 / -1 (step: 1 row, 0 done, -1 error) and leave a
 * Chinese message in store_errmsg(); a caller adds where it was and returns.
 */

struct store;
struct stmt;

enum store_open_mode {
    STORE_OPEN_EXISTING, /* the database must exist (every command but init) */
    STORE_OPEN_CREATE,   /* create if missing */
    /* a PostgreSQL streaming replica (store/replica.h): no migration (the schema must already
     * be the newest, replayed from the primary), every transaction read only; SQLite: refused */
    STORE_OPEN_REPLICA,
    /* PostgreSQL: an existing database as it is, without migrating (a role that may only read,
     * as baoxue backup checks its rights); SQLite: as STORE_OPEN_EXISTING */
    STORE_OPEN_AS_IS,
    /* PostgreSQL: connect only, no check of the schema and no migration (the province's
     * registry of counties, domain/province.h, which is not a county's schema); SQLite:
     * refused */
    STORE_OPEN_BARE,
};

int store_open(struct store **out, const char *dsn, enum store_open_mode mode, struct buf *err);
void store_close(struct store *s);
/* Another connection to the same database (e.g. for a reader thread: a connection is used by
 * one thread at a time), opened the same way (a replica's peer is a replica's). */
int store_open_peer(struct store *s, struct store **out, struct buf *err);
const char *store_dialect(const struct store *s); /* "sqlite" or "postgresql" */
const char *store_errmsg(struct store *s);
/* What the store was opened with, fit for messages: a PostgreSQL password is masked. */
const char *store_name(const struct store *s);

/* Whether a DSN names a PostgreSQL database (else it is an SQLite file). */
bool store_dsn_is_pg(const char *dsn);
/*
 * A PostgreSQL DSN (a libpq URI) whose connections work in one schema: dsn with
 * options=-csearch_path=<schema> added, appended to out. -1 with a Chinese message in err
 * when dsn is not a PostgreSQL URI, already sets connection options, or the schema's name is
 * not lower-case letters, digits and _ (it goes into the URI unquoted).
 */
int store_dsn_schema(const char *dsn, const char *schema, struct buf *out, struct buf *err);
/* The DSN without its options=… parameter (the schema a connection works in), appended to
 * out: the database's own DSN again. */
void store_dsn_without_options(const char *dsn, struct buf *out);
/* The DSN with any password replaced by "***" (appended to out). */
void store_dsn_mask(const char *dsn, struct buf *out);

/* Run one or more statements without parameters (DDL, pragmas). */
int store_exec(struct store *s, const char *sql);

int store_begin(struct store *s); /* a write transaction */
int store_commit(struct store *s);
int store_rollback(struct store *s);

/*
 * Foreign-key checks of this connection off (false) and on again (true), for a bulk write
 * whose every reference was just read from the referenced table. SQLite: PRAGMA foreign_keys
 * (outside a transaction). PostgreSQL: they stay on (turning them off needs superuser
 * rights), so this does nothing there.
 */
int store_foreign_keys(struct store *s, bool on);

/*
 * A write transaction for a bulk load (an import of millions of rows): like store_begin, with
 * the connection tuned for volume until store_end_bulk, which the caller runs after the
 * commit or rollback. Atomicity is unchanged: a killed load is rolled back at the next open.
 * SQLite: a rollback journal instead of WAL for the load when no other connection has the
 * database open (WAL writes every new page twice, once into the log and again at the
 * checkpoint, and looks every page up in its index), synchronous = FULL while in it, a
 * larger page cache and helper threads for sorting (index builds). PostgreSQL: a plain
 * transaction whose queued steps are pipelined (stmt_step_queued), and an ANALYZE at
 * store_end_bulk after a load that committed, so that the next queries are planned on the
 * new sizes.
 */
int store_begin_bulk(struct store *s);
void store_end_bulk(struct store *s);

struct stmt *store_prepare(struct store *s, const char *sql); /* NULL on error */

/*
 * st is written so that its best plan does not depend on its parameters' values (a filter not
 * asked for is a test of its parameter against NULL, not a different text): PostgreSQL is told
 * to plan it once per connection (plan_cache_mode = force_generic_plan while it runs) instead
 * of choosing at each execution between a plan for these values and the generic one. Its
 * choice kept planning a township's list anew at every request after a fresh run: half the
 * list's throughput (bench/RESULTS.md). SQLite plans once per prepared statement anyway.
 */
void stmt_plan_generic(struct stmt *st);
void stmt_bind_null(struct stmt *st, int idx); /* idx is 1-based, as $N */
void stmt_bind_int(struct stmt *st, int idx, int64_t v);
void stmt_bind_double(struct stmt *st, int idx, double v);
void stmt_bind_text(struct stmt *st, int idx, const char *s, size_t len); /* copies */
/* Bind without copying: s must stay unchanged until the statement is reset or finalized. */
void stmt_bind_text_ref(struct stmt *st, int idx, const char *s, size_t len);
/* Bind bytes without copying (they must outlive the step). */
void stmt_bind_blob_ref(struct stmt *st, int idx, const void *data, size_t len);
/* Bind s as text, or NULL when s is NULL or "". */
void stmt_bind_str(struct stmt *st, int idx, const char *s);
int stmt_step(struct stmt *st);
int stmt_reset(struct stmt *st); /* ready to bind and step again */
/*
 * Writes whose outcome is learnt later (the writer thread's steps in a bulk load): queue one
 * execution of st with its bound parameters, marked with tag; its result rows are never read,
 * and st may be reset and bound again at once. store_flush waits until everything queued has
 * run. Either returns 0, or -1 with *failed_tag the tag of the first queued execution that
 * failed (its message in store_errmsg) - a failure may surface at a later call than the step
 * that failed. Inside a transaction the PostgreSQL driver sends the executions in a libpq
 * pipeline, one round trip for many rows (a failure aborts the transaction, which the caller
 * rolls back: all or nothing as before); elsewhere, and on SQLite, a queued step runs at once.
 */
int stmt_step_queued(struct stmt *st, long tag, long *failed_tag);
int store_flush(struct store *s, long *failed_tag);
/*
 * A statement that appends rows to one table: "INSERT INTO table (columns) VALUES ($1, …, $n)",
 * $i the i-th of the comma-separated columns. It is bound and stepped like any statement. Its
 * queued steps inside a bulk load (store_begin_bulk) go to PostgreSQL by COPY table (columns)
 * FROM STDIN in text format, thousands of rows a statement, sent when enough are gathered and
 * at store_flush (or any other operation on the store); a row the database refuses is named by
 * its tag (the line of the COPY it was sent on, mapped back), and the transaction is aborted
 * as with a queued INSERT. Gathered rows are not yet in the table: another queued step that
 * reads it does not see them (store_flush, or any operation that is not queued, sends them).
 * SQLite, and PostgreSQL outside a bulk load: the prepared INSERT.
 */
struct stmt *store_prepare_append(struct store *s, const char *table, const char *columns);
void stmt_finalize(struct stmt *st);

bool stmt_is_null(struct stmt *st, int col); /* col is 0-based */
int64_t stmt_int(struct stmt *st, int col);
double stmt_double(struct stmt *st, int col);
const char *stmt_text(struct stmt *st, int col); /* "" for NULL; valid until the next step */
/* Bytes of a blob column (NULL, 0 for NULL); valid until the next step. */
const void *stmt_blob(struct stmt *st, int col, size_t *len);

/* Convenience: run a statement with no result rows, or fetch one integer (0 when no row).
 * Parameters are text ($1…$n), NULL pointers bind NULL. */
int store_run(struct store *s, const char *sql, int n, const char *const *params);
/* The store's last error as the caller's outcome (OUT_ERROR): -1. */
int fail_store(struct store *s, struct outcome *o);
/*
 * Run `sql` with its $1 bound to `id` and stand on its first row (the caller finalizes it);
 * NULL with the outcome otherwise: the store's error, or OUT_NOT_FOUND "没有编号为 N 的<what>".
 */
struct stmt *store_row_by_id(struct store *s, const char *sql, int64_t id, const char *what,
                             struct outcome *o);
int store_int(struct store *s, const char *sql, int n, const char *const *params, int64_t *out);

/* Small key/value table for settings (county code, cutoff date, …). */
int store_get_setting(struct store *s, const char *key, struct buf *out); /* 1 found, 0 not */
int store_set_setting(struct store *s, const char *key, const char *value);

/* The dialect vtable. */
struct store_ops {
    const char *dialect;
    void (*close)(struct store *s);
    int (*exec)(struct store *s, const char *sql);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    int (*rollback)(struct store *s);
    int (*foreign_keys)(struct store *s, bool on);
    struct stmt *(*prepare)(struct store *s, const char *sql);
    void (*bind_null)(struct stmt *st, int idx);
    void (*bind_int)(struct stmt *st, int idx, int64_t v);
    void (*bind_double)(struct stmt *st, int idx, double v);
    void (*bind_text)(struct stmt *st, int idx, const char *s, size_t len);
    void (*bind_text_ref)(struct stmt *st, int idx, const char *s, size_t len);
    int (*begin_bulk)(struct store *s);
    void (*end_bulk)(struct store *s);
    void (*plan_generic)(struct stmt *st); /* optional: NULL nothing to do */
    int (*step)(struct stmt *st);
    int (*reset)(struct stmt *st);
    void (*finalize)(struct stmt *st);
    bool (*is_null)(struct stmt *st, int col);
    int64_t (*col_int)(struct stmt *st, int col);
    double (*col_double)(struct stmt *st, int col);
    const char *(*col_text)(struct stmt *st, int col);
    void (*bind_blob_ref)(struct stmt *st, int idx, const void *data, size_t len);
    const void *(*col_blob)(struct stmt *st, int col, size_t *len);
    /* optional (NULL: a queued step is a step; nothing to flush) */
    int (*step_queued)(struct stmt *st, long tag, long *failed_tag);
    int (*flush)(struct store *s, long *failed_tag);
    /* optional: st (an INSERT of all its columns in order) may load its queued steps by
     * COPY table (columns); NULL: it stays an INSERT */
    void (*mark_append)(struct stmt *st, const char *table, const char *columns);
};

/*
 * Prepared statements are kept and reused by their SQL text: a statement a caller finalizes
 * is reset (bindings cleared) and handed to the next store_prepare of the same text. Code
 * that prepares, steps and finalizes one statement per row therefore prepares it once.
 */
#define STMT_CACHE 48

struct stmt_cache_entry {
    char *sql; /* NULL: free */
    struct stmt *st;
    bool busy; /* handed out and not yet finalized */
};

struct store {
    const struct store_ops *ops;
    struct buf errmsg;
    char *dsn;    /* what it was opened with, for store_open_peer */
    char *name;   /* the DSN masked, for messages */
    bool replica; /* opened with STORE_OPEN_REPLICA */
    struct stmt_cache_entry cache[STMT_CACHE];
    unsigned evict; /* the next slot to reuse when all are taken */
};

struct stmt {
    struct store *store;
    int cache_slot; /* 1 + its slot in store.cache, 0 when not kept */
};

/* For drivers: finalize the kept statements; every driver's close calls it first, also when
 * an open fails half-way (migrations prepare statements too). */
void store_release_statements(struct store *s);

int store_sqlite_open(struct store **out, const char *path, enum store_open_mode mode,
                      struct buf *err);
int store_pg_open(struct store **out, const char *dsn, enum store_open_mode mode, struct buf *err);

#endif
