#include "util/common.h"

#include <unistd.h>

#include "ingest/sheet_xlsx_impl.h"

/*
 * .xlsx, the selected worksheet streamed into rows (sheet_xlsx_impl.h says how the reader is
 * laid out): zip_fread chunks go into expat, whose callbacks queue the rows of the chunk with
 * their cells typed (shared string, inline, number or date by its style, boolean, error);
 * the queue is drained through the row builder before the next chunk is read. And the
 * reader's verbs: open, select, next row, progress, release.
 */

/* ---- worksheet ---- */

static void queue_reset(struct xlsx *x)
{
    x->nq = x->qhead = x->ndone = x->nqc = 0;
    buf_reset(&x->qtext);
}

/* Drop the rows handed out, keeping a row that is still being parsed. */
static void queue_compact(struct xlsx *x)
{
    struct qrow pr;

    if (x->nq == x->ndone) {
        queue_reset(x);
        return;
    }
    pr = x->q[x->ndone];
    if (x->nqc > pr.first) /* qc is NULL while no cell was ever queued */
        memmove(x->qc, x->qc + pr.first, (x->nqc - pr.first) * sizeof(*x->qc));
    x->nqc -= pr.first;
    for (size_t i = 0; i < x->nqc; i++)
        if (!x->qc[i].shared)
            x->qc[i].off -= pr.text_first;
    memmove(x->qtext.buf, x->qtext.buf + pr.text_first, x->qtext.len - pr.text_first);
    buf_setlen(&x->qtext, x->qtext.len - pr.text_first);
    pr.first = 0;
    pr.text_first = 0;
    x->q[0] = pr;
    x->nq = 1;
    x->qhead = x->ndone = 0;
}

static void queue_cell(struct xlsx *x, enum cell_kind kind, const char *text, size_t len,
                       double number)
{
    struct qcell *c;

    ALLOC_GROW(x->qc, x->nqc + 1, x->qc_alloc);
    c = &x->qc[x->nqc++];
    c->col = x->cur_col;
    c->kind = kind;
    c->shared = false;
    c->number = number;
    c->off = x->qtext.len;
    c->len = len;
    buf_add(&x->qtext, text, len);
    x->q[x->nq - 1].n++;
    x->q[x->nq - 1].bytes += len;
}

static int parse_col(const char *ref, size_t *col)
{
    size_t c = 0;
    int n = 0;

    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++) {
        if (++n > 3)
            return -1;
        c = c * 26 + (size_t)((*ref | 0x20) - 'a' + 1);
    }
    if (!n)
        return -1;
    *col = c - 1;
    return 0;
}

static void finish_cell(struct xlsx *x)
{
    struct buf *t = &x->cell; /* kept between cells: no allocation per cell */
    const char *v = x->cap.buf;
    char *end;
    double d;

    buf_reset(t);
    switch (x->ctype) {
    case T_SST: {
        unsigned long long i = strtoull(v, &end, 10);
        if (!x->cap.len)
            break;
        if (end == v || *end || i >= x->nsst) {
            xlsx_fail(x, x->cur_row, x->cur_col, "共享字符串编号无效，文件已损坏");
            break;
        }
        if (!x->sst[i].len)
            break;
        queue_cell(x, CELL_TEXT, "", 0, 0);
        x->qc[x->nqc - 1].shared = true;
        x->qc[x->nqc - 1].off = (size_t)i;
        x->qc[x->nqc - 1].len = x->sst[i].len;
        x->q[x->nq - 1].bytes += x->sst[i].len;
        break;
    }
    case T_INLINE:
    case T_STR:
        xlsx_add_ooxml_text(t, v, x->cap.len);
        if (t->len)
            queue_cell(x, CELL_TEXT, t->buf, t->len, 0);
        break;
    case T_BOOL:
        if (!x->cap.len)
            break;
        d = (!strcmp(v, "1") || !strcmp(v, "true")) ? 1 : 0;
        queue_cell(x, CELL_BOOL, d ? "TRUE" : "FALSE", d ? 4 : 5, d);
        break;
    case T_ERR:
        if (x->cap.len)
            queue_cell(x, CELL_ERROR, v, x->cap.len, 0);
        break;
    case T_DATE:
        d = sheet_serial_from_text(v);
        if (d > 0 && !sheet_format_serial(t, d, false))
            queue_cell(x, CELL_DATE, t->buf, t->len, d);
        else if (x->cap.len)
            queue_cell(x, CELL_TEXT, v, x->cap.len, 0);
        break;
    case T_NUM:
        if (!x->cap.len)
            break;
        d = strtod(v, &end);
        while (*end == ' ')
            end++;
        if (end == v || *end) { /* not a number after all: keep what is there */
            queue_cell(x, CELL_TEXT, v, x->cap.len, 0);
            break;
        }
        if (x->style < x->nxf && x->xf_date[x->style] && !sheet_format_serial(t, d, x->date1904)) {
            queue_cell(x, CELL_DATE, t->buf, t->len, d);
            break;
        }
        sheet_format_number(t, d);
        queue_cell(x, CELL_NUMBER, t->buf, t->len, d);
        break;
    }
    if (x->q[x->nq - 1].bytes > SHEET_MAX_ROW_BYTES)
        xlsx_fail(x, x->cur_row, SIZE_MAX, "这一行超过 %d MiB 的上限",
                  SHEET_MAX_ROW_BYTES / (1024 * 1024));
}

