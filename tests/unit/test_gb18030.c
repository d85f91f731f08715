#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>

#include "util/common.h"
#include "util/gb18030.h"

/* What iconv("UTF-8", "GB18030") makes of in[0..n) in one call: the UTF-8 out, the bytes
 * used, and how it stopped, in gb18030_to_utf8's terms. */
static enum gb18030_stop by_iconv(const unsigned char *in, size_t n, struct buf *out, size_t *used)
{
    static iconv_t cd = (iconv_t)-1;
    char *ip = (char *)in, *op;
    size_t il = n, ol;

    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    iconv(cd, NULL, NULL, NULL, NULL);
    buf_grow(out, n * 4 + 8);
    op = out->buf + out->len;
    ol = out->alloc - out->len - 1;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    buf_setlen(out, (size_t)(op - out->buf));
    *used = n - il;
    if (rc != (size_t)-1)
        return GB18030_DONE;
    assert_true(errno == EINVAL || errno == EILSEQ);
    return errno == EINVAL ? GB18030_INCOMPLETE : GB18030_INVALID;
}

/* The table decoder and iconv agree on in[0..n): same text, same stop, same bytes used. */
static void agree(const unsigned char *in, size_t n)
{
    struct buf a = BUF_INIT, b = BUF_INIT;
    size_t ua = 0, ub = 0;
    enum gb18030_stop sa = gb18030_to_utf8(in, n, &a, &ua);
    enum gb18030_stop sb = by_iconv(in, n, &b, &ub);

    if (sa != sb || ua != ub || a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
        print_error("differ on");
        for (size_t i = 0; i < n; i++)
            print_error(" %02X", in[i]);
        print_error(": table stop %d used %zu, iconv stop %d used %zu\n", sa, ua, sb, ub);
        fail();
    }
    buf_release(&a);
    buf_release(&b);
}

static void test_every_one_and_two_byte_code(void **state)
{
    unsigned char s[3];

    (void)state;
    assert_true(gb18030_ready());
    for (unsigned a = 0; a <= 0xFF; a++) {
        s[0] = (unsigned char)a;
        agree(s, 1);
        for (unsigned b = 0; b <= 0xFF; b++) {
            s[1] = (unsigned char)b;
            agree(s, 2);
            s[2] = 'x'; /* and followed by more text */
            agree(s, 3);
        }
    }
}

static void test_every_bmp_four_byte_code(void **state)
{
    unsigned char s[4];

    (void)state;
    assert_true(gb18030_ready());
    /* 81 30 81 30 .. 84 39 FE 39 and a little past: every four-byte code of the BMP */
    for (unsigned b1 = 0x81; b1 <= 0x85; b1++)
        for (unsigned b2 = 0x30; b2 <= 0x39; b2++)
            for (unsigned b3 = 0x81; b3 <= 0xFE; b3++)
                for (unsigned b4 = 0x30; b4 <= 0x39; b4++) {
                    s[0] = (unsigned char)b1;
                    s[1] = (unsigned char)b2;
                    s[2] = (unsigned char)b3;
                    s[3] = (unsigned char)b4;
                    agree(s, 4);
                }
}

static void test_random_four_byte_and_mixed(void **state)
{
    unsigned char s[64];
    uint64_t x = 0x9E3779B97F4A7C15u;

    (void)state;
    assert_true(gb18030_ready());
    for (int k = 0; k < 100000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* any four bytes, and four bytes shaped like a four-byte code (all planes) */
        for (int i = 0; i < 4; i++)
            s[i] = (unsigned char)(x >> (8 * i));
        agree(s, 4);
        s[0] = (unsigned char)(0x81 + (x >> 32) % 126);
        s[1] = (unsigned char)(0x30 + (x >> 40) % 10);
        s[2] = (unsigned char)(0x81 + (x >> 44) % 126);
        s[3] = (unsigned char)(0x30 + (x >> 52) % 10);
        agree(s, 4);
        for (size_t cut = 1; cut < 4; cut++)
            agree(s, cut); /* cut by a chunk's end */
    }
    /* runs of text: ASCII, two-byte, four-byte and stray bytes mixed, cut anywhere */
    for (int k = 0; k < 20000; k++) {
        size_t n = 0;
        while (n + 4 <= sizeof(s)) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            switch (x % 8) {
            case 0:
            case 1:
                s[n++] = (unsigned char)('A' + x / 8 % 26);
                break;
            case 2:
            case 3:
            case 4:
                s[n++] = (unsigned char)(0xB0 + x / 8 % 0x47);
                s[n++] = (unsigned char)(0xA1 + x / 1024 % 0x5E);
                break;
            case 5:
                s[n++] = (unsigned char)(0x81 + x / 8 % 4);
                s[n++] = (unsigned char)(0x30 + x / 64 % 10);
                s[n++] = (unsigned char)(0x81 + x / 1024 % 126);
                s[n++] = (unsigned char)(0x30 + x / 262144 % 10);
                break;
            case 6:
                s[n++] = (unsigned char)(x >> 16);
                break;
            default:
                s[n++] = ',';
            }
        }
        agree(s, n);
        agree(s, (size_t)(x >> 20) % (n + 1));
    }
}

static void test_known_text(void **state)
{
    /* 沁水县 张三 in GB18030, and U+1F4A9 as four bytes */
    static const unsigned char gb[] = {0xC7, 0xDF, 0xCB, 0xAE, 0xCF, 0xD8, ',',  0xD5,
                                       0xC5, 0xC8, 0xFD, ',',  0x94, 0x39, 0xDA, 0x33};
    struct buf out = BUF_INIT;
    size_t used;

    (void)state;
    assert_true(gb18030_ready());
    assert_int_equal(gb18030_to_utf8(gb, sizeof(gb), &out, &used), GB18030_DONE);
    assert_int_equal(used, sizeof(gb));
    assert_string_equal(out.buf, "沁水县,张三,\xF0\x9F\x92\xA9");
    buf_reset(&out);
    /* a character cut by the end: everything before it, and where it starts */
    assert_int_equal(gb18030_to_utf8(gb, 8, &out, &used), GB18030_INCOMPLETE);
    assert_int_equal(used, 7);
    assert_string_equal(out.buf, "沁水县,");
    buf_reset(&out);
    assert_int_equal(gb18030_to_utf8((const unsigned char *)"ab\xFF"
                                                            "cd",
                                     5, &out, &used),
                     GB18030_INVALID);
    assert_int_equal(used, 2);
    assert_string_equal(out.buf, "ab");
    buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_text),
        cmocka_unit_test(test_every_one_and_two_byte_code),
        cmocka_unit_test(test_every_bmp_four_byte_code),
        cmocka_unit_test(test_random_four_byte_and_mixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
