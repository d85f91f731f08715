#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>

#include "casework/casework.h"
#include "casework/placement.h"
#include "core/date.h"
#include "domain/scope.h"
#include "ingest/import.h"
#include "render/table.h"
#include "store/store.h"

#include "testutil.h"

/*
 * casework/placement: a child's placement and the 送教上门 visits (issue 15). The month's
 * arithmetic and the lesson hours as typed; the placement policy of scope.c; and on a county
 * of three children, today 2026-11-20, a cross-check, then placements and visits as the
 * command line and the API make them: corrections counted once, the month's check, what 待办
 * owes, the 送教上门 list by scope.
 *
 *   龙港镇 (140521100)  李一 (a pupil of 龙港小学, S3), 李二 (not enrolled)
 *   郑庄镇 (140521102)  王二 (not enrolled)
 */

#define LONGGANG    "140521100"
#define ZHENGZHUANG "140521102"

/* ---- what needs no store ---- */

static void test_hours(void **state)
{
    (void)state;
    assert_int_equal(tenths_parse("2"), 20);
    assert_int_equal(tenths_parse("1.5"), 15);
    assert_int_equal(tenths_parse("1.50"), 15);
    assert_int_equal(tenths_parse("2课时"), 20);
    assert_int_equal(tenths_parse("0.1"), 1);
    assert_int_equal(tenths_parse("24"), 240);
    assert_int_equal(tenths_parse("24.1"), -1);
    assert_int_equal(tenths_parse("0"), -1);
    assert_int_equal(tenths_parse("1.55"), -1);
    assert_int_equal(tenths_parse("-1"), -1);
    assert_int_equal(tenths_parse("两"), -1);
    assert_int_equal(tenths_parse(""), -1);
    assert_int_equal(tenths_parse(NULL), -1);
    char out[16];
    tenths_format(45, out);
    assert_string_equal(out, "4.5");
    tenths_format(40, out);
    assert_string_equal(out, "4");
}

static void test_months(void **state)
{
    (void)state;
    assert_int_equal(month_first_day(20261120), 20261101);
    assert_int_equal(month_last_day(20261120), 20261130);
    assert_int_equal(month_last_day(20261201), 20261231);
    assert_int_equal(month_last_day(20260210), 20260228);
    assert_int_equal(month_last_day(20280210), 20280229);
    /* checked once the placement held the whole month */
    assert_true(send_month_checked(20261101, 20261120));
    assert_true(send_month_checked(20261001, 20261120));
    assert_false(send_month_checked(20261102, 20261120));
    assert_false(send_month_checked(0, 20261120));
    struct send_minimum m = {2, 4};
    assert_false(send_month_short(&m, &(struct send_month){2, 40}));
    assert_true(send_month_short(&m, &(struct send_month){1, 60}));
    assert_true(send_month_short(&m, &(struct send_month){3, 39}));
}

