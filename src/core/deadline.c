#include "core/deadline.h"

#include "core/date.h"
#include "util/common.h"

static const char *skip_sep(const char *p)
{
    for (;;) {
        if (*p == ' ' || *p == ',' || *p == ';' || *p == '\t' || *p == '\n')
            p++;
        else if (!strncmp(p, "，", 3) || !strncmp(p, "；", 3))
            p += 3;
        else
            return p;
    }
}

static size_t token_len(const char *p)
{
    size_t n = 0;
    while (p[n] && p[n] != ',' && p[n] != ';' && p[n] != ' ' && strncmp(p + n, "，", 3) &&
           strncmp(p + n, "；", 3))
        n++;
    return n;
}

int holidays_parse(struct holidays *h, const char *text, struct buf *err)
{
    h->n = 0;
    const char *p = skip_sep(text ? text : "");
    while (*p) {
        size_t n = token_len(p);
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < n; i++)
            if (p[i] == '.' && p[i + 1] == '.') {
                dots = p + i;
                break;
            }
        int a, b;
        if (!dots || date_parse(p, (size_t)(dots - p), &a) < 0 ||
            date_parse(dots + 2, n - (size_t)(dots + 2 - p), &b) < 0 || b < a) {
            buf_addf(err,
                     "学校假期中的“%.*s”无效，应写成 开始日期..结束日期，"
                     "例如 2027-01-20..2027-02-25，多个假期用逗号分隔",
                     (int)n, p);
            return -1;
        }
        ALLOC_GROW(h->r, h->n + 1, h->alloc);
        h->r[h->n].first = a;
        h->r[h->n].last = b;
        h->n++;
        p = skip_sep(p + n);
    }
    return 0;
}

void holidays_release(struct holidays *h)
{
    free(h->r);
    h->r = NULL;
    h->n = h->alloc = 0;
}

int holidays_shift(const struct holidays *h, int ymd)
{
    if (!h)
        return ymd;
    /* Each pass moves past one holiday; ranges may touch or overlap, so repeat until none
     * holds the day (at most n passes, since the day only moves forward past a range's end). */
    for (size_t pass = 0; pass <= h->n; pass++) {
        bool moved = false;
        for (size_t i = 0; i < h->n; i++)
            if (ymd >= h->r[i].first && ymd <= h->r[i].last) {
                ymd = days_to_ymd(ymd_to_days(h->r[i].last) + 1);
                moved = true;
            }
        if (!moved)
            break;
    }
    return ymd;
}

int deadline_days(const struct holidays *h, int start, int days)
{
    return holidays_shift(h, days_to_ymd(ymd_to_days(start) + days));
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int deadline_months(const struct holidays *h, int start, int months)
{
    int y = ymd_year(start), m = ymd_month(start) - 1 + months, d = ymd_day(start);
    y += m / 12;
    m = m % 12 + 1;
    if (d > month_days(y, m))
        d = month_days(y, m);
    return holidays_shift(h, ymd_make(y, m, d));
}

int deadline_working_days(int start, int days)
{
    long d = ymd_to_days(start);
    while (days > 0) {
        d++;
        /* 1970-01-01 was a Thursday: (d + 3) mod 7 is 0 on a Monday, 5 and 6 at the weekend */
        if (((d + 3) % 7 + 7) % 7 < 5)
            days--;
    }
    return days_to_ymd(d);
}

long days_between(int a, int b)
{
    return ymd_to_days(b) - ymd_to_days(a);
}
