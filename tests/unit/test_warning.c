/*
 * casework/warning_rules.c: the early-warning rules of attendance on a calendar with weekends,
 * a holiday and closed days — 3 consecutive unexcused school days a warning, 7 suspected
 * dropout, 20 the 学籍 must say 辍学; a month's scattered unexcused days; a long 病假; excused
 * and sick days never counting as 旷课 — and the effective state of an unanswered warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/warning.h"
#include "core/date.h"
#include "util/buf.h"

static const struct warning_rules rules = WARNING_RULES_DEFAULT;

/* 国庆 2026-10-01..07, its make-up Saturday 10-10; the school closed 2026-11-18 and 19. */
static void calendar(struct term_calendar *c)
{
    *c = (struct term_calendar)TERM_CALENDAR_INIT;
    struct buf err = BUF_INIT;
    assert_int_equal(holidays_parse(&c->holidays, "2026-10-01..2026-10-07", &err), 0);
    assert_int_equal(makeup_days_parse(&c->makeup, "2026-10-10", &err), 0);
    assert_int_equal(makeup_days_parse(&c->closed, "2026-11-18..2026-11-19", &err), 0);
    buf_release(&err);
}

/* Absences of `kind` on every school day of [a, b] (appended to v). */
static size_t days(struct absence_day *v, size_t n, const struct term_calendar *c, int a, int b,
                   enum absence_kind kind)
{
    for (long d = ymd_to_days(a); d <= ymd_to_days(b); d++) {
        int ymd = days_to_ymd(d);
        if (term_is_school_day(c, ymd))
            v[n++] = (struct absence_day){ymd, kind, ""};
    }
    return n;
}

static size_t find(const struct term_calendar *c, const struct absence_day *a, size_t n,
                   struct warning_finding *out)
{
    struct school_days d;
    school_days_build(&d, c, 20260901, 20261231);
    size_t k = warning_findings(&rules, &d, a, n, out);
    school_days_release(&d);
    return k;
}

static void test_streaks(void **state)
{
    (void)state;
    struct term_calendar c;
    calendar(&c);
    struct absence_day a[200];
    struct warning_finding f[401];
    /* two days: nothing; Friday, Monday, Tuesday over a weekend: three in a row */
    size_t n = days(a, 0, &c, 20260915, 20260916, AB_UNEXCUSED);
    assert_int_equal(find(&c, a, n, f), 0);
    n = days(a, 0, &c, 20260918, 20260922, AB_UNEXCUSED);
    assert_int_equal(n, 3);
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].kind, WK_ABSENT);
    assert_int_equal(f[0].first, 20260918);
    assert_int_equal(f[0].last, 20260922);
    assert_int_equal(f[0].days, 3);
    assert_int_equal(f[0].level, 0);
    /* over 国庆 (holiday and its make-up Saturday): 09-29, 09-30, 10-08, 10-09, 10-10 — five
     * school days in a row, the holiday neither breaking nor lengthening the run */
    n = days(a, 0, &c, 20260929, 20261010, AB_UNEXCUSED);
    assert_int_equal(n, 5);
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].days, 5);
    /* seven: suspected dropout; over the closed days 11-18/19 the run goes on */
    n = days(a, 0, &c, 20261112, 20261124, AB_UNEXCUSED);
    assert_int_equal(n, 7);
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].level, 1);
    /* twenty: the 学籍 must say 辍学 */
    n = days(a, 0, &c, 20261102, 20261201, AB_UNEXCUSED);
    assert_true(n >= 20);
    assert_int_equal(find(&c, a, n, f) >= 1, 1);
    assert_int_equal(f[0].level, 2);
    /* a 病假 day in the middle ends the run: 2 + 2, nothing */
    n = days(a, 0, &c, 20260915, 20260916, AB_UNEXCUSED);
    n = days(a, n, &c, 20260917, 20260917, AB_SICK);
    n = days(a, n, &c, 20260918, 20260921, AB_UNEXCUSED);
    assert_int_equal(find(&c, a, n, f), 0);
    term_calendar_release(&c);
}

