/* The calendar of the monthly report's confirmation (domain/monthly_due.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/monthly_due.h"

static void test_deadline(void **state)
{
    (void)state;
    assert_int_equal(monthly_report_date(20261001), 20261015);
    assert_int_equal(monthly_deadline(20261001, 15), 20261115);
    assert_int_equal(monthly_deadline(20261201, 15), 20270115); /* into the next year */
    assert_int_equal(monthly_deadline(20260101, 28), 20260228);
    assert_int_equal(monthly_deadline(20260101, 40), 20260228); /* clamped */
    assert_int_equal(monthly_deadline(20260101, 0), 20260201);
    /* the harness's today: October is overdue, November is not */
    assert_true(monthly_overdue(20261001, 15, 20261120));
    assert_false(monthly_overdue(20261101, 15, 20261120));
    /* the deadline itself is still in time */
    assert_false(monthly_overdue(20261001, 15, 20261115));
    assert_true(monthly_overdue(20261001, 15, 20261116));
    assert_false(monthly_overdue(20261001, 25, 20261120));
}

static void test_open_month(void **state)
{
    (void)state;
    assert_int_equal(monthly_open_month(20261120), 20261101);
    assert_int_equal(monthly_open_month(20261115), 20261101);
    assert_int_equal(monthly_open_month(20261114), 20261001);
    assert_int_equal(monthly_open_month(20260110), 20251201);
    assert_int_equal(monthly_prev(20260101), 20251201);
    assert_int_equal(monthly_next(20261201), 20270101);
}

static void test_parse(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(monthly_parse("2026-10"), 20261001);
    assert_int_equal(monthly_parse("2026-13"), -1);
    assert_int_equal(monthly_parse("2026-1"), -1);
    assert_int_equal(monthly_parse("2026-10-01"), -1);
    assert_int_equal(monthly_parse(NULL), -1);
    monthly_format(20270301, out);
    assert_string_equal(out, "2027-03");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_open_month),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
