#include "core/schoolyear.h"
#include "util/common.h"
#include "core/date.h"
#include "util/utf8.h"

int school_year_of(const struct school_calendar *cal, int as_of_ymd)
{
    int y = ymd_year(as_of_ymd);
    return as_of_ymd % 10000 >= cal->year_start_mmdd ? y : y - 1;
}

int school_cutoff(const struct school_calendar *cal, int sy)
{
    int y = sy;
    int m = cal->cutoff_mmdd / 100, d = cal->cutoff_mmdd % 100;

    /* a 29 Feb cutoff falls back to 28 Feb in common years */
    while (d > 28 && !date_valid(y, m, d))
        d--;
    return ymd_make(y, m, d);
}

int age_on(int birth_ymd, int on_ymd)
{
    int age;

    if (!birth_ymd || !on_ymd)
        return -1;
    age = ymd_year(on_ymd) - ymd_year(birth_ymd);
    /* comparing mmdd makes a 29 Feb birthday fall on 1 Mar in common years */
    if (on_ymd % 10000 < birth_ymd % 10000)
        age--;
    return age;
}

int expected_grade(const struct school_calendar *cal, int age)
{
    return age - cal->min_age + 1;
}

static const char *const grade_names[] = {
    "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级",
};

const char *grade_name(int grade)
{
    return grade >= 1 && grade <= 9 ? grade_names[grade - 1] : "";
}

static bool eat(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n))
        return false;
    *p += n;
    return true;
}

/* A number 1..12 in Arabic digits ("01" too) or Chinese numerals (一 … 十二). 0 when none. */
static int grade_number(const char **p)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    const char *s = *p;
    int v = 0;
    size_t i;

    if (*s >= '0' && *s <= '9') {
        size_t n = strspn(s, "0123456789");
        if (n > 2)
            return 0;
        v = (int)strtol(s, NULL, 10);
        *p = s + n;
        return v;
    }
    if (eat(&s, "十"))
        v = 10;
    for (i = 0; i < ARRAY_SIZE(cn); i++) {
        if (eat(&s, cn[i])) {
            v += (int)i + 1;
            break;
        }
    }
    *p = s;
    return v;
}

int grade_parse(const char *s, unsigned long len)
{
    struct buf b = BUF_INIT;
    struct buf nospace = BUF_INIT;
    const char *p;
    int stage = 0; /* 0 none, 1 primary, 2 junior middle, 3 senior middle */
    int n, grade = 0;
    size_t i;

    utf8_norm_text(&b, s, len);
    for (i = 0; i < b.len; i++)
        if (b.buf[i] != ' ')
            buf_addch(&nospace, b.buf[i]);
    p = nospace.buf;

    if (eat(&p, "小学"))
        stage = 1;
    else if (eat(&p, "初中") || eat(&p, "初级中学") || eat(&p, "初"))
        stage = 2;
    else if (eat(&p, "高中") || eat(&p, "高级中学") || eat(&p, "高"))
        stage = 3;
    n = grade_number(&p);
    if (!n)
        goto out;
    if (!eat(&p, "年级"))
        if (!eat(&p, "年"))
            eat(&p, "级");
    if (*p)
        goto out;
    switch (stage) {
    case 0:
        grade = n <= 12 ? n : 0;
        break;
    case 1:
        grade = n <= 6 ? n : 0;
        break;
    case 2:
        grade = n <= 3 ? n + 6 : (n >= 7 && n <= 9 ? n : 0);
        break;
    case 3:
        grade = n <= 3 ? n + 9 : (n >= 10 && n <= 12 ? n : 0);
        break;
    }
out:
    buf_release(&b);
    buf_release(&nospace);
    return grade;
}
