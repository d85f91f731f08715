/* casework/inspection.h: the states of a rectification item, the ID numbers kept out of the
 * public findings, and the supervisor's writes (domain/scope.h) over every action row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casework/inspection.h"
#include "testutil.h"
#include "util/buf.h"
#include "core/words.h"
#include "domain/scope.h"
#include "store/store.h"
#include "verb/verb.h"

static void test_state_transitions(void **state)
{
    (void)state;
    /* the unit reports progress and submits while it is open or returned */
    assert_int_equal(rectify_next(RS_OPEN, RA_PROGRESS), RS_OPEN);
    assert_int_equal(rectify_next(RS_RETURNED, RA_PROGRESS), RS_RETURNED);
    assert_int_equal(rectify_next(RS_OPEN, RA_SUBMIT), RS_SUBMITTED);
    assert_int_equal(rectify_next(RS_RETURNED, RA_SUBMIT), RS_SUBMITTED);
    assert_int_equal(rectify_next(RS_SUBMITTED, RA_SUBMIT), -1);
    assert_int_equal(rectify_next(RS_SUBMITTED, RA_PROGRESS), -1);
    assert_int_equal(rectify_next(RS_ACCEPTED, RA_SUBMIT), -1);
    assert_int_equal(rectify_next(RS_ACCEPTED, RA_PROGRESS), -1);
    /* the inspector decides only what was submitted */
    assert_int_equal(rectify_next(RS_SUBMITTED, RA_ACCEPT), RS_ACCEPTED);
    assert_int_equal(rectify_next(RS_SUBMITTED, RA_RETURN), RS_RETURNED);
    assert_int_equal(rectify_next(RS_OPEN, RA_ACCEPT), -1);
    assert_int_equal(rectify_next(RS_OPEN, RA_RETURN), -1);
    assert_int_equal(rectify_next(RS_RETURNED, RA_ACCEPT), -1);
    assert_int_equal(rectify_next(RS_ACCEPTED, RA_ACCEPT), -1);
    assert_int_equal(rectify_next(RS_ACCEPTED, RA_RETURN), -1);
    /* a full round: open → submitted → returned → submitted → accepted, then nothing */
    int s = RS_OPEN;
    const enum rectify_act round[] = {RA_SUBMIT, RA_RETURN, RA_SUBMIT, RA_ACCEPT};
    for (size_t i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
        s = rectify_next((enum rectify_state)s, round[i]);
        assert_true(s >= 0);
    }
    assert_int_equal(s, RS_ACCEPTED);
    for (int a = RA_PROGRESS; a <= RA_RETURN; a++)
        assert_int_equal(rectify_next(RS_ACCEPTED, (enum rectify_act)a), -1);
}

static void test_state_words(void **state)
{
    (void)state;
    assert_int_equal(rectify_states.n, RS__COUNT);
    assert_string_equal(vocab_label(&rectify_states, "open"), "整改中");
    assert_string_equal(vocab_label(&rectify_states, "submitted"), "已提交整改");
    assert_string_equal(vocab_label(&rectify_states, "accepted"), "已验收");
    assert_string_equal(vocab_label(&rectify_states, "returned"), "退回重改");
    assert_int_equal(rectify_state_parse("returned"), RS_RETURNED);
    assert_int_equal(rectify_state_parse("整改中"), -1); /* a stored key only */
}

static void test_id_numbers_in_findings(void **state)
{
    (void)state;
    assert_true(text_has_id_number("学生140521201501011234未核查"));
    assert_true(text_has_id_number("14052120150101123X"));
    assert_true(text_has_id_number("身份证 14052120150101123x。"));
    assert_true(text_has_id_number("老号 140521150101123 仍在用")); /* 15 digits */
    assert_false(text_has_id_number("辍学学生台账未按月更新"));
    assert_false(text_has_id_number("2026年11月20日前整改，电话 13912345678"));
    assert_false(text_has_id_number("学校标识码 2114052101"));
    assert_false(text_has_id_number("1234567890123456")); /* 16 digits: no ID */
    assert_false(text_has_id_number(""));
}

/* A supervisor's writes over the whole table of action rows: exactly the PERM_INSPECT rows
 * (a new row cannot slip past: whatever it needs, the same test decides it). */
static bool may_write(enum role r, const struct verb *v)
{
    return role_has(r, v->perm) && (!perm_needs_write(v->perm) || role_has(r, PERM_WRITE));
}

static void test_supervisor_writes_only_inspections(void **state)
{
    (void)state;
    size_t inspect = 0, n = 0;
    for (const struct verb *const *v = verbs; *v; v++, n++) {
        bool ours = (*v)->perm == PERM_INSPECT;
        inspect += ours;
        assert_int_equal(may_write(ROLE_SUPERVISOR, *v), ours);
        /* the county and admin may do them too; no township, school, village or department */
        if (ours) {
            assert_true(may_write(ROLE_COUNTY, *v));
            assert_true(may_write(ROLE_ADMIN, *v));
            assert_false(may_write(ROLE_TOWNSHIP, *v));
            assert_false(may_write(ROLE_SCHOOL, *v));
            assert_false(may_write(ROLE_VILLAGE, *v));
            assert_false(may_write(ROLE_DEPARTMENT, *v));
        }
    }
    assert_int_equal(inspect, 4); /* create, finding, accept, return */
    assert_true(n > 40);
    assert_true(verb_find("rectifications.submit") &&
                verb_find("rectifications.submit")->perm != PERM_INSPECT);
    /* every other permission still needs PERM_WRITE for a write, but the province's (its
     * accounts compute their area's table of the counties, issue 18, and write nothing else) */
    for (int p = PERM_REVIEW; p < PERM__COUNT; p++)
        assert_int_equal(perm_needs_write((enum perm)p), p != PERM_INSPECT && p != PERM_PROVINCE);
}

