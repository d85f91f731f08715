/* The calendar of the monthly report's confirmation (domain/monthly_due.h). */
#include "domain/monthly_due.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"

int monthly_report_date(int month)
{
    return ymd_make(ymd_year(month), ymd_month(month), 15);
}

int monthly_next(int month)
{
    int y = ymd_year(month), m = ymd_month(month) + 1;
    if (m > 12) {
        m = 1;
        y++;
    }
    return ymd_make(y, m, 1);
}

int monthly_prev(int month)
{
    int y = ymd_year(month), m = ymd_month(month) - 1;
    if (m < 1) {
        m = 12;
        y--;
    }
    return ymd_make(y, m, 1);
}

int monthly_deadline(int month, int confirm_day)
{
    int next = monthly_next(month);
    if (confirm_day < 1)
        confirm_day = 1;
    if (confirm_day > 28)
        confirm_day = 28;
    return ymd_make(ymd_year(next), ymd_month(next), confirm_day);
}

bool monthly_overdue(int month, int confirm_day, int today)
{
    return today > monthly_deadline(month, confirm_day);
}

int monthly_open_month(int today)
{
    int month = ymd_make(ymd_year(today), ymd_month(today), 1);
    return ymd_day(today) >= 15 ? month : monthly_prev(month);
}

int monthly_parse(const char *text)
{
    int y, m;
    char rest;
    if (!text || strlen(text) != 7 || text[4] != '-' ||
        sscanf(text, "%4d-%2d%c", &y, &m, &rest) != 2 || y < 1900 || y > 9999 || m < 1 || m > 12)
        return -1;
    return ymd_make(y, m, 1);
}

void monthly_format(int month, char out[8])
{
    char day[11] = {0};
    date_format(month, day); /* YYYY-MM-DD of the month's first day: its first seven */
    memcpy(out, day, 7);
    out[7] = '\0';
}
