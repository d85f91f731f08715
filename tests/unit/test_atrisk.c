/*
 * casework/atrisk.c, atrisk_list.c, pairing.c: the 预警分 of each factor (and a weight of 0
 * leaving it out), the list of a run (only children at school, at or above the threshold, by
 * the scope), and 结对: a teacher registered by the school's pairing, a school pairing only its
 * own teachers, the same teacher twice refused, ending.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/atrisk.h"
#include "casework/attendance.h"
#include "casework/people.h"
#include "domain/scope.h"
#include "ingest/category.h"
#include "ingest/import.h"
#include "render/table.h"
#include "store/store.h"
#include "testutil.h"
#include "util/buf.h"

static const struct atrisk_settings defaults = {
    .threshold = 20, .overage_years = 2, .absence_cap = 40, .weight = {30, 15, 15, 20, 20, 5}};

static void test_factors(void **state)
{
    (void)state;
    struct atrisk_score sc;
    /* nothing: no factor, no score */
    struct atrisk_facts x = {.age = 10, .grade = 5};
    atrisk_score(&defaults, &x, &sc);
    assert_int_equal(sc.total, 0);
    assert_int_equal(sc.n, 0);
    /* a priority group alone: 15, under the line */
    x.groups = 1u << GRP_POVERTY;
    atrisk_score(&defaults, &x, &sc);
    assert_int_equal(sc.total, 15);
    assert_string_equal(sc.f[0].detail, "脱贫户");
    /* one grade behind is a repeater, not over-age; two is */
    x.grade = 4;
    atrisk_score(&defaults, &x, &sc);
    assert_int_equal(sc.n, 1);
    x.grade = 3;
    atrisk_score(&defaults, &x, &sc);
    assert_int_equal(sc.total, 30);
    assert_int_equal(sc.f[1].factor, RISK_OVER_AGE);
    assert_string_equal(sc.f[1].detail, "三年级，10 岁，超龄 2 岁");
    /* a left-behind child: the away factor only from 13 to 15 */
    struct atrisk_facts lb = {.age = 12, .grade = 7, .groups = 1u << GRP_LEFT_BEHIND};
    atrisk_score(&defaults, &lb, &sc);
    assert_int_equal(sc.total, 15);
    lb.age = 13;
    atrisk_score(&defaults, &lb, &sc);
    assert_int_equal(sc.total, 35);
    lb.age = 16; /* and over-age in grade 9 */
    lb.grade = 9;
    atrisk_score(&defaults, &lb, &sc);
    assert_int_equal(sc.total, 30);
    assert_int_equal(sc.f[1].factor, RISK_OVER_AGE);
    /* a case, whatever its state, names it */
    struct atrisk_facts c = {.age = 11, .grade = 5, .case_id = 7, .case_state = "returned"};
    atrisk_score(&defaults, &c, &sc);
    assert_int_equal(sc.total, 30);
    assert_string_equal(sc.f[0].detail, "案件 7，已复学，巩固回访中");
    struct buf b = BUF_INIT;
    atrisk_explain(&sc, &b);
    assert_string_equal(b.buf, "曾失学辍学立案（案件 7，已复学，巩固回访中）30 分");
    buf_release(&b);
    /* an open chronic or serious illness: named by its entry, never its diagnosis */
    struct atrisk_facts ill = {.age = 9, .grade = 3, .illness_id = 4};
    atrisk_score(&defaults, &ill, &sc);
    assert_int_equal(sc.total, 20);
    assert_string_equal(sc.f[0].detail, "疾病台帐第 4 条，未痊愈");
    /* 旷课 this term: points a day, up to the cap */
    struct atrisk_facts ab = {.age = 12, .grade = 6, .absent_days = 6, .absent_last = 20261118};
    atrisk_score(&defaults, &ab, &sc);
    assert_int_equal(sc.total, 30);
    assert_int_equal(sc.f[0].factor, RISK_ABSENCE);
    assert_string_equal(sc.f[0].detail, "本学期旷课 6 天，最近一次 2026-11-18");
    atrisk_explain(&sc, &b);
    assert_string_equal(b.buf, "旷课（本学期旷课 6 天，最近一次 2026-11-18）30 分");
    buf_release(&b);
    ab.absent_days = 9;
    atrisk_score(&defaults, &ab, &sc);
    assert_int_equal(sc.total, 40);
    assert_string_equal(sc.f[0].detail, "本学期旷课 9 天，最近一次 2026-11-18，已到上限");
    struct atrisk_settings nocap = defaults;
    nocap.absence_cap = 0;
    atrisk_score(&nocap, &ab, &sc);
    assert_int_equal(sc.total, 45);
    /* a weight of 0 turns a factor off */
    struct atrisk_settings off = defaults;
    off.weight[RISK_PREVIOUS_CASE] = 0;
    atrisk_score(&off, &c, &sc);
    assert_int_equal(sc.n, 0);
}

