#ifndef BAOXUE_WRITER_H
#define BAOXUE_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct stmt;

/*
 * A writer thread for bulk loads. The caller queues executions of prepared statements (the
 * parameters, then a step) and goes on producing rows while the thread binds and steps them,
 * in the order queued, on the store's connection. Reading and normalising a sheet and writing
 * it to SQLite cost about the same, so on two cores an import takes half the time.
 *
 * Between store_writer_start and store_writer_finish the store belongs to the thread: the
 * caller must not use it (nor the statements it queues) in any other way.
 *
 * Parameters are copied when queued, so the caller may reuse its buffers at once. A failed
 * step stops the thread; the caller learns of it at a later writer_step (-1) and at
 * store_writer_finish, with the tag of the execution that failed (a row number) and the
 * message in store_errmsg().
 */
struct store_writer;

struct store_writer *store_writer_start(struct store *s);

/* Parameters of the next execution; idx is 1-based, as $N. */
void writer_bind_null(struct store_writer *w, int idx);
void writer_bind_int(struct store_writer *w, int idx, int64_t v);
void writer_bind_double(struct store_writer *w, int idx, double v);
void writer_bind_text(struct store_writer *w, int idx, const char *s, size_t len);
void writer_bind_blob(struct store_writer *w, int idx, const void *data, size_t len);
/* s as text, or NULL when s is NULL or "" (as stmt_bind_str). */
void writer_bind_str(struct store_writer *w, int idx, const char *s);

/* Queue one step of st with the parameters bound since the last step or call. */
int writer_step(struct store_writer *w, struct stmt *st, long tag);
/* Queue a call of fn on the store, in order with the steps (schema work inside the load). */
int writer_call(struct store_writer *w, int (*fn)(struct store *s), long tag);

/* Wait until everything queued has run, stop the thread and free the writer: 0, or -1 with
 * *failed_tag set to the tag of what failed. */
int store_writer_finish(struct store_writer *w, long *failed_tag);

#endif
