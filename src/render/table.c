#include "render/table.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "core/view.h"
#include "core/words.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/csvout.h"
#include "util/utf8.h"

int report_format_parse(const char *s, enum report_format *out)
{
    static const char *const names[] = {"table", "csv", "xlsx", "json", "pdf"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (!strcmp(s, names[i])) {
            *out = (enum report_format)i;
            return 0;
        }
    return -1;
}

const char *report_format_name(enum report_format f)
{
    static const char *const names[] = {[FMT_TABLE] = "终端表格",
                                        [FMT_CSV] = "CSV",
                                        [FMT_XLSX] = "XLSX",
                                        [FMT_JSON] = "JSON",
                                        [FMT_PDF] = "PDF"};
    return f <= FMT_PDF ? names[f] : "";
}

int report_format_from_path(const char *path, enum report_format *out)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot)
        return -1;
    if (!strcasecmp(dot, ".csv"))
        *out = FMT_CSV;
    else if (!strcasecmp(dot, ".xlsx"))
        *out = FMT_XLSX;
    else if (!strcasecmp(dot, ".json"))
        *out = FMT_JSON;
    else if (!strcasecmp(dot, ".pdf"))
        *out = FMT_PDF;
    else if (!strcasecmp(dot, ".txt"))
        *out = FMT_TABLE;
    else
        return -1;
    return 0;
}

void table_init(struct report_table *t, const char *title, const char *array_key,
                const struct table_col *cols, size_t ncols)
{
    memset(t, 0, sizeof(*t));
    t->title = title;
    t->array_key = array_key;
    t->cols = cols;
    t->ncols = ncols;
    buf_init(&t->footer, 0);
}

void table_init_view(struct report_table *t, const char *title, const char *array_key,
                     const struct table_col *cols, size_t ncols, const struct view *v)
{
    table_init(t, title, array_key, cols, ncols);
    if (v->full)
        return;
    struct table_col *shown = xcalloc(ncols, sizeof(*shown));
    t->slot = xcalloc(ncols, sizeof(*t->slot));
    t->ncols = 0;
    for (size_t c = 0; c < ncols; c++) {
        t->slot[c] = cols[c].type == COL_BIRTH ? SIZE_MAX : t->ncols;
        if (cols[c].type != COL_BIRTH)
            shown[t->ncols++] = cols[c];
    }
    t->cols = shown;
}

void table_release(struct report_table *t)
{
    if (t->slot) {
        free(t->slot);
        free((void *)t->cols);
    }
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    for (size_t i = 0; i < t->nmeta; i++) {
        free(t->meta[i].key);
        free(t->meta[i].value);
    }
    free(t->meta);
    buf_release(&t->footer);
    free(t->caption);
    free(t->subtitle);
    json_decref(t->json_extra);
    for (size_t i = 0; i < t->nnotes; i++)
        free(t->notes[i]);
    free(t->notes);
}

void table_add_row(struct report_table *t)
{
    if (t->has_totals) /* a programming error: the totals row is the last one */
        abort();
    ALLOC_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(char *));
    t->nrows++;
}

/* The cell of the current row that column `col` (as the caller numbers them) is stored in;
 * NULL when the view leaves the column out. */
static char **cell_at(struct report_table *t, size_t col)
{
    if (t->slot && (col = t->slot[col]) == SIZE_MAX)
        return NULL;
    return &t->cells[(t->nrows - 1) * t->ncols + col];
}

void table_set(struct report_table *t, size_t col, const char *text)
{
    char **cell = cell_at(t, col);
    if (!cell)
        return;
    free(*cell);
    *cell = text ? xstrdup(text) : NULL;
}

void table_setf(struct report_table *t, size_t col, const char *fmt, ...)
{
    char **cell = cell_at(t, col);
    if (!cell)
        return;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(*cell);
    *cell = buf_detach(&b, NULL);
}

void table_caption(struct report_table *t, const char *caption, const char *subtitle)
{
    free(t->caption);
    free(t->subtitle);
    t->caption = caption ? xstrdup(caption) : NULL;
    t->subtitle = subtitle ? xstrdup(subtitle) : NULL;
}

