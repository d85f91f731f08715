#ifndef BAOXUE_DATE_H
#define BAOXUE_DATE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Dates are ints in yyyymmdd form (20150304); 0 means "no date". Day arithmetic goes through
 * days since 1970-01-01 (proleptic Gregorian).
 */

bool date_valid(int y, int m, int d);
bool ymd_valid(int ymd);
int ymd_make(int y, int m, int d);
static inline int ymd_year(int ymd)
{
    return ymd / 10000;
}
static inline int ymd_month(int ymd)
{
    return ymd / 100 % 100;
}
static inline int ymd_day(int ymd)
{
    return ymd % 100;
}

long ymd_to_days(int ymd);
int days_to_ymd(long days);

/*
 * Parse a date as departments write it: 2015-03-04, 2015/3/4, 2015.03.04, 20150304,
 * 2015年3月4日, with or without a time part ("2015-03-04 00:00:00"), full-width digits,
 * surrounding spaces, and a bare Excel serial number (e.g. "42067" or "42067.0") in the range
 * 1..2958465 (1900 date system). Years outside 1900..2100 are rejected, and so is a bare
 * 4-digit number in that range ("2015" is a year, not serial day 2015). Returns 0 and sets
 * *ymd, or -1 when the text is not a real date (2015-02-30).
 */
int date_parse(const char *s, size_t len, int *ymd);
/*
 * A year and month without a day, as the poverty and welfare lists often write a child's birth
 * ("2014-05", "2014/5", "2014.05", "2014年5月", "201405"): 0 and *ym = yyyymm, or -1.
 */
int date_parse_month(const char *s, size_t len, int *ym);
/* A stored date (yyyy-mm-dd, or any form date_parse reads) as ymd; 0 when NULL, blank or not a
 * date. */
int date_or_zero(const char *text);

/* An Excel serial day (1900 date system, with its phantom 1900-02-29; or 1904 system). */
int date_from_excel(double serial, bool date1904, int *ymd);

/* "2015-03-04" into out (at least 11 bytes). */
void date_format(int ymd, char *out);
/* "2015年3月4日" written to out (20 bytes suffice); a short `out` is cut at a character
 * boundary. */
void date_format_cn(int ymd, char *out, size_t outlen);

/* Today's date in local time. BAOXUE_TODAY=yyyy-mm-dd in the environment overrides it (tests). */
int date_today(void);
/* Hold today's date on this thread: date_today() answers `ymd` (0: the clock again) without
 * reading the clock or the environment. Returns the date held before, to be put back. A bulk
 * load pins it once instead of asking for every ID it checks, and checks every row against
 * one day even when it runs past midnight. */
int date_today_pin(int ymd);

/* The current local time as "2026-11-20 14:03:05" (timestamps of batches, runs, audit). */
void date_now_text(char *out, size_t outlen);

#endif
