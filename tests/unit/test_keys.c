/* The batch key cache (link/keys.c): what goes in comes out, and a damaged blob is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "link/keys.h"

static void fill(struct batch_keys *k)
{
    batch_keys_init(k);
    batch_keys_add(k, 12345, 4, "张三", 20150304, 1, 0, 3, "沁水县实验小学");
    batch_keys_add(k, 0, 1, "", 0, 0, 2, 0, "");
    batch_keys_add(k, 99, 0, "阿依古丽·买买提", 20120101, 2, 1, 9, "沁水县实验小学");
    batch_keys_add(k, 7, 0, "李四", 20140506, 1, 0, 0, "太原市第五中学（山西省太原市）");
    k->first_id = 1001;
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct batch_keys k, d;
    fill(&k);
    assert_int_equal(k.schools.n, 3); /* "", and the two distinct schools */
    struct buf blob = BUF_INIT;
    batch_keys_encode(&k, &blob);
    batch_keys_init(&d);
    assert_int_equal(batch_keys_decode(&d, blob.buf, blob.len), 0);
    assert_int_equal(d.n, 4);
    assert_int_equal(d.first_id, 1001);
    for (size_t i = 0; i < 4; i++) {
        assert_true(d.key[i] == k.key[i]);
        assert_int_equal(d.id_flags[i], k.id_flags[i]);
        assert_int_equal(d.birth[i], k.birth[i]);
        assert_int_equal(d.sex[i], k.sex[i]);
        assert_int_equal(d.status[i], k.status[i]);
        assert_int_equal(d.grade[i], k.grade[i]);
        assert_string_equal(batch_keys_name(&d, i), batch_keys_name(&k, i));
        assert_string_equal(batch_keys_school(&d, i), batch_keys_school(&k, i));
    }
    assert_string_equal(batch_keys_school(&d, 2), "沁水县实验小学");
    assert_string_equal(batch_keys_school(&d, 1), "");
    batch_keys_release(&d);
    batch_keys_release(&k);
    buf_release(&blob);
}

static void test_damaged_blobs_are_refused(void **state)
{
    (void)state;
    struct batch_keys k, d;
    fill(&k);
    struct buf blob = BUF_INIT;
    batch_keys_encode(&k, &blob);
    batch_keys_init(&d);
    /* every truncation */
    for (size_t len = 0; len < blob.len; len++)
        assert_int_equal(batch_keys_decode(&d, blob.buf, len), -1);
    /* another magic */
    blob.buf[0] = 'X';
    assert_int_equal(batch_keys_decode(&d, blob.buf, blob.len), -1);
    blob.buf[0] = 'B';
    /* a name offset pointing outside the names */
    size_t name_at = 4 + 5 * 8 + 4 * (8 + 1 + 4 + 1 + 1 + 1);
    uint32_t bad = 0xFFFFFF;
    memcpy(blob.buf + name_at, &bad, 4);
    assert_int_equal(batch_keys_decode(&d, blob.buf, blob.len), -1);
    /* a count larger than the data */
    batch_keys_encode(&k, &blob);
    uint64_t huge = (uint64_t)1 << 40;
    memcpy(blob.buf + 4, &huge, 8);
    assert_int_equal(batch_keys_decode(&d, blob.buf, blob.len), -1);
    batch_keys_release(&d);
    batch_keys_release(&k);
    buf_release(&blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_damaged_blobs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
