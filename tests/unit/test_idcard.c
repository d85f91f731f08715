#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/idcard.h"
#include "util/common.h"

static int norm(const char *raw, struct resident_id *r)
{
    return id_normalize(raw, strlen(raw), r);
}

static void test_check_char(void **state)
{
    assert_int_equal(id_check_char("11010519491231002"), 'X');
    assert_int_equal(id_check_char("44052418800101001"), '4');
    assert_int_equal(id_check_char("14052120150304123"), '6');
    assert_int_equal(id_check_char("14052120150304100"), '9');
    assert_true(id_is_valid("11010519491231002X"));
    assert_true(id_is_valid("440524188001010014"));
    assert_true(id_is_valid("140521201503041236"));
    assert_false(id_is_valid("140521201503041237"));
    assert_false(id_is_valid("11010519491231002x")); /* only normalised input is valid */
    assert_false(id_is_valid("14052120150304123"));
    assert_false(id_is_valid("1405212015030412366"));
    assert_false(id_is_valid(""));
    assert_false(id_is_valid("1405212015030412A6"));
}

static void test_standard_examples(void **state)
{
    struct resident_id r;

    assert_int_equal(norm("11010519491231002X", &r), 0);
    assert_string_equal(r.id, "11010519491231002X");
    assert_int_equal(r.birth_ymd, 19491231);
    assert_int_equal(r.sex, 2);

    /* 440524 (潮阳县) was abolished long ago: a warning, never a rejection */
    assert_int_equal(norm("440524188001010014", &r), ID_REGION_UNKNOWN);
    assert_string_equal(r.id, "440524188001010014");
    assert_int_equal(r.birth_ymd, 18800101);
    assert_int_equal(r.sex, 1);

    assert_int_equal(norm("140521201503041236", &r), 0);
    assert_int_equal(r.birth_ymd, 20150304);
    assert_int_equal(r.sex, 1); /* sequence 123: odd */

    assert_int_equal(norm("140521201602290027", &r), 0);
    assert_int_equal(r.birth_ymd, 20160229);
    assert_int_equal(r.sex, 2); /* sequence 002: even */
}

static void test_bad_check_keeps_id(void **state)
{
    struct resident_id r;

    assert_int_equal(norm("140521201503041237", &r), ID_BAD_CHECK);
    assert_string_equal(r.id, "140521201503041237");
    assert_int_equal(r.birth_ymd, 20150304);
    assert_int_equal(r.sex, 1);
    /* two neighbouring digits swapped */
    assert_int_equal(norm("140521201503041326", &r), ID_BAD_CHECK);
    assert_string_equal(r.id, "140521201503041326");
}

static void test_convert_15(void **state)
{
    char out[19];
    struct resident_id r;

    id_from15("140521800101123", out);
    assert_string_equal(out, "140521198001011235");
    assert_int_equal(norm("140521800101123", &r), ID_CONVERTED_15);
    assert_string_equal(r.id, "140521198001011235");
    assert_int_equal(r.birth_ymd, 19800101);
    assert_int_equal(r.sex, 1);
    assert_int_equal(norm(" １４０５２１８００１０１１２３ ", &r), ID_CONVERTED_15);
    assert_string_equal(r.id, "140521198001011235");
    /* a number cell exported as text with a decimal part */
    assert_int_equal(norm("140521800101123.0", &r), ID_CONVERTED_15);
    assert_string_equal(r.id, "140521198001011235");
    assert_int_equal(norm("140521800101123.5", &r), ID_BAD_FORMAT);
    /* 15 characters that are not 15 digits */
    assert_int_equal(norm("14052180010112X", &r), ID_BAD_FORMAT);
    assert_string_equal(r.id, "");
}