/* A county: 王一 (13, grade 7, left behind: 35), 王二 (11, grade 3: over-age 15 + 低保 15 =
 * 30), 赵丽 (11, grade 5, 低保 only: 15), 陈红 (left behind, not at school). */
static void load(struct tu_fx *fx)
{
    char a[19], b[19], c[19], d[19], g[19];
    tu_make_id(a, "140521", 20130304, 11);
    tu_make_id(b, "140521", 20150510, 13);
    tu_make_id(c, "140521", 20150606, 15);
    tu_make_id(d, "140521", 20140101, 17);
    tu_make_id(g, "140521", 19500101, 21);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "王一,男,%s,2013-03-04,郑庄镇,东村,王父,正常\n"
             "王二,男,%s,2015-05-10,郑庄镇,东村,王父,正常\n"
             "赵丽,女,%s,2015-06-06,端氏镇,端氏村,赵父,正常\n"
             "陈红,女,%s,2014-01-01,端氏镇,端氏村,陈父,正常\n",
             a, b, c, d);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,学校标识码,年级,班级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "郑庄镇初级中学,2114052102,七年级,2班,王一,男,2013-03-04,%s,在读\n"
             "郑庄镇中心小学,2114052101,三年级,1班,王二,男,2015-05-10,%s,在读\n"
             "端氏镇中心小学,2114052103,五年级,1班,赵丽,女,2015-06-06,%s,在读\n",
             a, b, c);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "姓名,身份证号,性别,出生日期,就读学校,父亲外出务工地点,母亲外出务工地点,监护类型,"
             "受委托监护人姓名,受委托监护人身份证号,受委托监护人联系电话\n"
             "王一,%s,男,2013-03-04,郑庄镇初级中学,广东东莞,广东东莞,祖辈监护,王奶奶,%s,"
             "13800000002\n"
             "陈红,%s,女,2014-01-01,,浙江义乌,,单亲监护,陈奶奶,%s,13800000003\n",
             a, g, d, g);
    tu_import_text(fx, KIND_LEFT_BEHIND, "lb.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "姓名,身份证号,性别,保障类别,乡镇,村\n"
             "王二,%s,男,农村低保,郑庄镇,东村\n"
             "赵丽,%s,女,农村低保,端氏镇,端氏村\n",
             b, c);
    tu_import_text(fx, KIND_WELFARE, "dibao.csv", csv.buf);
    buf_release(&csv);
    tu_match(fx, 20261120);
}

static const char *cell(const struct report_table *t, size_t r, size_t c)
{
    const char *v = t->cells[r * t->ncols + (t->slot ? t->slot[c] : c)];
    return v ? v : "";
}

/* The names on the list as the scope reads it, "王一 35,王二 30" (in the list's order). */
static void listed(struct tu_fx *fx, const struct scope *sc, const char *township, char *out,
                   size_t size)
{
    struct atrisk_filter f = {township, false};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(atrisk_table(fx->s, sc, &f, &t, &o), 0);
    size_t n = 0;
    out[0] = '\0';
    for (size_t r = 0; r < table_data_rows(&t); r++)
        n += (size_t)snprintf(out + n, size - n, "%s%s %s", r ? "," : "", cell(&t, r, 5),
                              cell(&t, r, 9));
    table_release(&t);
}