static void test_policy(void **state)
{
    (void)state;
    const struct scope county = {.role = ROLE_COUNTY}, sup = {.role = ROLE_SUPERVISOR},
                       town = {.role = ROLE_TOWNSHIP, .township = LONGGANG},
                       school = {.role = ROLE_SCHOOL, .school = "S3"},
                       village = {.role = ROLE_VILLAGE, .township = LONGGANG},
                       dept = {.role = ROLE_DEPARTMENT, .department = "disabled_persons"};
    assert_int_equal(scope_placement_allows(&county, ZHENGZHUANG, "", ACT_WRITE), OUT_OK);
    assert_int_equal(scope_placement_allows(&sup, LONGGANG, "S3", ACT_READ), OUT_OK);
    assert_int_equal(scope_placement_allows(&sup, LONGGANG, "S3", ACT_ATTEMPT), OUT_FORBIDDEN);
    assert_int_equal(scope_placement_allows(&town, LONGGANG, "", ACT_WRITE), OUT_OK);
    assert_int_equal(scope_placement_allows(&town, LONGGANG, "S3", ACT_ATTEMPT), OUT_OK);
    assert_int_equal(scope_placement_allows(&town, ZHENGZHUANG, "S3", ACT_READ), OUT_NOT_FOUND);
    /* a school: the children it sends teachers to, their visits; no placement to set */
    assert_int_equal(scope_placement_allows(&school, ZHENGZHUANG, "S3", ACT_ATTEMPT), OUT_OK);
    assert_int_equal(scope_placement_allows(&school, LONGGANG, "S3", ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_placement_allows(&school, LONGGANG, "S9", ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_placement_allows(&school, LONGGANG, "", ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_placement_allows(&village, LONGGANG, "S3", ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_placement_allows(&dept, LONGGANG, "S3", ACT_READ), OUT_NOT_FOUND);
    assert_true(role_reads_placements(ROLE_SCHOOL));
    assert_false(role_reads_placements(ROLE_VILLAGE));
    assert_false(role_reads_placements(ROLE_DEPARTMENT));
}

/* ---- the county ---- */

static void load_county(struct tu_fx *fx)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
    char a[19], b[19], c[19];
    tu_make_id(a, "140521", 20150708, 101);
    tu_make_id(b, "140521", 20160809, 103);
    tu_make_id(c, "140521", 20160405, 105);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_addf(&pop,
             "姓名,性别,身份证号,出生日期,乡镇,村,户籍状态\n"
             "李一,男,%s,2015-07-08,龙港镇,南村,正常\n"
             "李二,男,%s,2016-08-09,龙港镇,南村,正常\n"
             "王二,男,%s,2016-04-05,郑庄镇,东村,正常\n",
             a, b, c);
    buf_addf(&enr,
             "学校名称,学校标识码,年级,姓名,身份证件号,学籍状态\n"
             "龙港小学,S3,五年级,李一,%s,在读\n",
             a);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop.buf);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr.buf);
    buf_release(&pop);
    buf_release(&enr);
    struct casework_summary cw;
    struct outcome o = OUTCOME_INIT;
    if (casework_after_match(fx->s, tu_match(fx, 20261120), "test", &cw, &o) != 0)
        fail_msg("casework_after_match: %s", o.msg.buf);
    outcome_release(&o);
}

static int64_t record_of(struct tu_fx *fx, const char *name)
{
    int64_t r = tu_int(fx->s,
                       "SELECT max(r.id) FROM record r JOIN batch b ON b.id = r.batch_id"
                       " WHERE b.kind = 'population' AND r.name = $1",
                       name);
    assert_true(r > 0);
    return r;
}

/* placement_set, returning its rc; the outcome's field in `field` when it fails. */
static int place(struct tu_fx *fx, const struct scope *sc, int64_t record,
                 const struct placement_input *in, char field[32])
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = placement_set(fx->s, sc, record, in, "test", &msg, &o);
    if (field)
        snprintf(field, 32, "%s", rc < 0 ? o.field : "");
    if (rc < 0 && !field)
        fail_msg("placement_set: %s", o.msg.buf);
    buf_release(&msg);
    outcome_release(&o);
    return rc;
}

static int visit(struct tu_fx *fx, const struct scope *sc, int64_t record, const char *date,
                 const char *hours, const char *corrects, enum outcome_kind *kind)
{
    struct send_visit_input in = {date,   "李老师", hours,
                                  "识字", corrects, corrects ? "记错" : NULL};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = placement_visit(fx->s, sc, record, &in, "test", &msg, &o);
    if (kind)
        *kind = rc < 0 ? o.kind : OUT_OK;
    else if (rc < 0)
        fail_msg("placement_visit: %s", o.msg.buf);
    buf_release(&msg);
    outcome_release(&o);
    return rc;
}

