#include "report/table.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "util/common.h"
#include "util/csvout.h"
#include "util/utf8.h"

int report_format_parse(const char *s, enum report_format *out)
{
    static const char *const names[] = {"table", "csv", "xlsx", "json"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (!strcmp(s, names[i])) {
            *out = (enum report_format)i;
            return 0;
        }
    return -1;
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

void table_release(struct report_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    for (size_t i = 0; i < t->nmeta; i++) {
        free(t->meta[i].key);
        free(t->meta[i].value);
    }
    free(t->meta);
    buf_release(&t->footer);
}

void table_add_row(struct report_table *t)
{
    ALLOC_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(char *));
    t->nrows++;
}

void table_set(struct report_table *t, size_t col, const char *text)
{
    char **cell = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(*cell);
    *cell = text ? xstrdup(text) : NULL;
}

void table_setf(struct report_table *t, size_t col, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    char **cell = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(*cell);
    *cell = buf_detach(&b, NULL);
}

void table_meta(struct report_table *t, const char *key, const char *value, enum meta_type type)
{
    ALLOC_GROW(t->meta, t->nmeta + 1, t->meta_alloc);
    t->meta[t->nmeta].key = xstrdup(key);
    t->meta[t->nmeta].value = xstrdup(value);
    t->meta[t->nmeta].type = type;
    t->nmeta++;
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

static void render_table(const struct report_table *t, struct buf *out)
{
    size_t *w = xcalloc(t->ncols, sizeof(size_t));
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = utf8_width(t->cols[c].label, strlen(t->cols[c].label));
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = utf8_width(cell(t, r, c), strlen(cell(t, r, c)));
            if (cw > w[c])
                w[c] = cw;
        }
    }
    if (t->title)
        buf_addf(out, "%s\n", t->title);
    for (size_t c = 0; c < t->ncols; c++) {
        pad(out, t->cols[c].label, c + 1 < t->ncols || t->cols[c].type == COL_INT ? w[c] : 0,
            t->cols[c].type == COL_INT);
        buf_adds(out, c + 1 < t->ncols ? "  " : "\n");
    }
    for (size_t c = 0; c < t->ncols; c++) {
        buf_addchars(out, '-', w[c]);
        buf_adds(out, c + 1 < t->ncols ? "  " : "\n");
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            bool last = c + 1 == t->ncols;
            pad(out, cell(t, r, c), last && t->cols[c].type != COL_INT ? 0 : w[c],
                t->cols[c].type == COL_INT);
            buf_adds(out, last ? "\n" : "  ");
        }
    if (t->footer.len)
        buf_addf(out, "%s", t->footer.buf);
    free(w);
}

static void render_csv(const struct report_table *t, struct buf *out)
{
    buf_adds(out, "\xEF\xBB\xBF");
    for (size_t c = 0; c < t->ncols; c++)
        csv_field(out, t->cols[c].label, strlen(t->cols[c].label), c == 0);
    buf_adds(out, "\r\n");
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            csv_field(out, cell(t, r, c), strlen(cell(t, r, c)), c == 0);
        buf_adds(out, "\r\n");
    }
}

static json_t *json_value(const char *v, bool is_int)
{
    if (is_int) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*v && !*end)
            return json_integer(n);
        return json_null();
    }
    return json_string(v);
}

json_t *table_to_json(const struct report_table *t)
{
    json_t *root = json_object();
    for (size_t i = 0; i < t->nmeta; i++)
        json_object_set_new(root, t->meta[i].key,
                            t->meta[i].type == META_BOOL
                                ? json_boolean(!strcmp(t->meta[i].value, "true"))
                                : json_value(t->meta[i].value, t->meta[i].type == META_INT));
    json_t *arr = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *o = json_object();
        for (size_t c = 0; c < t->ncols; c++)
            json_object_set_new(o, t->cols[c].key,
                                json_value(cell(t, r, c), t->cols[c].type == COL_INT));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, t->array_key, arr);
    return root;
}

static void render_json(const struct report_table *t, struct buf *out)
{
    json_t *root = table_to_json(t);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    buf_adds(out, s);
    buf_addch(out, '\n');
    free(s);
}

static int render_xlsx(const struct report_table *t, const char *path, struct buf *err)
{
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
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    for (size_t c = 0; c < t->ncols; c++) {
        size_t w = utf8_width(t->cols[c].label, strlen(t->cols[c].label));
        for (size_t r = 0; r < t->nrows && r < 2000; r++) {
            size_t cw = utf8_width(cell(t, r, c), strlen(cell(t, r, c)));
            if (cw > w)
                w = cw;
        }
        if (w > 60)
            w = 60;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w + 2,
                             t->cols[c].type == COL_TEXT ? text : NULL);
    }
    for (size_t c = 0; c < t->ncols; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].label, head);
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = cell(t, r, c);
            if (!*v)
                continue;
            if (t->cols[c].type == COL_INT)
                worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, strtod(v, NULL), NULL);
            else
                worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, v, text);
        }
    if (t->nrows)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1));
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
