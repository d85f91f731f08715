/*
 * An import's file before its rows: its SHA-256 (on a thread of its own), the sheet and the
 * header row chosen, the refusal of a header without its kind's columns, the preview an
 * import wizard shows, and the county the townships are resolved against.
 */
#include "ingest/import_impl.h"

#include <errno.h>
#include <sodium.h>

#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/view.h"
#include "store/store.h"
#include "util/common.h"

static void save_row(struct saved_row *dst, const struct row *src)
{
    dst->row.number = src->number;
    dst->row.ncells = src->ncells;
    dst->row.cells = xcalloc(src->ncells ? src->ncells : 1, sizeof(struct cell));
    for (size_t i = 0; i < src->ncells; i++) {
        dst->row.cells[i] = src->cells[i];
        dst->row.cells[i].text = xstrndup(src->cells[i].text, src->cells[i].len);
    }
}

void import_saved_rows_release(struct saved_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < rows[i].row.ncells; c++)
            free((char *)rows[i].row.cells[c].text);
        free(rows[i].row.cells);
    }
    free(rows);
}

/* Score a row as a header: how many distinct fields of this kind it names. */
static int header_score(enum import_kind kind, const struct row *r,
                        const struct import_options *opt)
{
    bool seen[F__COUNT] = {0};
    int score = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        int f = header_field(kind, r->cells[i].text, r->cells[i].len);
        for (size_t m = 0; m < opt->nmaps && f < 0; m++) {
            struct buf a = BUF_INIT, b = BUF_INIT;
            header_key(&a, r->cells[i].text, r->cells[i].len);
            header_key(&b, opt->maps[m].header, strlen(opt->maps[m].header));
            if (a.len && !strcmp(a.buf, b.buf))
                f = (int)opt->maps[m].field;
            buf_release(&a);
            buf_release(&b);
        }
        if (f >= 0 && f != F_SEQ && !seen[f]) {
            seen[f] = true;
            score++;
        }
    }
    /* A header must name the person: a name or an ID column. */
    if (!seen[F_NAME] && !seen[F_ID_NUMBER])
        return 0;
    return score;
}

/* The file as its sender knows it, for messages: an upload's own name, else the path. */
const char *import_file_shown(const struct import_options *opt)
{
    return opt->name ? opt->name : opt->path;
}

int import_file_sha256(const char *path, const char *shown, char hex[65], off_t *size,
                       struct buf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_addf(err, "无法读取文件“%s”：%s", shown, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char *chunk = xmalloc(1 << 20);
    size_t n;
    *size = 0;
    while ((n = fread(chunk, 1, 1 << 20, f)) > 0) {
        crypto_hash_sha256_update(&st, chunk, n);
        *size += (off_t)n;
    }
    int bad = ferror(f);
    fclose(f);
    free(chunk);
    if (bad) {
        buf_addf(err, "读取文件“%s”出错", shown);
        return -1;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
    return 0;
}

void *import_hash_main(void *arg)
{
    struct hash_job *j = arg;
    j->rc = import_file_sha256(j->path, j->shown, j->hex, &j->size, &j->err);
    return NULL;
}

/* Wait for the hash: 0, or -1 with the reason in err. */
int import_hash_join(struct hash_job *j, struct buf *err)
{
    if (!j->started)
        return 0;
    pthread_join(j->th, NULL);
    j->started = false;
    if (j->rc < 0)
        buf_adds(err, j->err.buf);
    return j->rc;
}

/* The kind's required columns the mapping lacks (bits of kind_required's), for the wizard. */
static json_t *missing_json(enum import_kind kind, unsigned missing)
{
    const struct kind_column *cols;
    size_t n = kind_required(kind, &cols);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!(missing & (1u << i)))
            continue;
        struct buf label = BUF_INIT;
        json_t *keys = json_array();
        kind_column_label(&label, &cols[i]);
        json_array_append_new(keys, json_string(field_key(cols[i].field)));
        for (int f = 0; f < F__COUNT; f++)
            if (cols[i].alternatives & FIELD_BIT(f))
                json_array_append_new(keys, json_string(field_key((enum field)f)));
        json_array_append_new(out, json_pack("{s:s, s:o}", "label", label.buf, "fields", keys));
        buf_release(&label);
    }
    return out;
}

