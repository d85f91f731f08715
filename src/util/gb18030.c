#include "util/gb18030.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>

#include "util/common.h"

/*
 * Tables (about 250 KB), filled from iconv: iconv is the reference the decoder must agree
 * with (glibc's GB18030 has changed between releases: GB18030-2005 and -2022 map a few dozen
 * codes differently), so asking it once keeps the two identical on every system.
 *
 *   one[b]       b = 0x80..0xFF alone: its code point, ONE_LEAD (a lead byte) or 0 (invalid)
 *   two[i]       lead 0x81..0xFE, trail 0x40..0xFF: i = (lead - 0x81) * 192 + trail - 0x40
 *   four[i]      the four-byte codes 81 30 81 30 .. 84 31 A4 39 (the rest of the BMP), i
 *                their linear index ((b1 - 0x81) * 10 + b2 - 0x30) * 1260 + (b3 - 0x81) * 10
 *                + b4 - 0x30
 * 0 marks a code iconv refuses. Four-byte codes from 90 30 81 30 on are U+10000 upwards.
 */
#define ONE_LEAD   0xFFFFFFFFu
#define TWO_SIZE   (126 * 192)
#define FOUR_BMP   39420u  /* 84 31 A4 39 + 1 */
#define FOUR_SUPP  189000u /* linear index of 90 30 81 30 = U+10000 */
#define FOUR_LIMIT (FOUR_SUPP + 0x100000u)

static uint32_t one[128];
static uint32_t two[TWO_SIZE];
static uint32_t four[FOUR_BMP];
static bool ready;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* What iconv makes of in[0..n): the code point of one whole character, ONE_LEAD when the
 * bytes are the start of one, 0 when it refuses them. */
static uint32_t ask_iconv(iconv_t cd, const unsigned char *in, size_t n)
{
    char ib[4], ob[16];
    char *ip = ib, *op = ob;
    size_t il = n, ol = sizeof(ob);
    unsigned char *u = (unsigned char *)ob;

    memcpy(ib, in, n);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        return errno == EINVAL ? ONE_LEAD : 0;
    if (il || op == ob)
        return 0;
    /* exactly one UTF-8 character out, or the table cannot hold it */
    size_t len = (size_t)(op - ob);
    uint32_t cp;
    if (len == 1 && u[0] < 0x80)
        cp = u[0];
    else if (len == 2 && (u[0] & 0xE0) == 0xC0)
        cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    else if (len == 3 && (u[0] & 0xF0) == 0xE0)
        cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    else if (len == 4 && (u[0] & 0xF8) == 0xF0) /* two-byte codes of CJK Ext. B (FE 51 …) */
        cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
             (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    else
        return 0;
    return cp;
}

static void build(void)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    unsigned char b[4];

    if (cd == (iconv_t)-1)
        return;
    for (unsigned i = 0x80; i <= 0xFF; i++) {
        b[0] = (unsigned char)i;
        one[i - 0x80] = ask_iconv(cd, b, 1);
    }
    for (unsigned lead = 0x81; lead <= 0xFE; lead++)
        for (unsigned trail = 0x40; trail <= 0xFF; trail++) {
            uint32_t cp;
            b[0] = (unsigned char)lead;
            b[1] = (unsigned char)trail;
            cp = ask_iconv(cd, b, 2);
            two[(lead - 0x81) * 192 + trail - 0x40] = cp == ONE_LEAD ? 0 : cp;
        }
    for (unsigned i = 0; i < FOUR_BMP; i++) {
        uint32_t cp;
        b[0] = (unsigned char)(0x81 + i / 12600);
        b[1] = (unsigned char)(0x30 + i / 1260 % 10);
        b[2] = (unsigned char)(0x81 + i / 10 % 126);
        b[3] = (unsigned char)(0x30 + i % 10);
        cp = ask_iconv(cd, b, 4);
        four[i] = cp == ONE_LEAD ? 0 : cp;
    }
    iconv_close(cd);
    ready = true;
}

bool gb18030_ready(void)
{
    pthread_once(&once, build);
    return ready;
}

static inline size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

enum gb18030_stop gb18030_to_utf8(const unsigned char *in, size_t n, struct buf *out, size_t *used)
{
    enum gb18030_stop stop = GB18030_DONE;
    size_t i = 0;
    char *o;

    /* one byte makes at most 1 byte of UTF-8 (or 3 if iconv maps it alone), two make at
     * most 4, four make 4: twice the input, and three times for lone bytes */
    buf_grow(out, n * 3 + 8);
    o = out->buf + out->len;
    while (i < n) {
        uint32_t c = in[i], cp;

        if (c < 0x80) {
            *o++ = (char)c;
            i++;
            continue;
        }
        cp = one[c - 0x80];
        if (cp != ONE_LEAD) { /* a byte that stands alone, or one iconv refuses */
            if (!cp) {
                stop = GB18030_INVALID;
                break;
            }
            o += put_utf8(o, cp);
            i++;
            continue;
        }
        if (i + 1 >= n) {
            stop = GB18030_INCOMPLETE;
            break;
        }
        uint32_t c2 = in[i + 1];
        if (c2 >= 0x30 && c2 <= 0x39) {
            if (i + 3 >= n) {
                stop = GB18030_INCOMPLETE;
                break;
            }
            uint32_t c3 = in[i + 2], c4 = in[i + 3];
            if (c < 0x81 || c > 0xFE || c3 < 0x81 || c3 > 0xFE || c4 < 0x30 || c4 > 0x39) {
                stop = GB18030_INVALID;
                break;
            }
            uint32_t idx = (((c - 0x81) * 10 + c2 - 0x30) * 126 + c3 - 0x81) * 10 + c4 - 0x30;
            if (idx < FOUR_BMP)
                cp = four[idx];
            else if (idx >= FOUR_SUPP && idx < FOUR_LIMIT)
                cp = idx - FOUR_SUPP + 0x10000;
            else
                cp = 0;
            if (!cp) {
                stop = GB18030_INVALID;
                break;
            }
            o += put_utf8(o, cp);
            i += 4;
        } else {
            cp = c >= 0x81 && c <= 0xFE && c2 >= 0x40 ? two[(c - 0x81) * 192 + c2 - 0x40] : 0;
            if (!cp) {
                stop = GB18030_INVALID;
                break;
            }
            o += put_utf8(o, cp);
            i += 2;
        }
    }
    buf_setlen(out, (size_t)(o - out->buf));
    *used = i;
    return stop;
}
