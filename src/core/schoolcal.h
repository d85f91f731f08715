#ifndef BAOXUE_SCHOOLCAL_H
#define BAOXUE_SCHOOLCAL_H

#include <stdbool.h>

#include "core/deadline.h"
#include "util/buf.h"

/*
 * School days (issue 16): which days a school teaches, for attendance and the early-warning
 * rules (only school days count). A day is a school day when it lies in a term, is not a
 * weekend unless a make-up day (调休上课) says so, is in no school holiday (the casework's
 * `school_holidays`, the same ranges the deadlines move out of) and is not a day the school is
 * closed. Order of the rules (the first that holds decides):
 *   1. the school is closed that day (停课: the school's or the county's list) → not;
 *   2. outside both terms → not;
 *   3. a make-up day (school_makeup_days) → a school day, even on a weekend or in a holiday;
 *   4. in a school holiday → not;
 *   5. Saturday or Sunday → not; else a school day.
 * Terms are month-day ranges that repeat every year: the autumn term from 1 September (it
 * runs over the new year when its end is before its start), the spring term from late
 * February; the county's settings term_autumn_start … term_spring_end.
 */
struct term_calendar {
    int autumn_start, autumn_end; /* mmdd: 901, 120 (the autumn term ends in January) */
    int spring_start, spring_end; /* mmdd: 224, 710 */
    struct holidays holidays;     /* school_holidays */
    struct holidays makeup;       /* school_makeup_days: single days or ranges */
    struct holidays closed;       /* the school's closed days (school_closure) */
};

/* The county defaults of the settings term_autumn_start … term_spring_end. */
#define TERM_AUTUMN_START 901
#define TERM_AUTUMN_END   120
#define TERM_SPRING_START 224
#define TERM_SPRING_END   710

#define TERM_CALENDAR_INIT                                                                         \
    {                                                                                              \
        TERM_AUTUMN_START, TERM_AUTUMN_END, TERM_SPRING_START, TERM_SPRING_END, HOLIDAYS_INIT,     \
            HOLIDAYS_INIT, HOLIDAYS_INIT                                                           \
    }

void term_calendar_release(struct term_calendar *c);

/* What a day is for a school (the rule that decided it). */
enum school_day { SD_SCHOOL, SD_CLOSED, SD_OUT_OF_TERM, SD_HOLIDAY, SD_WEEKEND };

enum school_day term_day(const struct term_calendar *c, int ymd);
static inline bool term_is_school_day(const struct term_calendar *c, int ymd)
{
    return term_day(c, ymd) == SD_SCHOOL;
}
/* Why a day is not a school day, in Chinese ("是周末", "在学校假期中"); "" for a school day. */
const char *term_day_reason(enum school_day d);

/* School days from a to b, both included (0 when b < a). */
long term_school_days(const struct term_calendar *c, int a, int b);
/* The last school day before `ymd` (not `ymd` itself), 0 when none in the year before it. */
int term_prev_school_day(const struct term_calendar *c, int ymd);
/* The first school day of the term `ymd` is in (or, between terms, of the term before it);
 * 0 when there is none. */
int term_first_day(const struct term_calendar *c, int ymd);

/* 0 Monday … 6 Sunday. */
int weekday_of(int ymd);

/*
 * Parse the `school_makeup_days` setting: dates or ranges "2026-09-27, 2026-10-10" or
 * "2027-02-06..2027-02-07", separated by ',' '，' ';' or spaces. -1 with a Chinese message.
 */
int makeup_days_parse(struct holidays *h, const char *text, struct buf *err);

#endif
