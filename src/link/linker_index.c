/*
 * The linker's shared tools (linker_impl.h): a small open-addressing hash map of 64-bit keys,
 * work split over two cores, and the register's IDs as two half maps built one per core, the
 * rare duplicated IDs in a sorted side index.
 */
#include "link/linker_impl.h"

#include <pthread.h>

#include "util/common.h"

/* ---- a small open-addressing hash map: 64-bit key -> 32-bit value ----------------------- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void u64map_grow(struct u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = xcalloc(cap, sizeof(*keys));
    uint32_t *vals = xcalloc(cap, sizeof(*vals));
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = mix64(m->keys[i]) & (cap - 1);
        while (keys[h])
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

/* The slot of `key`, inserting it with value `def` when absent. */
uint32_t *u64map_slot(struct u64map *m, uint64_t key, uint32_t def)
{
    if ((m->n + 1) * 2 > m->cap)
        u64map_grow(m);
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    if (!m->keys[h]) {
        m->keys[h] = key;
        m->vals[h] = def;
        m->n++;
    }
    return &m->vals[h];
}

uint32_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key)
            return &m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    return NULL;
}

void u64map_release(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

uint64_t linker_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* ---- two cores ----------------------------------------------------------------------------- */

struct par_job {
    void (*fn)(void *ctx, int part);
    void *ctx;
    int part;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    j->fn(j->ctx, j->part);
    return NULL;
}

void linker_par2(void (*fn)(void *ctx, int part), void *ctx, size_t n, size_t min)
{
    struct par_job second = {fn, ctx, 1};
    pthread_t th;
    bool threaded = n >= min && pthread_create(&th, NULL, par_main, &second) == 0;
    fn(ctx, 0);
    if (threaded)
        pthread_join(th, NULL);
    else
        fn(ctx, 1);
}

/* [lo, hi) of part 0 or 1 of n items */
void linker_par_range(size_t n, int part, size_t *lo, size_t *hi)
{
    *lo = part ? n / 2 : 0;
    *hi = part ? n : n / 2;
}

/* ---- the register's IDs: a hash map, with the rare duplicated IDs in a sorted side index -- */

static int pop_ids_half(uint64_t key)
{
    return (int)(mix64(key ^ 0x5bd1e995u) >> 63);
}

static void pop_ids_build_half(void *arg, int half)
{
    struct pop_ids *pi = arg;
    const struct lk_rec *pop = pi->pop;
    struct u64map *m = &pi->map[half];
    struct id_index *dups = &pi->dups[half];
    for (size_t i = 0; i < pi->npop; i++) {
        /* an ID stored as a number is not an ID: its last digits are zeros */
        if (!pop[i].key || pop[i].id_state == LK_ID_TRUNCATED || pop_ids_half(pop[i].key) != half)
            continue;
        uint32_t *v = u64map_slot(m, pop[i].key, (uint32_t)i);
        if (*v != (uint32_t)i && *v != POP_DUP) {
            id_index_add(dups, pop[i].key, *v);
            *v = POP_DUP;
        }
        if (*v == POP_DUP)
            id_index_add(dups, pop[i].key, (uint32_t)i);
    }
    id_index_sort(dups);
}

void pop_ids_build(struct pop_ids *pi, const struct lk_rec *pop, size_t npop, size_t parallel_min)
{
    memset(pi, 0, sizeof(*pi));
    pi->pop = pop;
    pi->npop = npop;
    linker_par2(pop_ids_build_half, pi, npop, parallel_min);
}

/* The register children with `key`: their count, and the indexes in out[0..max). */
size_t pop_ids_find(const struct pop_ids *pi, uint64_t key, uint32_t *out, size_t max)
{
    if (!key)
        return 0;
    int half = pop_ids_half(key);
    const uint32_t *v = u64map_find(&pi->map[half], key);
    if (!v)
        return 0;
    if (*v != POP_DUP) {
        out[0] = *v;
        return 1;
    }
    size_t first, n = id_index_find(&pi->dups[half], key, &first);
    for (size_t k = 0; k < n && k < max; k++)
        out[k] = pi->dups[half].v[first + k].idx;
    return n < max ? n : max;
}

void pop_ids_release(struct pop_ids *pi)
{
    for (int h = 0; h < 2; h++) {
        u64map_release(&pi->map[h]);
        id_index_release(&pi->dups[h]);
    }
}