/* One unit's counts in `rows`, or NULL. */
static const struct rectify_overdue *unit(const struct rectify_overdue *rows, size_t n,
                                          const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].unit_code, code))
            return &rows[i];
    return NULL;
}

/* rectify_overdue_counts, the rankings' function: past the deadline and not submitted. */
static void test_overdue_counts(void **state)
{
    struct tu_fx *fx = *state;
    const struct scope county = {.role = ROLE_COUNTY, .user = "county"};
    const struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521100", .user = "tz"};
    const struct scope other = {.role = ROLE_TOWNSHIP, .township = "140521101", .user = "tz2"};
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0); /* 沁水县 */
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t id, late, soon, other_item;
    const struct inspection_input in = {"2026-11-01", "张督学", "140521100\n140521101", NULL};
    assert_int_equal(inspection_create(fx->s, &county, &in, "county", &id, &msg, &o), 0);
    const struct finding_input f1 = {"140521100", "台账缺页", "李乡长", "2026-11-10"};
    const struct finding_input f2 = {"140521100", "走访记录不全", "李乡长", "2026-12-10"};
    const struct finding_input f3 = {"140521101", "会议未召开", "赵乡长", "2026-11-15"};
    assert_int_equal(inspection_finding(fx->s, &county, id, &f1, "county", &late, &msg, &o), 0);
    assert_int_equal(inspection_finding(fx->s, &county, id, &f2, "county", &soon, &msg, &o), 0);
    assert_int_equal(inspection_finding(fx->s, &county, id, &f3, "county", &other_item, &msg, &o),
                     0);
    struct rectify_overdue *rows;
    size_t n;
    assert_int_equal(rectify_overdue_counts(fx->s, 20261120, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(unit(rows, n, "140521100")->overdue, 1);
    assert_int_equal(unit(rows, n, "140521100")->open, 2);
    assert_string_equal(unit(rows, n, "140521100")->unit_kind, "township");
    assert_int_equal(unit(rows, n, "140521101")->overdue, 1);
    free(rows);
    /* on the deadline's day itself nothing is overdue yet */
    assert_int_equal(rectify_overdue_counts(fx->s, 20261110, &rows, &n), 0);
    assert_int_equal(unit(rows, n, "140521100")->overdue, 0);
    free(rows);
    /* another township cannot submit it; its own can, and then it is not overdue */
    const struct rectify_input ev = {"已补齐台账", NULL};
    assert_int_equal(rectify_act(fx->s, &other, late, RA_SUBMIT, &ev, "tz2", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    outcome_release(&o);
    assert_int_equal(rectify_act(fx->s, &county, late, RA_SUBMIT, &ev, "county", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_release(&o);
    assert_int_equal(rectify_act(fx->s, &town, late, RA_SUBMIT, &ev, "tz", &msg, &o), 0);
    assert_int_equal(rectify_overdue_counts(fx->s, 20261120, &rows, &n), 0);
    assert_int_equal(unit(rows, n, "140521100")->overdue, 0);
    assert_int_equal(unit(rows, n, "140521100")->open, 2);
    free(rows);
    /* returned: overdue again; accepted: no longer open */
    const struct rectify_input why = {"缺少签字", NULL}, fine = {NULL, NULL};
    assert_int_equal(rectify_act(fx->s, &county, late, RA_RETURN, &why, "county", &msg, &o), 0);
    assert_int_equal(rectify_overdue_counts(fx->s, 20261120, &rows, &n), 0);
    assert_int_equal(unit(rows, n, "140521100")->overdue, 1);
    free(rows);
    assert_int_equal(rectify_act(fx->s, &town, late, RA_SUBMIT, &ev, "tz", &msg, &o), 0);
    assert_int_equal(rectify_act(fx->s, &county, late, RA_ACCEPT, &fine, "county", &msg, &o), 0);
    assert_int_equal(rectify_overdue_counts(fx->s, 20261120, &rows, &n), 0);
    assert_int_equal(unit(rows, n, "140521100")->overdue, 0);
    assert_int_equal(unit(rows, n, "140521100")->open, 1);
    free(rows);
    /* accepted is final */
    assert_int_equal(rectify_act(fx->s, &town, late, RA_SUBMIT, &ev, "tz", &msg, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    (void)soon;
    (void)other_item;
    buf_release(&msg);
}

int main(void)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overdue_counts, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test(test_state_transitions),
        cmocka_unit_test(test_state_words),
        cmocka_unit_test(test_id_numbers_in_findings),
        cmocka_unit_test(test_supervisor_writes_only_inspections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
