#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/date.h"
#include "util/common.h"

/* The parsed date, or -1 when rejected. */
static int parse(const char *s)
{
    int ymd = 12345;
    if (date_parse(s, strlen(s), &ymd))
        return -1;
    return ymd;
}

/* A stored date, or 0 for nothing usable. */
static void test_date_or_zero(void **state)
{
    (void)state;
    assert_int_equal(date_or_zero("2026-11-29"), 20261129);
    assert_int_equal(date_or_zero(NULL), 0);
    assert_int_equal(date_or_zero(""), 0);
    assert_int_equal(date_or_zero("not a date"), 0);
    assert_int_equal(date_or_zero("2026-02-30"), 0);
}

static void test_valid(void **state)
{
    assert_true(date_valid(2016, 2, 29));
    assert_false(date_valid(2015, 2, 29));
    assert_true(date_valid(2000, 2, 29));
    assert_false(date_valid(1900, 2, 29));
    assert_false(date_valid(2015, 4, 31));
    assert_true(date_valid(2015, 12, 31));
    assert_false(date_valid(2015, 13, 1));
    assert_false(date_valid(2015, 0, 1));
    assert_false(date_valid(2015, 1, 0));
    assert_true(ymd_valid(20150304));
    assert_false(ymd_valid(20150229));
    assert_false(ymd_valid(0));
    assert_int_equal(ymd_make(2015, 3, 4), 20150304);
    assert_int_equal(ymd_make(2015, 2, 29), 0);
    assert_int_equal(ymd_year(20150304), 2015);
    assert_int_equal(ymd_month(20150304), 3);
    assert_int_equal(ymd_day(20150304), 4);
}

static void test_days(void **state)
{
    assert_int_equal(ymd_to_days(19700101), 0);
    assert_int_equal(ymd_to_days(19700102), 1);
    assert_int_equal(ymd_to_days(19691231), -1);
    assert_int_equal(ymd_to_days(20150304), 16498);
    assert_int_equal(ymd_to_days(19000101), -25567);
    assert_int_equal(ymd_to_days(20000301) - ymd_to_days(20000228), 2);
    assert_int_equal(ymd_to_days(21000301) - ymd_to_days(21000228), 1);
    assert_int_equal(days_to_ymd(0), 19700101);
    assert_int_equal(days_to_ymd(16498), 20150304);
    assert_int_equal(days_to_ymd(-25567), 19000101);
    /* round trip over two centuries, one day at a time */
    for (long d = ymd_to_days(19000101); d <= ymd_to_days(21001231); d++) {
        int ymd = days_to_ymd(d);
        if (!ymd_valid(ymd) || ymd_to_days(ymd) != d)
            fail_msg("day %ld -> %d", d, ymd);
    }
}

/* A year and month as the group lists write a child's birth. */
static int month(const char *s)
{
    int ym = 12345;
    return date_parse_month(s, strlen(s), &ym) ? -1 : ym;
}

static void test_month(void **state)
{
    (void)state;
    assert_int_equal(month("2014-05"), 201405);
    assert_int_equal(month("2014/5"), 201405);
    assert_int_equal(month("2014.05"), 201405);
    assert_int_equal(month("2014年5月"), 201405);
    assert_int_equal(month("2014年05月份"), 201405);
    assert_int_equal(month("201405"), 201405);
    assert_int_equal(month(" ２０１４－０５ "), 201405);
    assert_int_equal(month("2014-13"), -1);
    assert_int_equal(month("2014-00"), -1);
    assert_int_equal(month("2014"), -1);
    assert_int_equal(month("2014-05-03"), -1);
    assert_int_equal(month("1850-05"), -1);
    assert_int_equal(month("五月"), -1);
    assert_int_equal(month(""), -1);
}

static void test_forms(void **state)
{
    static const char *const forms[] = {
        "2015-03-04",
        "2015-3-4",
        "2015/3/4",
        "2015/03/04",
        "2015.03.04",
        "2015.3.4",
        "20150304",
        "2015年3月4日",
        "2015年03月04日",
        "2015年3月4号",
        "2015年3月4",
        "2015 年 3 月 4 日",
        "2015年 3月 4日",
        "2015 年 3 月 4 日",
        "2015-03-04 00:00:00",
        "2015-03-04 0:00",
        "2015/3/4 13:45:10",
        "2015-03-04T00:00:00",
        "2015-03-04T00:00:00.000Z",
        "2015年3月4日 00:00",
        "  2015-03-04  ",
        "\xe3\x80\x80"
        "2015-03-04\xc2\xa0",
        "２０１５－０３－０４",
        "２０１５年３月４日",
        "２０１５．３．４",
        "42067",
        "42067.0",
        "42067.",
        "42067.75",
        " 42067 ",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(forms); i++) {
        print_message("form %zu: %s\n", i, forms[i]);
        assert_int_equal(parse(forms[i]), 20150304);
    }
    assert_int_equal(parse("2016-02-29"), 20160229);
    assert_int_equal(parse("2000-2-29"), 20000229);
    assert_int_equal(parse("1900-01-01"), 19000101);
    assert_int_equal(parse("2100-12-31"), 21001231);
    assert_int_equal(parse("2015-12-31"), 20151231);
    assert_int_equal(parse("20161231"), 20161231);
}