static void test_normalisation(void **state)
{
    struct resident_id r;
    static const char *const forms[] = {
        "11010519491231002x",
        "  11010519491231002X  ",
        "110105 1949 1231 002X",
        "\t110105\t19491231002X\r\n",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "110105\xe3\x80\x80"
        "19491231002X", /* U+3000 */
        "\xc2\xa0"
        "11010519491231002X\xc2\xa0", /* NBSP */
        "'11010519491231002X",
        "\"11010519491231002X\"",
        "\xe2\x80\x9c"
        "11010519491231002X\xe2\x80\x9d", /* “…” */
        "\xef\xbb\xbf"
        "11010519491231002X", /* BOM */
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(forms); i++) {
        print_message("form %zu\n", i);
        assert_int_equal(norm(forms[i], &r), 0);
        assert_string_equal(r.id, "11010519491231002X");
        assert_int_equal(r.birth_ymd, 19491231);
    }
}

static void test_empty_and_bad_format(void **state)
{
    struct resident_id r;

    assert_int_equal(id_normalize("", 0, &r), ID_EMPTY);
    assert_int_equal(norm("   ", &r), ID_EMPTY);
    assert_int_equal(norm("\xe3\x80\x80", &r), ID_EMPTY);
    assert_int_equal(norm("''", &r), ID_EMPTY);
    assert_string_equal(r.id, "");
    assert_int_equal(r.birth_ymd, 0);
    assert_int_equal(r.sex, 0);

    assert_int_equal(norm("1405212015030412", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("1405212015030412366", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("14052120150304123A", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("1405212015030412X6", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("无", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("140521-2015-0304-1236", &r), ID_BAD_FORMAT);
    assert_int_equal(norm("G140521201503041236", &r), ID_BAD_FORMAT);
    assert_string_equal(r.id, "");
    assert_int_equal(r.birth_ymd, 0);
    assert_int_equal(r.sex, 0);
    /* too long to be anything */
    assert_int_equal(norm("1405212015030412361405212015030412361405212015030412360000", &r),
                     ID_BAD_FORMAT);
}

static void test_precision_lost(void **state)
{
    struct resident_id r;

    assert_int_equal(norm("1.40521E+17", &r), ID_PRECISION_LOST);
    assert_string_equal(r.id, "");
    assert_int_equal(r.birth_ymd, 0);
    /* fifteen significant digits (what a sheet shows of a number cell): region, birth date
     * and the first sequence digit are kept, the rest are zeros; the sex digit is lost */
    assert_int_equal(norm("1.40521201503041e+17", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201503041000");
    assert_int_equal(r.birth_ymd, 20150304);
    assert_int_equal(r.sex, 0);
    assert_int_equal(norm(" 1.40521201503041E+17 ", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201503041000");
    /* %.15g drops trailing zeros: thirteen digits still reach the birth digits */
    assert_int_equal(norm("1.405212015031E+17", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201503100000");
    assert_int_equal(r.birth_ymd, 20150310);
    /* …0430|96… rounds to …0431: the carry into the birth digits is undone */
    assert_int_equal(norm("1.4052120160431E+17", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201604309000");
    assert_int_equal(r.birth_ymd, 20160430);
    /* too few digits, or not an 18-digit number: nothing usable */
    assert_int_equal(norm("1.4E17", &r), ID_PRECISION_LOST);
    assert_string_equal(r.id, "");
    assert_int_equal(norm("1.40521201503E+17", &r), ID_PRECISION_LOST); /* day 00 */
    assert_string_equal(r.id, "");
    assert_int_equal(norm("14.0521201503041E+16", &r), ID_PRECISION_LOST);
    assert_string_equal(r.id, "");
    /* month 95: the digits are no ID, and none is kept (found by the fuzzer) */
    assert_int_equal(norm("1.40521203951933E+17", &r), ID_PRECISION_LOST);
    assert_string_equal(r.id, "");
    /* 15 significant digits kept, the last three came back as 000 */
    assert_int_equal(norm("140521201503041000", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201503041000");
    assert_int_equal(r.sex, 0);
    assert_int_equal(norm("140521201503041000.0", &r), ID_BAD_CHECK | ID_PRECISION_LOST);
    assert_string_equal(r.id, "140521201503041000");
    /* a real ID may end in 000 when the check digit is 0: no flag */
    assert_false(norm("140521201503040006", &r) & ID_PRECISION_LOST);
}

static void test_birth(void **state)
{
    struct resident_id r;

    setenv("BAOXUE_TODAY", "2026-05-01", 1);
    /* 2015-02-30 */
    assert_int_equal(norm("140521201502301235", &r), ID_BAD_BIRTH);
    assert_string_equal(r.id, "140521201502301235");
    assert_int_equal(r.birth_ymd, 0);
    /* month 13 */
    assert_int_equal(norm("14052120151304123X", &r), ID_BAD_BIRTH);
    assert_int_equal(r.birth_ymd, 0);
    /* 1799 */
    assert_int_equal(norm("140521179901011237", &r), ID_BAD_BIRTH);
    /* after today */
    assert_int_equal(norm("140521203001011239", &r), ID_BAD_BIRTH);
    /* 2015-02-29 does not exist, 2016-02-29 does */
    assert_true(norm("14052120150229002X", &r) & ID_BAD_BIRTH);
    assert_int_equal(norm("140521201602290027", &r), 0);
    unsetenv("BAOXUE_TODAY");
}

static void test_region(void **state)
{
    struct resident_id r;

    /* 140500 is the city of Jincheng, not a county */
    assert_int_equal(norm("140500201503041234", &r), ID_REGION_UNKNOWN);
    assert_string_equal(r.id, "140500201503041234");
    assert_int_equal(r.birth_ymd, 20150304);
    assert_int_equal(norm("140521201503041236", &r) & ID_REGION_UNKNOWN, 0);
}

static void test_non_mainland(void **state)
{
    struct resident_id r;

    assert_int_equal(norm("810000201001010019", &r), ID_NON_MAINLAND);
    assert_int_equal(r.birth_ymd, 20100101);
    assert_int_equal(norm("820000201001010029", &r), ID_NON_MAINLAND);
    assert_int_equal(r.sex, 2);
    assert_int_equal(norm("910000201001010012", &r), ID_NON_MAINLAND);
    /* the check digit still counts */
    assert_int_equal(norm("910000201001010013", &r), ID_NON_MAINLAND | ID_BAD_CHECK);
    /* 84… is neither a permit nor a known county */
    assert_int_equal(norm("840000201001010014", &r), ID_REGION_UNKNOWN);
}

static void test_pack(void **state)
{
    char out[19];
    static const char *const ids[] = {
        "11010519491231002X", "440524188001010014", "140521201503041236",
        "140521201503041237", "000000000000000001", "99999999999999999X",
    };
    size_t i;

    assert_true(id_pack("140521201503041236") == UINT64_C(154573321653345359));
    assert_true(id_pack("11010519491231002X") == UINT64_C(11010519491231002) * 11 + 10);
    for (i = 0; i < ARRAY_SIZE(ids); i++) {
        uint64_t p = id_pack(ids[i]);
        assert_true(p != 0);
        id_unpack(p, out);
        assert_string_equal(out, ids[i]);
    }
    assert_true(id_pack("") == 0);
    assert_true(id_pack("14052120150304123") == 0);
    assert_true(id_pack("11010519491231002x") == 0);
    assert_true(id_pack("1405212015030412A6") == 0);
    id_unpack(0, out);
    assert_string_equal(out, "");
    /* different IDs, different keys; the order of the 17 digits is kept */
    assert_true(id_pack("140521201503041236") < id_pack("140521201503041237"));
    assert_true(id_pack("140521201503041229") < id_pack("140521201503041236"));
}

static void test_mask(void **state)
{
    char out[19];

    id_mask("140521201503041236", out);
    assert_string_equal(out, "140521********1236");
    id_mask("11010519491231002X", out);
    assert_string_equal(out, "110105********002X");
    id_mask("", out);
    assert_string_equal(out, "");
    id_mask("12345", out);
    assert_string_equal(out, "*****");
    id_mask("1405212015030412366666", out); /* never more than 18 */
    assert_string_equal(out, "140521********1236");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_standard_examples),
        cmocka_unit_test(test_bad_check_keeps_id),
        cmocka_unit_test(test_convert_15),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_empty_and_bad_format),
        cmocka_unit_test(test_precision_lost),
        cmocka_unit_test(test_birth),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_non_mainland),
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
