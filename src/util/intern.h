#ifndef BAOXUE_INTERN_H
#define BAOXUE_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * Interned strings: each distinct text is stored once, NUL-terminated, in one arena, and known
 * by a dense index (0, 1, 2, … in order of first appearance). For texts that repeat for
 * millions of rows, such as school names.
 */
struct intern {
    struct buf text; /* the strings, each followed by its NUL */
    uint32_t *off;   /* offset in text of string i */
    size_t n, alloc;
    uint64_t *hash; /* open addressing: hash of the string (0 = empty slot) */
    uint32_t *slot; /* index of the string in that slot */
    size_t cap;
};

void intern_init(struct intern *in);
void intern_release(struct intern *in);
/* The index of s, added when new. */
uint32_t intern_add(struct intern *in, const char *s);

static inline const char *intern_str(const struct intern *in, uint32_t i)
{
    return in->text.buf + in->off[i];
}

#endif