/* The worksheet's elements the reader acts on, by local name: a switch on the first letter
 * instead of a chain of strcmp for each of the millions of elements of a large sheet. */
enum ws_elem { WE_OTHER, WE_SHEETDATA, WE_ROW, WE_C, WE_V, WE_IS, WE_T, WE_RPH };

static enum ws_elem ws_elem_of(const char *name)
{
    const char *n = name;
    for (const char *p = name; *p; p++)
        if (*p == ':')
            n = p + 1;
    switch (n[0]) {
    case 'c':
        return n[1] ? WE_OTHER : WE_C;
    case 'v':
        return n[1] ? WE_OTHER : WE_V;
    case 't':
        return n[1] ? WE_OTHER : WE_T;
    case 'i':
        return strcmp(n, "is") ? WE_OTHER : WE_IS;
    case 'r':
        return !strcmp(n, "row") ? WE_ROW : !strcmp(n, "rPh") ? WE_RPH : WE_OTHER;
    case 's':
        return strcmp(n, "sheetData") ? WE_OTHER : WE_SHEETDATA;
    default:
        return WE_OTHER;
    }
}

/* A cell's r, t and s attributes in one pass (the first of each, as xlsx_attr finds it). */
static void cell_attrs(const char **atts, const char **r, const char **t, const char **s)
{
    *r = *t = *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        for (const char *p = atts[i]; *p; p++)
            if (*p == ':')
                n = p + 1;
        if (!n[0] || n[1])
            continue;
        const char **slot = n[0] == 'r' ? r : n[0] == 't' ? t : n[0] == 's' ? s : NULL;
        if (slot && !*slot)
            *slot = atts[i + 1];
    }
}

static void ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    enum ws_elem e = ws_elem_of(name);
    const char *a;

    if (x->has_err)
        return;
    if (e == WE_SHEETDATA) {
        x->in_sd = true;
    } else if (e == WE_ROW && x->in_sd) {
        long num = x->last_row + 1;
        if (x->in_row) {
            xlsx_fail(x, x->cur_row, SIZE_MAX, "文件已损坏，行套着行");
            return;
        }
        a = xlsx_attr(atts, "r");
        if (a) {
            char *end;
            num = strtol(a, &end, 10);
            if (end == a || *end)
                num = 0;
        }
        if (num < 1 || num > ROW_MAX) {
            xlsx_fail(x, x->last_row + 1, SIZE_MAX, "行号无效，文件已损坏");
            return;
        }
        if (num <= x->last_row) { /* Excel writes rows in order, each once */
            xlsx_fail(x, num, SIZE_MAX, "行号重复或顺序颠倒（前面已有第 %ld 行），文件已损坏",
                      x->last_row);
            return;
        }
        x->cur_row = num;
        x->next_col = 0;
        x->in_row = true;
        ALLOC_GROW(x->q, x->nq + 1, x->q_alloc);
        x->q[x->nq].number = num;
        x->q[x->nq].first = x->nqc;
        x->q[x->nq].n = 0;
        x->q[x->nq].text_first = x->qtext.len;
        x->q[x->nq].bytes = 0;
        x->nq++;
    } else if (e == WE_C && x->in_row) {
        const char *ra, *ta, *sa;
        cell_attrs(atts, &ra, &ta, &sa);
        x->cur_col = x->next_col;
        if (ra && parse_col(ra, &x->cur_col)) {
            xlsx_fail(x, x->cur_row, SIZE_MAX, "单元格位置无效，文件已损坏");
            return;
        }
        if (x->cur_col >= SHEET_MAX_COLUMNS) {
            xlsx_fail(x, x->cur_row, SIZE_MAX, "超过 %d 列的上限", SHEET_MAX_COLUMNS);
            return;
        }
        a = ta;
        x->ctype = !a || !strcmp(a, "n")     ? T_NUM
                   : !strcmp(a, "s")         ? T_SST
                   : !strcmp(a, "inlineStr") ? T_INLINE
                   : !strcmp(a, "str")       ? T_STR
                   : !strcmp(a, "b")         ? T_BOOL
                   : !strcmp(a, "e")         ? T_ERR
                   : !strcmp(a, "d")         ? T_DATE
                                             : T_STR;
        x->style = sa ? (unsigned)strtoul(sa, NULL, 10) : 0;
        x->in_cell = true;
        x->in_is = false;
        x->rph = 0;
        buf_reset(&x->cap);
    } else if (x->in_cell) {
        if (e == WE_V)
            x->capture = !x->in_is;
        else if (e == WE_IS)
            x->in_is = true;
        else if (e == WE_RPH)
            x->rph++;
        else if (e == WE_T && x->in_is && !x->rph)
            x->capture = true;
    }
}

