/*
 * core/schoolcal.c: which days are school days — terms, weekends, the county's holidays,
 * make-up days, a school's closures — counted and walked; and the streak rule of
 * casework/attendance_read.c (absence_streaks) on such a calendar: days that are no school day
 * neither break nor lengthen a streak, a school day without the kind ends it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/attendance.h"
#include "core/schoolcal.h"
#include "util/buf.h"

/* The county's calendar of the tests: 国庆 2026-10-01..07 with its make-up Saturday 10-10 and
 * Sunday 09-27, the winter holiday inside the autumn term's end, and the school closed on
 * 2026-11-18 and 19. */
static void calendar(struct term_calendar *c)
{
    *c = (struct term_calendar)TERM_CALENDAR_INIT;
    struct buf err = BUF_INIT;
    assert_int_equal(
        holidays_parse(&c->holidays, "2026-10-01..2026-10-07,2027-01-16..2027-02-20", &err), 0);
    assert_int_equal(makeup_days_parse(&c->makeup, "2026-09-27，2026-10-10", &err), 0);
    assert_int_equal(makeup_days_parse(&c->closed, "2026-11-18..2026-11-19", &err), 0);
    buf_release(&err);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(weekday_of(20261120), 4); /* a Friday */
    assert_int_equal(weekday_of(20261121), 5);
    assert_int_equal(weekday_of(20261122), 6);
    assert_int_equal(weekday_of(20261123), 0);
    assert_int_equal(weekday_of(20000229), 1); /* a Tuesday */
}

static void test_days(void **state)
{
    (void)state;
    struct term_calendar c;
    calendar(&c);
    /* the terms */
    assert_int_equal(term_day(&c, 20260831), SD_OUT_OF_TERM);
    assert_int_equal(term_day(&c, 20260901), SD_SCHOOL);
    assert_int_equal(term_day(&c, 20270115), SD_SCHOOL);
    assert_int_equal(term_day(&c, 20270118), SD_HOLIDAY);     /* a Monday in the winter holiday */
    assert_int_equal(term_day(&c, 20270121), SD_OUT_OF_TERM); /* after the autumn term's end */
    assert_int_equal(term_day(&c, 20270224), SD_SCHOOL);      /* the spring term's first day */
    assert_int_equal(term_day(&c, 20270223), SD_OUT_OF_TERM);
    assert_int_equal(term_day(&c, 20270709), SD_SCHOOL);
    assert_int_equal(term_day(&c, 20270712), SD_OUT_OF_TERM); /* the summer */
    /* weekends, holidays, make-up days, closures */
    assert_int_equal(term_day(&c, 20261121), SD_WEEKEND);
    assert_int_equal(term_day(&c, 20261005), SD_HOLIDAY);
    assert_int_equal(term_day(&c, 20261010), SD_SCHOOL); /* a Saturday, made up */
    assert_int_equal(term_day(&c, 20260927), SD_SCHOOL); /* a Sunday, made up */
    assert_int_equal(term_day(&c, 20261118), SD_CLOSED);
    assert_int_equal(term_day(&c, 20261120), SD_SCHOOL);
    assert_string_equal(term_day_reason(SD_WEEKEND), "是周末（不是调休上课日）");
    assert_string_equal(term_day_reason(SD_SCHOOL), "");
    /* counted: 9-28, 29, 30; 10-8, 9; the make-up 10-10 — six */
    assert_int_equal(term_school_days(&c, 20260928, 20261011), 6);
    /* the week of the closure: 16, 17, 20 */
    assert_int_equal(term_school_days(&c, 20261116, 20261122), 3);
    assert_int_equal(term_school_days(&c, 20261122, 20261116), 0);
    /* walked */
    assert_int_equal(term_prev_school_day(&c, 20261008), 20260930);
    assert_int_equal(term_prev_school_day(&c, 20261120), 20261117);
    assert_int_equal(term_first_day(&c, 20261120), 20260901);
    assert_int_equal(term_first_day(&c, 20270310), 20270224);
    assert_int_equal(term_first_day(&c, 20270801), 0);
    term_calendar_release(&c);
}

static void test_makeup_parse(void **state)
{
    (void)state;
    struct holidays h = HOLIDAYS_INIT;
    struct buf err = BUF_INIT;
    assert_int_equal(makeup_days_parse(&h, "2026-09-27, 2027-02-06..2027-02-07", &err), 0);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.r[1].first, 20270206);
    assert_int_equal(h.r[1].last, 20270207);
    assert_int_equal(makeup_days_parse(&h, "2026-13-01", &err), -1);
    assert_non_null(strstr(err.buf, "调休上课日中的“2026-13-01”无效"));
    holidays_release(&h);
    buf_release(&err);
}

static void test_streaks(void **state)
{
    (void)state;
    struct term_calendar c;
    calendar(&c);
    /* 旷课 Tue 9-29, Wed 9-30, (国庆), Thu 10-8: one streak of 3 over the holiday; 病假 Fri 10-9
     * ends it; 旷课 on the make-up Saturday 10-10 and Mon 10-12, Tue 10-13: 3 again; a 旷课
     * written on Sunday 10-11 (no school day) changes nothing */
    struct absence_day a[] = {
        {20260929, AB_UNEXCUSED, ""}, {20260930, AB_UNEXCUSED, ""}, {20261008, AB_UNEXCUSED, ""},
        {20261009, AB_SICK, ""},      {20261010, AB_UNEXCUSED, ""}, {20261011, AB_UNEXCUSED, ""},
        {20261012, AB_UNEXCUSED, ""}, {20261013, AB_UNEXCUSED, ""}, {20261015, AB_UNEXCUSED, ""},
    };
    struct absence_streak s[10];
    size_t n =
        absence_streaks(&c, a, sizeof(a) / sizeof(a[0]), AB_UNEXCUSED, 20260901, 20261031, s);
    assert_int_equal(n, 3);
    assert_int_equal(s[0].first, 20260929);
    assert_int_equal(s[0].last, 20261008);
    assert_int_equal(s[0].days, 3);
    assert_int_equal(s[1].first, 20261010);
    assert_int_equal(s[1].last, 20261013);
    assert_int_equal(s[1].days, 3);
    /* Wed 10-14 present: 10-15 alone */
    assert_int_equal(s[2].first, 20261015);
    assert_int_equal(s[2].days, 1);
    /* 病假 streaks are the sick days */
    n = absence_streaks(&c, a, sizeof(a) / sizeof(a[0]), AB_SICK, 20260901, 20261031, s);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].days, 1);
    /* a window that cuts the first streak counts only its part */
    n = absence_streaks(&c, a, sizeof(a) / sizeof(a[0]), AB_UNEXCUSED, 20260930, 20261008, s);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].days, 2);
    term_calendar_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_makeup_parse),
        cmocka_unit_test(test_streaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
