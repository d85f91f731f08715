#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/division.h"
#include "util/common.h"

static void test_county(void **state)
{
    char full[128];

    assert_string_equal(division_county_name("140521"), "沁水县");
    assert_string_equal(division_county_name("110101"), "东城区");
    assert_string_equal(division_county_name("441900"), "东莞市");
    assert_true(division_county_known("140521"));
    /* the first six characters of a whole ID */
    assert_true(division_county_known("140521201503041236"));
    assert_null(division_county_name("140500")); /* a city, not a county */
    assert_null(division_county_name("999999"));
    assert_null(division_county_name("14052"));
    assert_null(division_county_name(""));
    assert_null(division_county_name("14O521"));
    assert_false(division_county_known("000000"));

    assert_true(division_county_fullname("140521", full, sizeof(full)));
    assert_string_equal(full, "山西省晋城市沁水县");
    /* municipality: no "市辖区" in the middle */
    assert_true(division_county_fullname("110101", full, sizeof(full)));
    assert_string_equal(full, "北京市东城区");
    assert_true(division_county_fullname("500229", full, sizeof(full)));
    assert_string_equal(full, "重庆市城口县");
    /* a city without counties: not twice */
    assert_true(division_county_fullname("441900", full, sizeof(full)));
    assert_string_equal(full, "广东省东莞市");
    assert_false(division_county_fullname("140521", full, 10));
    assert_false(division_county_fullname("999999", full, sizeof(full)));
    assert_string_equal(full, "");
}

static void test_townships(void **state)
{
    static const char *const want[][2] = {
        {"140521100", "龙港镇"}, {"140521101", "中村镇"}, {"140521102", "郑庄镇"},
        {"140521103", "端氏镇"}, {"140521104", "嘉峰镇"}, {"140521105", "郑村镇"},
        {"140521106", "柿庄镇"}, {"140521201", "土沃乡"}, {"140521202", "张村乡"},
        {"140521204", "胡底乡"}, {"140521205", "固县乡"}, {"140521206", "十里乡"},
    };
    const struct township *t;
    size_t n = 99, i;

    t = division_townships("140521", &n);
    assert_non_null(t);
    assert_int_equal(n, 12);
    for (i = 0; i < n; i++) {
        assert_string_equal(t[i].code, want[i][0]);
        assert_string_equal(t[i].name, want[i][1]);
    }
    t = division_townships("999999", &n);
    assert_null(t);
    assert_int_equal(n, 0);
    t = division_townships("441900", &n);
    assert_non_null(t);
    assert_int_equal(n, 36);
    assert_string_equal(t[0].code, "441900003");
    assert_string_equal(t[0].name, "东城街道");
}

static void test_find(void **state)
{
    const struct township *t;

    t = division_find_township("140521", "郑庄镇");
    assert_non_null(t);
    assert_string_equal(t->code, "140521102");
    t = division_find_township("140521", "郑庄");
    assert_non_null(t);
    assert_string_equal(t->name, "郑庄镇");
    t = division_find_township("140521", " 十里 ");
    assert_non_null(t);
    assert_string_equal(t->code, "140521206");
    t = division_find_township("140521", "140521201");
    assert_non_null(t);
    assert_string_equal(t->name, "土沃乡");
    t = division_find_township("140521", "204");
    assert_non_null(t);
    assert_string_equal(t->name, "胡底乡");
    t = division_find_township("140521", "１０５");
    assert_non_null(t);
    assert_string_equal(t->name, "郑村镇");
    t = division_find_township("140521", "140521102201");
    assert_non_null(t);
    assert_string_equal(t->name, "郑庄镇");
    t = division_find_township("441900", "东城");
    assert_non_null(t);
    assert_string_equal(t->name, "东城街道");

    assert_null(division_find_township("140521", "郑"));
    assert_null(division_find_township("140521", "郑庄乡镇"));
    assert_null(division_find_township("140521", "203"));
    assert_null(division_find_township("140521", "110101001"));
    assert_null(division_find_township("140521", ""));
    assert_null(division_find_township("140521", "镇"));
    assert_null(division_find_township("999999", "郑庄镇"));
}

static void *lookup_thread(void *arg)
{
    size_t n = 0;
    division_townships("140521", &n);
    *(size_t *)arg = n;
    return NULL;
}

/* Run first, in its own process state: concurrent first use loads the tables once. */
static void test_concurrent_load(void **state)
{
    pthread_t th[4];
    size_t n[4];
    int i;

    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, lookup_thread, &n[i]), 0);
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(n[i], 12);
    }
}

static void test_area_name(void **state)
{
    (void)state;
    char out[128];
    assert_true(division_area_name("14", out, sizeof(out)));
    assert_string_equal(out, "山西省");
    assert_true(division_area_name("1405", out, sizeof(out)));
    assert_string_equal(out, "山西省晋城市");
    assert_true(division_area_name("1101", out, sizeof(out))); /* 市辖区: the province's name */
    assert_string_equal(out, "北京市");
    assert_false(division_area_name("99", out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(division_area_name("140", out, sizeof(out)));
    assert_false(division_area_name("14a5", out, sizeof(out)));
    assert_false(division_area_name("1405", out, 4)); /* no room */
}

static void test_county_fit(void **state)
{
    (void)state;
    char full[128];
    assert_int_equal(division_county_fit("140521", full, sizeof(full)), DIVISION_COUNTY_OK);
    assert_string_equal(full, "山西省晋城市沁水县");
    assert_int_equal(division_county_fit("999999", full, sizeof(full)), DIVISION_COUNTY_UNKNOWN);
    assert_string_equal(full, "");
    /* a whole ID starts with a county's code, but is not one */
    assert_int_equal(division_county_fit("140521201501010013", full, sizeof(full)),
                     DIVISION_COUNTY_UNKNOWN);
    assert_int_equal(division_county_fit("14052", full, sizeof(full)), DIVISION_COUNTY_UNKNOWN);
    assert_int_equal(division_county_fit("14052a", full, sizeof(full)), DIVISION_COUNTY_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_load), cmocka_unit_test(test_county),
        cmocka_unit_test(test_townships),       cmocka_unit_test(test_find),
        cmocka_unit_test(test_area_name),       cmocka_unit_test(test_county_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
