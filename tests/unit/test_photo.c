/* ingest/photo.c: photos and scanned receipts recognised by their bytes and cleaned of where
 * they were taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <zlib.h>

#include "ingest/photo.h"
#include "util/common.h"

static void put_be32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    buf_add(b, x, 4);
}

static void put_le32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    buf_add(b, x, 4);
}

static void png_chunk(struct buf *b, const char *type, const void *data, size_t n)
{
    put_be32(b, (uint32_t)n);
    size_t at = b->len;
    buf_add(b, type, 4);
    buf_add(b, data, n);
    put_be32(b, (uint32_t)crc32(0, (const unsigned char *)b->buf + at, (uInt)(4 + n)));
}

/* A 1x1 PNG with a text chunk and, when given, another chunk of that type. */
static void make_png(struct buf *b, const char *extra)
{
    static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
    unsigned char raw[4] = {0, 255, 0, 0}, z[64];
    uLongf zn = sizeof(z);
    compress(z, &zn, raw, sizeof(raw));
    buf_add(b, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
    png_chunk(b, "tEXt",
              "GPS\0"
              "39.9N",
              9);
    png_chunk(b, "pHYs", "\0\0\0\1\0\0\0\1\0", 9);
    if (extra)
        png_chunk(b, extra, "x", 1);
    png_chunk(b, "IDAT", z, zn);
    png_chunk(b, "IEND", "", 0);
}

static int clean(const struct buf *in, struct buf *out, enum photo_type *t, struct outcome *o)
{
    buf_reset(out);
    outcome_release(o);
    *o = (struct outcome)OUTCOME_INIT;
    return photo_clean((const unsigned char *)in->buf, in->len, out, t, o);
}

static bool has(const struct buf *b, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= b->len; i++)
        if (!memcmp(b->buf + i, needle, n))
            return true;
    return false;
}

static void test_png(void **state)
{
    (void)state;
    struct buf in = BUF_INIT, out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    enum photo_type t;
    make_png(&in, NULL);
    assert_int_equal(clean(&in, &out, &t, &o), 0);
    assert_int_equal(t, PHOTO_PNG);
    assert_string_equal(photo_mime(t), "image/png");
    assert_false(has(&out, "39.9N", 5)); /* the text chunk is gone */
    assert_true(has(&out, "pHYs", 4));   /* what draws the image stays */
    assert_int_equal(out.len, in.len - (12 + 9));
    /* an unknown critical chunk: no viewer could draw it */
    buf_reset(&in);
    make_png(&in, "ZZZZ");
    assert_int_equal(clean(&in, &out, &t, &o), -1);
    assert_string_equal(o.field, "file");
    assert_int_equal(out.len, 0);
    /* an unknown ancillary one is dropped */
    buf_reset(&in);
    make_png(&in, "zzZz");
    assert_int_equal(clean(&in, &out, &t, &o), 0);
    assert_false(has(&out, "zzZz", 4));
    /* a bad checksum, a cut, something after the end */
    in.buf[20] ^= 1;
    assert_int_equal(clean(&in, &out, &t, &o), -1);
    in.buf[20] ^= 1;
    struct buf cut = BUF_INIT;
    buf_add(&cut, in.buf, in.len - 5);
    assert_int_equal(clean(&cut, &out, &t, &o), -1);
    assert_non_null(strstr(o.msg.buf, "损坏"));
    buf_adds(&in, "<html>");
    assert_int_equal(clean(&in, &out, &t, &o), -1);
    assert_non_null(strstr(o.msg.buf, "其他内容"));
    buf_release(&cut);
    buf_release(&in);
    buf_release(&out);
    outcome_release(&o);
}

static void webp_chunk(struct buf *b, const char *cc, const void *data, size_t n)
{
    buf_add(b, cc, 4);
    put_le32(b, (uint32_t)n);
    buf_add(b, data, n);
    if (n & 1)
        buf_addch(b, 0);
}

static void test_webp(void **state)
{
    (void)state;
    struct buf body = BUF_INIT, in = BUF_INIT, out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    enum photo_type t;
    buf_adds(&body, "WEBP");
    webp_chunk(&body, "VP8X", "\x0c\0\0\0\0\0\0\0\0\0", 10); /* EXIF and XMP flags */
    webp_chunk(&body, "VP8L", "\x2f\0\0\0\x10\x07\x10\0\0", 9);
    webp_chunk(&body, "EXIF", "MM\0*GPS 39.9N", 13);
    webp_chunk(&body, "XMP ", "<x>39.9N</x>", 12);
    buf_adds(&in, "RIFF");
    put_le32(&in, (uint32_t)body.len);
    buf_add(&in, body.buf, body.len);
    assert_int_equal(clean(&in, &out, &t, &o), 0);
    assert_int_equal(t, PHOTO_WEBP);
    assert_false(has(&out, "39.9N", 5));
    assert_false(has(&out, "EXIF", 4));
    assert_int_equal((unsigned char)out.buf[20], 0); /* VP8X says no metadata now */
    uint32_t riff = (uint32_t)(unsigned char)out.buf[4] | (uint32_t)(unsigned char)out.buf[5] << 8;
    assert_int_equal(riff + 8, out.len);
    /* a RIFF size that is not the file's */
    in.buf[4]++;
    assert_int_equal(clean(&in, &out, &t, &o), -1);
    buf_release(&body);
    buf_release(&in);
    buf_release(&out);
    outcome_release(&o);
}

static void test_not_images(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "%PDF-1.7\n",
        "GIF89a",
        "这是文字",
        "",
        "\xff\xd8",
        "\xff\xd8\xff\xd9",
        "RIFF\x04\0\0\0WEBP",
    };
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        struct buf out = BUF_INIT;
        struct outcome o = OUTCOME_INIT;
        enum photo_type t;
        assert_int_equal(
            photo_clean((const unsigned char *)texts[i], strlen(texts[i]), &out, &t, &o), -1);
        assert_int_equal(o.kind, OUT_INVALID);
        assert_string_equal(o.field, "file");
        assert_int_equal(out.len, 0);
        outcome_release(&o);
        buf_release(&out);
    }
    assert_int_equal(photo_type_of("image/svg+xml"), -1);
    assert_int_equal(photo_type_of("image/webp"), PHOTO_WEBP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_webp),
        cmocka_unit_test(test_not_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