static void ws_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    enum ws_elem e = ws_elem_of(name);

    if (x->has_err)
        return;
    if (e == WE_V || e == WE_T) {
        x->capture = false;
    } else if (e == WE_RPH) {
        x->rph--;
    } else if (e == WE_IS) {
        x->in_is = false;
    } else if (e == WE_C && x->in_cell) {
        if (x->ctype != T_INLINE && x->in_is)
            x->ctype = T_INLINE;
        finish_cell(x);
        x->in_cell = false;
        x->capture = false;
        x->next_col = x->cur_col + 1;
    } else if (e == WE_ROW && x->in_row) {
        x->in_row = false;
        x->last_row = x->cur_row;
        x->ndone = x->nq;
    } else if (e == WE_SHEETDATA) {
        x->in_sd = false;
    }
}

static void close_sheet(struct xlsx *x)
{
    if (x->zf)
        zip_fclose(x->zf);
    x->zf = NULL;
    if (x->xp)
        XML_ParserFree(x->xp);
    x->xp = NULL;
}

static int xlsx_select(struct sheet_reader *r, size_t i, struct buf *err)
{
    struct xlsx *x = r->impl;
    const char *part = x->sheets[i].part;
    zip_int64_t idx;
    zip_stat_t st;

    close_sheet(x);
    queue_reset(x);
    x->has_err = x->xml_done = x->in_sd = x->in_row = x->in_cell = x->in_is = x->capture = false;
    x->in_si = false;
    x->rph = 0;
    x->cur_row = x->last_row = 0;
    x->next_row = 1;
    x->part_read = 0;
    x->part_size = 0;
    idx = part ? zip_name_locate(x->zip, part, ZIP_FL_NOCASE) : -1;
    if (idx < 0)
        return sheet_fail_at(r, err, 0, SIZE_MAX, "文件已损坏，找不到这个工作表的数据");
    zip_stat_init(&st);
    if (!zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) && (st.valid & ZIP_STAT_SIZE))
        x->part_size = st.size;
    if (xlsx_unzip_over(x, x->part_size)) {
        buf_reset(err);
        xlsx_unzip_message(x, err);
        return -1;
    }
    x->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!x->zf)
        return sheet_fail_at(r, err, 0, SIZE_MAX, "文件已损坏，无法读取（%s）",
                             zip_strerror(x->zip));
    xlsx_xml_create(x, ws_start, ws_end, "工作表");
    return 0;
}

