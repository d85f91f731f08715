/*
 * domain/aid.c: the school year a payment belongs to, and each payment linked to a run's
 * child — by ID, by 全国学籍号 (G + ID), by name and school — and judged: in school, not in
 * school (辍学), found nowhere; a payment of last school year is not this year's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/aid.h"
#include "domain/run.h"
#include "ingest/import.h"
#include "testutil.h"
#include "util/buf.h"

static void test_school_year(void **state)
{
    (void)state;
    assert_int_equal(aid_school_year("2026年秋季学期", ""), 2026);
    assert_int_equal(aid_school_year("2027年春季学期", "2027-04-01"), 2026);
    assert_int_equal(aid_school_year("2026-2027学年", ""), 2026);
    assert_int_equal(aid_school_year("", "2026-10-09"), 2026);
    assert_int_equal(aid_school_year("", "2027-06-30"), 2026);
    assert_int_equal(aid_school_year("2026年春季学期", "2026-04-10"), 2025);
    assert_int_equal(aid_school_year("", ""), 0);
    assert_int_equal(aid_school_year("上学期", "不详"), 0);
}

static const struct aid_payment *row(const struct aid_links *l, struct tu_fx *fx, long n)
{
    (void)fx;
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i].row_no == n + 1) /* the header is row 1 */
            return &l->p[i];
    fail_msg("no payment of row %ld", n);
    return NULL;
}

static void test_link(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], c[19], d[19], x[19];
    tu_make_id(a, "140521", 20150304, 11);
    tu_make_id(b, "140521", 20160510, 13);
    tu_make_id(c, "140521", 20140606, 15);
    tu_make_id(d, "140521", 20130101, 17);
    tu_make_id(x, "140521", 20120202, 19);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "王一,男,%s,2015-03-04,郑庄镇,东村,王父,正常\n"
             "王二,男,%s,2016-05-10,郑庄镇,东村,王父,正常\n"
             "赵丽,女,%s,2014-06-06,端氏镇,端氏村,赵父,正常\n"
             "陈红,女,%s,2013-01-01,端氏镇,端氏村,陈父,正常\n",
             a, b, c, d);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "郑庄镇中心小学,六年级,王一,男,2015-03-04,%s,在读\n"
             "郑庄镇中心小学,五年级,王二,男,2016-05-10,%s,在读\n"
             "端氏镇中心小学,六年级,赵丽,女,2014-06-06,%s,在读\n"
             "端氏镇中心小学,七年级,陈红,女,2013-01-01,%s,辍学\n",
             a, b, c, d);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校,全国学籍号,身份证号,姓名,资助项目,金额,学期,发放日期\n"
             "郑庄镇中心小学,,%s,王一,营养改善计划,400,2026年秋季学期,2026-10-10\n"
             "郑庄镇中心小学,G%s,,王二,营养改善计划,400,2026年秋季学期,2026-10-10\n"
             "端氏镇中心小学,,,赵丽,营养改善计划,400,2026年秋季学期,2026-10-10\n"
             "端氏镇中心小学,,%s,陈红,寄宿生生活补助,500,2026年秋季学期,2026-10-10\n"
             "端氏镇中心小学,,%s,孙无,寄宿生生活补助,500,2026年秋季学期,2026-10-10\n"
             "郑庄镇中心小学,,%s,王一,营养改善计划,400,2026年春季学期,2026-04-10\n",
             a, b, d, x, a);
    tu_import_text(fx, KIND_AID, "aid.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    struct run_info ri;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(run_info_load(fx->s, run, &ri, &o), 0);
    struct aid_links l;
    assert_int_equal(aid_link(fx->s, &ri, &l, &o), 0);
    assert_int_equal(l.n, 6);
    const struct aid_payment *p = row(&l, fx, 1);
    assert_int_equal(p->how, AID_BY_ID);
    assert_int_equal(p->verdict, AID_OK);
    assert_true(p->this_year);
    assert_true(p->child != 0);
    assert_true(p->pupil != 0);
    p = row(&l, fx, 2); /* only the 全国学籍号: the import reads the ID inside it */
    assert_true(p->how == AID_BY_STUDENT_NO || p->how == AID_BY_ID);
    assert_int_equal(p->verdict, AID_OK);
    int64_t wang2 = p->child;
    assert_true(wang2 != 0);
    p = row(&l, fx, 3);
    assert_int_equal(p->how, AID_BY_NAME_SCHOOL);
    assert_int_equal(p->verdict, AID_OK);
    assert_true(p->child != 0); /* the pupil's register child, through the run's link */
    int64_t zhao = p->child;
    p = row(&l, fx, 4);
    assert_int_equal(p->verdict, AID_NOT_IN_SCHOOL);
    int64_t chen = p->child;
    p = row(&l, fx, 5);
    assert_int_equal(p->how, AID_UNLINKED);
    assert_int_equal(p->verdict, AID_NOT_FOUND);
    assert_int_equal(p->child, 0);
    p = row(&l, fx, 6);
    assert_false(p->this_year); /* last school year's spring term */
    assert_true(aid_child_paid(&l, wang2));
    assert_true(aid_child_paid(&l, zhao));
    assert_true(aid_child_paid(&l, chen)); /* paid (wrongly): not also 应助未助 */
    assert_false(aid_child_paid(&l, 999999));
    aid_links_release(&l);
}

int main(void)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_school_year), T(test_link)};
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