static void test_excused_week(void **state)
{
    (void)state;
    struct term_calendar c;
    calendar(&c);
    struct absence_day a[200];
    struct warning_finding f[401];
    /* a week of 事假, a week of 病假: no 旷课 warning, and 5 sick days are not "long" */
    size_t n = days(a, 0, &c, 20260914, 20260918, AB_PERSONAL);
    n = days(a, n, &c, 20260921, 20260925, AB_SICK);
    assert_int_equal(find(&c, a, n, f), 0);
    /* sixteen school days of 病假: a wellbeing follow-up, not a dropout warning */
    n = days(a, 0, &c, 20261012, 20261102, AB_SICK);
    assert_int_equal(n, 16);
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].kind, WK_SICK);
    assert_int_equal(f[0].days, 16);
    /* fifteen is not "longer than 15" */
    assert_int_equal(find(&c, a, n - 1, f), 0);
    term_calendar_release(&c);
}

static void test_month(void **state)
{
    (void)state;
    struct term_calendar c;
    calendar(&c);
    struct absence_day a[200];
    struct warning_finding f[401];
    /* every Monday and Wednesday of November: 9 days … not yet */
    size_t n = 0;
    static const int mw[] = {20261102, 20261104, 20261109, 20261111, 20261116,
                             20261123, 20261125, 20261130, 20261127};
    for (size_t i = 0; i < 8; i++)
        a[n++] = (struct absence_day){mw[i], AB_UNEXCUSED, ""};
    a[n++] = (struct absence_day){20261106, AB_UNEXCUSED, ""};
    /* sorted by date as the store reads them */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && a[j].ymd < a[j - 1].ymd; j--) {
            struct absence_day t = a[j];
            a[j] = a[j - 1];
            a[j - 1] = t;
        }
    assert_int_equal(find(&c, a, n, f), 0);
    /* … the tenth (Friday 11-27) is a warning for the month */
    a[n++] = (struct absence_day){20261127, AB_UNEXCUSED, ""};
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].kind, WK_MONTHLY);
    assert_int_equal(f[0].first, 20261101);
    assert_int_equal(f[0].days, 10);
    assert_int_equal(f[0].last, 20261127);
    /* ten days that are one run: the run's warning only */
    n = days(a, 0, &c, 20261102, 20261113, AB_UNEXCUSED);
    assert_int_equal(n, 10);
    assert_int_equal(find(&c, a, n, f), 1);
    assert_int_equal(f[0].kind, WK_ABSENT);
    /* an absence recorded on a closed day counts for nothing */
    a[0] = (struct absence_day){20261118, AB_UNEXCUSED, ""};
    assert_int_equal(find(&c, a, 1, f), 0);
    term_calendar_release(&c);
}

static void test_effective(void **state)
{
    (void)state;
    const char *to;
    /* new, before its deadline: with the teacher */
    assert_string_equal(warning_effective("new", "", "2026-12-07", "2026-12-09", 20261207, &to),
                        "new");
    assert_string_equal(to, "");
    /* past the deadline: the head's; past township_due: the township's */
    assert_string_equal(warning_effective("new", "", "2026-12-07", "2026-12-09", 20261208, &to),
                        "escalated");
    assert_string_equal(to, "head");
    assert_string_equal(warning_effective("new", "", "2026-12-07", "2026-12-09", 20261210, &to),
                        "escalated");
    assert_string_equal(to, "township");
    /* contacted in time: it stays with the school however long it takes */
    assert_string_equal(
        warning_effective("contacted", "", "2026-12-07", "2026-12-09", 20261231, &to), "contacted");
    assert_string_equal(to, "");
    assert_string_equal(
        warning_effective("escalated", "township", "2026-12-07", "2026-12-09", 20261207, &to),
        "escalated");
    assert_string_equal(to, "township");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streaks),
        cmocka_unit_test(test_excused_week),
        cmocka_unit_test(test_month),
        cmocka_unit_test(test_effective),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
