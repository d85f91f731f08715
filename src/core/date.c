#include "core/date.h"
#include "util/common.h"
#include "util/utf8.h"

#include <time.h>

/* date_parse accepts years in this range: anything else in a roster is a typing error. */
#define PARSE_YEAR_MIN 1900
#define PARSE_YEAR_MAX 2100

/* Largest Excel serial day (9999-12-31 in the 1900 system). */
#define EXCEL_SERIAL_MAX 2958465

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool ymd_valid(int ymd)
{
    return ymd > 0 && date_valid(ymd_year(ymd), ymd_month(ymd), ymd_day(ymd));
}

int ymd_make(int y, int m, int d)
{
    return date_valid(y, m, d) ? y * 10000 + m * 100 + d : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
long ymd_to_days(int ymd)
{
    long y = ymd_year(ymd), m = ymd_month(ymd), d = ymd_day(ymd);
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int days_to_ymd(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;

    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

int date_from_excel(double serial, bool date1904, int *ymd)
{
    long day, days;

    if (!(serial >= 0 && serial < EXCEL_SERIAL_MAX + 1.0)) /* also rejects NaN */
        return -1;
    day = (long)serial; /* the fraction is the time of day */
    if (date1904) {
        /* serial 0 is 1904-01-01 */
        if (day > EXCEL_SERIAL_MAX - 1462)
            return -1;
        days = day - 24107;
    } else {
        /*
         * Serial 1 is 1900-01-01. Excel (after Lotus 1-2-3) treats 1900 as a leap year, so
         * serial 60 is a 1900-02-29 that never existed and every later serial is one too high.
         */
        if (day < 1 || day == 60)
            return -1;
        days = day < 60 ? day - 25568 : day - 25569;
    }
    *ymd = days_to_ymd(days);
    return 0;
}

/*
 * Fold the cell to plain ASCII where it matters: full-width digits and punctuation to ASCII,
 * spaces collapsed and trimmed (utf8_norm_text). 年月日 stay as they are.
 */
static void clean(struct buf *out, const char *s, size_t len)
{
    utf8_norm_text(out, s, len);
}

/* Read 1..maxd ASCII digits at *p. Returns the number of digits read (0 when none). */
static int digits(const char **p, int maxd, int *val)
{
    const char *s = *p;
    int n = 0, v = 0;

    while (n < maxd && s[n] >= '0' && s[n] <= '9') {
        v = v * 10 + (s[n] - '0');
        n++;
    }
    if (n && s[n] >= '0' && s[n] <= '9')
        return 0; /* more digits than allowed */
    *val = v;
    *p = s + n;
    return n;
}

static bool skip(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n))
        return false;
    *p += n;
    return true;
}

/* An optional time part: [ T]h:mm[:ss[.fff]] [Z], possibly after 日. True when the rest is ok. */
static bool time_tail(const char *p)
{
    int v;

    if (!*p)
        return true;
    if (*p == ' ' || *p == 'T')
        p++;
    if (!digits(&p, 2, &v) || v > 23 || !skip(&p, ":") || digits(&p, 2, &v) != 2 || v > 59)
        return false;
    if (skip(&p, ":")) {
        if (digits(&p, 2, &v) != 2 || v > 60)
            return false;
        if (skip(&p, ".")) {
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (*p == 'Z')
        p++;
    return !*p;
}

static int finish(int y, int m, int d, int *ymd)
{
    if (y < PARSE_YEAR_MIN || y > PARSE_YEAR_MAX || !date_valid(y, m, d))
        return -1;
    *ymd = ymd_make(y, m, d);
    return 0;
}

/*
 * A bare number: yyyymmdd with 8 digits, else an Excel serial day with an optional fraction
 * (the time of day). A 4-digit integer part between 1900 and 2100 is a year ("2015",
 * "2015.03" for a year and month), not serial day 2015 in 1905: no date.
 */
static int parse_number(const char *s, int *ymd)
{
    size_t n = strspn(s, "0123456789");
    const char *frac = s + n;
    long v;
    int res;

    if (n == 0 || n > 8)
        return -1;
    if (*frac == '.')
        frac++;
    if (strspn(frac, "0123456789") != strlen(frac))
        return -1;
    v = strtol(s, NULL, 10);
    if (n == 8)
        return frac == s + n ? finish((int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100), ymd)
                             : -1;
    if (n == 4 && v >= PARSE_YEAR_MIN && v <= PARSE_YEAR_MAX)
        return -1;
    if (v < 1 || v > EXCEL_SERIAL_MAX || date_from_excel((double)v, false, &res))
        return -1;
    return finish(ymd_year(res), ymd_month(res), ymd_day(res), ymd);
}

int date_parse(const char *s, size_t len, int *ymd)
{
    struct buf b = BUF_INIT;
    const char *p;
    int y, m, d, ret = -1;

    clean(&b, s, len);
    p = b.buf;
    if (!*p)
        goto out;
    if (strspn(p, "0123456789.") == b.len && strchr(p, '.') == strrchr(p, '.')) {
        /* digits with at most one dot: yyyymmdd or an Excel serial day, not y.m.d */
        ret = parse_number(p, ymd);
        goto out;
    }
    if (digits(&p, 4, &y) != 4)
        goto out;
    if (skip(&p, " 年") || skip(&p, "年")) {
        p += *p == ' ';
        if (!digits(&p, 2, &m))
            goto out;
        p += *p == ' ';
        if (!skip(&p, "月"))
            goto out;
        p += *p == ' ';
        if (!digits(&p, 2, &d))
            goto out;
        p += *p == ' ';
        if (!skip(&p, "日"))
            skip(&p, "号");
    } else {
        char sep = *p;
        if (sep != '-' && sep != '/' && sep != '.')
            goto out;
        p++;
        if (!digits(&p, 2, &m) || *p != sep)
            goto out;
        p++;
        if (!digits(&p, 2, &d))
            goto out;
    }
    if (!time_tail(p))
        goto out;
    ret = finish(y, m, d, ymd);
out:
    buf_release(&b);
    return ret;
}

int date_parse_month(const char *s, size_t len, int *ym)
{
    struct buf b = BUF_INIT;
    const char *p;
    int y, m, ret = -1;

    clean(&b, s, len);
    p = b.buf;
    if (b.len == 6 && strspn(p, "0123456789") == 6) {
        y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        m = (p[4] - '0') * 10 + (p[5] - '0');
    } else {
        if (digits(&p, 4, &y) != 4)
            goto out;
        if (skip(&p, "年")) {
            if (!digits(&p, 2, &m) || !skip(&p, "月"))
                goto out;
            skip(&p, "份");
        } else if (*p == '-' || *p == '/' || *p == '.') {
            p++;
            if (!digits(&p, 2, &m))
                goto out;
        } else {
            goto out;
        }
        if (*p)
            goto out;
    }
    if (y >= 1900 && y <= 2100 && m >= 1 && m <= 12) {
        *ym = y * 100 + m;
        ret = 0;
    }
out:
    buf_release(&b);
    return ret;
}

void date_format(int ymd, char *out)
{
    if (!ymd) {
        out[0] = '\0';
        return;
    }
    unsigned y = (unsigned)ymd_year(ymd) % 10000u, m = (unsigned)ymd_month(ymd) % 100u,
             d = (unsigned)ymd_day(ymd) % 100u;
    /* by hand: a bulk load formats a date for every row, snprintf costs more than the row */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

void date_format_cn(int ymd, char *out, size_t outlen)
{
    char tmp[32];
    size_t n;

    if (!outlen)
        return;
    if (!ymd) {
        out[0] = '\0';
        return;
    }
    n = (size_t)snprintf(tmp, sizeof(tmp), "%d年%d月%d日", ymd_year(ymd), ymd_month(ymd),
                         ymd_day(ymd));
    if (n >= outlen) {
        /* cut at a character boundary, never inside a UTF-8 sequence */
        n = outlen - 1;
        while (n && ((unsigned char)tmp[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, tmp, n);
    out[n] = '\0';
}

static _Thread_local int today_pinned;

int date_today_pin(int ymd)
{
    int before = today_pinned;
    today_pinned = ymd;
    return before;
}

int date_today(void)
{
    if (today_pinned)
        return today_pinned;
    const char *env = getenv("BAOXUE_TODAY");
    struct tm tm;
    time_t now;
    int ymd;

    if (env && *env && !date_parse(env, strlen(env), &ymd))
        return ymd;
    now = time(NULL);
    if (!localtime_r(&now, &tm))
        return 0;
    return ymd_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void date_now_text(char *out, size_t outlen)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm);
}

int date_or_zero(const char *text)
{
    int ymd = 0;
    if (text && *text && date_parse(text, strlen(text), &ymd) < 0)
        ymd = 0;
    return ymd;
}
