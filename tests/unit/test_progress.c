/* Progress reports (util/progress.c): throttled, forced ones always, fractions clamped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "util/progress.h"

struct seen {
    int calls;
    double fraction;
    char phase[64];
};

static void record(void *ctx, double fraction, const char *phase)
{
    struct seen *s = ctx;
    s->calls++;
    s->fraction = fraction;
    snprintf(s->phase, sizeof(s->phase), "%s", phase);
}

static void test_throttled_unless_forced(void **state)
{
    (void)state;
    struct seen s = {0};
    struct progress p = {.fn = record, .ctx = &s, .interval = 3600};
    progress_report(&p, false, 0.1, "读取第 %d 行", 1024); /* the first one always */
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.phase, "读取第 1024 行");
    for (int i = 0; i < 1000; i++)
        progress_report(&p, false, 0.2, "读取第 %d 行", i);
    assert_int_equal(s.calls, 1);
    assert_false(progress_due(&p, false));
    assert_true(progress_due(&p, true));
    progress_report(&p, true, 0.9, "写入数据库");
    assert_int_equal(s.calls, 2);
    assert_string_equal(s.phase, "写入数据库");
}

static void test_every_call_and_clamped(void **state)
{
    (void)state;
    struct seen s = {0};
    struct progress p = {.fn = record, .ctx = &s, .interval = -1};
    for (int i = 0; i < 10; i++)
        progress_report(&p, false, i / 10.0, "第 %d 步", i);
    assert_int_equal(s.calls, 10);
    progress_report(&p, false, 1.7, "超出");
    assert_true(s.fraction == 1.0);
    progress_report(&p, false, -3, "负数");
    assert_true(s.fraction == 0.0);
}

static void test_nobody_listening(void **state)
{
    (void)state;
    progress_report(NULL, true, 0.5, "无人");
    struct progress p = {0};
    assert_false(progress_due(&p, true));
    progress_report(&p, true, 0.5, "无回调");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_throttled_unless_forced),
        cmocka_unit_test(test_every_call_and_clamped),
        cmocka_unit_test(test_nobody_listening),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
