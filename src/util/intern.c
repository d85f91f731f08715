#include "util/intern.h"

#include "util/common.h"

void intern_init(struct intern *in)
{
    memset(in, 0, sizeof(*in));
    buf_init(&in->text, 0);
}

void intern_release(struct intern *in)
{
    buf_release(&in->text);
    free(in->off);
    free(in->hash);
    free(in->slot);
    memset(in, 0, sizeof(*in));
    buf_init(&in->text, 0);
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h | 1; /* never 0: 0 marks an empty slot */
}

static void rehash(struct intern *in)
{
    size_t cap = in->cap ? in->cap * 2 : 256;
    uint64_t *h = xcalloc(cap, sizeof(*h));
    uint32_t *sl = xcalloc(cap, sizeof(*sl));
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->hash[i])
            continue;
        size_t p = in->hash[i] & (cap - 1);
        while (h[p])
            p = (p + 1) & (cap - 1);
        h[p] = in->hash[i];
        sl[p] = in->slot[i];
    }
    free(in->hash);
    free(in->slot);
    in->hash = h;
    in->slot = sl;
    in->cap = cap;
}

static void intern_append(struct intern *in, const char *s, size_t len)
{
    ALLOC_GROW(in->off, in->n + 1, in->alloc);
    in->off[in->n++] = (uint32_t)in->text.len;
    buf_add(&in->text, s, len);
    buf_addch(&in->text, '\0');
}

uint32_t intern_add(struct intern *in, const char *s)
{
    if ((in->n + 1) * 2 > in->cap)
        rehash(in);
    uint64_t h = hash_text(s);
    size_t p = h & (in->cap - 1);
    while (in->hash[p]) {
        if (in->hash[p] == h && !strcmp(intern_str(in, in->slot[p]), s))
            return in->slot[p];
        p = (p + 1) & (in->cap - 1);
    }
    intern_append(in, s, strlen(s));
    in->hash[p] = h;
    in->slot[p] = (uint32_t)(in->n - 1);
    return in->slot[p];
}
