/*
 * casework/mental.c: the mental-health ledger answers only a holder — an admin or a county
 * account without the grant is refused like any other, with the same words for a child with an
 * entry and one without —; a school holder reaches its pupils only; every read is audited,
 * the trail never quoting an entry; reviews move the next review and close; the due list.
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

static void grant(struct tu_fx *fx, const char *name)
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(mental_grant(fx->s, name, true, "admin", &msg, &o), 0);
    buf_release(&msg);
}

static int add(struct tu_fx *fx, const struct scope *sc, int64_t rec, const char *concern,
               const char *date, const char *review, struct outcome *o)
{
    struct mental_input in = {
        .level = "重点关注", .concern = concern, .date = date, .next_review = review};
    struct buf msg = BUF_INIT;
    int64_t id = 0;
    int rc = mental_add(fx->s, sc, rec, &in, "t", &id, &msg, o);
    buf_release(&msg);
    return rc < 0 ? -1 : (int)id;
}

static void test_only_holders(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    int64_t admin = wb_user(fx, "adm", ROLE_ADMIN, NULL, NULL);
    int64_t county = wb_user(fx, "cty", ROLE_COUNTY, NULL, NULL);
    int64_t xinli = wb_user(fx, "xinli", ROLE_SCHOOL, "2114052101", NULL);
    int64_t other = wb_user(fx, "other", ROLE_SCHOOL, "2114052102", NULL);
    struct scope sa = {.user_id = admin, .user = "adm", .role = ROLE_ADMIN};
    struct scope sc = {.user_id = county, .user = "cty", .role = ROLE_COUNTY};
    struct scope sx = {
        .user_id = xinli, .user = "xinli", .role = ROLE_SCHOOL, .school = "2114052101"};
    struct scope so = {
        .user_id = other, .user = "other", .role = ROLE_SCHOOL, .school = "2114052102"};
    struct outcome o = OUTCOME_INIT;
    /* nobody holds it yet: the admin and the county are refused like any other */
    assert_int_equal(add(fx, &sa, k.wang1, "甲情况", NULL, "2026-12-01", &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    grant(fx, "xinli");
    assert_true(add(fx, &sx, k.wang1, "甲情况", "2026-11-01", "2026-11-10", &o) > 0);
    /* a school holder: another school's pupil does not exist */
    assert_int_equal(add(fx, &sx, k.zhao, "乙情况", NULL, "2099-01-01", &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    /* non-holders: the same refusal for the child with an entry and the one without */
    const struct scope *no[] = {&sa, &sc, &so};
    for (size_t i = 0; i < 3; i++) {
        struct outcome a = OUTCOME_INIT, b = OUTCOME_INIT;
        assert_null(mental_of_child(fx->s, no[i], k.wang1, NULL, &a));
        assert_null(mental_of_child(fx->s, no[i], k.wang2, NULL, &b));
        assert_int_equal(a.kind, OUT_FORBIDDEN);
        assert_int_equal(b.kind, OUT_FORBIDDEN);
        assert_string_equal(a.msg.buf, b.msg.buf);
        outcome_release(&a);
        outcome_release(&b);
        struct mental_filter f = {0};
        assert_null(mental_list(fx->s, no[i], &f, &o));
        assert_int_equal(o.kind, OUT_FORBIDDEN);
        outcome_release(&o);
    }
    /* the holder reads, audited without the entry's words */
    int64_t before = tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'mental_read'", NULL);
    json_t *j = mental_of_child(fx->s, &sx, k.wang1, NULL, &o);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    struct mental_filter f = {.overdue = true};
    j = mental_list(fx->s, &sx, &f, &o);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1); /* 11-10 is past */
    json_decref(j);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'mental_read'", NULL),
                     before + 2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE detail LIKE '%甲情况%'", NULL),
                     0);
    /* a revoked grant is refused at the next call */
    struct buf msg = BUF_INIT;
    assert_int_equal(mental_grant(fx->s, "xinli", false, "admin", &msg, &o), 0);
    assert_null(mental_list(fx->s, &sx, &f, &o));
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    buf_release(&msg);
}

static void test_review_moves_and_closes(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    int64_t officer = wb_user(fx, "officer", ROLE_COUNTY, NULL, NULL);
    grant(fx, "officer");
    struct scope s = {.user_id = officer, .user = "officer", .role = ROLE_COUNTY};
    struct outcome o = OUTCOME_INIT;
    int id = add(fx, &s, k.zhao, "情况", "2026-11-01", "2026-11-10", &o);
    assert_true(id > 0);
    struct buf msg = BUF_INIT;
    /* an intervention takes no level or review; a review needs its next date */
    struct mental_note_input bad1 = {
        .kind = "干预", .by = "张", .content = "谈心", .level = "危机干预"};
    assert_int_equal(mental_note(fx->s, &s, id, &bad1, "t", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    struct mental_note_input bad2 = {.kind = "复查", .by = "张", .content = "好转"};
    assert_int_equal(mental_note(fx->s, &s, id, &bad2, "t", &msg, &o), -1);
    outcome_release(&o);
    struct mental_note_input rev = {.kind = "复查",
                                    .by = "张",
                                    .content = "好转",
                                    .date = "2026-11-12",
                                    .level = "一般关注",
                                    .next_review = "2026-12-12"};
    assert_int_equal(mental_note(fx->s, &s, id, &rev, "t", &msg, &o), 0);
    char *lvl = tu_text(fx->s, "SELECT level || ' ' || next_review FROM mental_health", NULL, NULL);
    assert_string_equal(lvl, "watch 2026-12-12");
    free(lvl);
    struct mental_note_input close = {
        .kind = "复查", .by = "张", .content = "结案", .date = "2026-11-19", .close = "是"};
    assert_int_equal(mental_note(fx->s, &s, id, &close, "t", &msg, &o), 0);
    assert_int_equal(mental_note(fx->s, &s, id, &close, "t", &msg, &o), -1); /* closed */
    outcome_release(&o);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM mental_event", NULL), 2);
    struct mental_filter f = {.open = true};
    json_t *j = mental_list(fx->s, &s, &f, &o);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    buf_release(&msg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_only_holders),
        T(test_review_moves_and_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#undef T
}
