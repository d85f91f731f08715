#ifndef BAOXUE_BUF_H
#define BAOXUE_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * The one owned, growable byte buffer.
 *
 * Invariants: `buf` is never NULL and always NUL-terminated at `buf[len]`, so a struct buf
 * can be passed wherever a C string is wanted (binary content may hold NULs before `len`).
 * BUF_INIT is a valid empty buffer that owns no memory; buf_release frees and re-inits;
 * buf_detach hands the memory to the caller and re-inits.
 */
struct buf {
    size_t alloc;
    size_t len;
    char *buf;
};

extern char buf_empty_[];
#define BUF_INIT                                                                                   \
    {                                                                                              \
        0, 0, buf_empty_                                                                           \
    }

void buf_init(struct buf *b, size_t hint);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b); /* len = 0, keeps memory */
void buf_setlen(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append a Unicode code point as UTF-8. */
void buf_add_utf8(struct buf *b, unsigned cp);
/* Append `n` copies of byte c. */
void buf_addchars(struct buf *b, int c, size_t n);

/* Remove leading/trailing ASCII whitespace. */
void buf_trim(struct buf *b);

#endif
