#include "util/common.h"

#include <errno.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/sheet_impl.h"
#include "util/gb18030.h"
#include "util/utf8.h"

/*
 * Delimited text, streamed: raw bytes are read a chunk at a time, converted to UTF-8 (GB18030
 * by util/gb18030's tables, UTF-16 by iconv; UTF-8 is only validated) with incomplete multibyte
 * sequences carried over to the next chunk, and an RFC 4180 state machine runs over the decoded
 * text. Memory is one raw chunk, its decoded text and the current record, whatever the file size.
 */

#define CSV_CHUNK   (1024 * 1024)
#define SNIFF_LINES 50

enum csv_state { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN };

struct csv {
    int fd;
    off_t size;
    off_t consumed; /* raw bytes read so far */
    size_t bom;
    iconv_t cd;   /* UTF-16; (iconv_t)-1 for UTF-8, which is validated, not converted */
    bool gb18030; /* decoded by util/gb18030 (cd is (iconv_t)-1) */

    unsigned char *raw; /* undecoded bytes: the carry-over of the last chunk, then new ones */
    size_t raw_len;
    bool eof;       /* nothing more to read() */
    bool bad_bytes; /* decoding stopped at bytes that are not in the encoding */

    struct buf text; /* decoded UTF-8 not yet parsed from `pos` */
    size_t pos;

    char delim;
    enum csv_state st;
    bool in_record;
    bool prev_cr; /* the last character consumed was '\r' */
    long record;  /* records started so far: a record's number is its row as Excel shows it */
    size_t col;
    struct buf field;
};

static int read_raw(struct csv *c, struct buf *err)
{
    while (!c->eof && c->raw_len < CSV_CHUNK) {
        ssize_t n = read(c->fd, c->raw + c->raw_len, CSV_CHUNK - c->raw_len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return sheet_fail(err, "读取 CSV 文件失败（%s）", strerror(errno));
        }
        if (!n)
            c->eof = true;
        c->raw_len += (size_t)n;
        c->consumed += n;
    }
    return 0;
}

static void decode_utf8(struct csv *c)
{
    const char *s = (const char *)c->raw;
    size_t n = c->raw_len, i = 0;

    while (i < n) {
        unsigned cp;
        size_t k;

        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_decode(s + i, n - i, &cp);
        if (k == 1 && cp == 0xFFFD) {
            if (!c->eof && n - i < 4 && utf8_valid(s + i, n - i, true))
                break; /* a character cut by the chunk end: carry it over */
            c->bad_bytes = true;
            break;
        }
        i += k;
    }
    buf_add(&c->text, s, i);
    if (c->bad_bytes) {
        c->raw_len = 0;
    } else {
        memmove(c->raw, c->raw + i, n - i);
        c->raw_len = n - i;
    }
}

static void decode_iconv(struct csv *c)
{
    char *in = (char *)c->raw;
    size_t inleft = c->raw_len;

    while (inleft) {
        char *out;
        size_t outleft, rc;

        buf_grow(&c->text, inleft * 2 + 16);
        out = c->text.buf + c->text.len;
        outleft = c->text.alloc - c->text.len - 1;
        rc = iconv(c->cd, &in, &inleft, &out, &outleft);
        buf_setlen(&c->text, (size_t)(out - c->text.buf));
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno != EINVAL || c->eof) /* EINVAL: incomplete sequence at the chunk end */
            c->bad_bytes = true;
        break;
    }
    if (c->bad_bytes) {
        c->raw_len = 0;
    } else {
        memmove(c->raw, in, inleft);
        c->raw_len = inleft;
    }
}

/* Decodes as iconv would (gb18030.h): stops at bytes that are not GB18030 and carries a
 * character cut by the chunk end over to the next chunk. */
static void decode_gb18030(struct csv *c)
{
    size_t used;
    enum gb18030_stop st = gb18030_to_utf8(c->raw, c->raw_len, &c->text, &used);

    if (st == GB18030_INVALID || (st == GB18030_INCOMPLETE && c->eof))
        c->bad_bytes = true;
    if (c->bad_bytes) {
        c->raw_len = 0;
    } else {
        memmove(c->raw, c->raw + used, c->raw_len - used);
        c->raw_len -= used;
    }
}

/* Replace the parsed text by the next decoded chunk: 1, 0 when there is no more, -1. */
static int fill(struct csv *c, struct buf *err)
{
    buf_reset(&c->text);
    c->pos = 0;
    while (!c->text.len) {
        if (c->bad_bytes || (c->eof && !c->raw_len))
            return 0;
        if (read_raw(c, err))
            return -1;
        if (c->gb18030)
            decode_gb18030(c);
        else if (c->cd == (iconv_t)-1)
            decode_utf8(c);
        else
            decode_iconv(c);
    }
    return 1;
}

