/*
 * casework/care.c and report/care.c: a care contact logged on a left-behind pupil counts for
 * its month only; the month's count of children without one; a child not on the left-behind
 * list refused; the guardian shown to the child's school and hidden from another township.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/care.h"
#include "domain/scope.h"
#include "ingest/import.h"
#include "render/table.h"
#include "report/reports.h"
#include "testutil.h"
#include "util/buf.h"

static long without(struct tu_fx *fx, int month)
{
    struct report_options ro = REPORT_OPTIONS_INIT;
    ro.month = month;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(report_left_behind_care(fx->s, &ro, &t, &o), 0);
    long n = atol(table_meta_value(&t, "without_contact"));
    table_release(&t);
    return n;
}

static void test_month(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], c[19], g[19];
    tu_make_id(a, "140521", 20150304, 11);
    tu_make_id(b, "140521", 20160510, 13);
    tu_make_id(c, "140521", 20140606, 15);
    tu_make_id(g, "140521", 19500101, 21);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "王一,男,%s,2015-03-04,郑庄镇,东村,王父,正常\n"
             "王二,男,%s,2016-05-10,郑庄镇,东村,王父,正常\n"
             "赵丽,女,%s,2014-06-06,端氏镇,端氏村,赵父,正常\n",
             a, b, c);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,学校标识码,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "郑庄镇中心小学,2114052101,六年级,王一,男,2015-03-04,%s,在读\n"
             "郑庄镇中心小学,2114052101,五年级,王二,男,2016-05-10,%s,在读\n",
             a, b);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "姓名,身份证号,性别,出生日期,就读学校,父亲外出务工地点,母亲外出务工地点,监护类型,"
             "受委托监护人姓名,受委托监护人身份证号,受委托监护人联系电话,村（居）委会联系人\n"
             "王一,%s,男,2015-03-04,郑庄镇中心小学,广东东莞,广东东莞,祖辈监护,王奶奶,%s,"
             "13800000002,村主任李明\n"
             "王二,%s,男,2016-05-10,郑庄镇中心小学,浙江义乌,,单亲监护,王奶奶,%s,13800000002,"
             "村主任李明\n",
             a, g, b, g);
    tu_import_text(fx, KIND_LEFT_BEHIND, "lb.csv", csv.buf);
    buf_release(&csv);
    tu_match(fx, 20261120);
    assert_int_equal(without(fx, 20261101), 2);
    int64_t wang1 = tu_int(fx->s, "SELECT id FROM record WHERE batch_id = 1 AND name = $1", "王一");
    int64_t zhao = tu_int(fx->s, "SELECT id FROM record WHERE batch_id = 1 AND name = $1", "赵丽");
    struct scope county = {.role = ROLE_COUNTY, .user = "county"};
    struct care_input in = {"2026-11-03", "入户", "结对教师与奶奶", "学习正常"};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t id = 0;
    assert_int_equal(care_add(fx->s, &county, wang1, &in, "county", &id, &msg, &o), 0);
    assert_true(id > 0);
    assert_int_equal(without(fx, 20261101), 1); /* November: one left */
    assert_int_equal(without(fx, 20261001), 2); /* October: not this contact's month */
    /* not on the left-behind list: refused, nothing stored */
    assert_int_equal(care_add(fx->s, &county, zhao, &in, "county", &id, &msg, &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM care_contact", NULL), 1);
    /* the child's school reads the guardian; a township account of another township nothing */
    struct scope school = {.role = ROLE_SCHOOL, .school = "2114052101", .user = "sch"};
    json_t *j = care_get(fx->s, &school, wang1, false, &o);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "guardian"), "phone")),
                        "13800000002");
    assert_int_equal(json_array_size(json_object_get(j, "contacts")), 1);
    json_decref(j);
    struct scope other = {.role = ROLE_SCHOOL, .school = "2114059999", .user = "sch2"};
    assert_null(care_get(fx->s, &other, wang1, false, &o));
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    buf_release(&msg);
}

int main(void)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {T(test_month)};
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
