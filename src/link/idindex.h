#ifndef BAOXUE_IDINDEX_H
#define BAOXUE_IDINDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Exact-key linkage in memory: records' IDs packed into 64 bits (id_pack), sorted once, then
 * looked up by binary search. Linear memory, n log n build; no SQL joins.
 */
struct id_entry {
    uint64_t key; /* id_pack() of the normalised ID */
    uint32_t idx; /* index into the caller's record array */
};

struct id_index {
    struct id_entry *v;
    size_t n, alloc;
};

#define ID_INDEX_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void id_index_add(struct id_index *ix, uint64_t key, uint32_t idx);
void id_index_sort(struct id_index *ix);
/* The entries with `key`, as [*first, *first + return value). */
size_t id_index_find(const struct id_index *ix, uint64_t key, size_t *first);
void id_index_release(struct id_index *ix);

#endif