/* Parse chunks until rows are queued, the sheet ends, or an error is remembered. */
static void pump(struct xlsx *x)
{
    while (x->qhead == x->ndone && !x->xml_done && !x->has_err) {
        zip_int64_t n;
        long near;

        queue_compact(x);
        n = zip_fread(x->zf, x->chunk, XML_CHUNK);
        near = x->in_row ? x->cur_row : x->last_row + 1;
        if (n < 0) {
            xlsx_fail(x, near, SIZE_MAX, "文件已损坏或不完整，数据读不出来（%s）",
                      zip_file_strerror(x->zf));
            break;
        }
        x->part_read += (zip_uint64_t)n;
        if (x->part_read > PART_MAX) {
            xlsx_fail(x, near, SIZE_MAX, "解压后超过 2 GiB，拒绝读取（可能是恶意构造的文件）");
            break;
        }
        if (xlsx_unzip_over(x, (zip_uint64_t)n)) {
            struct buf m = BUF_INIT;
            xlsx_unzip_message(x, &m);
            xlsx_fail(x, -1, 0, "%s", m.buf);
            buf_release(&m);
            break;
        }
        x->unzipped += (zip_uint64_t)n;
        if (XML_Parse(x->xp, x->chunk, (int)n, n == 0) != XML_STATUS_OK) {
            near = x->in_row ? x->cur_row : x->last_row + 1;
            xlsx_fail(x, near, SIZE_MAX, "文件已损坏或不完整，XML %s",
                      xlsx_xml_reason(XML_GetErrorCode(x->xp)));
            break;
        }
        if (!n)
            x->xml_done = true;
    }
}

static int xlsx_next_row(struct sheet_reader *r, struct buf *err)
{
    struct xlsx *x = r->impl;
    const struct qrow *q;

    if (!x->xp)
        return 0;
    if (x->qhead == x->ndone)
        pump(x);
    if (x->qhead == x->ndone) {
        if (x->has_err)
            return sheet_fail(err, "%s", x->perr.buf);
        return 0;
    }
    q = &x->q[x->qhead];
    if (q->number > x->next_row) { /* rows the XML skips are empty rows */
        sheet_row_begin(r, x->next_row++);
        return 1;
    }
    sheet_row_begin(r, q->number);
    for (size_t k = 0; k < q->n; k++) {
        const struct qcell *c = &x->qc[q->first + k];
        const char *text = c->shared ? x->sst_text.buf + x->sst[c->off].off : x->qtext.buf + c->off;
        if (sheet_row_add(r, c->col, c->kind, text, c->len, c->number, err))
            return -1;
    }
    if (q->number >= x->next_row)
        x->next_row = q->number + 1;
    x->qhead++;
    return 1;
}

static double xlsx_progress(const struct sheet_reader *r)
{
    const struct xlsx *x = r->impl;
    if (x->xml_done)
        return 1;
    return x->part_size ? (double)x->part_read / (double)x->part_size : 0;
}

static void xlsx_release(struct sheet_reader *r)
{
    struct xlsx *x = r->impl;

    if (!x)
        return;
    close_sheet(x);
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; x->sheets && i < r->nsheets; i++) {
        free(x->sheets[i].rid);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    xlsx_free_rels(x);
    free(x->wb_dir);
    free(x->fmts);
    free(x->xf_fmt);
    free(x->xf_date);
    buf_release(&x->sst_text);
    free(x->sst);
    buf_release(&x->perr);
    buf_release(&x->cap);
    buf_release(&x->cell);
    free(x->chunk);
    free(x->q);
    free(x->qc);
    buf_release(&x->qtext);
    free(x);
    r->impl = NULL;
}

static const struct sheet_ops xlsx_ops = {
    .format = "xlsx",
    .select = xlsx_select,
    .next_row = xlsx_next_row,
    .progress = xlsx_progress,
    .release = xlsx_release,
};

int sheet_xlsx_open(struct sheet_reader *r, int fd, const char *path, struct buf *err)
{
    struct xlsx *x = xcalloc(1, sizeof(*x));
    int zerr = 0;

    x->r = r;
    buf_init(&x->sst_text, 0);
    buf_init(&x->perr, 0);
    buf_init(&x->cap, 0);
    buf_init(&x->cell, 0);
    buf_init(&x->qtext, 0);
    r->ops = &xlsx_ops;
    r->impl = x;
    r->encoding = "UTF-8";

    x->unzip_budget =
        r->file_size > UNZIP_MAX / UNZIP_RATIO ? UNZIP_MAX : r->file_size * UNZIP_RATIO;
    if (x->unzip_budget < UNZIP_FLOOR)
        x->unzip_budget = UNZIP_FLOOR;
    x->zip = zip_fdopen(fd, 0, &zerr);
    if (!x->zip) {
        close(fd);
        return sheet_fail(err, "xlsx 文件已损坏或不完整，无法读取 zip 目录（文件可能只传了一半）");
    }
    if (xlsx_read_book(x, err) < 0)
        return -1;
    x->chunk = xmalloc(XML_CHUNK);
    r->selected = 0;
    return xlsx_select(r, 0, err);
}
