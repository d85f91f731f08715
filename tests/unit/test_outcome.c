/* The library's one error convention (util/outcome.c): kinds, messages, fields, exit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

static int refuse_date(struct outcome *o)
{
    return failed_at(o, OUT_INVALID, "date", "核查日期不能晚于今天");
}

static void test_a_failure_says_what_and_where(void **state)
{
    (void)state;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(o.kind, OUT_OK);
    assert_int_equal(refuse_date(&o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "date");
    assert_string_equal(o.msg.buf, "核查日期不能晚于今天");
    assert_int_equal(outcome_exit(o.kind), EXIT_INPUT);
    outcome_release(&o);
}

static void test_the_first_kind_stays_and_messages_add_up(void **state)
{
    (void)state;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(failed(&o, OUT_NOT_FOUND, "没有编号为 %d 的案件", 7), -1);
    assert_int_equal(failed_at(&o, OUT_ERROR, "reason", "数据库忙"), -1);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    assert_null(o.field);
    assert_string_equal(o.msg.buf, "没有编号为 7 的案件；数据库忙");
    outcome_reset(&o);
    assert_int_equal(o.kind, OUT_OK);
    assert_int_equal(o.msg.len, 0);
    assert_int_equal(failed_error(&o, ""), -1);
    assert_int_equal(o.kind, OUT_ERROR);
    assert_string_equal(o.msg.buf, "内部错误");
    assert_int_equal(outcome_exit(o.kind), EXIT_RUNTIME);
    outcome_release(&o);
}

static void test_every_kind_has_an_exit_code(void **state)
{
    (void)state;
    assert_int_equal(outcome_exit(OUT_OK), EXIT_OK);
    assert_int_equal(outcome_exit(OUT_INVALID), EXIT_INPUT);
    assert_int_equal(outcome_exit(OUT_NOT_FOUND), EXIT_INPUT);
    assert_int_equal(outcome_exit(OUT_NO_RUN), EXIT_INPUT);
    assert_int_equal(outcome_exit(OUT_FORBIDDEN), EXIT_INPUT);
    assert_int_equal(outcome_exit(OUT_ERROR), EXIT_RUNTIME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_failure_says_what_and_where),
        cmocka_unit_test(test_the_first_kind_stays_and_messages_add_up),
        cmocka_unit_test(test_every_kind_has_an_exit_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