/*
 * The refusal of a header without the columns that define its kind: which are missing, what
 * was recognised, what the kind needs. "…缺少学籍名单必需的列：学校名称（或学校标识码）、
 * 学籍状态。这不像学籍名单（已识别的列：姓名、身份证号、性别）…"
 */
void import_missing_message(struct buf *err, const struct import_options *opt,
                            const struct importer *im, unsigned missing, const char *where,
                            long header_row)
{
    const struct kind_column *cols;
    size_t n = kind_required(opt->kind, &cols);
    const char *kind = kind_label(opt->kind);
    /* the first two columns name the person, as in every kind: with them present, the sheet is
     * a list of people of another kind */
    bool other_kind = !(missing & 3u) && n > 2;
    bool any = false;

    buf_addf(err, "文件“%s”%s第 %ld 行（表头）缺少%s名单必需的列", import_file_shown(opt), where,
             header_row, kind);
    for (size_t i = 0, k = 0; i < n; i++)
        if (missing & (1u << i)) {
            buf_adds(err, k++ ? "、" : "：");
            kind_column_label(err, &cols[i]);
        }
    if (other_kind)
        buf_addf(err, "。这不像%s名单", kind);
    buf_adds(err, "（已识别的列：");
    for (int f = 0; f < F__COUNT; f++)
        if (im->col[f] >= 0) {
            buf_addf(err, "%s%s", any ? "、" : "", field_label((enum field)f));
            any = true;
        }
    buf_addf(err, "%s）；%s名单必须有这些列：", any ? "" : "无", kind);
    for (size_t i = 0; i < n; i++) {
        buf_adds(err, i ? "、" : "");
        kind_column_label(err, &cols[i]);
    }
    buf_adds(err, "。请确认名单类型选对了，或为表头写法不同的列指定对应的字段");
}

json_t *import_preview_json(const struct importer *im, enum import_kind kind, const struct row *h,
                            const struct saved_row *rows, size_t nrows, long hdr, unsigned missing)
{
    json_t *header = json_array(), *fields = json_array(), *sample = json_array();
    json_t *choices = json_array();
    for (size_t c = 0; c < h->ncells; c++) {
        json_t *t = json_string(im->header_text[c]);
        json_array_append_new(header, t ? t : json_string(""));
        json_array_append_new(fields, json_null());
    }
    for (int f = 0; f < F__COUNT; f++) {
        if (im->col[f] >= 0)
            json_array_set_new(fields, (size_t)im->col[f], json_string(field_key((enum field)f)));
        if (field_in_kind((enum field)f, kind))
            json_array_append_new(choices, json_pack("{s:s, s:s}", "key", field_key((enum field)f),
                                                     "label", field_label((enum field)f)));
    }
    for (size_t i = (size_t)hdr + 1; i < nrows && json_array_size(sample) < PREVIEW_SAMPLE; i++)
        if (!row_is_blank(&rows[i].row))
            json_array_append_new(sample,
                                  json_pack("{s:I, s:o}", "row", (json_int_t)rows[i].row.number,
                                            "cells", import_row_cells(im, &rows[i].row)));
    return json_pack("{s:I, s:o, s:o, s:o, s:[], s:o, s:o}", "header_row", (json_int_t)h->number,
                     "header", header, "fields", fields, "sample", sample, "problems", "choices",
                     choices, "missing", missing_json(kind, missing));
}

