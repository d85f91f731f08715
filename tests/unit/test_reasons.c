/* Why each pair ended as it did, in words (link/reasons.c): every comparison a sentence makes is
 * computed from the pair's numbers, at the very lines too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <math.h>

#include "link/linker.h"

static char *text(enum lk_reason r, enum lk_decision d, double total, double second,
                  double outsider, const struct lk_params *lp)
{
    struct lk_pair pr = {.reason = (uint8_t)r,
                         .decision = (uint8_t)d,
                         .total = total,
                         .second = second,
                         .outsider = outsider};
    struct buf b = BUF_INIT;
    lk_reason_text(&pr, lp, &b);
    return buf_detach(&b, NULL);
}

#define HAS(s, n) (strstr((s), (n)) != NULL)

static void test_the_lines(void **state)
{
    (void)state;
    struct lk_params lp = LK_PARAMS_DEFAULT;
    char *s = text(LKR_BELOW_REVIEW, LKD_REJECT, 5.9, -INFINITY, 0, &lp);
    assert_true(HAS(s, "总分 5.9，低于复核线 6.0") && HAS(s, "不采纳"));
    free(s);
    /* exactly on a line is at the line */
    s = text(LKR_BELOW_ACCEPT, LKD_REVIEW, 6.0, -INFINITY, 0, &lp);
    assert_true(HAS(s, "总分 6.0，在复核线 6.0 与采纳线 12.0 之间") && HAS(s, "人工复核"));
    free(s);
    s = text(LKR_CLOSE_SECOND, LKD_REVIEW, 12.0, 6.1, 0, &lp);
    assert_true(HAS(s, "总分 12.0，达到采纳线 12.0"));
    assert_true(HAS(s, "比第二名（6.1）高 5.9 分，不到差距线 6.0"));
    free(s);
    s = text(LKR_ACCEPTED, LKD_ACCEPT, 12.1, 6.1, 0, &lp);
    assert_true(HAS(s, "比第二名（6.1）高 6.0 分，达到差距线 6.0") && !HAS(s, "不采纳"));
    free(s);
    /* lines set with more decimals are shown as set */
    lp.accept = 12.25;
    s = text(LKR_BELOW_ACCEPT, LKD_REVIEW, 12.2, -INFINITY, 0, &lp);
    assert_true(HAS(s, "在复核线 6.0 与采纳线 12.25 之间"));
    free(s);
}

/* The rival of the best: the runner-up, or a pupil registered elsewhere when that scores more. */
static void test_the_rival(void **state)
{
    (void)state;
    struct lk_params lp = LK_PARAMS_DEFAULT;
    char *s = text(LKR_OUTSIDER_CLOSE, LKD_REVIEW, 13.4, 2.2, 9.2, &lp);
    assert_true(HAS(s, "（9.2）高 4.2 分，不到差距线 6.0"));
    assert_true(HAS(s, "外地户籍") && !HAS(s, "第二名"));
    free(s);
    s = text(LKR_ACCEPTED, LKD_ACCEPT, 26.4, -INFINITY, 9.2, &lp);
    assert_true(HAS(s, "没有其他候选儿童") && HAS(s, "高 17.2 分，达到差距线"));
    free(s);
    s = text(LKR_CLOSE_SECOND, LKD_REVIEW, 17.4, 17.4, 9.2, &lp);
    assert_true(HAS(s, "比第二名（17.4）高 0.0 分，不到差距线"));
    free(s);
    /* pairs behind the best */
    s = text(LKR_OUTRANKED, LKD_REJECT, 10.7, 18.3, 9.2, &lp);
    assert_true(HAS(s, "另一名儿童总分 18.3，比此对高 7.6 分，达到差距线 6.0") && HAS(s, "不采纳"));
    free(s);
    s = text(LKR_NEAR_RUNNER_UP, LKD_REVIEW, 17.4, 17.4, 9.2, &lp);
    assert_true(HAS(s, "高 0.0 分，不到差距线") && HAS(s, "待人工复核"));
    free(s);
    /* a runner-up scoring more than the record's first choice (the child whose name it bears) */
    s = text(LKR_NEAR_RUNNER_UP, LKD_REVIEW, 27.1, 23.1, 9.2, &lp);
    assert_true(HAS(s, "记录的首选儿童总分 23.1，比此对低 4.0 分") && !HAS(s, "高 -"));
    free(s);
    s = text(LKR_TAKEN, LKD_REJECT, 14.0, 29.9, 9.2, &lp);
    assert_true(HAS(s, "其总分 29.9，此对 14.0") && HAS(s, "不采纳"));
    free(s);
}

/* Every reason has a key, a way back from it, and a sentence of its own. */
static void test_every_reason(void **state)
{
    (void)state;
    struct lk_params lp = LK_PARAMS_DEFAULT;
    for (int r = 0; r < LKR__COUNT; r++) {
        const char *k = lk_reason_key((enum lk_reason)r);
        assert_non_null(k);
        assert_int_equal(lk_reason_from_key(k), r);
        char *s = text((enum lk_reason)r, LKD_REVIEW, 13.0, 4.0, 2.0, &lp);
        assert_true(strlen(s) > 10);
        assert_false(HAS(s, "原因未记录"));
        free(s);
    }
    assert_int_equal(lk_reason_from_key("below"), -1);
    assert_int_equal(lk_reason_from_key(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_lines),
        cmocka_unit_test(test_the_rival),
        cmocka_unit_test(test_every_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
