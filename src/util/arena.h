#ifndef BAOXUE_ARENA_H
#define BAOXUE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A bump allocator for one request: many small allocations, one free. Blocks are chained;
 * an allocation larger than a block gets a block of its own. Memory is 16-byte aligned and
 * zeroed. Never returns NULL (xmalloc policy). What must outlive the request is copied out.
 */
struct arena_block;
struct arena {
    struct arena_block *head;
    size_t block_size;
    size_t total; /* bytes handed out, for limits and tests */
};

#define ARENA_BLOCK_DEFAULT 8192

void arena_init(struct arena *a, size_t block_size); /* 0: ARENA_BLOCK_DEFAULT */
void arena_release(struct arena *a);                 /* frees every block, re-inits */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