/* Read up to HEADER_SCAN_ROWS rows of the selected sheet and find the header among them. */
static int scan_header(struct sheet_reader *rd, const struct import_options *opt,
                       struct saved_row **rows_out, size_t *nrows_out, long *header_idx,
                       struct buf *err)
{
    struct saved_row *rows = NULL;
    size_t n = 0, alloc = 0;
    int best = 0;
    long best_idx = -1;
    const struct row *r;
    int rc;
    while (n < HEADER_SCAN_ROWS && (rc = sheet_next_row(rd, &r, err)) == 1) {
        ALLOC_GROW(rows, n + 1, alloc);
        save_row(&rows[n], r);
        int score = header_score(opt->kind, r, opt);
        if (score > best) {
            best = score;
            best_idx = (long)n;
        }
        n++;
    }
    if (n < HEADER_SCAN_ROWS && rc < 0) {
        import_saved_rows_release(rows, n);
        return -1;
    }
    *rows_out = rows;
    *nrows_out = n;
    *header_idx = best >= 2 ? best_idx : -1;
    return 0;
}

const char *import_sheet_label(struct sheet_reader *rd, struct buf *tmp)
{
    buf_reset(tmp);
    if (strcmp(sheet_format(rd), "csv"))
        buf_addf(tmp, "工作表“%s”", sheet_name(rd, sheet_selected(rd)));
    return tmp->buf;
}

int import_choose_sheet(struct sheet_reader *rd, const struct import_options *opt,
                        struct saved_row **rows, size_t *nrows, long *hdr, struct buf *err)
{
    size_t count = sheet_count(rd);
    if (opt->sheet) {
        size_t idx = count;
        char *end;
        long num = strtol(opt->sheet, &end, 10);
        if (*opt->sheet && !*end && num >= 1 && (size_t)num <= count)
            idx = (size_t)num - 1;
        for (size_t i = 0; i < count && idx == count; i++)
            if (!strcmp(sheet_name(rd, i), opt->sheet))
                idx = i;
        if (idx == count) {
            buf_addf(err, "文件“%s”中没有工作表“%s”；现有工作表：", import_file_shown(opt),
                     opt->sheet);
            for (size_t i = 0; i < count; i++)
                buf_addf(err, "%s%zu.%s", i ? "，" : "", i + 1, sheet_name(rd, i));
            return -1;
        }
        if (sheet_select(rd, idx, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0) {
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (sheet_select(rd, i, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0) {
            return -1;
        }
        if (*hdr >= 0)
            return 0;
        import_saved_rows_release(*rows, *nrows);
        *rows = NULL;
        *nrows = 0;
    }
    /* Nothing found: report on the first sheet. */
    if (sheet_select(rd, 0, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0)
        return -1;
    return 0;
}

/* Pick the county the townships are resolved against; infer it from the IDs when unset. */
void import_resolve_county(struct store *s, struct import_summary *sum, enum import_kind kind,
                           const struct saved_row *rows, size_t nrows, long hdr, int id_col)
{
    struct buf v = BUF_INIT;
    if (store_get_setting(s, "county", &v) == 1 && v.len == 6) {
        memcpy(sum->county, v.buf, 7);
        buf_release(&v);
        return;
    }
    buf_release(&v);
    if (kind != KIND_POPULATION || id_col < 0)
        return;
    /* the most common county code among the first valid IDs */
    char codes[HEADER_SCAN_ROWS][7];
    int counts[HEADER_SCAN_ROWS], distinct = 0;
    for (size_t i = (size_t)hdr + 1; i < nrows; i++) {
        size_t len;
        const char *t = cell_text(&rows[i].row, id_col, &len);
        struct resident_id rid;
        id_normalize(t, len, &rid);
        if (!rid.id[0] || (rid.flags & (ID_BAD_CHECK | ID_REGION_UNKNOWN)))
            continue;
        int k;
        for (k = 0; k < distinct && memcmp(codes[k], rid.id, 6); k++)
            ;
        if (k == distinct) {
            memcpy(codes[k], rid.id, 6);
            codes[k][6] = '\0';
            counts[k] = 0;
            distinct++;
        }
        counts[k]++;
    }
    int best = -1;
    for (int k = 0; k < distinct; k++)
        if (best < 0 || counts[k] > counts[best])
            best = k;
    size_t ntownships = 0;
    if (best >= 0)
        division_townships(codes[best], &ntownships);
    if (ntownships) {
        memcpy(sum->county, codes[best], 7);
        sum->county_inferred = true;
    }
}