void table_add_totals(struct report_table *t)
{
    table_add_row(t);
    t->has_totals = true;
}

void table_note(struct report_table *t, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    ALLOC_GROW(t->notes, t->nnotes + 1, t->notes_alloc);
    t->notes[t->nnotes++] = buf_detach(&b, NULL);
}

void table_note_view(struct report_table *t, const struct view *v, bool phones)
{
    struct buf b = BUF_INIT;
    view_note(v, phones, &b);
    if (b.len)
        table_note(t, "%s", b.buf);
    buf_release(&b);
}

void table_meta(struct report_table *t, const char *key, const char *value, enum meta_type type)
{
    ALLOC_GROW(t->meta, t->nmeta + 1, t->meta_alloc);
    t->meta[t->nmeta].key = xstrdup(key);
    t->meta[t->nmeta].value = xstrdup(value);
    t->meta[t->nmeta].type = type;
    t->nmeta++;
}

const char *table_meta_value(const struct report_table *t, const char *key)
{
    for (size_t i = 0; i < t->nmeta; i++)
        if (!strcmp(t->meta[i].key, key))
            return t->meta[i].value;
    return NULL;
}

static const char *cell(const struct report_table *t, size_t r, size_t c)
{
    const char *v = t->cells[r * t->ncols + c];
    return v ? v : "";
}

static void pad(struct buf *b, const char *s, size_t width, bool right)
{
    size_t w = utf8_width(s, strlen(s));
    if (right)
        buf_addchars(b, ' ', width > w ? width - w : 0);
    buf_adds(b, s);
    if (!right)
        buf_addchars(b, ' ', width > w ? width - w : 0);
}

/* The columns people read: all but the ones for programs (JSON only). */
static bool shown(const struct table_col *c)
{
    return c->type != COL_KEY && c->type != COL_FLAG;
}

/* The last column people read (0 when none is). */
static size_t last_shown(const struct report_table *t)
{
    size_t last = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (shown(&t->cols[c]))
            last = c;
    return last;
}

static void render_table(const struct report_table *t, struct buf *out)
{
    size_t *w = xcalloc(t->ncols, sizeof(size_t));
    size_t lastc = last_shown(t);
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = utf8_width(t->cols[c].label, strlen(t->cols[c].label));
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = utf8_width(cell(t, r, c), strlen(cell(t, r, c)));
            if (cw > w[c])
                w[c] = cw;
        }
    }
    if (t->caption)
        buf_addf(out, "%s\n%s%s", t->caption, t->subtitle ? t->subtitle : "",
                 t->subtitle ? "\n" : "");
    else if (t->title)
        buf_addf(out, "%s\n", t->title);
    for (size_t c = 0; c < t->ncols; c++) {
        if (!shown(&t->cols[c]))
            continue;
        pad(out, t->cols[c].label, c != lastc || t->cols[c].type == COL_INT ? w[c] : 0,
            t->cols[c].type == COL_INT || t->cols[c].type == COL_REAL);
        buf_adds(out, c != lastc ? "  " : "\n");
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (!shown(&t->cols[c]))
            continue;
        buf_addchars(out, '-', w[c]);
        buf_adds(out, c != lastc ? "  " : "\n");
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->has_totals && r + 1 == t->nrows)
            for (size_t c = 0; c < t->ncols; c++) {
                if (!shown(&t->cols[c]))
                    continue;
                buf_addchars(out, '-', w[c]);
                buf_adds(out, c != lastc ? "  " : "\n");
            }
        for (size_t c = 0; c < t->ncols; c++) {
            if (!shown(&t->cols[c]))
                continue;
            bool last = c == lastc;
            pad(out, cell(t, r, c), last && t->cols[c].type != COL_INT ? 0 : w[c],
                t->cols[c].type == COL_INT || t->cols[c].type == COL_REAL);
            buf_adds(out, last ? "\n" : "  ");
        }
    }
    for (size_t i = 0; i < t->nnotes; i++)
        buf_addf(out, "%s%s\n", i ? "" : "\n", t->notes[i]);
    if (t->footer.len)
        buf_addf(out, "%s", t->footer.buf);
    free(w);
}

