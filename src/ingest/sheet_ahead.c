#include "util/common.h"

#include <pthread.h>

#include "ingest/sheet_impl.h"

/*
 * Reading ahead (sheet_read_ahead): a thread of its own parses the selected sheet (inflate and
 * expat for .xlsx, decoding and splitting for text) into batches of rows while the caller
 * checks and writes the rows of the batch before. The batches are copies: a row handed out
 * points into its batch, which is given back to the parser when the caller asks for the row
 * after its last. Everything the caller sees is what sheet_next_row would have shown without
 * it: the same rows in the same order, the same end, the same error after the rows before it,
 * and again at every later call.
 */

#define AHEAD_BATCHES   4
#define AHEAD_ROWS      1024
#define AHEAD_TEXT_FULL ((size_t)4 << 20) /* a batch is sent once its text reaches 4 MiB */

struct batch {
    struct row *rows;
    size_t nrows, rows_alloc;
    struct cell *cells;
    size_t ncells, cells_alloc;
    size_t *offs; /* each cell's text in `text`, resolved when the batch is full */
    size_t offs_alloc;
    struct buf text;
    int end;        /* after these rows: 0 more, 1 the end of the sheet, -1 `err` */
    struct buf err; /* the reader's message when end is -1 */
    double progress;
    uint64_t expanded;
};

struct sheet_ahead {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a batch was filled, or given back, or stop */
    struct batch batches[AHEAD_BATCHES];
    struct batch *free_[AHEAD_BATCHES], *full[AHEAD_BATCHES];
    size_t nfree, nfull, full_head;
    bool stop;
    struct batch *cur; /* the caller's: rows handed out from it */
    size_t next;       /* its next row */
    double progress;   /* of the last batch taken: what sheet_progress says */
    uint64_t expanded;
};

/* Copy the reader's current row into b. */
static void batch_add(struct batch *b, const struct row *row)
{
    ALLOC_GROW(b->rows, b->nrows + 1, b->rows_alloc);
    ALLOC_GROW(b->cells, b->ncells + row->ncells, b->cells_alloc);
    ALLOC_GROW(b->offs, b->ncells + row->ncells, b->offs_alloc);
    struct row *to = &b->rows[b->nrows++];
    to->number = row->number;
    to->ncells = row->ncells;
    for (size_t i = 0; i < row->ncells; i++) {
        const struct cell *c = &row->cells[i];
        b->cells[b->ncells + i] = *c;
        b->offs[b->ncells + i] = b->text.len;
        buf_add(&b->text, c->text, c->len);
        buf_addch(&b->text, '\0');
    }
    /* the row's first cell, as an index until resolved */
    to->cells = (struct cell *)(uintptr_t)b->ncells;
    b->ncells += row->ncells;
}

/* Point the rows at their cells and the cells at their text: the batch no longer grows. */
static void batch_resolve(struct batch *b)
{
    for (size_t i = 0; i < b->ncells; i++)
        b->cells[i].text = b->text.buf + b->offs[i];
    for (size_t i = 0; i < b->nrows; i++)
        b->rows[i].cells = b->rows[i].ncells ? b->cells + (uintptr_t)b->rows[i].cells : NULL;
}

static void batch_reset(struct batch *b)
{
    b->nrows = b->ncells = 0;
    buf_reset(&b->text);
    buf_reset(&b->err);
    b->end = 0;
}

static void *parse_ahead(void *arg)
{
    struct sheet_reader *r = arg;
    struct sheet_ahead *a = r->ahead;
    for (;;) {
        pthread_mutex_lock(&a->mu);
        while (!a->stop && !a->nfree)
            pthread_cond_wait(&a->cv, &a->mu);
        if (a->stop) {
            pthread_mutex_unlock(&a->mu);
            return NULL;
        }
        struct batch *b = a->free_[--a->nfree];
        pthread_mutex_unlock(&a->mu);

        batch_reset(b);
        while (b->nrows < AHEAD_ROWS && b->text.len < AHEAD_TEXT_FULL) {
            const struct row *row;
            int rc = sheet_next_row_here(r, &row, &b->err);
            if (rc == 1) {
                batch_add(b, row);
                continue;
            }
            b->end = rc == 0 ? 1 : -1;
            break;
        }
        batch_resolve(b);
        b->progress = sheet_progress_here(r);
        b->expanded = r->expanded;

        pthread_mutex_lock(&a->mu);
        a->full[(a->full_head + a->nfull++) % AHEAD_BATCHES] = b;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
        if (b->end)
            return NULL;
    }
}

int sheet_read_ahead(struct sheet_reader *r, struct buf *err)
{
    if (r->ahead)
        return 0;
    struct sheet_ahead *a = xcalloc(1, sizeof(*a));
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    for (size_t i = 0; i < AHEAD_BATCHES; i++) {
        buf_init(&a->batches[i].text, 0);
        buf_init(&a->batches[i].err, 0);
        a->free_[a->nfree++] = &a->batches[i];
    }
    a->progress = sheet_progress_here(r);
    a->expanded = r->expanded;
    r->ahead = a;
    if (pthread_create(&a->thread, NULL, parse_ahead, r) != 0) {
        r->ahead = NULL;
        pthread_cond_destroy(&a->cv);
        pthread_mutex_destroy(&a->mu);
        for (size_t i = 0; i < AHEAD_BATCHES; i++) {
            buf_release(&a->batches[i].text);
            buf_release(&a->batches[i].err);
        }
        free(a);
        return sheet_fail(err, "无法启动读取线程");
    }
    return 0;
}

int sheet_ahead_next(struct sheet_reader *r, const struct row **row, struct buf *err)
{
    struct sheet_ahead *a = r->ahead;
    *row = NULL;
    for (;;) {
        struct batch *b = a->cur;
        if (b && a->next < b->nrows) {
            *row = &b->rows[a->next++];
            return 1;
        }
        if (b && b->end) /* stays at the end: the same answer at every later call */
            return b->end > 0 ? 0 : sheet_fail(err, "%s", b->err.buf);
        pthread_mutex_lock(&a->mu);
        if (b) {
            a->free_[a->nfree++] = b;
            pthread_cond_broadcast(&a->cv);
        }
        while (!a->nfull)
            pthread_cond_wait(&a->cv, &a->mu);
        a->cur = a->full[a->full_head];
        a->full_head = (a->full_head + 1) % AHEAD_BATCHES;
        a->nfull--;
        pthread_mutex_unlock(&a->mu);
        a->next = 0;
        a->progress = a->cur->progress;
        a->expanded = a->cur->expanded;
    }
}

double sheet_ahead_progress(const struct sheet_reader *r)
{
    return r->ahead->progress;
}

uint64_t sheet_ahead_expanded(const struct sheet_reader *r)
{
    return r->ahead->expanded;
}

void sheet_ahead_stop(struct sheet_reader *r)
{
    struct sheet_ahead *a = r->ahead;
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->thread, NULL);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    for (size_t i = 0; i < AHEAD_BATCHES; i++) {
        struct batch *b = &a->batches[i];
        free(b->rows);
        free(b->cells);
        free(b->offs);
        buf_release(&b->text);
        buf_release(&b->err);
    }
    free(a);
    r->ahead = NULL;
}
