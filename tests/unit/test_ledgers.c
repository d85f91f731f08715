#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "core/date.h"
#include "domain/status.h"
#include "report/reports.h"

/* The monthly report's period: the day after the same day of the previous month … the date. */
static void period_is(const char *date, const char *start)
{
    int d = 0;
    assert_int_equal(date_parse(date, strlen(date), &d), 0);
    char got[11];
    date_format(monthly_period_start(d), got);
    if (strcmp(got, start))
        fail_msg("monthly_period_start(%s) = %s, expected %s", date, got, start);
}

static void test_monthly_period(void **state)
{
    period_is("2026-11-15", "2026-10-16");
    period_is("2026-01-15", "2025-12-16"); /* across the year end */
    period_is("2026-03-15", "2026-02-16");
    /* the last day of a month: the whole month */
    period_is("2026-03-31", "2026-03-01");
    period_is("2026-02-28", "2026-01-29");
    period_is("2028-02-29", "2028-01-30"); /* leap year */
    period_is("2026-12-31", "2026-12-01");
    period_is("2026-05-01", "2026-04-02");
}

static void test_school_age_band(void **state)
{
    static const enum child_status in[] = {ST_ENROLLED,    ST_ENROLLED_ELSEWHERE, ST_NOT_ENROLLED,
                                           ST_DROPPED_OUT, ST_SUSPENDED,          ST_PENDING_REVIEW,
                                           ST_COMPLETED};
    int n = 0;
    for (int k = 0; k < ST__COUNT; k++)
        n += status_is_school_age((enum child_status)k) != 0;
    assert_int_equal(n, (int)ARRAY_SIZE(in));
    for (size_t i = 0; i < ARRAY_SIZE(in); i++)
        assert_true(status_is_school_age(in[i]));
    assert_false(status_is_school_age(ST_NOT_YET));
    assert_false(status_is_school_age(ST_BEYOND));
    assert_false(status_is_school_age(ST_INACTIVE));
    /* 入学率's numerator: never the children to find or those waiting for a clerk */
    assert_false(status_counts_enrolled(ST_NOT_ENROLLED));
    assert_false(status_counts_enrolled(ST_DROPPED_OUT));
    assert_false(status_counts_enrolled(ST_PENDING_REVIEW));
    assert_true(status_counts_enrolled(ST_SUSPENDED));
    assert_true(status_counts_enrolled(ST_COMPLETED));
    for (int k = 0; k < ST__COUNT; k++)
        if (status_counts_enrolled((enum child_status)k))
            assert_true(status_is_school_age((enum child_status)k));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monthly_period),
        cmocka_unit_test(test_school_age_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
