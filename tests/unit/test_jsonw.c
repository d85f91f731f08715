#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <jansson.h>

#include "util/common.h"
#include "util/jsonw.h"

/* jsonw writes the bytes jansson would dump for the same string (the server's list answers
 * are written by jsonw, the others through jansson: one JSON dialect). */
static void expect_as_jansson(const char *s)
{
    json_t *j = json_string(s);
    if (!j)
        j = json_string("\xEF\xBF\xBD"); /* children.c's jstr: invalid UTF-8 shown as U+FFFD */
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
    struct buf b = BUF_INIT;
    jsonw_string(&b, s);
    assert_string_equal(b.buf, want);
    free(want);
    buf_release(&b);
}

static void test_strings(void **state)
{
    const char *cases[] = {
        "",
        "plain",
        "李一梓",
        "quote \" backslash \\ slash /",
        "\b\f\n\r\t",
        "\x01\x02\x1f\x7f",
        "140521********3668",
        "（身份证号不完整）",
        "emoji \xF0\x9F\x98\x80 and U+2028 \xE2\x80\xA8",
        "bad \xFF utf-8",
        "truncated \xE6\x9D",
        "overlong \xC0\xAF",
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        expect_as_jansson(cases[i]);
}

static void test_numbers_and_keys(void **state)
{
    struct buf b = BUF_INIT;
    buf_addch(&b, '{');
    jsonw_key(&b, "total");
    jsonw_int(&b, -9223372036854775807LL - 1);
    buf_addch(&b, ',');
    jsonw_key(&b, "n");
    jsonw_int(&b, 42);
    buf_addch(&b, '}');
    json_t *j = json_pack("{s:I, s:I}", "total", (json_int_t)(-9223372036854775807LL - 1), "n",
                          (json_int_t)42);
    char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(b.buf, want);
    free(want);
    json_decref(j);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers_and_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
