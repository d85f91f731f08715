#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/schoolyear.h"
#include "util/common.h"

static const struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;

static int gp(const char *s)
{
    return grade_parse(s, strlen(s));
}

static void test_school_year(void **state)
{
    assert_int_equal(school_year_of(&cal, 20261120), 2026);
    assert_int_equal(school_year_of(&cal, 20260831), 2025);
    assert_int_equal(school_year_of(&cal, 20260901), 2026);
    assert_int_equal(school_year_of(&cal, 20260101), 2025);
    assert_int_equal(school_year_of(&cal, 20261231), 2026);
    assert_int_equal(school_cutoff(&cal, 2026), 20260831);
    assert_int_equal(school_cutoff(&cal, 2025), 20250831);

    /* a cutoff after the year start is still in the calendar year the school year starts */
    struct school_calendar late = {901, 1231, 6, 15};
    assert_int_equal(school_cutoff(&late, 2026), 20261231);
    struct school_calendar spring = {301, 229, 6, 15};
    assert_int_equal(school_year_of(&spring, 20260228), 2025);
    assert_int_equal(school_year_of(&spring, 20260301), 2026);
    assert_int_equal(school_cutoff(&spring, 2027), 20270228); /* no 29 Feb in 2027 */
    assert_int_equal(school_cutoff(&spring, 2028), 20280229);
}

static void test_age(void **state)
{
    assert_int_equal(age_on(20200831, 20260831), 6);
    assert_int_equal(age_on(20200901, 20260831), 5);
    assert_int_equal(age_on(20200901, 20260901), 6);
    assert_int_equal(age_on(20200101, 20260101), 6);
    assert_int_equal(age_on(20200102, 20260101), 5);
    assert_int_equal(age_on(20200831, 20200831), 0);
    /* leap-day births: a year older on 1 Mar in common years, on 29 Feb in leap years */
    assert_int_equal(age_on(20160229, 20220228), 5);
    assert_int_equal(age_on(20160229, 20220301), 6);
    assert_int_equal(age_on(20160229, 20240228), 7);
    assert_int_equal(age_on(20160229, 20240229), 8);
    assert_int_equal(age_on(20160229, 20160229), 0);
    assert_int_equal(age_on(0, 20260101), -1);
    assert_int_equal(age_on(20200101, 0), -1);
}

static void test_entry(void **state)
{
    int cut = school_cutoff(&cal, 2026);

    /* born 31 Aug 2020: 6 on the cutoff, grade 1 in 2026 */
    assert_int_equal(age_on(20200831, cut), 6);
    assert_int_equal(expected_grade(&cal, age_on(20200831, cut)), 1);
    /* born 1 Sep 2020: 5, a year later */
    assert_int_equal(age_on(20200901, cut), 5);
    assert_int_equal(expected_grade(&cal, age_on(20200901, cut)), 0);
    /* born 1 Sep 2019: the oldest of the 2026 grade 1 */
    assert_int_equal(expected_grade(&cal, age_on(20190901, cut)), 1);
    /* band edges */
    assert_int_equal(expected_grade(&cal, 6), 1);
    assert_int_equal(expected_grade(&cal, 14), 9);
    assert_int_equal(expected_grade(&cal, 15), 10);
    assert_int_equal(expected_grade(&cal, 5), 0);
    assert_int_equal(age_on(20110831, cut), 15); /* last in the band */
    assert_int_equal(age_on(20110901, cut), 14);
    assert_int_equal(age_on(20100831, cut), 16); /* out of the band */
    /* leap-day child: 2020-02-29 is 6 on 2026-08-31 */
    assert_int_equal(age_on(20200229, cut), 6);
}

static void test_grade_parse(void **state)
{
    static const struct {
        const char *text;
        int grade;
    } cases[] = {
        {"1", 1},          {"01", 1},         {"9", 9},           {"12", 12},
        {"1年级", 1},      {"一年级", 1},     {"二年级", 2},      {"三年级", 3},
        {"四年级", 4},     {"五年级", 5},     {"六年级", 6},      {"七年级", 7},
        {"八年级", 8},     {"九年级", 9},     {" 九 年级 ", 9},   {"１年级", 1},
        {"小学一年级", 1}, {"小学三年级", 3}, {"小学六年级", 6},  {"初一", 7},
        {"初二", 8},       {"初三", 9},       {"初一年级", 7},    {"初中一年级", 7},
        {"初中二年级", 8}, {"初中三年级", 9}, {"初中八年级", 8},  {"高一", 10},
        {"高二", 11},      {"高三", 12},      {"高中一年级", 10}, {"十年级", 10},
        {"一年", 1},       {"", 0},           {"0", 0},           {"13", 0},
        {"123", 0},        {"年级", 0},       {"小学七年级", 0},  {"初四", 0},
        {"高四", 0},       {"学前班", 0},     {"幼儿园", 0},      {"2015级", 0},
        {"一年级二班", 0}, {"abc", 0},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        print_message("%s\n", cases[i].text);
        assert_int_equal(gp(cases[i].text), cases[i].grade);
    }
}

static void test_grade_name(void **state)
{
    int g;

    assert_string_equal(grade_name(1), "一年级");
    assert_string_equal(grade_name(7), "七年级");
    assert_string_equal(grade_name(9), "九年级");
    assert_string_equal(grade_name(0), "");
    assert_string_equal(grade_name(10), "");
    for (g = 1; g <= 9; g++)
        assert_int_equal(gp(grade_name(g)), g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_school_year), cmocka_unit_test(test_age),
        cmocka_unit_test(test_entry),       cmocka_unit_test(test_grade_parse),
        cmocka_unit_test(test_grade_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
