/*
 * report/separation.c: the rules of 人籍分离 over one pupil's facts — a long unexcused run that
 * is still going (weekends and holidays neither break nor lengthen it, a 病假 ends it, one that
 * ended before the latest school days is no row); a pupil attending another school (absences
 * at that school, a case's return there, a class teacher's note naming it or saying 借读),
 * which no absence row repeats; and a 学籍 change the old school's attendance contradicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "report/separation.h"

#define X "1001"
#define Y "1002"
#define Z "1003"

static const struct sep_school schools[] = {
    {X, "城关第一小学"},
    {Y, "郑庄镇中心小学"},
    {Z, "端氏镇中心小学"},
};

static struct term_calendar cal = TERM_CALENDAR_INIT;

static const struct term_calendar *calendar(void *arg, const char *school)
{
    (void)arg;
    (void)school;
    return &cal;
}

/* Friday 2026-12-04 */
#define AS_OF 20261204

static struct sep_context context(void)
{
    return (struct sep_context){AS_OF, 20, true, schools, 3, calendar, NULL};
}

/* The n school days ending on `last` (included), oldest first, into days[]. */
static size_t school_days_to(int last, size_t n, int *days)
{
    size_t k = 0;
    for (long d = ymd_to_days(last); k < n; d--)
        if (term_is_school_day(&cal, days_to_ymd(d)))
            days[n - 1 - k++] = days_to_ymd(d);
    return k;
}

static struct sep_absence ab[64];

/* n unexcused days at `school` ending on `last`. */
static size_t unexcused_run(int last, size_t n, const char *school)
{
    int days[64];
    school_days_to(last, n, days);
    for (size_t i = 0; i < n; i++) {
        memset(&ab[i], 0, sizeof(ab[i]));
        ab[i].ymd = days[i];
        ab[i].kind = AB_UNEXCUSED;
        snprintf(ab[i].school, sizeof(ab[i].school), "%s", school);
        ab[i].note = "";
    }
    return n;
}

static struct sep_pupil pupil_at(const char *school)
{
    struct sep_pupil p;
    memset(&p, 0, sizeof(p));
    snprintf(p.now.school, sizeof(p.now.school), "%s", school);
    snprintf(p.now.status, sizeof(p.now.status), "active");
    p.now.active = true;
    p.before = p.now;
    return p;
}

static size_t run(const struct sep_pupil *p, struct sep_row *r)
{
    struct sep_context cx = context();
    return sep_rules(&cx, p, r);
}

static void release(struct sep_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sep_row_release(&r[i]);
}

static void test_absent_run(void **state)
{
    (void)state;
    struct sep_pupil p = pupil_at(Y);
    struct sep_row r[SEP__COUNT];
    /* 20 school days up to Friday: a row, at the 学籍 school, weekends not counted */
    p.ab = ab;
    p.nab = unexcused_run(AS_OF, 20, Y);
    size_t n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_ABSENT);
    assert_string_equal(r[0].school, Y);
    assert_int_equal(r[0].days, 20);
    assert_int_equal(r[0].first, 20261109);
    assert_string_equal(r[0].evidence.buf, "自 2026-11-09 起连续 20 个上课日旷课");
    assert_non_null(strstr(r[0].action.buf, "辍学"));
    release(r, n);
    /* 19 days: none */
    p.nab = unexcused_run(AS_OF, 19, Y);
    assert_int_equal(run(&p, r), 0);
    /* ending the school day before (today's roll-call not in yet): still a row */
    p.nab = unexcused_run(20261203, 20, Y);
    n = run(&p, r);
    assert_int_equal(n, 1);
    release(r, n);
    /* ending two school days before: the pupil came back */
    p.nab = unexcused_run(20261202, 25, Y);
    assert_int_equal(run(&p, r), 0);
    /* on a Sunday the run to Friday is still going */
    struct sep_context cx = context();
    cx.as_of = 20261206;
    p.nab = unexcused_run(AS_OF, 20, Y);
    n = sep_rules(&cx, &p, r);
    assert_int_equal(n, 1);
    release(r, n);
    /* a 病假 in the middle ends the run: two runs of 10 */
    p.nab = unexcused_run(AS_OF, 21, Y);
    ab[10].kind = AB_SICK;
    assert_int_equal(run(&p, r), 0);
    /* the days at another school are not this school's run */
    p.nab = unexcused_run(AS_OF, 20, Y);
    for (size_t i = 0; i < 5; i++)
        snprintf(ab[i].school, sizeof(ab[i].school), "%s", X);
    p.before.school[0] = '\0';
    p.before.active = false;
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_ELSEWHERE); /* X's absences: in X, not absent */
    release(r, n);
    /* the setting decides N */
    cx = context();
    cx.absent_days = 7;
    p = pupil_at(Y);
    p.ab = ab;
    p.nab = unexcused_run(AS_OF, 7, Y);
    n = sep_rules(&cx, &p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].days, 7);
    release(r, n);
    /* a pupil not active in the latest 学籍: no absence row */
    p.now.active = false;
    p.before = p.now;
    assert_int_equal(sep_rules(&cx, &p, r), 0);
}

