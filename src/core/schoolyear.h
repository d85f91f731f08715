#ifndef BAOXUE_SCHOOLYEAR_H
#define BAOXUE_SCHOOLYEAR_H

/*
 * School year and compulsory age band. A school year starts on `year_start` (default 1 Sep).
 * A child enters grade 1 in the school year in which they are `entry_age` (6) on the cutoff date
 * (default 31 Aug, a provincial setting). The compulsory band is min_age..max_age (6..15) on the
 * cutoff date.
 */
struct school_calendar {
    int year_start_mmdd; /* 901 */
    int cutoff_mmdd;     /* 831 */
    int min_age;         /* 6 */
    int max_age;         /* 15 */
};

/* The county defaults (settings year_start_mmdd, cutoff_mmdd, min_age, max_age). */
#define CAL_YEAR_START_MMDD 901
#define CAL_CUTOFF_MMDD     831
#define CAL_MIN_AGE         6
#define CAL_MAX_AGE         15

#define SCHOOL_CALENDAR_DEFAULT                                                                    \
    {                                                                                              \
        CAL_YEAR_START_MMDD, CAL_CUTOFF_MMDD, CAL_MIN_AGE, CAL_MAX_AGE                             \
    }

/* The calendar year in which the school year containing `as_of` began (2026 for 2026-11-20,
 * 2025 for 2026-08-31). */
int school_year_of(const struct school_calendar *cal, int as_of_ymd);

/* The cutoff date of school year `sy` (ymd): always in calendar year `sy`, whether it falls
 * before the year start (31 Aug 2026 for school year 2026) or after it (a 31 Dec cutoff: 31 Dec
 * 2026, the end of the calendar year the child starts school in). A 29 Feb cutoff is 28 Feb in
 * common years. */
int school_cutoff(const struct school_calendar *cal, int sy);

/* Completed years of age on `on_ymd` (a child born on 29 Feb turns a year older on 1 Mar in
 * common years). */
int age_on(int birth_ymd, int on_ymd);

/* Grade 1..9 a child of `age` on the cutoff is expected in; < 1 not yet, > 9 beyond. */
int expected_grade(const struct school_calendar *cal, int age);

/*
 * Parse a grade as schools write it: "1", "一年级", "七年级", "初一", "初二", "初三", "小学三年级",
 * "初中一年级", "高一" (10). Returns 1..12, or 0 when not recognised.
 */
int grade_parse(const char *s, unsigned long len);

/* "一年级" … "九年级" for 1..9 (static strings); "" otherwise. */
const char *grade_name(int grade);

#endif