static void render_csv(const struct report_table *t, struct buf *out)
{
    buf_adds(out, "\xEF\xBB\xBF");
    bool first = true;
    for (size_t c = 0; c < t->ncols; c++)
        if (shown(&t->cols[c])) {
            csv_field(out, t->cols[c].label, strlen(t->cols[c].label), first);
            first = false;
        }
    buf_adds(out, "\r\n");
    for (size_t r = 0; r < t->nrows; r++) {
        first = true;
        for (size_t c = 0; c < t->ncols; c++)
            if (shown(&t->cols[c])) {
                csv_field(out, cell(t, r, c), strlen(cell(t, r, c)), first);
                first = false;
            }
        buf_adds(out, "\r\n");
    }
}

static json_t *json_value(const char *v, int is_int)
{
    if (is_int == 2) {
        char *end;
        double x = *v ? strtod(v, &end) : 0;
        return *v && !*end ? json_real(x) : json_null();
    }
    if (is_int) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*v && !*end)
            return json_integer(n);
        return json_null();
    }
    return json_string(v);
}

/* "脱贫户、留守儿童" as ["脱贫户", "留守儿童"]; "" as []. */
static json_t *json_list(const char *text)
{
    static const char sep[] = "、";
    json_t *a = json_array();
    while (*text) {
        const char *e = strstr(text, sep);
        size_t n = e ? (size_t)(e - text) : strlen(text);
        if (n)
            json_array_append_new(a, json_stringn(text, n));
        text += n + (e ? strlen(sep) : 0);
    }
    return a;
}

/* "脱贫户、低保" of vocabulary v → [{"key": "poverty", "label": "脱贫户"}, …] */
static json_t *json_words(const char *text, const struct vocab *v)
{
    json_t *labels = json_list(text), *a = json_array(), *l;
    size_t i;
    json_array_foreach(labels, i, l)
    {
        int k = v ? vocab_parse(v, json_string_value(l)) : -1;
        json_array_append_new(a, json_pack("{s:o,s:O}", "key",
                                           k >= 0 ? json_string(v->words[k].key) : json_null(),
                                           "label", l));
    }
    json_decref(labels);
    return a;
}

void table_json_set(struct report_table *t, const char *key, json_t *value)
{
    if (!t->json_extra)
        t->json_extra = json_object();
    json_object_set_new(t->json_extra, key, value);
}

json_t *table_to_json(const struct report_table *t)
{
    json_t *root = json_object();
    for (size_t i = 0; i < t->nmeta; i++)
        json_object_set_new(root, t->meta[i].key,
                            t->meta[i].type == META_BOOL
                                ? json_boolean(!strcmp(t->meta[i].value, "true"))
                                : json_value(t->meta[i].value, t->meta[i].type == META_INT));
    if (t->caption)
        json_object_set_new(root, "caption", json_string(t->caption));
    if (t->subtitle)
        json_object_set_new(root, "subtitle", json_string(t->subtitle));
    json_t *arr = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *o = json_object();
        for (size_t c = 0; c < t->ncols; c++)
            json_object_set_new(o, t->cols[c].key,
                                t->cols[c].type == COL_FLAG
                                    ? json_boolean(!strcmp(cell(t, r, c), "1"))
                                : t->cols[c].type == COL_LIST ? json_list(cell(t, r, c))
                                : t->cols[c].type == COL_WORDS
                                    ? json_words(cell(t, r, c), t->words)
                                    : json_value(cell(t, r, c), t->cols[c].type == COL_INT    ? 1
                                                                : t->cols[c].type == COL_REAL ? 2
                                                                                              : 0));
        if (t->has_totals && r + 1 == t->nrows)
            json_object_set_new(root, "totals", o);
        else
            json_array_append_new(arr, o);
    }
    json_object_set_new(root, t->array_key, arr);
    if (t->json_extra)
        json_object_update(root, t->json_extra);
    if (t->nnotes) {
        json_t *notes = json_array();
        for (size_t i = 0; i < t->nnotes; i++)
            json_array_append_new(notes, json_string(t->notes[i]));
        json_object_set_new(root, "notes", notes);
    }
    return root;
}

