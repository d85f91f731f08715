#ifndef BAOXUE_STORE_PG_IMPL_H
#define BAOXUE_STORE_PG_IMPL_H

/*
 * What the PostgreSQL driver's files share: store_pg.c (connections, statements, the pipeline),
 * store_pg_rows.c (the columns of a result's row) and store_pg_copy.c (the rows of append
 * statements sent by COPY).
 */
#include <libpq-fe.h>

#include "store/store.h"

#define PIPELINE_MAX 256
/* Rows of an append statement gathered before they are sent into its COPY. */
#define COPY_BYTES (1 << 20)
/* Append statements with rows gathered at once (an import has three). */
#define COPY_STMTS 8

struct pg_stmt;

struct pg_store {
    struct store base;
    PGconn *conn;
    bool in_tx;     /* between our BEGIN and COMMIT/ROLLBACK */
    unsigned gen;   /* bumped by every reset: statements prepared before are gone */
    unsigned nexts; /* statement names s1, s2, … */
    long *pending;  /* tags of the executions sent in pipeline mode, not yet settled */
    size_t npending, pending_alloc;
    bool bulk, bulk_committed; /* in a bulk load; it committed (ANALYZE at its end) */
    char written[16][32];      /* tables the bulk load's queued INSERTs wrote */
    int nwritten;
    struct pg_stmt *copying[COPY_STMTS]; /* append statements with rows gathered */
    int ncopying;
    struct pg_stmt *open_copy; /* the one whose COPY is open on the connection, NULL none */
    bool generic; /* the session's plan_cache_mode is force_generic_plan (stmt_plan_generic) */
};

struct pg_param {
    struct buf text; /* text-format value, NUL-terminated */
    const void *blob;
    size_t blob_len;
    enum { PARAM_NULL, PARAM_TEXT, PARAM_BLOB } kind;
};

struct pg_stmt {
    struct stmt base;
    char *sql;
    char name[24];
    unsigned gen; /* the connection generation it was prepared on */
    bool generic; /* stmt_plan_generic: executed under plan_cache_mode = force_generic_plan */
    int nparams;  /* the highest $N in the text */
    struct pg_param *params;
    PGresult *res; /* the current execution's rows; NULL before the first step */
    int row;       /* the current row in res, -1 before the first */
    struct buf blob;
    char *copy_sql;  /* an append statement's "COPY table (columns) FROM STDIN", else NULL */
    struct buf copy; /* rows gathered for it, in COPY's text format */
    long *copy_tags; /* the tag of each row of its COPY (sent or not) */
    size_t ncopy, copy_alloc;
};

#define PG(s)  ((struct pg_store *)(s))
#define PST(x) ((struct pg_stmt *)(x))

/* s's message: "what：" and the server's (res's, else the connection's). */
void pg_set_err(struct store *s, const char *what, const PGresult *res);
/* Wait for the executions sent in pipeline mode and leave it (store_pg.c). */
int pg_settle_pipeline(struct pg_store *q, long *failed_tag);
/* Everything queued sent and answered: the pipeline, then the rows gathered for COPY. */
int pg_settle(struct pg_store *q, long *failed_tag);

/* ---- store_pg_rows.c: ops.is_null, col_text, col_int, col_double, col_blob ---- */

bool pg_is_null(struct stmt *st, int col);
const char *pg_col_text(struct stmt *st, int col);
int64_t pg_col_int(struct stmt *st, int col);
double pg_col_double(struct stmt *st, int col);
const void *pg_col_blob(struct stmt *st, int col, size_t *len);

/* ---- store_pg_copy.c ---- */

/* ops.mark_append: x's queued steps in a bulk load become COPY rows. */
void pg_mark_append(struct stmt *st, const char *table, const char *columns);
/* A queued step of an append statement in a bulk load: its row gathered (sent at COPY_BYTES). */
int pg_copy_queue(struct pg_store *q, struct pg_stmt *x, long tag, long *failed_tag);
/* Send the rows gathered for x as one COPY: 0, or -1 with the failed row's tag. */
int pg_copy_send(struct pg_store *q, struct pg_stmt *x, long *failed_tag);
/* Let go of the rows gathered for x (or for every statement) without sending them. */
void pg_copy_drop(struct pg_store *q, struct pg_stmt *x);
void pg_copy_drop_all(struct pg_store *q);

#endif
