#ifndef BAOXUE_RUNSTATUS_H
#define BAOXUE_RUNSTATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/status.h"
#include "util/buf.h"

struct store;
struct stmt;
struct store_writer;

/*
 * Every child's result in a cross-check run, stored compactly (table run_status): in chunks of
 * up to RUN_STATUS_CHUNK children, in population record order, one fixed-size entry each. A run
 * of five million children is about 1,200 rows instead of five million; one child is found by
 * reading one chunk. The table child_status keeps, besides, a row with a written explanation
 * for each child someone has to act on (status_has_row) — the lists are queried from there.
 */
#define RUN_STATUS_CHUNK 4096

struct run_status_entry {
    int64_t record_id;     /* the population record */
    int64_t school_record; /* the record the status rests on; 0 none */
    enum child_status st;
    int age;    /* on the cutoff date; -1 no birth date */
    int grade;  /* expected grade 1..9 by age, 0 none */
    int method; /* enum lk_method of the school record's link */
};

/* Writes a run's entries, in increasing record_id, inside the caller's transaction; through
 * the store's writer thread (store/writer.h) when `queue` is given. */
struct run_status_writer {
    struct store *s;
    struct store_writer *queue;
    struct stmt *ins;
    int64_t run_id;
    struct buf chunk;
    size_t n;
    int64_t first, last;
};

int run_status_writer_begin(struct run_status_writer *w, struct store *s,
                            struct store_writer *queue, int64_t run_id);
int run_status_writer_add(struct run_status_writer *w, const struct run_status_entry *e);
/* Writes (or queues) the last chunk: 0, or -1 with the store's error. */
int run_status_writer_end(struct run_status_writer *w);
/* Frees the writer; with a queue, only once the store's writer thread has finished. */
void run_status_writer_release(struct run_status_writer *w);

/* One child's entry in a run: 1 found, 0 not in that run, -1 store error. Runs made before
 * the compact store fall back to their child_status rows. */
int run_status_get(struct store *s, int64_t run_id, int64_t record_id,
                   struct run_status_entry *out);

/*
 * Many children of one run looked up one after another (a report's loop over a list's
 * children): the chunk of the last lookup is kept, so that children in record order cost one
 * read per chunk instead of one per child (on PostgreSQL a chunk's read also decodes 80 KB of
 * hex). Same answers as run_status_get. The cursor is the caller's; release it when done.
 */
struct run_status_cursor {
    struct store *s;
    int64_t run_id;
    struct buf chunk; /* the entries of first..last */
    int64_t first, last;
    bool have;
};
void run_status_cursor_init(struct run_status_cursor *c, struct store *s, int64_t run_id);
int run_status_cursor_get(struct run_status_cursor *c, int64_t record_id,
                          struct run_status_entry *out);
void run_status_cursor_release(struct run_status_cursor *c);

/* Calls fn for every child of a run in record order, stopping at its first non-zero return
 * (which is returned); -1 on a store error (message in the store), -2 on a damaged chunk. */
int run_status_each(struct store *s, int64_t run_id,
                    int (*fn)(void *ctx, const struct run_status_entry *e), void *ctx);

/* Chunk codec, exposed for the tests: little-endian, 20 bytes an entry. */
void run_status_encode_entry(struct buf *out, const struct run_status_entry *e);
int run_status_decode(const void *data, size_t len, size_t i, struct run_status_entry *out);

#endif
