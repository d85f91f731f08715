/*
 * casework/illness.c: who writes and reads an illness (the pupil's school, the county; a
 * township reads its own), 慢性病 and 重大疾病 always flagged, bad input refused with nothing
 * stored, a follow-up that ends the illness, the open chronic or serious illnesses on a day
 * (the at-risk list's factor), the placement offer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/wellbeing.h"
#include "domain/scope.h"
#include "wb_fixture.h"

static const struct scope county = {.role = ROLE_COUNTY, .user = "county"};
static const struct scope school1 = {.role = ROLE_SCHOOL, .user = "s1", .school = "2114052101"};
static const struct scope school2 = {.role = ROLE_SCHOOL, .user = "s2", .school = "2114052102"};

static int64_t add(struct tu_fx *fx, const struct scope *sc, int64_t rec,
                   const struct illness_input *in, enum outcome_kind *kind)
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t id = 0;
    int rc = illness_add(fx->s, sc, rec, in, "t", &id, &msg, &o);
    *kind = rc < 0 ? o.kind : OUT_OK;
    buf_release(&msg);
    outcome_release(&o);
    return rc < 0 ? -1 : id;
}

static void test_who_writes(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    struct illness_input in = {.category = "传染病",
                               .diagnosis = "水痘",
                               .effect = "无法到校",
                               .from = "2026-11-02",
                               .to = "2026-11-10"};
    enum outcome_kind kind;
    assert_true(add(fx, &school1, k.wang1, &in, &kind) > 0);
    /* another school's pupil does not exist for it; a township reads but does not write */
    assert_int_equal(add(fx, &school2, k.wang1, &in, &kind), -1);
    assert_int_equal(kind, OUT_NOT_FOUND);
    struct scope town = {.role = ROLE_TOWNSHIP, .user = "t", .township = "140521100"};
    char *tc = tu_text(fx->s, "SELECT township_code FROM record WHERE id = 1", NULL, NULL);
    town.township = tc;
    assert_int_equal(add(fx, &town, k.wang1, &in, &kind), -1);
    assert_int_equal(kind, OUT_FORBIDDEN);
    struct scope dept = {.role = ROLE_DEPARTMENT, .user = "p", .department = "police"};
    assert_int_equal(add(fx, &dept, k.wang1, &in, &kind), -1);
    assert_int_equal(kind, OUT_NOT_FOUND);
    /* a child at no school: the school cannot, the county can */
    assert_int_equal(add(fx, &school1, k.li, &in, &kind), -1);
    assert_true(add(fx, &county, k.li, &in, &kind) > 0);
    /* the township reads its township's ledger, a school its pupils' only */
    struct outcome o = OUTCOME_INIT;
    struct illness_filter f = {0};
    json_t *j = illness_list(fx->s, &school2, &f, &o);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    j = illness_list(fx->s, &school1, &f, &o);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    /* masked ID */
    const char *idn = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "items"), 0), "id_number"));
    assert_non_null(strchr(idn, '*'));
    json_decref(j);
    j = illness_list(fx->s, &town, &f, &o);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    assert_null(illness_list(fx->s, &dept, &f, &o));
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    free(tc);
}

static void test_bad_input(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    struct illness_input bad[] = {
        {.category = "感冒", .diagnosis = "x", .effect = "无法到校"},
        {.category = "其他", .diagnosis = "", .effect = "无法到校"},
        {.category = "其他", .diagnosis = "x", .effect = "很严重"},
        {.category = "其他", .diagnosis = "x", .effect = "部分缺课", .from = "2099-01-01"},
        {.category = "其他",
         .diagnosis = "x",
         .effect = "部分缺课",
         .from = "2026-10-01",
         .to = "2026-09-01"},
        {.category = "其他", .diagnosis = "x", .effect = "部分缺课", .serious = "也许"},
        {.category = "其他", .diagnosis = "x", .effect = "部分缺课", .sick_leave = "-3"},
    };
    enum outcome_kind kind;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(add(fx, &county, k.wang1, &bad[i], &kind), -1);
        assert_int_equal(kind, OUT_INVALID);
    }
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM illness", NULL), 0);
}

static void count(void *ctx, int64_t child, int64_t record, int64_t illness)
{
    (void)child, (void)record, (void)illness;
    ++*(int *)ctx;
}

static int serious_on(struct tu_fx *fx, int ymd)
{
    int n = 0;
    assert_int_equal(illness_serious_open(fx->s, ymd, count, &n), 0);
    return n;
}

static void test_serious_open_and_follow(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    enum outcome_kind kind;
    /* 慢性病 is serious whatever the form says; an injury is not unless flagged */
    struct illness_input chronic = {.category = "慢性病",
                                    .diagnosis = "1型糖尿病",
                                    .effect = "无法到校",
                                    .from = "2026-09-01",
                                    .serious = "否",
                                    .certificate = "县人民医院诊断证明"};
    struct illness_input injury = {
        .category = "意外伤害", .diagnosis = "骨折", .effect = "部分缺课", .from = "2026-10-01"};
    int64_t c = add(fx, &school1, k.wang1, &chronic, &kind);
    assert_true(c > 0);
    assert_true(add(fx, &school1, k.wang2, &injury, &kind) > 0);
    assert_int_equal(serious_on(fx, 20260831), 0);
    assert_int_equal(serious_on(fx, 20261001), 1);
    /* the child record offers a placement: certified, serious, keeping the pupil away */
    struct outcome o = OUTCOME_INIT;
    json_t *j = illness_of_child(fx->s, &school1, k.wang1, &o);
    assert_non_null(j);
    json_t *it = json_array_get(json_object_get(j, "items"), 0);
    assert_true(json_is_true(json_object_get(it, "placement_offer")));
    assert_true(json_is_true(json_object_get(it, "serious")));
    json_decref(j);
    /* another school reads nothing of it */
    assert_null(illness_of_child(fx->s, &school2, k.wang1, &o));
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    /* a follow-up that ends it: no longer open after that day */
    struct buf msg = BUF_INIT;
    struct illness_follow_input fo = {
        .date = "2026-10-20", .by = "班主任", .content = "已返校", .ended = "2026-10-20"};
    assert_int_equal(illness_follow(fx->s, &school1, c, &fo, "t", &msg, &o), 0);
    assert_int_equal(serious_on(fx, 20261020), 1);
    assert_int_equal(serious_on(fx, 20261021), 0);
    /* ended once only; a township cannot follow up; another school cannot see it */
    assert_int_equal(illness_follow(fx->s, &school1, c, &fo, "t", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    assert_int_equal(illness_follow(fx->s, &school2, c, &fo, "t", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM illness_follow", NULL), 1);
    /* audited, naming the record, without the diagnosis */
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'illness_add'", NULL),
                     2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE detail LIKE '%糖尿病%'", NULL),
                     0);
    buf_release(&msg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_who_writes),
        T(test_bad_input),
        T(test_serious_open_and_follow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#undef T
}