static void test_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        "   ",
        "2015-02-29",
        "2015-02-30",
        "2016-13-01",
        "2016-00-10",
        "2016-01-00",
        "2015-04-31",
        "1900-02-29",
        "1899-12-31",
        "2101-01-01",
        "18991231",
        "21010101",
        "20150229",
        "20151301",
        "2015-03",
        "2015.03",
        "2015",
        "2015年3月",
        "2015年",
        "2015..3",
        ".5",
        "2015-03/04",
        "2015-03-04-05",
        "2015-003-04",
        "15-3-4",
        "3/4/2015",
        "2015-03-04 25:00",
        "2015-03-04 abc",
        "2015-03-04x",
        "abc",
        "0",
        "60",
        "2958466",
        "-1",
        "42067.5.1",
        "42067a",
        "1.40521E+17",
        "201503041",
        "2015030",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        print_message("bad %zu: %s\n", i, bad[i]);
        assert_int_equal(parse(bad[i]), -1);
    }
}

static void test_excel(void **state)
{
    int ymd = 0;

    assert_int_equal(date_from_excel(1, false, &ymd), 0);
    assert_int_equal(ymd, 19000101);
    assert_int_equal(date_from_excel(59, false, &ymd), 0);
    assert_int_equal(ymd, 19000228);
    /* 60 is Excel's 1900-02-29, a day that never was */
    assert_int_equal(date_from_excel(60, false, &ymd), -1);
    assert_int_equal(date_from_excel(61, false, &ymd), 0);
    assert_int_equal(ymd, 19000301);
    assert_int_equal(date_from_excel(42067, false, &ymd), 0);
    assert_int_equal(ymd, 20150304);
    assert_int_equal(date_from_excel(42067.999, false, &ymd), 0);
    assert_int_equal(ymd, 20150304);
    assert_int_equal(date_from_excel(45000, false, &ymd), 0);
    assert_int_equal(ymd, 20230315);
    assert_int_equal(date_from_excel(2958465, false, &ymd), 0);
    assert_int_equal(ymd, 99991231);
    assert_int_equal(date_from_excel(2958466, false, &ymd), -1);
    assert_int_equal(date_from_excel(0, false, &ymd), -1);
    assert_int_equal(date_from_excel(-1, false, &ymd), -1);

    /* 1904 system: serial 0 is 1904-01-01, 1462 days after the 1900 system */
    assert_int_equal(date_from_excel(0, true, &ymd), 0);
    assert_int_equal(ymd, 19040101);
    assert_int_equal(date_from_excel(40605, true, &ymd), 0);
    assert_int_equal(ymd, 20150304);
    assert_int_equal(date_from_excel(60, true, &ymd), 0);
    assert_int_equal(ymd, 19040301);
    assert_int_equal(date_from_excel(-1, true, &ymd), -1);

    /* the text forms of the same serials */
    assert_int_equal(parse("1"), 19000101);
    assert_int_equal(parse("59"), 19000228);
    assert_int_equal(parse("61"), 19000301);
    assert_int_equal(parse("1000"), 19020926);
    assert_int_equal(parse("45000.0"), 20230315);
}

static void test_format(void **state)
{
    char out[32];

    date_format(20150304, out);
    assert_string_equal(out, "2015-03-04");
    date_format(19000101, out);
    assert_string_equal(out, "1900-01-01");
    date_format(0, out);
    assert_string_equal(out, "");
    date_format_cn(20150304, out, sizeof(out));
    assert_string_equal(out, "2015年3月4日");
    date_format_cn(20151231, out, sizeof(out));
    assert_string_equal(out, "2015年12月31日");
    date_format_cn(20151231, out, 8); /* truncated, still terminated */
    assert_string_equal(out, "2015年");
    date_format_cn(20151231, out, 6); /* never half a character */
    assert_string_equal(out, "2015");
    date_format_cn(0, out, sizeof(out));
    assert_string_equal(out, "");
    /* what we print we can read back */
    date_format_cn(20150304, out, sizeof(out));
    assert_int_equal(parse(out), 20150304);
}

static void test_today(void **state)
{
    int t;

    setenv("BAOXUE_TODAY", "2026-09-01", 1);
    assert_int_equal(date_today(), 20260901);
    setenv("BAOXUE_TODAY", "2016-02-29", 1);
    assert_int_equal(date_today(), 20160229);
    unsetenv("BAOXUE_TODAY");
    t = date_today();
    assert_true(ymd_valid(t));
    assert_true(t >= 20250101);
}

/* A pinned date answers whatever the environment says, until the date held before is put back. */
static void test_today_pinned(void **state)
{
    setenv("BAOXUE_TODAY", "2026-09-01", 1);
    int held = date_today_pin(20261120);
    assert_int_equal(held, 0);
    setenv("BAOXUE_TODAY", "2016-02-29", 1);
    assert_int_equal(date_today(), 20261120);
    assert_int_equal(date_today_pin(20270101), 20261120); /* a pin inside a pin */
    assert_int_equal(date_today(), 20270101);
    assert_int_equal(date_today_pin(20261120), 20270101);
    assert_int_equal(date_today_pin(held), 20261120);
    assert_int_equal(date_today(), 20160229);
    unsetenv("BAOXUE_TODAY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_or_zero), cmocka_unit_test(test_valid),
        cmocka_unit_test(test_days),         cmocka_unit_test(test_forms),
        cmocka_unit_test(test_month),        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_excel),        cmocka_unit_test(test_format),
        cmocka_unit_test(test_today),        cmocka_unit_test(test_today_pinned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