static void test_list_and_scope(void **state)
{
    struct tu_fx *fx = *state;
    load(fx);
    char got[256];
    /* by township, school (郑庄镇中心小学 before 郑庄镇初级中学), score */
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35");
    struct scope school = {.role = ROLE_SCHOOL, .school = "2114052101", .user = "zxx"};
    listed(fx, &school, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30");
    struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521102", .user = "tz"};
    listed(fx, &town, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35");
    struct scope other = {.role = ROLE_TOWNSHIP, .township = "140521103", .user = "ds"};
    listed(fx, &other, NULL, got, sizeof(got));
    assert_string_equal(got, "");
    /* the line moved: 赵丽's 15 is enough */
    assert_int_equal(store_set_setting(fx->s, "atrisk_threshold", "15"), 0);
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35,赵丽 15");
    /* a department, a village: no list */
    struct scope dept = {.role = ROLE_DEPARTMENT, .department = "civil", .user = "mz"};
    struct atrisk_filter f = {NULL, false};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(atrisk_table(fx->s, &dept, &f, &t, &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
}

/* 赵丽 (15) misses school: her 旷课 of this term on school days count, 5 a day; 病假, the
 * spring term's and a day her school was closed since do not. */
static void absent(struct tu_fx *fx, const char *date, const char *kind, const char *who)
{
    struct scope county = {.role = ROLE_COUNTY, .user = "county"};
    struct attendance_input in = {"2114052103", date, kind, who, NULL};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    json_t *res = NULL;
    int rc = attendance_record(fx->s, &county, &in, "county", &msg, &res, &o);
    if (rc < 0)
        fail_msg("%s", o.msg.buf);
    json_decref(res);
    buf_release(&msg);
}

static void test_absence(void **state)
{
    struct tu_fx *fx = *state;
    load(fx);
    char zhao[19], got[256];
    tu_make_id(zhao, "140521", 20150606, 15);
    /* the spring term's: another term; 病假 never counts */
    absent(fx, "2026-06-10", "旷课", zhao);
    absent(fx, "2026-11-12", "病假", zhao);
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35");
    absent(fx, "2026-11-16", "旷课", zhao);
    absent(fx, "2026-11-17", "旷课", zhao);
    absent(fx, "2026-11-19", "旷课", zhao);
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35,赵丽 30");
    /* the explanation, in the list and on the child record */
    struct atrisk_filter f = {NULL, false};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(atrisk_table(fx->s, NULL, &f, &t, &o), 0);
    assert_string_equal(cell(&t, 2, 10), "重点群体（低保）15 分；旷课（本学期旷课 3 天，"
                                         "最近一次 2026-11-19）15 分");
    table_release(&t);
    int64_t rec = tu_int(fx->s, "SELECT id FROM record WHERE batch_id = 1 AND name = $1", "赵丽");
    struct scope county = {.role = ROLE_COUNTY, .user = "county"};
    json_t *root = json_object();
    assert_int_equal(atrisk_child_json(fx->s, &county, rec, root), 0);
    json_t *a = json_object_get(root, "at_risk");
    assert_int_equal(json_integer_value(json_object_get(a, "score")), 30);
    assert_true(json_is_true(json_object_get(a, "listed")));
    json_t *last = json_array_get(json_object_get(a, "factors"), 1);
    assert_string_equal(json_string_value(json_object_get(last, "key")), "absence");
    assert_string_equal(json_string_value(json_object_get(last, "detail")),
                        "本学期旷课 3 天，最近一次 2026-11-19");
    json_decref(root);
    /* the school closed on the 17th since: that day is no school day any more, 10 points */
    struct closure_input cl = {"2114052103", "2026-11-17", "2026-11-17", "暴雪停课"};
    int64_t id;
    struct buf msg = BUF_INIT;
    assert_int_equal(attendance_close(fx->s, &county, &cl, "county", &id, &msg, &o), 0);
    buf_release(&msg);
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35,赵丽 25");
    /* the weight is the county's: 10 a day */
    assert_int_equal(store_set_setting(fx->s, "atrisk_weight_absence", "10"), 0);
    listed(fx, NULL, NULL, got, sizeof(got));
    assert_string_equal(got, "王二 30,王一 35,赵丽 35");
}

static void test_pairing(void **state)
{
    struct tu_fx *fx = *state;
    load(fx);
    int64_t wang2 = tu_int(fx->s, "SELECT id FROM record WHERE batch_id = 1 AND name = $1", "王二");
    int64_t chen = tu_int(fx->s, "SELECT id FROM record WHERE batch_id = 1 AND name = $1", "陈红");
    struct person_input other = {
        .name = "刘老师", .org = "端氏镇中心小学", .org_kind = "school", .role = "班主任"};
    int64_t liu;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(people_add(fx->s, &other, "county", &liu, &o), 0);
    struct scope school = {.role = ROLE_SCHOOL, .school = "2114052101", .user = "zxx"};
    struct buf msg = BUF_INIT;
    /* a name nobody has: registered as the school's teacher */
    struct pair_input in = {"李新", "2026-11-18", "每周谈心"};
    assert_int_equal(atrisk_pair(fx->s, &school, wang2, &in, "zxx", &msg, &o), 0);
    assert_non_null(strstr(msg.buf, "已登记为本校结对教师"));
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM person WHERE name = $1 AND org = "
                            "'郑庄镇中心小学'",
                            "李新"),
                     1);
    /* the same teacher again: refused; another school's teacher: refused for a school */
    buf_reset(&msg);
    assert_int_equal(atrisk_pair(fx->s, &school, wang2, &in, "zxx", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_non_null(strstr(o.msg.buf, "已是王二的结对教师"));
    outcome_release(&o);
    struct pair_input liu_in = {"刘老师", NULL, NULL};
    assert_int_equal(atrisk_pair(fx->s, &school, wang2, &liu_in, "zxx", &msg, &o), -1);
    assert_non_null(strstr(o.msg.buf, "学校只能安排本校教师结对"));
    outcome_release(&o);
    /* the county may; the old pairing ends, one current pairing */
    struct scope county = {.role = ROLE_COUNTY, .user = "county"};
    assert_int_equal(atrisk_pair(fx->s, &county, wang2, &liu_in, "county", &msg, &o), 0);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM pairing WHERE ended_on IS NULL AND 1 = "
                            "CAST($1 AS INTEGER)",
                            "1"),
                     1);
    assert_int_equal(
        tu_int(fx->s,
               "SELECT count(*) FROM pairing WHERE ended_on IS NOT NULL AND 1 = CAST($1 AS "
               "INTEGER)",
               "1"),
        1);
    /* a child not at school: no pairing; another school's account: not found */
    assert_int_equal(atrisk_pair(fx->s, &county, chen, &liu_in, "county", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    struct scope school2 = {.role = ROLE_SCHOOL, .school = "2114052103", .user = "ds"};
    assert_int_equal(atrisk_pair(fx->s, &school2, wang2, &liu_in, "ds", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    /* ended; ending twice is refused */
    buf_reset(&msg);
    assert_int_equal(atrisk_unpair(fx->s, &county, wang2, "教师调离", "county", &msg, &o), 0);
    assert_int_equal(atrisk_unpair(fx->s, &county, wang2, NULL, "county", &msg, &o), -1);
    assert_non_null(strstr(o.msg.buf, "现在没有结对教师"));
    outcome_release(&o);
    buf_release(&msg);
}

int main(void)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_factors), T(test_list_and_scope),
                                       T(test_absence), T(test_pairing)};
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