/*
 * UTF-8 with a few damaged bytes (a stray byte pasted in, a cell cut mid-character) rather than
 * GB18030: ten times more valid multibyte sequences than invalid bytes, where GB18030 text
 * shows the reverse (one valid sequence to 6-11 invalid bytes, measured on Chinese names and
 * addresses). Read as UTF-8, such a file fails at the damaged byte's own row; read as GB18030,
 * it would fail at a wrong row or turn into mojibake.
 */
static bool mostly_utf8(const unsigned char *s, size_t n, bool more)
{
    size_t valid = 0, bad = 0, i = 0;

    if (more && n > 3)
        n -= 3; /* a sequence cut by the chunk end is neither */
    while (i < n) {
        unsigned cp;
        size_t k;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_decode((const char *)s + i, n - i, &cp);
        if (k > 1)
            valid++;
        else
            bad++;
        i += k;
    }
    return valid > 10 * bad;
}

static char detect_delim(const struct buf *t)
{
    static const char cand[] = {',', '\t', ';'};
    size_t count[3] = {0, 0, 0}, lines = 0, best = 0;
    bool quoted = false;

    for (size_t i = 0; i < t->len && lines < SNIFF_LINES; i++) {
        char ch = t->buf[i];
        if (ch == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (ch == '\n')
            lines++;
        else
            for (size_t k = 0; k < ARRAY_SIZE(cand); k++)
                if (ch == cand[k])
                    count[k]++;
    }
    for (size_t k = 1; k < ARRAY_SIZE(cand); k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

static void reset_parser(struct csv *c)
{
    c->st = ST_START;
    c->in_record = false;
    c->prev_cr = false;
    c->record = 0;
    c->col = 0;
    buf_reset(&c->field);
}

static int add_field_text(struct sheet_reader *r, struct csv *c, const char *s, size_t n,
                          struct buf *err)
{
    if (c->field.len + n > SHEET_MAX_CELL_BYTES) {
        if (c->st == ST_QUOTED)
            return sheet_fail_at(r, err, r->row.number, c->col,
                                 "单元格超过 %d KiB 的上限（可能是引号没有闭合）",
                                 SHEET_MAX_CELL_BYTES / 1024);
        return sheet_fail_cell_too_long(r, err, r->row.number, c->col);
    }
    buf_add(&c->field, s, n);
    return 0;
}

static int end_field(struct sheet_reader *r, struct csv *c, struct buf *err)
{
    int ret = sheet_row_add(r, c->col, c->field.len ? CELL_TEXT : CELL_EMPTY, c->field.buf,
                            c->field.len, 0, err);
    c->col++;
    buf_reset(&c->field);
    return ret;
}

static int fail_nul(struct sheet_reader *r, struct csv *c, struct buf *err)
{
    return sheet_fail_at(r, err, c->in_record ? c->record : c->record + 1, SIZE_MAX,
                         "含有 NUL 字节，文件可能已损坏");
}

static int csv_next_row(struct sheet_reader *r, struct buf *err)
{
    struct csv *c = r->impl;

    for (;;) {
        const char *t;
        size_t i, n;

        if (c->pos == c->text.len) {
            int f = fill(c, err);
            if (f < 0)
                return -1;
            if (!f) {
                if (c->bad_bytes)
                    return sheet_fail_at(
                        r, err, c->in_record ? c->record : c->record + 1, SIZE_MAX,
                        "含有不能按 %s 解码的字节%s", r->encoding,
                        c->cd == (iconv_t)-1 && !c->gb18030
                            ? "（文件的其余部分是 "
                              "UTF-8，这里却不是：可能混用了编码或文件已损坏，请统一编码后另存）"
                            : "（文件已损坏或混用了编码）");
                if (!c->in_record)
                    return 0;
                if (c->st == ST_QUOTED)
                    return sheet_fail_at(r, err, r->row.number, c->col,
                                         "引号没有闭合，一直到文件末尾");
                c->in_record = false;
                return end_field(r, c, err) ? -1 : 1;
            }
        }
        t = c->text.buf;
        n = c->text.len;
        i = c->pos;
        while (i < n) {
            char ch = t[i];
            size_t j;

            if (!c->in_record) {
                if (ch == '\n' && c->prev_cr) { /* the LF of a CRLF that ended the record */
                    c->prev_cr = false;
                    i++;
                    continue;
                }
                c->in_record = true;
                c->st = ST_START;
                c->col = 0;
                buf_reset(&c->field);
                sheet_row_begin(r, ++c->record);
            }
            switch (c->st) {
            case ST_QUOTE_SEEN:
                if (ch == '"') {
                    c->st = ST_QUOTED;
                    i++;
                    if (add_field_text(r, c, "\"", 1, err))
                        return -1;
                    break;
                }
                /* "abc"def: be lenient like Excel and keep the rest as text */
                c->st = ST_UNQUOTED;
                /* fall through */
            case ST_START:
            case ST_UNQUOTED:
                c->prev_cr = false;
                if (ch == '"' && c->st == ST_START) {
                    c->st = ST_QUOTED;
                    i++;
                } else if (ch == c->delim) {
                    i++;
                    if (end_field(r, c, err))
                        return -1;
                    c->st = ST_START;
                } else if (ch == '\n' || ch == '\r') {
                    i++;
                    c->prev_cr = ch == '\r';
                    c->in_record = false;
                    c->pos = i;
                    return end_field(r, c, err) ? -1 : 1;
                } else if (!ch) {
                    return fail_nul(r, c, err);
                } else {
                    for (j = i + 1; j < n; j++)
                        if (t[j] == c->delim || t[j] == '\n' || t[j] == '\r' || !t[j])
                            break;
                    if (add_field_text(r, c, t + i, j - i, err))
                        return -1;
                    c->st = ST_UNQUOTED;
                    i = j;
                }
                break;
            case ST_QUOTED:
                if (ch == '"') {
                    c->st = ST_QUOTE_SEEN;
                    c->prev_cr = false;
                    i++;
                    break;
                }
                if (!ch)
                    return fail_nul(r, c, err);
                for (j = i; j < n && t[j] != '"' && t[j]; j++)
                    c->prev_cr = t[j] == '\r';
                if (add_field_text(r, c, t + i, j - i, err))
                    return -1;
                i = j;
                break;
            }
        }
        c->pos = i;
    }
}

static int csv_select(struct sheet_reader *r, size_t i, struct buf *err)
{
    struct csv *c = r->impl;

    if (lseek(c->fd, (off_t)c->bom, SEEK_SET) < 0)
        return sheet_fail(err, "无法重新读取 CSV 文件（%s）", strerror(errno));
    if (c->cd != (iconv_t)-1)
        iconv(c->cd, NULL, NULL, NULL, NULL);
    c->consumed = (off_t)c->bom;
    c->raw_len = 0;
    c->eof = false;
    c->bad_bytes = false;
    buf_reset(&c->text);
    c->pos = 0;
    reset_parser(c);
    return 0;
}

static double csv_progress(const struct sheet_reader *r)
{
    const struct csv *c = r->impl;
    return c->size > 0 ? (double)c->consumed / (double)c->size : 1.0;
}

static void csv_release(struct sheet_reader *r)
{
    struct csv *c = r->impl;

    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    free(c->raw);
    buf_release(&c->text);
    buf_release(&c->field);
    free(c);
    r->impl = NULL;
}

static const struct sheet_ops csv_ops = {
    .format = "csv",
    .select = csv_select,
    .next_row = csv_next_row,
    .progress = csv_progress,
    .release = csv_release,
};

static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    return xstrndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

int sheet_csv_open(struct sheet_reader *r, int fd, const char *path, struct buf *err)
{
    struct csv *c = xcalloc(1, sizeof(*c));
    const char *from = NULL;
    struct stat st;

    c->fd = fd;
    c->cd = (iconv_t)-1;
    c->raw = xmalloc(CSV_CHUNK);
    buf_init(&c->text, 0);
    buf_init(&c->field, 0);
    r->ops = &csv_ops;
    r->impl = c;
    if (!fstat(fd, &st))
        c->size = st.st_size;

    if (read_raw(c, err))
        return -1;
    if (c->raw_len >= 3 && !memcmp(c->raw, "\xEF\xBB\xBF", 3)) {
        c->bom = 3;
        r->encoding = "UTF-8 (BOM)";
    } else if (c->raw_len >= 2 && c->raw[0] == 0xFF && c->raw[1] == 0xFE) {
        c->bom = 2;
        r->encoding = from = "UTF-16LE";
    } else if (c->raw_len >= 2 && c->raw[0] == 0xFE && c->raw[1] == 0xFF) {
        c->bom = 2;
        r->encoding = from = "UTF-16BE";
    } else if (utf8_valid((const char *)c->raw, c->raw_len, !c->eof) ||
               mostly_utf8(c->raw, c->raw_len, !c->eof)) {
        r->encoding = "UTF-8";
    } else {
        r->encoding = from = "GB18030"; /* a superset of GBK and GB2312 */
    }
    memmove(c->raw, c->raw + c->bom, c->raw_len - c->bom);
    c->raw_len -= c->bom;
    if (from && !strcmp(from, "GB18030") && gb18030_ready()) {
        c->gb18030 = true;
    } else if (from) {
        c->cd = iconv_open("UTF-8", from);
        if (c->cd == (iconv_t)-1)
            return sheet_fail(err, "无法转换 %s 编码（iconv 不支持）", from);
    }

    r->names = xcalloc(1, sizeof(*r->names));
    r->names[0] = name_from_path(path);
    r->nsheets = 1;
    r->selected = 0;

    reset_parser(c);
    if (fill(c, err) < 0)
        return -1;
    c->delim = detect_delim(&c->text);
    return 0;
}
