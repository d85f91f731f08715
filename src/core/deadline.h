#ifndef BAOXUE_DEADLINE_H
#define BAOXUE_DEADLINE_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Deadlines of casework (verification, first visit, ladder steps, follow-ups).
 *
 * The rule (docs/decisions.md): a deadline is the start date plus N calendar days (day 0 is
 * the start date itself) or plus N months (the same day of the month, clamped to the month's
 * last day: 01-31 + 1 month = 02-28, or 02-29 in a leap year). When that day falls inside a
 * school holiday (a closed range of dates, both ends included) it moves to the first day
 * after the holiday; if that day starts another holiday, it moves again. Holiday days before
 * the deadline still count: only the day the deadline lands on moves.
 */
struct holiday {
    int first, last; /* ymd, first <= last */
};

struct holidays {
    struct holiday *r;
    size_t n, alloc;
};

#define HOLIDAYS_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/*
 * Parse the `school_holidays` setting: ranges "2027-01-20..2027-02-25" separated by ',' or
 * '，' (or ';'), spaces ignored; "" is no holidays. -1 with a Chinese message on a bad range.
 */
int holidays_parse(struct holidays *h, const char *text, struct buf *err);
void holidays_release(struct holidays *h);

/* The holiday rule applied to `ymd`: the first day on or after it that is not a holiday. */
int holidays_shift(const struct holidays *h, int ymd);

/* start + days (calendar), then shifted out of holidays. h may be NULL. */
int deadline_days(const struct holidays *h, int start, int days);
/* start + months (clamped to the month's end), then shifted out of holidays. */
int deadline_months(const struct holidays *h, int start, int months);
/*
 * start + `days` working days: Monday to Friday, the start date itself not counted (a Friday
 * plus one working day is the Monday after). School holidays do not pause it: desk work at
 * the bureau (a clerk's review) goes on through them. Public holidays and their swapped
 * working weekends are not known to the program (docs/decisions.md, issue 13).
 */
int deadline_working_days(int start, int days);
/* Days from `a` to `b` (b - a; negative when b is earlier). */
long days_between(int a, int b);

#endif
