/*
 * casework/attendance*.c: recording a day's absences for a school's current 学籍 pupils —
 * refused (nothing recorded) for a pupil the school does not have and on a day that is no
 * school day; re-recording replaces (audited); removing (audited); a school account for its own
 * school only — the absences surviving the next 学籍 import (the child key); and the two shapes
 * of a school's sheet, with their rejected rows.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/attendance.h"
#include "domain/scope.h"
#include "ingest/import.h"
#include "testutil.h"
#include "util/buf.h"

#define SCHOOL "2114052101"

static char ids[4][19];

/* A school of three pupils of 七年级 2班 and one of 3班, and another school's pupil. */
static void county(struct tu_fx *fx, const char *file, bool later)
{
    for (int i = 0; i < 4; i++)
        tu_make_id(ids[i], "140521", 20130304 + i, 11 + 2 * i);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "学校名称,学校标识码,年级,班级,姓名,性别,出生日期,身份证件号,全国学籍号,学籍状态\n");
    for (int i = 0; i < 3; i++)
        buf_addf(&csv, "郑庄镇中学,%s,七年级,%s,学生%d,男,2013-03-0%d,%s,G%s,在读\n", SCHOOL,
                 i < 2 ? "2班" : "3班", i, 4 + i, ids[i], ids[i]);
    buf_addf(&csv, "端氏镇中学,2114052199,七年级,2班,外校生,男,2013-03-07,%s,G%s,在读\n", ids[3],
             ids[3]);
    if (later) { /* the next export: a new pupil besides */
        char id[19];
        tu_make_id(id, "140521", 20130101, 91);
        buf_addf(&csv, "郑庄镇中学,%s,七年级,3班,新生,男,2013-01-01,%s,G%s,在读\n", SCHOOL, id, id);
    }
    tu_import_text(fx, KIND_ENROLLMENT, file, csv.buf);
    buf_release(&csv);
}

static int record(struct tu_fx *fx, const struct scope *sc, const char *date, const char *kind,
                  const char *pupils, struct outcome *o)
{
    struct attendance_input in = {.school = SCHOOL, .date = date, .kind = kind, .pupils = pupils};
    struct buf msg = BUF_INIT;
    int rc = attendance_record(fx->s, sc, &in, "teacher", &msg, NULL, o);
    buf_release(&msg);
    return rc;
}

