#include "util/common.h"

#include <errno.h>
#include <iconv.h>

#include "demo/demo_internal.h"

/*
 * A text file written in large chunks: rows are formatted into one buffer, converted to
 * GB18030 a chunk at a time when asked (the way Excel on Chinese Windows saves CSV), and
 * written with one fwrite per chunk. Chunks end at row boundaries, so no character is split.
 */

#define SINK_CHUNK (4u << 20)

int sink_open(struct sink *s, const char *path, bool gb18030)
{
    memset(s, 0, sizeof(*s));
    buf_init(&s->b, SINK_CHUNK + 65536);
    buf_init(&s->conv, 0);
    s->path = path;
    s->f = fopen(path, "wb");
    if (!s->f) {
        s->failed = 1;
        s->saved_errno = errno;
        return -1;
    }
    if (gb18030) {
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        if (cd == (iconv_t)-1) {
            s->failed = 1;
            s->saved_errno = errno;
            return -1;
        }
        s->iconv = cd;
    }
    return 0;
}

static void sink_flush(struct sink *s)
{
    if (!s->b.len || s->failed) {
        buf_reset(&s->b);
        return;
    }
    const char *data = s->b.buf;
    size_t len = s->b.len;
    if (s->iconv) {
        /* one UTF-8 byte never becomes more than two GB18030 bytes */
        buf_reset(&s->conv);
        buf_grow(&s->conv, 2 * len + 16);
        char *in = s->b.buf, *out = s->conv.buf;
        size_t inleft = len, outleft = s->conv.alloc - 1;
        if (iconv((iconv_t)s->iconv, &in, &inleft, &out, &outleft) == (size_t)-1) {
            s->failed = 1;
            s->saved_errno = errno;
            buf_reset(&s->b);
            return;
        }
        data = s->conv.buf;
        len = (size_t)(out - s->conv.buf);
    }
    if (fwrite(data, 1, len, s->f) != len) {
        s->failed = 1;
        s->saved_errno = errno;
    }
    buf_reset(&s->b);
}

void sink_maybe_flush(struct sink *s)
{
    if (s->b.len >= SINK_CHUNK)
        sink_flush(s);
}

int sink_close(struct sink *s, struct buf *err)
{
    int ret = 0;
    if (s->f) {
        sink_flush(s);
        if (fclose(s->f) != 0 && !s->failed) {
            s->failed = 1;
            s->saved_errno = errno;
        }
        s->f = NULL;
    }
    if (s->iconv)
        iconv_close((iconv_t)s->iconv);
    s->iconv = NULL;
    if (s->failed) {
        buf_addf(err, "无法写入文件 %s：%s", s->path, strerror(s->saved_errno));
        ret = -1;
    }
    buf_release(&s->b);
    buf_release(&s->conv);
    return ret;
}

void put_uint(struct buf *b, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_add(b, tmp + sizeof(tmp) - n, (size_t)n);
}

void put_uint_width(struct buf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    buf_add(b, tmp + sizeof(tmp) - n, (size_t)n);
}
