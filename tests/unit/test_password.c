/* domain/password.c: which new passwords are refused, and with which reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "domain/user.h"
#include "util/common.h"

/* The Chinese reason password_check gives for pw (NULL when it is accepted). */
static char *reason(const char *pw, const char *name)
{
    struct buf err = BUF_INIT;
    if (password_check(pw, name, &err) == 0) {
        buf_release(&err);
        return NULL;
    }
    assert_true(err.len > 0);
    return buf_detach(&err, NULL);
}

static void refused(const char *pw, const char *name, const char *needle)
{
    char *r = reason(pw, name);
    if (!r)
        fail_msg("“%s” was accepted", pw);
    if (!strstr(r, needle))
        fail_msg("“%s”: %s (expected %s)", pw, r, needle);
    free(r);
}

static void test_refused(void **state)
{
    (void)state;
    refused("short", "x", "太短");
    refused("七个汉字的密码", "x", "太短"); /* characters, not bytes */
    refused("        ", "x", "同一个字符");
    refused("88888888", "x", "同一个字符");
    refused("哈哈哈哈哈哈哈哈", "x", "同一个字符");
    refused("12345678", "x", "连续");
    refused("hgfedcba", "x", "连续");
    refused("zhangwei8", "zhangwei8", "用户名");
    refused("ZhangWei8", "zhangwei8", "用户名");
    refused("woaini1314", "x", "最常见");
    refused("A1234567", "x", "最常见"); /* without regard to case */
    refused("qwertyui", "x", "最常见");
    refused("P@ssw0rd", "x", "最常见");
    refused("tab\there!", "x", "控制字符");
    refused("bad\xff\xfeutf8", "x", "编码");
    char long_pw[PASSWORD_MAX + 2];
    memset(long_pw, 'a', sizeof(long_pw) - 2);
    long_pw[sizeof(long_pw) - 2] = 'b';
    long_pw[sizeof(long_pw) - 1] = '\0';
    refused(long_pw, "x", "太长");
}

static void test_accepted(void **state)
{
    (void)state;
    static const char *const good[] = {"correct-horse-1", "春天的教室二〇二六", "baoxue-demo-2026",
                                       "12345679",        "aaaaaaab",           "Zhengzhuang-2026"};
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        char *r = reason(good[i], "zhangsan");
        if (r)
            fail_msg("“%s” was refused: %s", good[i], r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