static void test_elsewhere(void **state)
{
    (void)state;
    struct sep_row r[SEP__COUNT];
    /* the class teacher's note names another school of the list: in it, not absent */
    struct sep_pupil p = pupil_at(Y);
    p.ab = ab;
    p.nab = unexcused_run(AS_OF, 22, Y);
    ab[21].kind = AB_PERSONAL;
    ab[20].note = "已随父母到城关第一小学借读";
    size_t n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_ELSEWHERE);
    assert_string_equal(r[0].school, Y);
    assert_string_equal(r[0].other, X);
    assert_string_equal(r[0].other_name, "城关第一小学");
    assert_string_equal(
        r[0].evidence.buf,
        "班主任 2026-12-03 记录：“已随父母到城关第一小学借读”，学籍在郑庄镇中心小学");
    assert_non_null(strstr(r[0].action.buf, "转学"));
    release(r, n);
    /* its own school's name is no other school; 借读 without a name still says so */
    ab[20].note = "郑庄镇中心小学通知：在外地借读";
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_ELSEWHERE);
    assert_string_equal(r[0].other, "");
    release(r, n);
    /* an ordinary note is no evidence */
    ab[20].note = "发烧";
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_ABSENT);
    release(r, n);
    /* a case returned the child to X while the 学籍 stays at Y */
    p.nab = 0;
    snprintf(p.returned_to, sizeof(p.returned_to), "%s", X);
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].evidence.buf,
                        "已劝返复学至城关第一小学（一人一案），学籍仍在郑庄镇中心小学");
    release(r, n);
    /* and X recorded an absence for it */
    p.nab = unexcused_run(20261120, 1, X);
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].evidence.buf, "在城关第一小学考勤（最近一条 2026-11-20），学籍在郑庄镇"
                                           "中心小学；已劝返复学至该校");
    release(r, n);
    /* returned to its own 学籍 school: nothing */
    snprintf(p.returned_to, sizeof(p.returned_to), "%s", Y);
    p.nab = 0;
    assert_int_equal(run(&p, r), 0);
}

static void test_mismatch(void **state)
{
    (void)state;
    struct sep_row r[SEP__COUNT];
    /* at X in the previous 学籍, moved to Z in the latest; X recorded it after */
    struct sep_pupil p = pupil_at(Z);
    snprintf(p.before.school, sizeof(p.before.school), "%s", X);
    p.ab = ab;
    p.nab = unexcused_run(20261117, 1, X);
    ab[0].kind = AB_LATE;
    ab[0].after_previous = true;
    size_t n = run(&p, r);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].kind, SEP_MISMATCH);
    assert_string_equal(r[0].school, X);
    assert_string_equal(r[0].other, Z);
    assert_string_equal(r[0].evidence.buf, "学籍已转出至端氏镇中心小学，但本校 11 月仍有考勤记录"
                                           "（最近一条 2026-11-17 迟到早退）");
    release(r, n);
    /* recorded before the previous 学籍 became current: consistent */
    ab[0].after_previous = false;
    assert_int_equal(run(&p, r), 0);
    ab[0].after_previous = true;
    /* no previous snapshot: nothing to compare */
    struct sep_context cx = context();
    cx.has_previous = false;
    assert_int_equal(sep_rules(&cx, &p, r), 0);
    /* marked 转出 at X */
    p = pupil_at(X);
    snprintf(p.now.status, sizeof(p.now.status), "transferred");
    p.now.active = false;
    p.ab = ab;
    p.nab = 1;
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].evidence.buf, "学籍状态已改为“转出”，但本校 11 月仍有考勤记录"
                                           "（最近一条 2026-11-17 迟到早退）");
    release(r, n);
    /* gone from the latest list */
    p.now.school[0] = '\0';
    n = run(&p, r);
    assert_int_equal(n, 1);
    assert_non_null(strstr(r[0].evidence.buf, "最新学籍名单中已无该生"));
    release(r, n);
    /* a case returned it to X: X's roster has it, no mismatch */
    snprintf(p.returned_to, sizeof(p.returned_to), "%s", X);
    assert_int_equal(run(&p, r), 0);
    /* still at X: nothing */
    p = pupil_at(X);
    p.ab = ab;
    p.nab = 1;
    assert_int_equal(run(&p, r), 0);
}

static void test_labels(void **state)
{
    (void)state;
    assert_string_equal(sep_kind_label(SEP_ABSENT), "长期旷课未到校");
    assert_string_equal(sep_kind_label(SEP_ELSEWHERE), "在他校就读");
    assert_string_equal(sep_kind_label(SEP_MISMATCH), "学籍变动与考勤不符");
    struct sep_context cx = context();
    assert_string_equal(sep_school_name(&cx, Z), "端氏镇中心小学");
    assert_string_equal(sep_school_name(&cx, "9999"), "9999");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absent_run),
        cmocka_unit_test(test_elsewhere),
        cmocka_unit_test(test_mismatch),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
