/* Photos and scanned receipts (ingest/photo.h): JPEG, PNG and WebP walked part by part and
 * rebuilt without what says where, when and with what they were taken. */
#include "ingest/photo.h"

#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "util/common.h"

#define NOT_PHOTO "不是照片：只能上传 JPEG、PNG 或 WebP 格式的图片（不接受 SVG、PDF 等其他文件）"

static const char *const mimes[] = {"image/jpeg", "image/png", "image/webp"};
static const char *const exts[] = {"jpg", "png", "webp"};

const char *photo_mime(enum photo_type t)
{
    return mimes[t];
}

const char *photo_ext(enum photo_type t)
{
    return exts[t];
}

int photo_type_of(const char *mime)
{
    for (int i = 0; i < (int)ARRAY_SIZE(mimes); i++)
        if (mime && !strcmp(mime, mimes[i]))
            return i;
    return -1;
}

static int broken(struct outcome *o, const char *kind)
{
    return failed_at(o, OUT_INVALID, "file", "%s图片已损坏或不完整，请重新拍照或扫描", kind);
}

static int trailing(struct outcome *o)
{
    return failed_at(
        o, OUT_INVALID, "file",
        "图片结尾之后还附有其他内容，不是单纯的照片；请上传相机或扫描仪直接生成的图片");
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* ---- JPEG ---- */

/* The EXIF orientation (1…8) of an APP1 segment's data, 0 when it says none. */
static unsigned exif_orientation(const unsigned char *d, size_t n)
{
    if (n < 6 + 8 || memcmp(d, "Exif\0\0", 6))
        return 0;
    const unsigned char *t = d + 6;
    size_t tn = n - 6;
    bool le = !memcmp(t, "II*\0", 4);
    if (!le && memcmp(t, "MM\0*", 4))
        return 0;
#define U16(p) (le ? (unsigned)(p)[1] << 8 | (p)[0] : be16(p))
#define U32(p) (le ? le32(p) : be32(p))
    uint32_t ifd = U32(t + 4);
    if (ifd > tn || tn - ifd < 2)
        return 0;
    unsigned count = U16(t + ifd);
    for (unsigned i = 0; i < count; i++) {
        size_t at = (size_t)ifd + 2 + (size_t)i * 12;
        if (at + 12 > tn)
            return 0;
        const unsigned char *e = t + at;
        if (U16(e) == 0x0112 && U16(e + 2) == 3 && U32(e + 4) == 1) {
            unsigned v = U16(e + 8);
            return v >= 1 && v <= 8 ? v : 0;
        }
    }
#undef U16
#undef U32
    return 0;
}

/* An APP1 segment with an EXIF block of one tag, the orientation (big-endian TIFF). */
static void add_orientation(struct buf *out, unsigned v)
{
    static const unsigned char head[] = {0xFF, 0xE1, 0x00, 34,   'E', 'x', 'i', 'f', 0, 0,
                                         'M',  'M',  0,    42,   0,   0,   0,   8, /* IFD0 */
                                         0,    1,    0x01, 0x12, 0,   3,   0,   0,   0, 1};
    buf_add(out, head, sizeof(head));
    unsigned char tail[] = {0, (unsigned char)v, 0, 0, 0, 0, 0, 0};
    buf_add(out, tail, sizeof(tail));
}

/* The segments an image needs: tables, frame, scans, restart interval, JFIF, an ICC profile and
 * Adobe's colour transform. Every other APPn (EXIF, XMP, maker notes, …) and comments go. */
static bool jpeg_keeps(unsigned m, const unsigned char *d, size_t n)
{
    if (m == 0xE0)
        return n >= 5 && (!memcmp(d, "JFIF\0", 5) || !memcmp(d, "JFXX\0", 5));
    if (m == 0xE2)
        return n >= 12 && !memcmp(d, "ICC_PROFILE\0", 12);
    if (m == 0xEE)
        return n >= 5 && !memcmp(d, "Adobe", 5);
    return !(m >= 0xE1 && m <= 0xEF) && m != 0xFE;
}

static int jpeg_clean(const unsigned char *p, size_t n, struct buf *out, struct outcome *o)
{
    size_t start = out->len, at = 2;
    bool frame = false, scan = false, oriented = false;
    buf_add(out, p, 2);
    for (;;) {
        if (at >= n || p[at] != 0xFF)
            return broken(o, "JPEG ");
        while (at < n && p[at] == 0xFF)
            at++; /* fill bytes */
        if (at >= n)
            return broken(o, "JPEG ");
        unsigned m = p[at++];
        if (m == 0xD9) { /* EOI */
            if (!frame || !scan)
                return broken(o, "JPEG ");
            break;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xD8 || m == 0x00)
            return broken(o, "JPEG "); /* no standalone marker belongs between segments */
        if (n - at < 2 || be16(p + at) < 2 || be16(p + at) > n - at)
            return broken(o, "JPEG ");
        size_t len = be16(p + at);
        const unsigned char *d = p + at + 2;
        if (m == 0xE1 && !oriented) {
            unsigned v = exif_orientation(d, len - 2);
            if (v > 1) {
                add_orientation(out, v);
                oriented = true;
            }
        }
        if ((m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC))
            frame = true;
        if (jpeg_keeps(m, d, len - 2)) {
            buf_addch(out, 0xFF);
            buf_addch(out, (int)m);
            buf_add(out, p + at, len);
        }
        at += len;
        if (m != 0xDA)
            continue;
        /* the entropy-coded data of a scan runs to the next marker that is not a stuffed zero
         * or a restart */
        if (!frame)
            return broken(o, "JPEG ");
        scan = true;
        size_t from = at;
        while (at + 1 < n && !(p[at] == 0xFF && p[at + 1] != 0x00 && p[at + 1] != 0xFF &&
                               !(p[at + 1] >= 0xD0 && p[at + 1] <= 0xD7)))
            at++;
        if (at + 1 >= n)
            return broken(o, "JPEG ");
        buf_add(out, p + from, at - from);
    }
    /* after EOI: nothing, zeros a camera padded the file with, or what phones append and the
     * image does not need, cut here: more JPEGs (the MPF's secondary images — an Ultra HDR
     * gain map, a depth map, a preview) or Samsung's trailer (its video and tags, ending in
     * SEFT). Anything else makes the file something besides an image: refused. */
    bool zeros = true;
    for (size_t i = at; i < n && zeros; i++)
        zeros = !p[i];
    bool jpegs = n - at >= 3 && p[at] == 0xFF && p[at + 1] == 0xD8 && p[at + 2] == 0xFF;
    bool samsung = n - at >= 4 && !memcmp(p + n - 4, "SEFT", 4);
    if (!zeros && !jpegs && !samsung) {
        buf_setlen(out, start);
        return trailing(o);
    }
    buf_addch(out, 0xFF);
    buf_addch(out, 0xD9);
    return 0;
}

/* ---- PNG ---- */

static bool png_keeps(const unsigned char *type)
{
    static const char *const keep[] = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA",
                                       "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs"};
    for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
        if (!memcmp(type, keep[i], 4))
            return true;
    return false;
}

