#include "link/idindex.h"

#include "util/common.h"

void id_index_add(struct id_index *ix, uint64_t key, uint32_t idx)
{
    ALLOC_GROW(ix->v, ix->n + 1, ix->alloc);
    ix->v[ix->n].key = key;
    ix->v[ix->n].idx = idx;
    ix->n++;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct id_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void id_index_sort(struct id_index *ix)
{
    if (ix->n)
        qsort(ix->v, ix->n, sizeof(*ix->v), cmp_entry);
}

size_t id_index_find(const struct id_index *ix, uint64_t key, size_t *first)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->n && ix->v[end].key == key)
        end++;
    *first = lo;
    return end - lo;
}

void id_index_release(struct id_index *ix)
{
    free(ix->v);
    ix->v = NULL;
    ix->n = ix->alloc = 0;
}