static void render_json(const struct report_table *t, struct buf *out)
{
    json_t *root = table_to_json(t);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_OUT_REALS);
    json_decref(root);
    buf_adds(out, s);
    buf_addch(out, '\n');
    free(s);
}

/* Excel's limit of rows on a sheet. */
#define XLSX_MAX_ROWS 1048576u

static int render_xlsx(const struct report_table *t, const char *path, struct buf *err)
{
    /* a form has its caption and subtitle above the header, its notes below the rows */
    size_t top = t->caption ? (t->subtitle ? 2 : 1) : 0;
    size_t total_rows = top + 1 + t->nrows + (t->nnotes ? t->nnotes + 1 : 0);
    if (total_rows > XLSX_MAX_ROWS) {
        buf_addf(err,
                 "共 %zu 行，超过 Excel 一个工作表最多 %u 行的限制：请按乡镇分别导出，"
                 "或导出为 CSV",
                 t->nrows, XLSX_MAX_ROWS);
        return -1;
    }
    /* libxlsxwriter reports an unwritable path in English on stderr: check first. */
    FILE *probe = fopen(path, "wb");
    if (!probe) {
        buf_addf(err, "无法创建 Excel 文件“%s”：%s", path, strerror(errno));
        return -1;
    }
    fclose(probe);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb) {
        buf_addf(err, "无法创建 Excel 文件“%s”", path);
        return -1;
    }
    /* Sheet names are at most 31 characters and may not hold []:*?/\ */
    const char *sheet =
        t->caption && t->title && workbook_validate_sheet_name(wb, t->title) == LXW_NO_ERROR
            ? t->title
            : NULL;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    lxw_format *cap = workbook_add_format(wb);
    format_set_bold(cap);
    format_set_font_size(cap, 16);
    format_set_align(cap, LXW_ALIGN_CENTER);
    format_set_align(cap, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *sub = workbook_add_format(wb);
    format_set_align(sub, LXW_ALIGN_LEFT);
    lxw_format *tot_text = workbook_add_format(wb);
    format_set_bold(tot_text);
    format_set_top(tot_text, LXW_BORDER_THIN);
    format_set_num_format(tot_text, "@");
    lxw_format *tot_num = workbook_add_format(wb);
    format_set_bold(tot_num);
    format_set_top(tot_num, LXW_BORDER_THIN);
    /* each column people read at its place on the sheet (the ones for programs are left out) */
    lxw_col_t *xc = xcalloc(t->ncols ? t->ncols : 1, sizeof(*xc));
    size_t nshown = 0;
    for (size_t c = 0; c < t->ncols; c++)
        xc[c] = shown(&t->cols[c]) ? (lxw_col_t)nshown++ : LXW_COL_MAX;
    for (size_t c = 0; c < t->ncols; c++) {
        if (xc[c] == LXW_COL_MAX)
            continue;
        size_t w = utf8_width(t->cols[c].label, strlen(t->cols[c].label));
        for (size_t r = 0; r < t->nrows && r < 2000; r++) {
            size_t cw = utf8_width(cell(t, r, c), strlen(cell(t, r, c)));
            if (cw > w)
                w = cw;
        }
        if (w > 60)
            w = 60;
        worksheet_set_column(ws, xc[c], xc[c], (double)w + 2,
                             t->cols[c].type != COL_INT && t->cols[c].type != COL_REAL ? text
                                                                                       : NULL);
    }
    lxw_col_t last_col = (lxw_col_t)(nshown ? nshown - 1 : 0);
    if (t->caption) {
        worksheet_set_row(ws, 0, 30, NULL);
        if (last_col > 0)
            worksheet_merge_range(ws, 0, 0, 0, last_col, t->caption, cap);
        else
            worksheet_write_string(ws, 0, 0, t->caption, cap);
        if (t->subtitle) {
            if (last_col > 0)
                worksheet_merge_range(ws, 1, 0, 1, last_col, t->subtitle, sub);
            else
                worksheet_write_string(ws, 1, 0, t->subtitle, sub);
        }
    }
    lxw_row_t hr = (lxw_row_t)top;
    for (size_t c = 0; c < t->ncols; c++)
        if (xc[c] != LXW_COL_MAX)
            worksheet_write_string(ws, hr, xc[c], t->cols[c].label, head);
    worksheet_freeze_panes(ws, hr + 1, 0);
    /* before the rows: in constant-memory mode nothing may refer to a row already written */
    size_t data = table_data_rows(t);
    if (data)
        worksheet_autofilter(ws, hr, 0, (lxw_row_t)(hr + data), last_col);
    for (size_t r = 0; r < t->nrows; r++) {
        bool totals = t->has_totals && r + 1 == t->nrows;
        lxw_row_t xr = (lxw_row_t)(hr + 1 + r);
        for (size_t c = 0; c < t->ncols; c++) {
            if (xc[c] == LXW_COL_MAX)
                continue;
            const char *v = cell(t, r, c);
            char *end = NULL;
            double num = *v ? strtod(v, &end) : 0;
            bool is_num =
                (t->cols[c].type == COL_INT || t->cols[c].type == COL_REAL) && *v && end && !*end;
            if (!*v) {
                if (totals) /* the rule above the totals runs across the whole row */
                    worksheet_write_blank(ws, xr, xc[c], tot_text);
                continue;
            }
            if (is_num)
                worksheet_write_number(ws, xr, xc[c], num, totals ? tot_num : NULL);
            else
                worksheet_write_string(ws, xr, xc[c], v, totals ? tot_text : text);
        }
    }
    free(xc);
    for (size_t i = 0; i < t->nnotes; i++)
        worksheet_write_string(ws, (lxw_row_t)(hr + 2 + t->nrows + i), 0, t->notes[i], NULL);
    if (t->caption) { /* printed: landscape A4, one page wide, the header on every page */
        worksheet_set_landscape(ws);
        worksheet_set_paper(ws, 9);
        worksheet_fit_to_pages(ws, 1, 0);
        worksheet_repeat_rows(ws, 0, hr);
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        buf_addf(err, "写入 Excel 文件“%s”失败：%s", path, lxw_strerror(e));
        return -1;
    }
    return 0;
}

