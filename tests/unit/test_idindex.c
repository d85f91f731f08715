#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "core/idcard.h"
#include "link/idindex.h"

static void test_empty(void **state)
{
    struct id_index ix = ID_INDEX_INIT;
    size_t first = 77;
    id_index_sort(&ix);
    assert_int_equal(id_index_find(&ix, 12345, &first), 0);
    assert_int_equal(first, 0);
    assert_int_equal(id_index_find(&ix, 0, &first), 0);
    id_index_release(&ix);
    id_index_release(&ix); /* twice is harmless */
    assert_null(ix.v);
    assert_int_equal(ix.n, 0);
}

static void test_duplicates(void **state)
{
    struct id_index ix = ID_INDEX_INIT;
    id_index_add(&ix, 5, 0);
    id_index_add(&ix, 3, 1);
    id_index_add(&ix, 5, 2);
    id_index_add(&ix, 9, 3);
    id_index_add(&ix, 5, 4);
    id_index_add(&ix, 1, 5);
    id_index_sort(&ix);

    size_t first = 99;
    assert_int_equal(id_index_find(&ix, 5, &first), 3);
    assert_int_equal(first, 2);
    /* equal keys come in record order, so the earliest record is first */
    assert_int_equal(ix.v[first].idx, 0);
    assert_int_equal(ix.v[first + 1].idx, 2);
    assert_int_equal(ix.v[first + 2].idx, 4);
    for (size_t k = 0; k < 3; k++)
        assert_true(ix.v[first + k].key == 5);

    assert_int_equal(id_index_find(&ix, 1, &first), 1);
    assert_int_equal(first, 0);
    assert_int_equal(ix.v[first].idx, 5);
    assert_int_equal(id_index_find(&ix, 9, &first), 1);
    assert_int_equal(first, 5);
    assert_int_equal(ix.v[first].idx, 3);
    id_index_release(&ix);
}

static void test_missing_keys(void **state)
{
    struct id_index ix = ID_INDEX_INIT;
    uint64_t keys[] = {10, 20, 30, 40};
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        id_index_add(&ix, keys[i], (uint32_t)i);
    id_index_sort(&ix);

    size_t first;
    /* below all, between, above all: none, and *first is where the key would go */
    assert_int_equal(id_index_find(&ix, 5, &first), 0);
    assert_int_equal(first, 0);
    assert_int_equal(id_index_find(&ix, 25, &first), 0);
    assert_int_equal(first, 2);
    assert_int_equal(id_index_find(&ix, 41, &first), 0);
    assert_int_equal(first, 4);
    assert_int_equal(id_index_find(&ix, UINT64_MAX, &first), 0);
    assert_int_equal(first, 4);
    assert_int_equal(id_index_find(&ix, 0, &first), 0);
    assert_int_equal(first, 0);
    id_index_release(&ix);
}

static void test_extreme_keys(void **state)
{
    struct id_index ix = ID_INDEX_INIT;
    id_index_add(&ix, UINT64_MAX, 0);
    id_index_add(&ix, 1, 1);
    id_index_add(&ix, UINT64_MAX, 2);
    id_index_add(&ix, UINT64_MAX - 1, 3);
    id_index_sort(&ix);
    size_t first;
    assert_int_equal(id_index_find(&ix, UINT64_MAX, &first), 2);
    assert_int_equal(first, 2);
    assert_int_equal(id_index_find(&ix, UINT64_MAX - 1, &first), 1);
    assert_int_equal(ix.v[first].idx, 3);
    id_index_release(&ix);
}

/* Real packed IDs: the same ID packs the same, different IDs differently. */
static void test_packed_ids(void **state)
{
    static const char *const ids[] = {"11010519491231002X", "140521201503041236",
                                      "11010519491231002X", "140521201503041244"};
    struct id_index ix = ID_INDEX_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        uint64_t k = id_pack(ids[i]);
        assert_true(k != 0);
        id_index_add(&ix, k, (uint32_t)i);
    }
    id_index_sort(&ix);
    size_t first;
    assert_int_equal(id_index_find(&ix, id_pack("11010519491231002X"), &first), 2);
    assert_int_equal(ix.v[first].idx, 0);
    assert_int_equal(ix.v[first + 1].idx, 2);
    assert_int_equal(id_index_find(&ix, id_pack("140521201503041244"), &first), 1);
    assert_int_equal(ix.v[first].idx, 3);
    id_index_release(&ix);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
    /* xorshift64*: deterministic, so a failure can be replayed */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

#define N_KEYS    3000
#define N_ENTRIES 20000
#define N_QUERIES 3000

static void test_random_against_brute_force(void **state)
{
    uint64_t *pool = xcalloc(N_KEYS, sizeof(uint64_t));
    uint64_t *added = xcalloc(N_ENTRIES, sizeof(uint64_t));
    struct id_index ix = ID_INDEX_INIT;

    for (size_t i = 0; i < N_KEYS; i++)
        pool[i] = next_rand() % 1000000007ull; /* small range: some keys collide in the pool */
    for (uint32_t i = 0; i < N_ENTRIES; i++) {
        added[i] = pool[next_rand() % N_KEYS];
        id_index_add(&ix, added[i], i);
    }
    id_index_sort(&ix);
    assert_int_equal(ix.n, N_ENTRIES);
    for (size_t i = 1; i < ix.n; i++)
        assert_true(ix.v[i - 1].key < ix.v[i].key ||
                    (ix.v[i - 1].key == ix.v[i].key && ix.v[i - 1].idx < ix.v[i].idx));

    long hits = 0;
    for (size_t q = 0; q < N_QUERIES; q++) {
        /* half the queries for keys in the pool, half for random ones (mostly absent) */
        uint64_t key = q % 2 ? pool[next_rand() % N_KEYS] : next_rand() % 1000000007ull;
        size_t first, n = id_index_find(&ix, key, &first);
        size_t k = 0;
        for (uint32_t i = 0; i < N_ENTRIES; i++) {
            if (added[i] != key)
                continue;
            /* the brute-force matches, in record order, are exactly the index's run */
            assert_true(k < n);
            assert_int_equal(ix.v[first + k].idx, i);
            assert_true(ix.v[first + k].key == key);
            k++;
        }
        assert_int_equal(k, n);
        hits += n > 0;
    }
    assert_true(hits >= N_QUERIES / 2 - 10); /* the pool keys were (nearly) all present */
    id_index_release(&ix);
    free(pool);
    free(added);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_missing_keys), cmocka_unit_test(test_extreme_keys),
        cmocka_unit_test(test_packed_ids),   cmocka_unit_test(test_random_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
