#ifndef BAOXUE_DOMAIN_MONTHLY_DUE_H
#define BAOXUE_DOMAIN_MONTHLY_DUE_H

#include <stdbool.h>

/*
 * The calendar of the monthly report's confirmation (issue 17, report/monthly_confirm.h). A
 * month is the ymd of its first day. Month M's report is as of its 15th (report/monthly.c); the
 * townships confirm their part of it from that day on, by day `confirm_day` (the setting
 * monthly_confirm_day, 15 by default) of the month after. docs/reports.md.
 */

/* The report date of month M: its 15th. */
int monthly_report_date(int month);
/* The last day to confirm month M: day confirm_day of the month after (1..28). */
int monthly_deadline(int month, int confirm_day);
/* Whether month M's confirmation is overdue on `today` (not confirmed, the deadline passed). */
bool monthly_overdue(int month, int confirm_day, int today);
/* The latest month whose report date has come on `today`: the month to confirm now. */
int monthly_open_month(int today);
/* The month before / after M. */
int monthly_prev(int month);
int monthly_next(int month);
/* "2026-10" → the ymd of 2026-10-01; -1 when it is not a month. */
int monthly_parse(const char *text);
/* The ymd of a month → "2026-10" (out: 8 bytes). */
void monthly_format(int month, char out[8]);

#endif
