#include "util/common.h"
#include "util/utf8.h"

char buf_empty_[1];

void buf_init(struct buf *b, size_t hint)
{
    b->alloc = 0;
    b->len = 0;
    b->buf = buf_empty_;
    if (hint)
        buf_grow(b, hint);
}

void buf_release(struct buf *b)
{
    if (b->alloc)
        free(b->buf);
    buf_init(b, 0);
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *res;
    if (len)
        *len = b->len;
    res = b->alloc ? b->buf : xcalloc(1, 1);
    buf_init(b, 0);
    return res;
}

void buf_grow(struct buf *b, size_t extra)
{
    int fresh = b->alloc == 0;
    if (b->len + extra + 1 <= b->len)
        xreallocarray(NULL, (size_t)-1, 2); /* overflow: dies */
    if (fresh)
        b->buf = NULL;
    ALLOC_GROW(b->buf, b->len + extra + 1, b->alloc);
    if (fresh)
        b->buf[0] = '\0';
}

void buf_reset(struct buf *b)
{
    buf_setlen(b, 0);
}

void buf_setlen(struct buf *b, size_t len)
{
    if (b->alloc == 0) {
        if (len)
            abort();
        return;
    }
    if (len >= b->alloc)
        abort();
    b->len = len;
    b->buf[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t len)
{
    if (!len)
        return;
    buf_grow(b, len);
    memcpy(b->buf + b->len, data, len);
    buf_setlen(b, b->len + len);
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, int c)
{
    buf_grow(b, 1);
    b->buf[b->len++] = (char)c;
    b->buf[b->len] = '\0';
}

void buf_addchars(struct buf *b, int c, size_t n)
{
    if (!n)
        return;
    buf_grow(b, n);
    memset(b->buf + b->len, c, n);
    buf_setlen(b, b->len + n);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(b->buf + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        abort();
    if ((size_t)n >= (b->alloc ? b->alloc - b->len : 0)) {
        buf_grow(b, (size_t)n);
        n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
    }
    buf_setlen(b, b->len + (size_t)n);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void buf_add_utf8(struct buf *b, unsigned cp)
{
    char t[4];
    buf_add(b, t, utf8_encode(cp, t));
}

void buf_trim(struct buf *b)
{
    size_t start = 0, end = b->len;
    while (start < end && (b->buf[start] == ' ' || b->buf[start] == '\t' || b->buf[start] == '\r' ||
                           b->buf[start] == '\n'))
        start++;
    while (end > start && (b->buf[end - 1] == ' ' || b->buf[end - 1] == '\t' ||
                           b->buf[end - 1] == '\r' || b->buf[end - 1] == '\n'))
        end--;
    if (!b->alloc)
        return;
    memmove(b->buf, b->buf + start, end - start);
    buf_setlen(b, end - start);
}
