#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/utf8.h"
#include "util/common.h"

static void test_decode(void **state)
{
    unsigned cp = 0;

    assert_int_equal(utf8_decode("", 0, &cp), 0);
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xc2\xa0", 2, &cp), 2);
    assert_int_equal(cp, 0xA0);
    assert_int_equal(utf8_decode("沁", 3, &cp), 3);
    assert_int_equal(cp, 0x6C81);
    assert_int_equal(utf8_decode("\xf0\xa0\x80\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x20000);
    assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* invalid: consume one byte, yield U+FFFD */
    assert_int_equal(utf8_decode("\x80", 1, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xe6\xb2", 2, &cp), 1); /* truncated */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 1); /* overlong '/' */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), 1); /* overlong */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 1); /* surrogate */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1); /* > U+10FFFF */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xff", 1, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xe6"
                                 "A",
                                 2, &cp),
                     1);
    assert_int_equal(cp, 0xFFFD);
    /* GBK bytes for 沁水 are not UTF-8 */
    assert_int_equal(utf8_decode("\xc7\xdf", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
}

static void test_valid(void **state)
{
    const char *s = "沁水县";

    assert_true(utf8_valid("", 0, false));
    assert_true(utf8_valid("abc", 3, false));
    assert_true(utf8_valid(s, strlen(s), false));
    assert_false(utf8_valid(s, strlen(s) - 1, false));
    assert_true(utf8_valid(s, strlen(s) - 1, true));
    assert_true(utf8_valid(s, strlen(s) - 2, true));
    assert_false(utf8_valid(s, 1, false));
    assert_true(utf8_valid(s, 1, true));
    /* a bad byte in the middle is never a chunk boundary */
    assert_false(utf8_valid("\xe6\xb2"
                            "A",
                            3, true));
    assert_false(utf8_valid("\xc7\xdf\xcb\xae", 4, true)); /* GBK 沁水 */
    assert_false(utf8_valid("\xed\xa0", 2, true));         /* a surrogate cut off */
    assert_false(utf8_valid("\xc0", 1, true));
    assert_true(utf8_valid("\xf0\x9f\x98", 3, true));
    assert_false(utf8_valid("\xf0\x9f\x98", 3, false));
    assert_false(utf8_valid("a\0b\xff", 4, false));
    assert_true(utf8_valid("a\0b", 3, false));
}

static void test_width(void **state)
{
    assert_int_equal(utf8_width("", 0), 0);
    assert_int_equal(utf8_width("abc", 3), 3);
    assert_int_equal(utf8_width("沁水县", strlen("沁水县")), 6);
    assert_int_equal(utf8_width("ab沁", strlen("ab沁")), 4);
    assert_int_equal(utf8_width("１２", strlen("１２")), 4); /* full-width */
    assert_int_equal(utf8_width("\xe3\x80\x80", 3), 2);      /* U+3000 */
    assert_int_equal(utf8_width("한", strlen("한")), 2);     /* Hangul */
    assert_int_equal(utf8_width("\xf0\xa0\x80\x80", 4), 2);  /* U+20000 */
    assert_int_equal(utf8_width("\xf0\x9f\x98\x80", 4), 2);  /* emoji */
    assert_int_equal(utf8_width("e\xcc\x81", 3), 1);         /* e + combining acute */
    assert_int_equal(utf8_width("\xef\xbd\xa1", 3), 1);      /* U+FF61 half-width */
    assert_int_equal(utf8_width("\xc2\xb7", 2), 1);          /* middle dot */
    assert_int_equal(utf8_width("\xff", 1), 1);              /* U+FFFD */
}

static void check_text(const char *in, const char *want)
{
    struct buf b = BUF_INIT;
    utf8_norm_text(&b, in, strlen(in));
    assert_string_equal(b.buf, want);
    assert_int_equal(b.len, strlen(want));
    buf_release(&b);
}

static void check_name(const char *in, const char *want)
{
    struct buf b = BUF_INIT;
    utf8_norm_name(&b, in, strlen(in));
    assert_string_equal(b.buf, want);
    buf_release(&b);
}

static void test_norm_text(void **state)
{
    check_text("", "");
    check_text("   ", "");
    check_text("abc", "abc");
    check_text("  沁水县  ", "沁水县");
    check_text("１４０５２１", "140521");
    check_text("ＡＢＣａｂｃ！～", "ABCabc!~");
    check_text("郑庄镇\xe3\x80\x80\xe3\x80\x80郑庄村", "郑庄镇 郑庄村");
    check_text("a\xc2\xa0\xc2\xa0"
               "b",
               "a b");
    check_text("a\t\n b", "a b");
    check_text("a\xe2\x80\x83"
               "b",
               "a b"); /* em space */
    check_text("\xef\xbb\xbf"
               "姓名",
               "姓名"); /* BOM */
    check_text("a\x01\x7f"
               "b",
               "ab");
    check_text("a\xe2\x80\x8b"
               "b",
               "ab"); /* zero width space */
    check_text("（注）", "(注)");
    check_text("\xff"
               "a",
               "\xef\xbf\xbd"
               "a");
    /* appends */
    struct buf b = BUF_INIT;
    buf_adds(&b, "x:");
    utf8_norm_text(&b, " y ", 3);
    assert_string_equal(b.buf, "x:y");
    buf_release(&b);
}

static void test_norm_name(void **state)
{
    check_name("张三", "张三");
    check_name("张 三", "张三");
    check_name(" 张\xe3\x80\x80三 ", "张三");
    check_name("阿卜杜拉·买买提", "阿卜杜拉·买买提");
    check_name("阿卜杜拉.买买提", "阿卜杜拉·买买提");
    check_name("阿卜杜拉．买买提", "阿卜杜拉·买买提");
    check_name("阿卜杜拉\xe2\x80\xa2买买提", "阿卜杜拉·买买提"); /* U+2022 */
    check_name("阿卜杜拉\xe2\x80\xa7买买提", "阿卜杜拉·买买提"); /* U+2027 */
    check_name("阿卜杜拉\xe3\x83\xbb买买提", "阿卜杜拉·买买提"); /* U+30FB */
    check_name("阿卜杜拉\xef\xbd\xa5买买提", "阿卜杜拉·买买提"); /* U+FF65 */
    check_name("阿卜杜拉 · 买买提", "阿卜杜拉·买买提");
    check_name("阿卜杜拉··买买提", "阿卜杜拉·买买提");
    check_name("·张三·", "张三");
    check_name("ＬＩ　Ｍｉｎｇ", "LIMing");
}

/*
 * The normalisers as first written, one decoded code point at a time through buf_add_utf8:
 * the oracle for the faster versions, which must give the same bytes for any input.
 */
static bool ref_is_space(unsigned cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

static unsigned ref_norm_cp(unsigned cp)
{
    if (ref_is_space(cp))
        return ' ';
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200D) ||
        cp == 0x2060 || cp == 0x00AD || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        return 0;
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    return cp;
}

static void ref_norm_text(struct buf *out, const char *s, size_t len)
{
    size_t i = 0;
    bool pending_space = false, any = false;

    while (i < len) {
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        cp = ref_norm_cp(cp);
        if (!cp)
            continue;
        if (cp == ' ') {
            pending_space = any;
            continue;
        }
        if (pending_space)
            buf_addch(out, ' ');
        pending_space = false;
        any = true;
        buf_add_utf8(out, cp);
    }
}

static void ref_norm_name(struct buf *out, const char *s, size_t len)
{
    size_t i = 0;
    bool pending_dot = false, any = false;

    while (i < len) {
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        cp = ref_norm_cp(cp);
        if (!cp || cp == ' ')
            continue;
        if (cp == '.' || cp == 0x00B7 || cp == 0x2022 || cp == 0x2027 || cp == 0x2219 ||
            cp == 0x22C5 || cp == 0x30FB || cp == 0xFF65) {
            pending_dot = any;
            continue;
        }
        if (pending_dot)
            buf_add_utf8(out, 0x00B7);
        pending_dot = false;
        any = true;
        buf_add_utf8(out, cp);
    }
}

/* Random strings built from pieces that exercise every branch: ASCII, CJK, full-width,
 * spaces of every kind, dropped characters, dots, invalid and truncated sequences. */
static void test_norm_matches_reference(void **state)
{
    static const char *const pieces[] = {
        "a",
        "Z",
        "0",
        " ",
        "\t",
        "\r\n",
        ".",
        "~",
        "\x01",
        "\x7f",
        "沁",
        "水",
        "县",
        "１",
        "Ａ",
        "！",
        "～",
        "．",
        "\xef\xbd\xa5",
        "\xe3\x80\x80",
        "\xc2\xa0",
        "\xc2\x85",
        "\xc2\xad",
        "\xc2\xb7",
        "\xe2\x80\x83",
        "\xe2\x80\x8b",
        "\xe2\x80\x8f",
        "\xe2\x80\xae",
        "\xe2\x81\xa6",
        "\xe2\x80\xa2",
        "\xe2\x80\xa8",
        "\xe2\x81\xa0",
        "\xe1\x9a\x80",
        "\xef\xbb\xbf",
        "\xe3\x83\xbb",
        "\xf0\xa0\x80\x80",
        "\xf0\x9f\x98\x80",
        "\xff",
        "\x80",
        "\xc0\xaf",
        "\xe0\x80\xaf",
        "\xed\xa0\x80",
        "\xf4\x90\x80\x80",
        "\xe6\xb2",
        "\xf0\x9f",
        "\xc7\xdf",
    };
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        struct buf in = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
        int n = round % 17;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            buf_adds(&in, pieces[(seed >> 16) % ARRAY_SIZE(pieces)]);
        }
        buf_adds(&want, "x");
        buf_adds(&got, "x");
        ref_norm_text(&want, in.buf, in.len);
        utf8_norm_text(&got, in.buf, in.len);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.buf, want.buf, want.len);
        buf_reset(&want);
        buf_reset(&got);
        ref_norm_name(&want, in.buf, in.len);
        utf8_norm_name(&got, in.buf, in.len);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.buf, want.buf, want.len);
        buf_release(&in);
        buf_release(&want);
        buf_release(&got);
    }
}