int table_render(const struct report_table *t, enum report_format fmt, const char *path,
                 struct buf *err)
{
    bool to_stdout = !path || !strcmp(path, "-");
    if (fmt == FMT_XLSX) {
        if (to_stdout) {
            buf_adds(err, "xlsx 格式需要用 -o 指定输出文件，例如 -o 名单.xlsx");
            return -1;
        }
        return render_xlsx(t, path, err);
    }
    if (fmt == FMT_PDF) {
        if (!t->pdf) {
            buf_addf(err, "《%s》没有打印格式，不能导出为 PDF", t->title);
            return -1;
        }
        if (to_stdout) {
            buf_adds(err, "pdf 格式需要用 -o 指定输出文件，例如 -o 走访清单.pdf");
            return -1;
        }
        return table_render_pdf(t, path, err);
    }
    struct buf out = BUF_INIT;
    if (fmt == FMT_TABLE)
        render_table(t, &out);
    else if (fmt == FMT_CSV)
        render_csv(t, &out);
    else
        render_json(t, &out);
    int ret = 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        buf_addf(err, "无法写入“%s”：%s", path, strerror(errno));
        ret = -1;
    } else {
        if (fwrite(out.buf, 1, out.len, f) != out.len || fflush(f) != 0) {
            buf_addf(err, "写入“%s”失败：%s", to_stdout ? "标准输出" : path, strerror(errno));
            ret = -1;
        }
        if (!to_stdout && fclose(f) != 0 && ret == 0) {
            buf_addf(err, "写入“%s”失败：%s", path, strerror(errno));
            ret = -1;
        }
    }
    buf_release(&out);
    return ret;
}
