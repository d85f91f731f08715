/* casework/meeting.h and domain/scope.c (issue 17): the computed states of a decision and of a
 * commitment (逾期 past the deadline unless done or kept), who reaches a decision (a department
 * its own, another's is not there) and an interview (the county writes, the unit reads), and
 * the departments of the joint meeting in the vocabulary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "casework/meeting.h"
#include "core/date.h"
#include "core/words.h"
#include "domain/department.h"
#include "util/common.h"

static void test_decision_state(void **state)
{
    (void)state;
    int today = 20261120;
    assert_string_equal(decision_state("todo", "2026-11-20", today), "todo"); /* due today */
    assert_string_equal(decision_state("todo", "2026-11-19", today), "overdue");
    assert_string_equal(decision_state("doing", "2026-11-01", today), "overdue");
    assert_string_equal(decision_state("done", "2026-11-01", today), "done");
    assert_string_equal(decision_state("doing", "2026-12-01", today), "doing");
    assert_string_equal(vocab_label(&decision_states, "overdue"), "逾期");
    assert_string_equal(decision_states.words[vocab_parse(&decision_states, "办结")].key, "done");
    assert_string_equal(duty_kinds.words[vocab_parse(&duty_kinds, "网吧")].key, "venue");
    assert_string_equal(duty_kinds.words[vocab_parse(&duty_kinds, "未成年人务工")].key,
                        "child_labour");
}

static void test_commitment_state(void **state)
{
    (void)state;
    int today = 20261120;
    assert_string_equal(commitment_state("open", "2026-11-21", today), "open");
    assert_string_equal(commitment_state("open", "2026-11-20", today), "open");
    assert_string_equal(commitment_state("open", "2026-10-31", today), "overdue");
    assert_string_equal(commitment_state("kept", "2026-10-31", today), "kept");
    assert_string_equal(vocab_label(&commitment_states, "overdue"), "逾期未落实");
}

static void test_meeting_reach(void **state)
{
    (void)state;
    struct scope hr = {.role = ROLE_DEPARTMENT, .department = "human_resources"};
    assert_int_equal(scope_meeting_allows(&hr, "human_resources", ACT_READ), OUT_OK);
    assert_int_equal(scope_meeting_allows(&hr, "human_resources", ACT_FOLLOW_UP), OUT_OK);
    assert_int_equal(scope_meeting_allows(&hr, "human_resources", ACT_WRITE), OUT_FORBIDDEN);
    assert_int_equal(scope_meeting_allows(&hr, "civil_affairs", ACT_READ), OUT_NOT_FOUND);
    assert_int_equal(scope_meeting_allows(&hr, "civil_affairs", ACT_FOLLOW_UP), OUT_NOT_FOUND);
    assert_int_equal(scope_meeting_allows(&hr, NULL, ACT_WRITE), OUT_FORBIDDEN);
    /* an older account whose free-text department names none reaches nothing */
    struct scope old = {.role = ROLE_DEPARTMENT, .department = "县人社局劳动科"};
    assert_int_equal(scope_meeting_allows(&old, "县人社局劳动科", ACT_READ), OUT_NOT_FOUND);
    struct scope county = {.role = ROLE_COUNTY};
    assert_int_equal(scope_meeting_allows(&county, NULL, ACT_WRITE), OUT_OK);
    assert_int_equal(scope_meeting_allows(&county, "police", ACT_FOLLOW_UP), OUT_OK);
    struct scope sup = {.role = ROLE_SUPERVISOR};
    assert_int_equal(scope_meeting_allows(&sup, "police", ACT_READ), OUT_OK);
    assert_int_equal(scope_meeting_allows(&sup, "police", ACT_FOLLOW_UP), OUT_FORBIDDEN);
    struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521100"};
    assert_int_equal(scope_meeting_allows(&town, "police", ACT_READ), OUT_NOT_FOUND);
    assert_true(role_reads_meetings(ROLE_DEPARTMENT));
    assert_false(role_reads_meetings(ROLE_SCHOOL));
    assert_true(role_has_todo(ROLE_DEPARTMENT));
    assert_true(role_has_todo(ROLE_SCHOOL));
    assert_false(role_has_todo(ROLE_VILLAGE));
}

static void test_interview_reach(void **state)
{
    (void)state;
    struct scope town = {.role = ROLE_TOWNSHIP, .township = "140521100"};
    assert_int_equal(scope_interview_allows(&town, "township", "140521100", ACT_READ), OUT_OK);
    assert_int_equal(scope_interview_allows(&town, "township", "140521100", ACT_WRITE),
                     OUT_FORBIDDEN);
    assert_int_equal(scope_interview_allows(&town, "township", "140521101", ACT_READ),
                     OUT_NOT_FOUND);
    assert_int_equal(scope_interview_allows(&town, "school", "140521100", ACT_READ), OUT_NOT_FOUND);
    struct scope sch = {.role = ROLE_SCHOOL, .school = "2114052101"};
    assert_int_equal(scope_interview_allows(&sch, "school", "2114052101", ACT_READ), OUT_OK);
    assert_int_equal(scope_interview_allows(&sch, "school", "2114052102", ACT_READ), OUT_NOT_FOUND);
    struct scope dept = {.role = ROLE_DEPARTMENT, .department = "police"};
    assert_int_equal(scope_interview_allows(&dept, "township", "140521100", ACT_READ),
                     OUT_NOT_FOUND);
    struct scope county = {.role = ROLE_COUNTY};
    assert_int_equal(scope_interview_allows(&county, NULL, NULL, ACT_WRITE), OUT_OK);
    struct scope sup = {.role = ROLE_SUPERVISOR};
    assert_int_equal(scope_interview_allows(&sup, "school", "x", ACT_READ), OUT_OK);
    assert_int_equal(scope_interview_allows(&sup, "school", "x", ACT_WRITE), OUT_FORBIDDEN);
}

static void test_meeting_departments(void **state)
{
    (void)state;
    /* the plan's members of the joint meeting, each in the vocabulary */
    static const char *const names[] = {"教育", "公安", "财政", "乡村振兴", "民政", "残联",
                                        "人社", "文旅", "卫健", "司法",     "审计"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        assert_non_null(department_parse(names[i]));
    assert_string_equal(department_parse("人社局")->key, "human_resources");
    assert_string_equal(department_parse("文化和旅游局")->key, "culture_tourism");
    /* the members who upload no list upload nothing */
    assert_int_equal(department_parse("审计")->kinds, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_state),      cmocka_unit_test(test_commitment_state),
        cmocka_unit_test(test_meeting_reach),       cmocka_unit_test(test_interview_reach),
        cmocka_unit_test(test_meeting_departments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