static void test_set_and_change(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t li2 = record_of(fx, "李二");
    char field[32];
    /* what each kind needs, refused before anything is written */
    assert_int_equal(place(fx, NULL, li2, &(struct placement_input){.kind = "送教上门"}, field),
                     -1);
    assert_string_equal(field, "school");
    assert_int_equal(
        place(fx, NULL, li2, &(struct placement_input){.kind = "送教上门", .school = "S9"}, field),
        -1);
    assert_string_equal(field, "school");
    assert_int_equal(place(fx, NULL, li2, &(struct placement_input){.kind = "免学"}, field), -1);
    assert_string_equal(field, "approved_by");
    assert_int_equal(place(fx, NULL, li2,
                           &(struct placement_input){.kind = "免学",
                                                     .approved_by = "县教育局",
                                                     .approval_no = "沁教〔2026〕1号",
                                                     .approved_on = "2026-11-01",
                                                     .ends_on = "2026-10-01"},
                           field),
                     -1);
    assert_string_equal(field, "ends_on");
    assert_int_equal(place(fx, NULL, li2,
                           &(struct placement_input){
                               .kind = "随班就读", .school = "S3", .approved_by = "县教育局"},
                           field),
                     -1);
    assert_string_equal(field, "approved_by");
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM placement", NULL), 0);
    /* another township's account does not reach the child; a school sets no placement */
    const struct scope other = {.role = ROLE_TOWNSHIP, .township = ZHENGZHUANG},
                       school = {.role = ROLE_SCHOOL, .school = "S3"};
    struct placement_input home = {.kind = "送教上门", .school = "龙港小学", .since = "2026-10-01"};
    assert_int_equal(place(fx, &other, li2, &home, field), -1);
    assert_int_equal(place(fx, &school, li2, &home, field), -1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM child", NULL), 2); /* the tasks' */
    /* the school named by its name in the 学籍 list; the child with a task keeps its row, a
     * child without one (李一, in school) gets one for its key */
    assert_int_equal(place(fx, NULL, li2, &home, NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM child", NULL), 2);
    assert_int_equal(place(fx, NULL, record_of(fx, "李一"),
                           &(struct placement_input){.kind = "随班就读", .school = "S3"}, NULL),
                     0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM child", NULL), 3);
    char *code = tu_text(fx->s, "SELECT school FROM placement", NULL, NULL);
    assert_string_equal(code, "S3");
    free(code);
    /* the same again changes nothing; a change is an event and an audit row each */
    assert_int_equal(place(fx, NULL, li2, &home, NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM event WHERE kind = 'placement'", NULL), 2);
    struct placement_input deferred = {.kind = "缓学",
                                       .approved_by = "龙港镇人民政府",
                                       .approval_no = "龙政〔2026〕3号",
                                       .approved_on = "2026-11-02",
                                       .ends_on = "2027-08-31"};
    assert_int_equal(place(fx, NULL, li2, &deferred, NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM placement", NULL), 2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM event WHERE kind = 'placement'", NULL), 3);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'placement_set'", NULL), 3);
    char *t = tu_text(fx->s, "SELECT text FROM event WHERE kind = 'placement' ORDER BY id DESC",
                      NULL, NULL);
    assert_non_null(strstr(t, "由送教上门（送教学校 龙港小学）改为缓学（龙港镇人民政府批准"));
    free(t);
    assert_true(tu_int(fx->s, "SELECT count(*) FROM placement WHERE school IS NULL", NULL) == 1);
}

static void test_visits_and_the_month(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t li2 = record_of(fx, "李二");
    enum outcome_kind k;
    /* no visit before the child is placed 送教上门 */
    assert_int_equal(visit(fx, NULL, li2, "2026-11-02", "2", NULL, &k), -1);
    assert_int_equal(k, OUT_INVALID);
    assert_int_equal(
        place(fx, NULL, li2,
              &(struct placement_input){.kind = "送教上门", .school = "S3", .since = "2026-10-01"},
              NULL),
        0);
    /* October met (2 visits, 4.5 h); November one visit of 2 h, then a second corrected */
    visit(fx, NULL, li2, "2026-10-08", "2", NULL, NULL);
    visit(fx, NULL, li2, "2026-10-22", "2.5", NULL, NULL);
    visit(fx, NULL, li2, "2026-11-03", "2", NULL, NULL);
    /* the school that sends the teachers logs one; another school does not reach the child */
    const struct scope s3 = {.role = ROLE_SCHOOL, .school = "S3"},
                       s9 = {.role = ROLE_SCHOOL, .school = "S9"};
    assert_int_equal(visit(fx, &s9, li2, "2026-11-10", "2", NULL, &k), -1);
    assert_int_equal(k, OUT_NOT_FOUND);
    visit(fx, &s3, li2, "2026-11-10", "2", NULL, NULL);
    int64_t child = tu_int(fx->s, "SELECT child_id FROM placement", NULL);
    struct send_month sm;
    assert_int_equal(send_month_load(fx->s, child, 20261120, &sm), 0);
    assert_int_equal(sm.visits, 2);
    assert_int_equal(sm.tenths, 40);
    /* a correction: the original kept, the correction counted in its stead */
    char id[24];
    snprintf(id, sizeof(id), "%lld",
             (long long)tu_int(fx->s, "SELECT max(id) FROM send_visit", NULL));
    visit(fx, NULL, li2, NULL, "1.5", id, NULL);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM send_visit", NULL), 5);
    assert_int_equal(send_month_load(fx->s, child, 20261120, &sm), 0);
    assert_int_equal(sm.visits, 2);
    assert_int_equal(sm.tenths, 35);
    /* the correction kept the visit's date */
    char *d =
        tu_text(fx->s, "SELECT on_date FROM send_visit WHERE corrects IS NOT NULL", NULL, NULL);
    assert_string_equal(d, "2026-11-10");
    free(d);
    /* a second correction of the same record is refused */
    assert_int_equal(visit(fx, NULL, li2, NULL, "2", id, &k), -1);
    assert_int_equal(k, OUT_INVALID);
    assert_int_equal(send_month_load(fx->s, child, 20261020, &sm), 0);
    assert_int_equal(sm.visits, 2);
    assert_int_equal(sm.tenths, 45);

    /* 待办: November short, due its last day; October met */
    struct tasks_filter f = {0};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(tasks_list(fx->s, &f, &t, &o), 0);
    json_t *j = table_to_json(&t);
    size_t i, found = 0;
    json_t *r;
    json_array_foreach(json_object_get(j, "tasks"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "object")), "record"))
            continue;
        found++;
        assert_string_equal(json_string_value(json_object_get(r, "due")), "2026-11-30");
        assert_non_null(strstr(json_string_value(json_object_get(r, "item")),
                               "11 月已送教 2 次 3.5 课时（每月至少 2 次 4 课时）"));
        assert_string_equal(json_string_value(json_object_get(r, "person")),
                            "龙港小学（送教学校）");
    }
    assert_int_equal(found, 1);
    json_decref(j);
    table_release(&t);
    /* a month that ended short is overdue: October after a correction to 1 visit */
    snprintf(id, sizeof(id), "%lld",
             (long long)tu_int(fx->s, "SELECT min(id) FROM send_visit", NULL));
    struct send_visit_input drop = {"2026-11-01", "李老师", "2", "识字", id, "日期记错"};
    struct buf msg = BUF_INIT;
    assert_int_equal(placement_visit(fx->s, NULL, li2, &drop, "test", &msg, &o), 0);
    buf_release(&msg);
    f.overdue = true;
    assert_int_equal(tasks_list(fx->s, &f, &t, &o), 0);
    j = table_to_json(&t);
    found = 0;
    json_array_foreach(json_object_get(j, "tasks"), i, r)
    {
        if (!strcmp(json_string_value(json_object_get(r, "object")), "record")) {
            found++;
            assert_string_equal(json_string_value(json_object_get(r, "due")), "2026-10-31");
        }
    }
    assert_int_equal(found, 1);
    json_decref(j);
    table_release(&t);

    /* the list by scope: the county and S3 see the child; S9 and 郑庄镇 none; a village none */
    const struct scope county = {.role = ROLE_COUNTY},
                       other = {.role = ROLE_TOWNSHIP, .township = ZHENGZHUANG},
                       village = {.role = ROLE_VILLAGE, .township = LONGGANG};
    const struct {
        const struct scope *sc;
        int rows;
    } want[] = {{&county, 1}, {&s3, 1}, {&s9, 0}, {&other, 0}};
    for (size_t w = 0; w < ARRAY_SIZE(want); w++) {
        struct placement_filter pf = {0};
        assert_int_equal(placement_list(fx->s, want[w].sc, &pf, &t, &o), 0);
        assert_int_equal(table_data_rows(&t), want[w].rows);
        table_release(&t);
    }
    struct placement_filter pf = {0};
    assert_int_equal(placement_list(fx->s, &village, &pf, &t, &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hours), cmocka_unit_test(test_months), cmocka_unit_test(test_policy),
        T(test_set_and_change),       T(test_visits_and_the_month),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
