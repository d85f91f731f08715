/*
 * casework/wellbeing.c: the pupil an entry is about (its school in the latest run, none for a
 * child at no school), who may be granted the mental-health permission (school, county, admin;
 * not a township, a village, a department or a supervisor; audited), and the command line's
 * acting account (required, existing, enabled).
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

static void test_child(void **state)
{
    struct tu_fx *fx = *state;
    struct wb_ids k = wb_county(fx);
    struct wb_child c;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(wb_child_load(fx->s, k.wang1, &c, &o), 1);
    assert_string_equal(c.school, "2114052101");
    assert_string_equal(c.school_name, "郑庄镇中心小学");
    assert_int_equal(wb_child_load(fx->s, k.li, &c, &o), 1);
    assert_string_equal(c.school, "");
    /* a school record is no pupil of the register */
    int64_t school_rec = tu_int(fx->s, "SELECT min(id) FROM record WHERE batch_id = 2", NULL);
    assert_int_equal(wb_child_load(fx->s, school_rec, &c, &o), 0);
    assert_int_equal(wb_child_load(fx->s, 999999, &c, &o), 0);
}

static void test_grant(void **state)
{
    struct tu_fx *fx = *state;
    wb_county(fx);
    wb_user(fx, "sch", ROLE_SCHOOL, "2114052101", NULL);
    wb_user(fx, "tz", ROLE_TOWNSHIP, NULL, "140521100");
    wb_user(fx, "sup", ROLE_SUPERVISOR, NULL, NULL);
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(mental_grant(fx->s, "tz", true, "admin", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    assert_int_equal(mental_grant(fx->s, "sup", true, "admin", &msg, &o), -1);
    outcome_release(&o);
    assert_int_equal(mental_grant(fx->s, "nobody", true, "admin", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM mental_health_holder", NULL), 0);
    assert_int_equal(mental_grant(fx->s, "sch", true, "admin", &msg, &o), 0);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM audit WHERE action = 'mental_grant'"
                            " AND target = 'user:sch'",
                            NULL),
                     1);
    /* a second grant changes nothing and records nothing */
    assert_int_equal(mental_grant(fx->s, "sch", true, "admin", &msg, &o), 0);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'mental_grant'", NULL), 1);
    int64_t id = tu_int(fx->s, "SELECT id FROM app_user WHERE name = 'sch'", NULL);
    struct scope s = {.user_id = id, .role = ROLE_SCHOOL, .school = "2114052101"};
    assert_int_equal(mental_holder(fx->s, &s), 1);
    /* a disabled account holds nothing */
    assert_int_equal(user_set_disabled(fx->s, "sch", true, "admin", "cli", &o), 0);
    assert_int_equal(mental_holder(fx->s, &s), 0);
    buf_release(&msg);
}

static void test_act_as(void **state)
{
    struct tu_fx *fx = *state;
    wb_county(fx);
    wb_user(fx, "xinli", ROLE_SCHOOL, "2114052101", NULL);
    struct scope cli = {.user = "root", .origin = "cli", .role = ROLE_ADMIN};
    struct mental_actor a;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(mental_act_as(fx->s, &cli, NULL, &a, &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    assert_string_equal(o.field, "as");
    outcome_release(&o);
    assert_int_equal(mental_act_as(fx->s, &cli, "nobody", &a, &o), -1);
    outcome_release(&o);
    assert_int_equal(mental_act_as(fx->s, &cli, "xinli", &a, &o), 0);
    assert_string_equal(a.sc.user, "xinli");
    assert_int_equal(a.sc.role, ROLE_SCHOOL);
    assert_string_equal(a.sc.school, "2114052101");
    assert_string_equal(a.sc.origin, "cli");
    /* not granted: the acting account holds nothing */
    assert_int_equal(mental_holder(fx->s, &a.sc), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_child),
        T(test_grant),
        T(test_act_as),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#undef T
}
