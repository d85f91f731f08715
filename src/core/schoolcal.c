/* School days: terms, weekends, make-up days, holidays, closures (core/schoolcal.h). */
#include "core/schoolcal.h"

#include "core/date.h"
#include "util/common.h"
#include "util/xmalloc.h"

void term_calendar_release(struct term_calendar *c)
{
    holidays_release(&c->holidays);
    holidays_release(&c->makeup);
    holidays_release(&c->closed);
}

int weekday_of(int ymd)
{
    /* 1970-01-01 was a Thursday (3 counting Monday as 0) */
    long d = ymd_to_days(ymd);
    return (int)(((d + 3) % 7 + 7) % 7);
}

static bool in_ranges(const struct holidays *h, int ymd)
{
    for (size_t i = 0; i < h->n; i++)
        if (ymd >= h->r[i].first && ymd <= h->r[i].last)
            return true;
    return false;
}

/* Is month-day md in the yearly range start..end (end before start: over the new year)? */
static bool in_mmdd(int md, int start, int end)
{
    return start <= end ? md >= start && md <= end : md >= start || md <= end;
}

enum school_day term_day(const struct term_calendar *c, int ymd)
{
    if (in_ranges(&c->closed, ymd))
        return SD_CLOSED;
    int md = ymd % 10000;
    if (!in_mmdd(md, c->autumn_start, c->autumn_end) &&
        !in_mmdd(md, c->spring_start, c->spring_end))
        return SD_OUT_OF_TERM;
    if (in_ranges(&c->makeup, ymd))
        return SD_SCHOOL;
    if (in_ranges(&c->holidays, ymd))
        return SD_HOLIDAY;
    return weekday_of(ymd) >= 5 ? SD_WEEKEND : SD_SCHOOL;
}

const char *term_day_reason(enum school_day d)
{
    switch (d) {
    case SD_CLOSED:
        return "学校这一天停课";
    case SD_OUT_OF_TERM:
        return "不在学期中（寒暑假）";
    case SD_HOLIDAY:
        return "在学校假期中";
    case SD_WEEKEND:
        return "是周末（不是调休上课日）";
    case SD_SCHOOL:
        break;
    }
    return "";
}

long term_school_days(const struct term_calendar *c, int a, int b)
{
    long n = 0;
    for (long d = ymd_to_days(a), e = ymd_to_days(b); d <= e; d++)
        n += term_is_school_day(c, days_to_ymd(d));
    return n;
}

int term_prev_school_day(const struct term_calendar *c, int ymd)
{
    long d = ymd_to_days(ymd);
    for (int i = 1; i <= 366; i++)
        if (term_is_school_day(c, days_to_ymd(d - i)))
            return days_to_ymd(d - i);
    return 0;
}

int term_first_day(const struct term_calendar *c, int ymd)
{
    /* walk back to the last day that is outside both terms, then forward to a school day */
    long d = ymd_to_days(ymd);
    int i = 0;
    while (i < 400) {
        int md = days_to_ymd(d - i) % 10000;
        if (!in_mmdd(md, c->autumn_start, c->autumn_end) &&
            !in_mmdd(md, c->spring_start, c->spring_end)) {
            if (i > 0)
                break;
        }
        i++;
    }
    for (long e = d - i + 1; e <= d; e++)
        if (term_is_school_day(c, days_to_ymd(e)))
            return days_to_ymd(e);
    return 0;
}

int makeup_days_parse(struct holidays *h, const char *text, struct buf *err)
{
    h->n = 0;
    struct buf tok = BUF_INIT;
    const char *p = text ? text : "";
    int rc = 0;
    while (*p && rc == 0) {
        /* separators: ASCII , ; space, and the full-width comma */
        if (*p == ',' || *p == ';' || *p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (!strncmp(p, "，", 3) || !strncmp(p, "；", 3)) {
            p += 3;
            continue;
        }
        size_t n = 0;
        while (p[n] && p[n] != ',' && p[n] != ';' && p[n] != ' ' && p[n] != '\t' &&
               strncmp(p + n, "，", 3) && strncmp(p + n, "；", 3))
            n++;
        buf_reset(&tok);
        buf_add(&tok, p, n);
        char *dots = strstr(tok.buf, "..");
        int a, b;
        if (dots ? date_parse(tok.buf, (size_t)(dots - tok.buf), &a) < 0 ||
                       date_parse(dots + 2, strlen(dots + 2), &b) < 0 || b < a
                 : date_parse(tok.buf, n, &a) < 0) {
            buf_addf(err,
                     "调休上课日中的“%s”无效，应写成日期（如 2026-10-10）或 开始日期..结束日期，"
                     "多个用逗号分隔",
                     tok.buf);
            rc = -1;
            break;
        }
        if (!dots)
            b = a;
        ALLOC_GROW(h->r, h->n + 1, h->alloc);
        h->r[h->n].first = a;
        h->r[h->n].last = b;
        h->n++;
        p += n;
    }
    buf_release(&tok);
    return rc;
}
