/* The cohort rule of 招生入学 (casework/entrants.h) on hand-made birth dates around the cutoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "casework/entrants.h"
#include "core/schoolyear.h"

static const struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;

static void test_next_year(void **state)
{
    (void)state;
    assert_int_equal(entrant_next_year(&cal, 20261120), 2027);
    assert_int_equal(entrant_next_year(&cal, 20260831), 2026);
    assert_int_equal(entrant_next_year(&cal, 20260901), 2027);
    assert_int_equal(entrant_next_year(&cal, 20270101), 2027);
}

static void test_cohort_around_cutoff(void **state)
{
    (void)state;
    /* school year 2027, cutoff 2027-08-31: born 2020-09-01 … 2021-08-31 */
    assert_true(entrant_in_cohort(&cal, 20210831, 2027));  /* 6 on the cutoff day itself */
    assert_false(entrant_in_cohort(&cal, 20210901, 2027)); /* a day late: next year */
    assert_true(entrant_in_cohort(&cal, 20200901, 2027));  /* the oldest of the cohort */
    assert_false(entrant_in_cohort(&cal, 20200831, 2027)); /* 7 on the cutoff: 2026's */
    assert_false(entrant_in_cohort(&cal, 0, 2027));
    assert_int_equal(entrant_cohort(&cal, 20210831), 2027);
    assert_int_equal(entrant_cohort(&cal, 20210901), 2028);
    assert_int_equal(entrant_cohort(&cal, 20200901), 2027);
    assert_int_equal(entrant_cohort(&cal, 20200831), 2026);
    assert_int_equal(entrant_cohort(&cal, 20210101), 2027);
    assert_int_equal(entrant_cohort(&cal, 0), 0);
}

static void test_leap_day(void **state)
{
    (void)state;
    /* born 29 Feb 2020: 6 on 1 Mar 2026 (common year), so 6 on 2026-08-31 */
    assert_int_equal(entrant_cohort(&cal, 20200229), 2026);
    /* a 28 Feb cutoff: the child turns 6 on 1 Mar 2026, after the cutoff: 2027's cohort */
    struct school_calendar feb = {901, 228, 6, 15};
    assert_int_equal(entrant_cohort(&feb, 20200229), 2027);
    assert_true(entrant_in_cohort(&feb, 20200228, 2026));
}

static void test_late_cutoff(void **state)
{
    (void)state;
    /* a 31 Dec cutoff (the provinces that count to the end of the year) */
    struct school_calendar dec = {901, 1231, 6, 15};
    assert_true(entrant_in_cohort(&dec, 20211231, 2027));
    assert_false(entrant_in_cohort(&dec, 20220101, 2027));
    assert_true(entrant_in_cohort(&dec, 20210101, 2027));
    assert_int_equal(entrant_cohort(&dec, 20201231), 2026);
    /* an entry age of 7 */
    struct school_calendar seven = {901, 831, 7, 15};
    assert_int_equal(entrant_cohort(&seven, 20200901), 2028);
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(role_records_entrants(ROLE_SCHOOL));
    assert_true(role_records_entrants(ROLE_COUNTY));
    assert_false(role_records_entrants(ROLE_TOWNSHIP));
    assert_false(role_records_entrants(ROLE_SUPERVISOR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_year), cmocka_unit_test(test_cohort_around_cutoff),
        cmocka_unit_test(test_leap_day),  cmocka_unit_test(test_late_cutoff),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
