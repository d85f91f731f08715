/*
 * domain/groups.c: the priority groups' rows linked to the register's children in a
 * cross-check — by ID (exact, one slip), by household (IDs; the guardian's name where the
 * register has no IDs), by name + birth + township; twins, a year-and-month birth, a row two
 * children fit, a row nobody fits, an adult skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/import.h"
#include "testutil.h"
#include "util/buf.h"

static int group_setup(void **state)
{
    (void)state;
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
    return 0;
}

/* How the group row named `name` of the run was linked: "id", "household", "name_birth",
 * "uncertain", "none" (kept, nobody), "skipped" (no row); and the register child's name. */
static void linked(struct tu_fx *fx, int64_t run, const char *name, const char *how,
                   const char *child)
{
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *v = tu_text(fx->s,
                      "SELECT coalesce(m.matched_by, CASE WHEN m.uncertain = 1 THEN 'uncertain'"
                      " ELSE 'none' END) || '/' || coalesce(c.name, '-')"
                      " FROM group_member m JOIN record g ON g.id = m.group_record"
                      " LEFT JOIN record c ON c.id = m.record_id"
                      " WHERE m.run_id = $1 AND g.name = $2",
                      r, name);
    char want[128];
    snprintf(want, sizeof(want), "%s/%s", how, child ? child : "-");
    if (!strcmp(how, "skipped")) {
        if (v)
            fail_msg("%s: expected no row, got %s", name, v);
    } else if (!v || strcmp(v, want)) {
        fail_msg("%s: expected %s, got %s", name, want, v ? v : "no row");
    }
    free(v);
}

static void test_paths(void **state)
{
    struct tu_fx *fx = *state;
    char head[19], li[19], a[19], b[19], twin1[19], twin2[19], z1[19], z2[19], c[19], bad[19];
    tu_make_id(head, "140521", 19800101, 101);
    tu_make_id(li, "140521", 19820202, 103);
    tu_make_id(a, "140521", 20150304, 11);
    tu_make_id(b, "140521", 20160510, 13);
    tu_make_id(twin1, "140521", 20170202, 15);
    tu_make_id(twin2, "140521", 20170202, 17);
    tu_make_id(z1, "140521", 20150909, 23);
    tu_make_id(z2, "140521", 20150909, 25);
    tu_make_id(c, "140521", 20130101, 21);
    /* one digit of the sequence mistyped: the check digit no longer fits */
    memcpy(bad, c, 19);
    bad[15] = bad[15] == '9' ? '8' : (char)(bad[15] + 1);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户主身份证号,户籍状态\n"
             "王一,男,%s,2015-03-04,郑庄镇,东村,王大山,%s,正常\n"
             "王二,男,%s,2016-05-10,郑庄镇,东村,王大山,%s,正常\n"
             "李明,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "李亮,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "张伟,男,%s,2015-09-09,郑庄镇,东村,张父,,正常\n"
             "张伟,男,%s,2015-09-09,郑庄镇,南村,张叔,,正常\n"
             "陈红,女,%s,2013-01-01,端氏镇,端氏村,陈六,,正常\n"
             "刘小草,女,,2014-07-07,端氏镇,北村,刘大,,正常\n"
             "赵丽,女,,2014-06-06,端氏镇,端氏村,赵某,,正常\n",
             a, head, b, head, twin1, li, twin2, li, z1, z2, c);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    char e[19];
    tu_make_id(e, "140521", 20100101, 31);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "某校,六年级,某生,男,2010-01-01,%s,在读\n",
             e);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,东村,王大山,%s,王大山,%s,户主,1980-01-01,,脱贫户\n"
             "H1,郑庄镇,东村,王大山,%s,王一,%s,之子,2015-03-04,,脱贫户\n"
             "H1,郑庄镇,东村,王大山,%s,王二,,之子,2016年5月,,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李亮,,之子,2017-02,,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李明,,之子,2017-02,,脱贫户\n"
             "H4,端氏镇,端氏村,陈六,,陈红,%s,之女,2013-01-01,,脱贫户\n"
             "H5,郑庄镇,东村,张七,,张伟,,之子,2015-09,,脱贫户\n"
             "H6,端氏镇,北村,刘大,,刘小草,,之女,2014-07,,脱贫户\n"
             "H7,端氏镇,端氏村,赵五,,赵丽,,之女,2014-06-06,,脱贫户\n"
             "H8,郑庄镇,北村,孙八,,孙无,,之子,2016-01-01,,脱贫户\n",
             head, head, head, a, head, li, li, bad);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    linked(fx, run, "王一", "id", "王一");
    linked(fx, run, "陈红", "id", "陈红");        /* one slip in the ID, the name agrees */
    linked(fx, run, "王二", "household", "王二"); /* head's ID, 2016年5月 */
    linked(fx, run, "李明", "household", "李明"); /* twins: each to their own */
    linked(fx, run, "李亮", "household", "李亮");
    /* no household IDs on the register: the guardian's name, the village, name and birth */
    linked(fx, run, "刘小草", "household", "刘小草");
    linked(fx, run, "赵丽", "name_birth", "赵丽"); /* 赵五 is not the register's 赵某 */
    linked(fx, run, "张伟", "uncertain", NULL);    /* two children fit */
    linked(fx, run, "孙无", "none", NULL);         /* nobody: kept as a finding */
    linked(fx, run, "王大山", "skipped", NULL);    /* an adult */
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *d = tu_text(fx->s,
                      "SELECT m.detail FROM group_member m JOIN record g ON g.id = m.group_record"
                      " WHERE m.run_id = $1 AND g.name = '刘小草'",
                      r, NULL);
    assert_non_null(d);
    assert_non_null(strstr(d, "监护人姓名"));
    free(d);
    d = tu_text(fx->s,
                "SELECT m.grp FROM group_member m JOIN record g ON g.id = m.group_record"
                " WHERE m.run_id = $1 AND g.name = '李明'",
                r, NULL);
    assert_string_equal(d, "poverty");
    free(d);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {T(test_paths)};
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