/* What a person's data never contains: C0 and C1 controls, DEL and direction controls. */
static void test_has_control(void **state)
{
    static const char *const clean[] = {
        "张三", "阿依古丽·买买提", "山西省\t沁水县\r\n郑庄镇", "\xe2\x80\x8b", "\xef\xbb\xbf张",
        "",     "\xee\x80\x80"};
    static const char *const dirty[] = {
        "张\x01三",         "\x7f",         "张\xc2\x85三", "\x1b[31m",
        "张\xe2\x80\xae三", "\xe2\x81\xa6", "\xe2\x80\x8f"};
    for (size_t i = 0; i < ARRAY_SIZE(clean); i++)
        assert_false(utf8_has_control(clean[i], strlen(clean[i])));
    for (size_t i = 0; i < ARRAY_SIZE(dirty); i++)
        assert_true(utf8_has_control(dirty[i], strlen(dirty[i])));
    /* and the normaliser drops them */
    struct buf out = BUF_INIT;
    utf8_norm_name(&out, "张\xe2\x80\xae三\x01", strlen("张\xe2\x80\xae三\x01"));
    assert_string_equal(out.buf, "张三");
    buf_release(&out);
}

static void test_count(void **state)
{
    assert_int_equal(utf8_count("", 0), 0);
    assert_int_equal(utf8_count("abc", 3), 3);
    assert_int_equal(utf8_count("张三", strlen("张三")), 2);
    assert_int_equal(utf8_count("\xf0\xa0\x80\x80·a", strlen("\xf0\xa0\x80\x80·a")), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),      cmocka_unit_test(test_valid),
        cmocka_unit_test(test_width),       cmocka_unit_test(test_norm_text),
        cmocka_unit_test(test_norm_name),   cmocka_unit_test(test_norm_matches_reference),
        cmocka_unit_test(test_has_control), cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
