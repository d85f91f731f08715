#ifndef BAOXUE_XMALLOC_H
#define BAOXUE_XMALLOC_H

#include <stddef.h>

/*
 * One out-of-memory policy for the whole program: these never return NULL. On failure they
 * print a message and abort, so no call site checks for NULL.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Array (re)allocation with overflow check: nmemb * size bytes. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow array `x` (with `alloc` slots) so that it holds at least `nr` elements. */
#define ALLOC_GROW(x, nr, alloc)                                                                   \
    do {                                                                                           \
        if ((size_t)(nr) > (size_t)(alloc)) {                                                      \
            size_t alloc_new_ = (size_t)(alloc) < 16 ? 16 : (size_t)(alloc);                       \
            while (alloc_new_ < (size_t)(nr))                                                      \
                alloc_new_ = alloc_new_ + alloc_new_ / 2;                                          \
            (x) = xreallocarray((x), alloc_new_, sizeof(*(x)));                                    \
            (alloc) = alloc_new_;                                                                  \
        }                                                                                          \
    } while (0)

#endif
