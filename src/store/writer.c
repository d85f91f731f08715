#include "store/writer.h"

#include <pthread.h>

#include "store/store.h"
#include "util/common.h"

/*
 * Two batches: the caller fills one while the thread executes the other. A batch holds the
 * executions queued (ops), their parameters and the text of those parameters in one buffer,
 * which is bound without copying: it stays put until the batch has been executed.
 */
#define BATCH_OPS 1024

enum param_kind { P_NULL, P_INT, P_DOUBLE, P_TEXT, P_BLOB };

struct param {
    int idx;
    enum param_kind kind;
    int64_t v;       /* P_INT */
    double d;        /* P_DOUBLE */
    size_t off, len; /* P_TEXT, P_BLOB: in the batch's text */
};

struct op {
    struct stmt *st;            /* a step of st, or */
    int (*fn)(struct store *s); /* a call of fn */
    long tag;
    size_t first, n; /* params[first .. first + n) */
};

struct batch {
    struct op *ops;
    size_t nops, ops_alloc;
    struct param *params;
    size_t nparams, params_alloc;
    struct buf text;
};

struct store_writer {
    struct store *s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch batch[2];
    struct batch *fill; /* the caller's */
    struct batch *full; /* handed to the thread; NULL once it has run it */
    bool done;          /* nothing more will be handed over */
    bool failed;
    long failed_tag;
    size_t op_first; /* parameters of the execution being queued start here */
};

static void batch_reset(struct batch *b)
{
    b->nops = 0;
    b->nparams = 0;
    buf_reset(&b->text);
}

static void batch_release(struct batch *b)
{
    free(b->ops);
    free(b->params);
    buf_release(&b->text);
}

/* Run a batch on the thread: 0, or -1 with *tag set. */
static int batch_run(struct store *s, struct batch *b, long *tag)
{
    for (size_t i = 0; i < b->nops; i++) {
        const struct op *op = &b->ops[i];
        if (op->fn) {
            if (store_flush(s, tag) < 0 || op->fn(s) < 0) {
                *tag = op->tag;
                return -1;
            }
            continue;
        }
        for (size_t k = op->first; k < op->first + op->n; k++) {
            const struct param *p = &b->params[k];
            if (p->kind == P_INT)
                stmt_bind_int(op->st, p->idx, p->v);
            else if (p->kind == P_DOUBLE)
                stmt_bind_double(op->st, p->idx, p->d);
            else if (p->kind == P_TEXT)
                stmt_bind_text_ref(op->st, p->idx, b->text.buf + p->off, p->len);
            else if (p->kind == P_BLOB)
                stmt_bind_blob_ref(op->st, p->idx, b->text.buf + p->off, p->len);
            else
                stmt_bind_null(op->st, p->idx);
        }
        int rc = stmt_step_queued(op->st, op->tag, tag);
        /* reset at once: the statement lets go of the batch's text before it is reused */
        stmt_reset(op->st);
        if (rc < 0)
            return -1;
    }
    /* not flushed: a queued step has taken its parameters (store.h), so the batch's text may
     * be reused while the store still gathers rows (PostgreSQL sends thousands in one COPY);
     * the thread flushes once the caller is done */
    return 0;
}

static void *writer_main(void *arg)
{
    struct store_writer *w = arg;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->full && !w->done)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->full)
            break;
        struct batch *b = w->full;
        pthread_mutex_unlock(&w->mu);
        long tag = 0;
        int rc = batch_run(w->s, b, &tag);
        pthread_mutex_lock(&w->mu);
        w->full = NULL;
        if (rc < 0) {
            w->failed = true;
            w->failed_tag = tag;
        }
        pthread_cond_broadcast(&w->cv);
        if (rc < 0)
            break;
    }
    if (!w->failed) {
        /* the caller is done: what the store still holds is written */
        pthread_mutex_unlock(&w->mu);
        long tag = 0;
        int rc = store_flush(w->s, &tag);
        pthread_mutex_lock(&w->mu);
        if (rc < 0) {
            w->failed = true;
            w->failed_tag = tag;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct store_writer *store_writer_start(struct store *s)
{
    struct store_writer *w = xcalloc(1, sizeof(*w));
    w->s = s;
    for (int i = 0; i < 2; i++)
        buf_init(&w->batch[i].text, 0);
    w->fill = &w->batch[0];
    if (pthread_mutex_init(&w->mu, NULL) || pthread_cond_init(&w->cv, NULL) ||
        pthread_create(&w->thread, NULL, writer_main, w))
        die("无法创建写入线程");
    return w;
}

/* Hand the filled batch to the thread once it has finished the previous one. */
static int hand_over(struct store_writer *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->full && !w->failed)
        pthread_cond_wait(&w->cv, &w->mu);
    bool failed = w->failed;
    if (!failed) {
        w->full = w->fill;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    if (failed)
        return -1;
    w->fill = w->fill == &w->batch[0] ? &w->batch[1] : &w->batch[0];
    batch_reset(w->fill);
    w->op_first = 0;
    return 0;
}

static struct param *add_param(struct store_writer *w, int idx, enum param_kind kind)
{
    struct batch *b = w->fill;
    ALLOC_GROW(b->params, b->nparams + 1, b->params_alloc);
    struct param *p = &b->params[b->nparams++];
    p->idx = idx;
    p->kind = kind;
    return p;
}

void writer_bind_null(struct store_writer *w, int idx)
{
    add_param(w, idx, P_NULL);
}

void writer_bind_int(struct store_writer *w, int idx, int64_t v)
{
    add_param(w, idx, P_INT)->v = v;
}

void writer_bind_text(struct store_writer *w, int idx, const char *s, size_t len)
{
    struct param *p = add_param(w, idx, P_TEXT);
    p->off = w->fill->text.len;
    p->len = len;
    buf_add(&w->fill->text, s, len);
}

void writer_bind_double(struct store_writer *w, int idx, double v)
{
    add_param(w, idx, P_DOUBLE)->d = v;
}

void writer_bind_blob(struct store_writer *w, int idx, const void *data, size_t len)
{
    struct param *p = add_param(w, idx, P_BLOB);
    p->off = w->fill->text.len;
    p->len = len;
    buf_add(&w->fill->text, data, len);
}

void writer_bind_str(struct store_writer *w, int idx, const char *s)
{
    if (!s || !*s)
        writer_bind_null(w, idx);
    else
        writer_bind_text(w, idx, s, strlen(s));
}

static int add_op(struct store_writer *w, struct stmt *st, int (*fn)(struct store *), long tag)
{
    struct batch *b = w->fill;
    ALLOC_GROW(b->ops, b->nops + 1, b->ops_alloc);
    struct op *op = &b->ops[b->nops++];
    op->st = st;
    op->fn = fn;
    op->tag = tag;
    op->first = w->op_first;
    op->n = b->nparams - w->op_first;
    w->op_first = b->nparams;
    return b->nops >= BATCH_OPS ? hand_over(w) : 0;
}

int writer_step(struct store_writer *w, struct stmt *st, long tag)
{
    return add_op(w, st, NULL, tag);
}

int writer_call(struct store_writer *w, int (*fn)(struct store *s), long tag)
{
    return add_op(w, NULL, fn, tag);
}

int store_writer_finish(struct store_writer *w, long *failed_tag)
{
    if (w->fill->nops)
        hand_over(w); /* a failure is read below */
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);

    int ret = w->failed ? -1 : 0;
    *failed_tag = w->failed ? w->failed_tag : 0;
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    for (int i = 0; i < 2; i++)
        batch_release(&w->batch[i]);
    free(w);
    return ret;
}
