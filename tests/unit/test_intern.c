/* Interned strings (util/intern.c): dense indexes, one copy per text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "util/intern.h"

static void test_dense_and_deduplicated(void **state)
{
    (void)state;
    struct intern in;
    intern_init(&in);
    assert_int_equal(intern_add(&in, ""), 0);
    assert_int_equal(intern_add(&in, "沁水县实验小学"), 1);
    assert_int_equal(intern_add(&in, "郑庄镇中心小学"), 2);
    assert_int_equal(intern_add(&in, "沁水县实验小学"), 1);
    assert_int_equal(intern_add(&in, ""), 0);
    assert_int_equal(in.n, 3);
    assert_string_equal(intern_str(&in, 2), "郑庄镇中心小学");
    /* many texts: the table grows and every index stays what it was */
    char t[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(t, sizeof(t), "学校%d", i);
        assert_int_equal(intern_add(&in, t), (uint32_t)(3 + i));
    }
    for (int i = 0; i < 5000; i += 7) {
        snprintf(t, sizeof(t), "学校%d", i);
        assert_int_equal(intern_add(&in, t), (uint32_t)(3 + i));
        assert_string_equal(intern_str(&in, (uint32_t)(3 + i)), t);
    }
    assert_int_equal(in.n, 5003);
    intern_release(&in);
    assert_int_equal(in.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_dense_and_deduplicated)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