static void test_record_refuse(void **state)
{
    struct tu_fx *fx = *state;
    county(fx, "enr.csv", false);
    struct outcome o = OUTCOME_INIT;
    char two[64];
    snprintf(two, sizeof(two), "G%s\n%s", ids[0], ids[1]);
    assert_int_equal(record(fx, NULL, "2026-11-19", "旷课", two, &o), 0);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM attendance WHERE kind = 'unexcused'", NULL), 2);
    /* the child key, not the record: the next 学籍 import keeps them */
    char key[32];
    snprintf(key, sizeof(key), "I:%s", ids[0]);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attendance WHERE pupil_key = $1", key), 1);
    /* another school's pupil: refused, and nothing of the request recorded */
    char mixed[64];
    snprintf(mixed, sizeof(mixed), "%s\n%s", ids[2], ids[3]);
    assert_int_equal(record(fx, NULL, "2026-11-18", "病假", mixed, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "pupils");
    assert_non_null(strstr(o.msg.buf, "郑庄镇中学没有学生"));
    outcome_release(&o);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attendance", NULL), 2);
    /* a Saturday */
    assert_int_equal(record(fx, NULL, "2026-11-14", "病假", ids[2], &o), -1);
    assert_string_equal(o.field, "date");
    assert_non_null(strstr(o.msg.buf, "是周末"));
    outcome_release(&o);
    /* a closed day */
    struct closure_input ci = {.school = "郑庄镇中学", .from = "2026-11-16", .reason = "暴雪停课"};
    int64_t cid;
    struct buf msg = BUF_INIT;
    assert_int_equal(attendance_close(fx->s, NULL, &ci, "county", &cid, &msg, &o), 0);
    assert_int_equal(record(fx, NULL, "2026-11-16", "病假", ids[2], &o), -1);
    assert_non_null(strstr(o.msg.buf, "停课"));
    outcome_release(&o);
    assert_int_equal(attendance_reopen(fx->s, NULL, cid, "county", &msg, &o), 0);
    assert_int_equal(record(fx, NULL, "2026-11-16", "病假", ids[2], &o), 0);
    /* re-recorded: replaced, audited */
    assert_int_equal(record(fx, NULL, "2026-11-19", "病假", ids[0], &o), 0);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM attendance WHERE on_date = '2026-11-19'", NULL), 2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attendance WHERE kind = 'sick'", NULL), 2);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'attendance_replace'", NULL), 1);
    /* removed, audited */
    struct attendance_remove_input ri = {
        .school = SCHOOL, .date = "2026-11-19", .pupils = ids[1], .reason = "记错了"};
    buf_reset(&msg);
    assert_int_equal(attendance_remove(fx->s, NULL, &ri, "teacher", &msg, &o), 0);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM attendance WHERE on_date = '2026-11-19'", NULL), 1);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'attendance_remove'", NULL), 1);
    /* a school account: its own school only; a township records nothing */
    struct scope other = {.role = ROLE_SCHOOL, .school = "2114052199", .user = "s2"};
    assert_int_equal(record(fx, &other, "2026-11-19", "旷课", ids[2], &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    struct scope own = {.role = ROLE_SCHOOL, .school = SCHOOL, .user = "s1", .origin = "test"};
    struct attendance_input in = {.date = "2026-11-19", .kind = "迟到早退", .pupils = ids[2]};
    buf_reset(&msg);
    assert_int_equal(attendance_record(fx->s, &own, &in, "s1", &msg, NULL, &o), 0);
    struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521100", .user = "t"};
    assert_int_equal(record(fx, &town, "2026-11-19", "旷课", ids[2], &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    /* the next 学籍 import: the pupils and their absences stay together */
    county(fx, "enr2.csv", true);
    struct term_calendar cal;
    assert_int_equal(attendance_calendar(fx->s, SCHOOL, &cal, &o), 0);
    struct absence_streak *st;
    size_t n;
    assert_int_equal(attendance_streaks(fx->s, &cal, key, AB_SICK, 20261101, 20261120, &st, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(st[0].first, 20261119);
    free(st);
    term_calendar_release(&cal);
    struct attendance_filter f = {.school = SCHOOL, .from = 20261101, .to = 20261120};
    struct report_table t;
    assert_int_equal(attendance_list(fx->s, NULL, &f, &t, &o), 0);
    assert_int_equal(t.nrows, 3);
    table_release(&t);
    buf_release(&msg);
}

static int import_sheet(struct tu_fx *fx, const char *name, const char *text, const char *school,
                        struct attendance_import_summary *sum, struct outcome *o)
{
    char *path = tu_write_str(fx->dir, name, text);
    struct attendance_import_options opt = {.path = path, .school = school, .actor = "teacher"};
    int rc = attendance_import(fx->s, NULL, &opt, sum, o);
    free(path);
    return rc;
}

static void test_import_shapes(void **state)
{
    struct tu_fx *fx = *state;
    county(fx, "enr.csv", false);
    struct outcome o = OUTCOME_INIT;
    struct attendance_import_summary sum;
    /* one row per absence: by 学籍号, by name in its class, by ID; a pupil of no class here,
     * a Sunday and an unknown kind rejected */
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "日期,班级,学籍号,身份证号,姓名,类型,原因\n"
             "2026-11-16,七年级(2)班,G%s,,,旷课,\n"
             "2026-11-17,七年级(2)班,,,学生1,事假,家里有事\n"
             "2026/11/17,七年级(3)班,,%s,,病,发烧\n"
             "2026-11-17,七年级(3)班,,,学生1,旷课,\n"
             "2026-11-15,七年级(2)班,,,学生0,旷课,\n"
             "2026-11-18,七年级(2)班,,,学生0,逃跑,\n",
             ids[0], ids[2]);
    assert_int_equal(import_sheet(fx, "rows.csv", csv.buf, "郑庄镇中学", &sum, &o), 0);
    assert_string_equal(sum.shape, "rows");
    assert_int_equal(sum.absences, 3);
    assert_int_equal(sum.rows_rejected, 3);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attendance_reject WHERE reason LIKE $1",
                            "%不是上课日%"),
                     1);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM attendance WHERE import_id IS NOT NULL", NULL), 3);
    /* the same file again: refused */
    assert_int_equal(import_sheet(fx, "rows.csv", csv.buf, "郑庄镇中学", &sum, &o), -1);
    assert_string_equal(o.field, "force");
    outcome_release(&o);
    /* a class's month grid, the month and class from the title */
    buf_reset(&csv);
    buf_adds(&csv, "2026年11月 七年级(2)班考勤表\n序号,姓名");
    for (int d = 1; d <= 31; d++)
        buf_addf(&csv, ",%d", d);
    buf_adds(&csv, "\n1,学生0");
    for (int d = 1; d <= 31; d++) /* 旷 on Mon 9 … Fri 13, ✓ on the other weekdays */
        buf_adds(&csv, d >= 9 && d <= 13                       ? ",旷"
                       : d <= 20 && (d % 7 != 0 && d % 7 != 1) ? ",✓"
                                                               : ",");
    buf_adds(&csv, "\n2,学生1");
    for (int d = 1; d <= 31; d++)
        buf_adds(&csv, d == 3 ? ",病" : d == 4 ? ",事" : d == 5 ? ",迟" : ",");
    buf_adds(&csv, "\n3,学生9");
    for (int d = 1; d <= 31; d++)
        buf_adds(&csv, ",");
    buf_adds(&csv, "\n制表人：王老师\n");
    assert_int_equal(import_sheet(fx, "grid.csv", csv.buf, SCHOOL, &sum, &o), 0);
    assert_string_equal(sum.shape, "grid");
    assert_int_equal(sum.absences, 8);
    assert_int_equal(sum.rows_rejected, 1); /* 学生9 */
    char key[32];
    snprintf(key, sizeof(key), "I:%s", ids[0]);
    struct term_calendar cal;
    assert_int_equal(attendance_calendar(fx->s, SCHOOL, &cal, &o), 0);
    struct absence_streak *st;
    size_t n;
    assert_int_equal(
        attendance_streaks(fx->s, &cal, key, AB_UNEXCUSED, 20261101, 20261120, &st, &n), 0);
    /* 11-9 … 11-13 and, from the first sheet, 11-16: six school days in a row */
    assert_int_equal(n, 1);
    assert_int_equal(st[0].days, 6);
    free(st);
    term_calendar_release(&cal);
    /* a grid mark that is none: the row refused whole */
    buf_reset(&csv);
    buf_adds(&csv, "2026年11月 七年级(2)班考勤表\n姓名");
    for (int d = 1; d <= 31; d++)
        buf_addf(&csv, ",%d", d);
    buf_adds(&csv, "\n学生1");
    for (int d = 1; d <= 31; d++)
        buf_adds(&csv, d == 16 ? ",病" : d == 17 ? ",X" : ",");
    buf_adds(&csv, "\n");
    long before = (long)tu_int(fx->s, "SELECT count(*) FROM attendance", NULL);
    assert_int_equal(import_sheet(fx, "grid2.csv", csv.buf, SCHOOL, &sum, &o), 0);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attendance", NULL), before);
    /* not an attendance sheet */
    assert_int_equal(import_sheet(fx, "x.csv", "甲,乙\n1,2\n", SCHOOL, &sum, &o), -1);
    assert_non_null(strstr(o.msg.buf, "不像考勤表"));
    outcome_release(&o);
    buf_release(&csv);
}

int main(void)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {T(test_record_refuse), T(test_import_shapes)};
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
