/* util/fieldtext.c: the check of typed names and prose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/common.h"
#include "util/fieldtext.h"

static void check(const char *text, enum text_kind kind, const char *needle)
{
    struct outcome o = OUTCOME_INIT;
    int rc = text_check("姓名", text, kind, &o);
    if (!needle && rc != 0)
        fail_msg("refused: %s", o.msg.buf);
    if (needle && (rc == 0 || !strstr(o.msg.buf, needle)))
        fail_msg("“%s”: %s (expected %s)", text, rc == 0 ? "accepted" : o.msg.buf, needle);
    if (needle) {
        assert_non_null(strstr(o.msg.buf, "“姓名”")); /* the field is named */
        assert_int_equal(o.kind, OUT_INVALID);
    }
    outcome_release(&o);
}

static void test_text_check(void **state)
{
    (void)state;
    check(NULL, TEXT_NAME, NULL);
    check("", TEXT_NAME, NULL);
    check("王五", TEXT_NAME, NULL);
    check("阿依古丽·买买提", TEXT_NAME, NULL);
    check("王\x07五", TEXT_NAME, "控制字符");
    check("王五\n", TEXT_NAME, "换行");
    check("王五\t", TEXT_LINE, "控制字符");
    check("家长说：\n下周一返校。\t（电话）", TEXT_NOTE, NULL);
    check("王\x7f五", TEXT_NOTE, "控制字符");
    check("王\xc2\x85五", TEXT_NAME, "看不见"); /* U+0085 */
    check("王\xe2\x80\xae五", TEXT_NAME, "U+202E");
    check("王\xe2\x81\xa6五", TEXT_NAME, "U+2066");
    check("王\xe2\x80\xa8五", TEXT_NOTE, "U+2028");
    check("\xef\xbb\xbf王五", TEXT_NAME, "U+FEFF");
    check("王\xff五", TEXT_NAME, "编码");
    /* the caps count characters */
    struct buf b = BUF_INIT;
    for (int i = 0; i < TEXT_NAME_MAX; i++)
        buf_adds(&b, "王");
    check(b.buf, TEXT_NAME, NULL);
    buf_adds(&b, "王");
    check(b.buf, TEXT_NAME, "太长：51 个字，至多 50 个字");
    check(b.buf, TEXT_LINE, NULL);
    buf_reset(&b);
    for (int i = 0; i < 100000; i++)
        buf_addch(&b, 'x');
    check(b.buf, TEXT_NOTE, "太长");
    buf_release(&b);
}

static void test_check_all(void **state)
{
    (void)state;
    struct outcome o = OUTCOME_INIT;
    const struct text_field f[] = {{"学校", "郑庄中心小学", TEXT_LINE, "school"},
                                   {"备注", "第一行\n第二行", TEXT_NOTE, "note"},
                                   {"谈话内容", "讲\x1b明", TEXT_NOTE, "said"}};
    assert_int_equal(text_check_all(f, 2, &o), 0);
    assert_int_equal(o.kind, OUT_OK);
    assert_int_equal(text_check_all(f, 3, &o), -1);
    assert_non_null(strstr(o.msg.buf, "“谈话内容”含有控制字符（第 2 个字符）"));
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "said"); /* the field at fault, for a front end's hint */
    outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_check_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