static int png_clean(const unsigned char *p, size_t n, struct buf *out, struct outcome *o)
{
    size_t at = 8;
    bool header = false, data = false, end = false;
    buf_add(out, p, 8);
    while (!end) {
        if (n - at < 12)
            return broken(o, "PNG ");
        uint32_t len = be32(p + at);
        const unsigned char *type = p + at + 4;
        if (len > n - at - 12)
            return broken(o, "PNG ");
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
                return broken(o, "PNG ");
        uLong crc = crc32(0L, type, 4 + (uInt)len);
        if (crc != be32(p + at + 8 + len))
            return broken(o, "PNG ");
        bool ihdr = !memcmp(type, "IHDR", 4);
        if (ihdr != !header || (ihdr && len != 13))
            return broken(o, "PNG "); /* IHDR first, once */
        header = true;
        if (!memcmp(type, "IDAT", 4))
            data = true;
        if (!memcmp(type, "IEND", 4))
            end = true;
        if (png_keeps(type))
            buf_add(out, p + at, 12 + (size_t)len);
        else if (type[0] >= 'A' && type[0] <= 'Z')
            return broken(o, "PNG "); /* a critical chunk no viewer knows */
        at += 12 + (size_t)len;
    }
    if (!data)
        return broken(o, "PNG ");
    if (at != n)
        return trailing(o);
    return 0;
}

/* ---- WebP ---- */

static int webp_clean(const unsigned char *p, size_t n, struct buf *out, struct outcome *o)
{
    uint32_t riff = le32(p + 4);
    if (riff < 4 || riff > n - 8)
        return broken(o, "WebP ");
    if ((size_t)riff + 8 != n)
        return trailing(o);
    size_t start = out->len, at = 12;
    bool image = false;
    buf_add(out, p, 12);
    while (at < n) {
        if (n - at < 8)
            return broken(o, "WebP ");
        const unsigned char *cc = p + at;
        uint32_t len = le32(p + at + 4);
        size_t padded = (size_t)len + (len & 1);
        if (len > n - at - 8 || padded > n - at - 8)
            return broken(o, "WebP ");
        if (!memcmp(cc, "VP8 ", 4) || !memcmp(cc, "VP8L", 4) || !memcmp(cc, "ANMF", 4))
            image = true;
        if (!memcmp(cc, "VP8X", 4)) {
            if (len < 10)
                return broken(o, "WebP ");
            size_t flags = out->len + 8;
            buf_add(out, cc, 8 + padded);
            out->buf[flags] = (char)(out->buf[flags] & ~0x0C); /* no EXIF, no XMP */
        } else if (!memcmp(cc, "EXIF", 4) || !memcmp(cc, "XMP ", 4)) {
            /* where and with what: left out */
        } else if (!memcmp(cc, "VP8 ", 4) || !memcmp(cc, "VP8L", 4) || !memcmp(cc, "ALPH", 4) ||
                   !memcmp(cc, "ICCP", 4) || !memcmp(cc, "ANIM", 4) || !memcmp(cc, "ANMF", 4)) {
            buf_add(out, cc, 8 + padded);
        }
        at += 8 + padded;
    }
    if (!image) {
        buf_setlen(out, start);
        return broken(o, "WebP ");
    }
    uint32_t size = (uint32_t)(out->len - start - 8);
    unsigned char le[4] = {(unsigned char)size, (unsigned char)(size >> 8),
                           (unsigned char)(size >> 16), (unsigned char)(size >> 24)};
    memcpy(out->buf + start + 4, le, 4);
    return 0;
}

int photo_clean(const unsigned char *p, size_t n, struct buf *out, enum photo_type *type,
                struct outcome *o)
{
    size_t start = out->len;
    int rc;
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        *type = PHOTO_JPEG;
        rc = jpeg_clean(p, n, out, o);
    } else if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
        *type = PHOTO_PNG;
        rc = png_clean(p, n, out, o);
    } else if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) {
        *type = PHOTO_WEBP;
        rc = webp_clean(p, n, out, o);
    } else {
        return failed_at(o, OUT_INVALID, "file", NOT_PHOTO);
    }
    if (rc < 0)
        buf_setlen(out, start);
    return rc;
}
