#include "util/outcome.h"

#include <stdarg.h>

#include "util/common.h"

static int vfail(struct outcome *o, enum outcome_kind kind, const char *field, const char *fmt,
                 va_list ap)
{
    /* a failure already recorded keeps its kind: the first reason is the one to act on */
    if (o->kind == OUT_OK) {
        o->kind = kind;
        o->field = field;
    }
    if (o->msg.len && fmt && *fmt)
        buf_adds(&o->msg, "；");
    if (fmt)
        buf_vaddf(&o->msg, fmt, ap);
    return -1;
}

int failed(struct outcome *o, enum outcome_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(o, kind, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

int failed_at(struct outcome *o, enum outcome_kind kind, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(o, kind, field, fmt, ap);
    va_end(ap);
    return -1;
}

int failed_error(struct outcome *o, const char *msg)
{
    return failed(o, OUT_ERROR, "%s", msg && *msg ? msg : "内部错误");
}

int outcome_exit(enum outcome_kind kind)
{
    switch (kind) {
    case OUT_OK:
        return EXIT_OK;
    case OUT_ERROR:
        return EXIT_RUNTIME;
    default:
        return EXIT_INPUT;
    }
}

void outcome_reset(struct outcome *o)
{
    o->kind = OUT_OK;
    o->field = NULL;
    buf_reset(&o->msg);
}

void outcome_release(struct outcome *o)
{
    buf_release(&o->msg);
    o->kind = OUT_OK;
    o->field = NULL;
}
