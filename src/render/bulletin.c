/* The 通报 as an A4 PDF (render/bulletin.h), laid out with the notices' primitives
 * (notice_impl.h): text blocks in the families an official document uses, and painted boxes for
 * the red rule, the table's rows and the chart. */
#include "render/bulletin.h"

#include "render/notice_impl.h"
#include "util/common.h"

#define BODY_PT   16.0 /* 三号 */
#define TABLE_PT  10.5 /* 五号 */
#define OFFICE_PT 32.0
#define CELL_PAD  3.0
#define BAR_ROW   (7 * MM)
#define BAR_LABEL (40 * MM)

/* The families, best first; each falls back to the document's (Noto Serif CJK SC or Sans). */
static const char *const fangsong[] = {"FangSong", "FangSong_GB2312", "仿宋", "仿宋_GB2312",
                                       "STFangsong"};
static const char *const heiti[] = {
    "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"};
static const char *const kaiti[] = {"KaiTi",       "KaiTi_GB2312", "楷体",
                                    "楷体_GB2312", "STKaiti",      "AR PL UKai CN"};
static const char *const biaosong[] = {"FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXBSJW--GB1-0",
                                       "Noto Serif CJK SC"};

struct fonts {
    char *body, *heading, *secondary, *title;
    bool secondary_bold; /* no 楷体: the body family in bold */
};

/* A table row or the chart, alive until the PDF is written. */
struct row {
    struct notice_doc *d;
    PangoLayout **cells;
    double *widths;
    size_t n;
    double height;
    bool header;
};

struct chart {
    struct notice_doc *d;
    const struct fonts *f;
    const json_t *bars;
    double max;
};

struct bulletin_pdf {
    struct notice_doc d;
    struct fonts f;
    struct row **rows;
    size_t nrows, rows_alloc;
    struct chart **charts;
    size_t ncharts, charts_alloc;
};

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void red_rule(cairo_t *cr, double x, double y, void *arg)
{
    (void)arg;
    cairo_set_source_rgb(cr, 0.9, 0, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, x, y + 2 * MM);
    cairo_line_to(cr, x + TEXT_W, y + 2 * MM);
    cairo_stroke(cr);
}

static void paint_row(cairo_t *cr, double x, double y, void *arg)
{
    struct row *r = arg;
    cairo_set_line_width(cr, 0.6);
    double cx = x;
    for (size_t i = 0; i < r->n; i++) {
        if (r->header) {
            cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
            cairo_rectangle(cr, cx, y, r->widths[i], r->height);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
        }
        cairo_rectangle(cr, cx, y, r->widths[i], r->height);
        cairo_stroke(cr);
        double h = notice_layout_height(r->cells[i]);
        cairo_move_to(cr, cx + CELL_PAD, y + (r->height - h) / 2);
        pango_cairo_show_layout(cr, r->cells[i]);
        cx += r->widths[i];
    }
}

static void paint_chart(cairo_t *cr, double x, double y, void *arg)
{
    struct chart *c = arg;
    const struct style lab = {TABLE_PT, false, PANGO_ALIGN_RIGHT, false, 0, BAR_LABEL - 2 * MM};
    const struct style val = {TABLE_PT, false, PANGO_ALIGN_LEFT, false, 0, 25 * MM};
    double span = TEXT_W - BAR_LABEL - 25 * MM;
    size_t i;
    const json_t *b;
    /* the axis */
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, x + BAR_LABEL, y);
    cairo_line_to(cr, x + BAR_LABEL, y + json_array_size(c->bars) * BAR_ROW);
    cairo_stroke(cr);
    json_array_foreach(c->bars, i, b)
    {
        double top = y + i * BAR_ROW;
        PangoLayout *l = notice_new_layout_in(c->d, c->f->body, str(b, "label"), &lab, NULL);
        pango_layout_set_line_spacing(l, 1.0);
        cairo_move_to(cr, x, top + (BAR_ROW - notice_layout_height(l)) / 2);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        double v = json_number_value(json_object_get(b, "value"));
        double w = c->max > 0 && v > 0 ? span * v / c->max : 0;
        cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
        cairo_rectangle(cr, x + BAR_LABEL, top + 1.5 * MM, w, BAR_ROW - 3 * MM);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        l = notice_new_layout_in(c->d, c->f->body, str(b, "text"), &val, NULL);
        pango_layout_set_line_spacing(l, 1.0);
        cairo_move_to(cr, x + BAR_LABEL + w + 1.5 * MM,
                      top + (BAR_ROW - notice_layout_height(l)) / 2);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
    }
}

static struct row *new_row(struct bulletin_pdf *p, const json_t *cells, const double *widths,
                           bool header)
{
    struct row *r = xcalloc(1, sizeof(*r));
    r->d = &p->d;
    r->n = json_array_size(cells);
    r->cells = xcalloc(r->n ? r->n : 1, sizeof(*r->cells));
    r->widths = xcalloc(r->n ? r->n : 1, sizeof(*r->widths));
    r->header = header;
    for (size_t i = 0; i < r->n; i++) {
        r->widths[i] = widths[i];
        const struct style st = {TABLE_PT, false, PANGO_ALIGN_CENTER,
                                 false,    0,     widths[i] - 2 * CELL_PAD};
        const char *t = json_string_value(json_array_get(cells, i));
        r->cells[i] =
            notice_new_layout_in(&p->d, header ? p->f.heading : p->f.body, t ? t : "", &st, NULL);
        pango_layout_set_line_spacing(r->cells[i], 1.0);
        double h = notice_layout_height(r->cells[i]) + 2 * CELL_PAD;
        if (h > r->height)
            r->height = h;
    }
    ALLOC_GROW(p->rows, p->nrows + 1, p->rows_alloc);
    p->rows[p->nrows++] = r;
    return r;
}

static void add_table(struct bulletin_pdf *p, const json_t *t)
{
    const json_t *cols = json_object_get(t, "columns"), *rel = json_object_get(t, "widths");
    size_t n = json_array_size(cols);
    if (!n)
        return;
    double *w = xcalloc(n, sizeof(*w)), sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = json_number_value(json_array_get(rel, i));
        w[i] = v > 0 ? v : 1;
        sum += w[i];
    }
    for (size_t i = 0; i < n; i++)
        w[i] = TEXT_W * w[i] / sum;
    const struct style cap = {TABLE_PT + 1.5, false, PANGO_ALIGN_CENTER, false, 0, 0};
    PangoLayout *l = notice_new_layout_in(&p->d, p->f.heading, str(t, "caption"), &cap, NULL);
    notice_add_block(&p->d, l, BODY_PT * 0.5, KEEP_NEXT);
    struct row *h = new_row(p, cols, w, true);
    notice_add_paint(&p->d, h->height, paint_row, h, 4, KEEP_NEXT);
    size_t i;
    const json_t *cells;
    json_array_foreach(json_object_get(t, "rows"), i, cells)
    {
        struct row *r = new_row(p, cells, w, false);
        notice_add_paint(&p->d, r->height, paint_row, r, 0, 0);
    }
    free(w);
}

static void add_chart(struct bulletin_pdf *p, const json_t *c)
{
    const json_t *bars = json_object_get(c, "bars");
    if (!json_array_size(bars))
        return;
    struct chart *ch = xcalloc(1, sizeof(*ch));
    ch->d = &p->d;
    ch->f = &p->f;
    ch->bars = bars;
    size_t i;
    const json_t *b;
    json_array_foreach(bars, i, b)
    {
        double v = json_number_value(json_object_get(b, "value"));
        if (v > ch->max)
            ch->max = v;
    }
    ALLOC_GROW(p->charts, p->ncharts + 1, p->charts_alloc);
    p->charts[p->ncharts++] = ch;
    notice_add_paint(&p->d, json_array_size(bars) * BAR_ROW, paint_chart, ch, BODY_PT * 0.5,
                     KEEP_NEXT);
    const struct style cap = {TABLE_PT + 1.5, false, PANGO_ALIGN_CENTER, false, 0, 0};
    notice_add_block(
        &p->d, notice_new_layout_in(&p->d, p->f.heading, str(c, "caption"), &cap, NULL), 4, 0);
}

static void add_part(struct bulletin_pdf *p, const json_t *part)
{
    const json_t *v;
    if ((v = json_object_get(part, "p"))) {
        const struct style st = {BODY_PT, false, PANGO_ALIGN_LEFT, true, 2, 0};
        notice_add_block(
            &p->d, notice_new_layout_in(&p->d, p->f.body, json_string_value(v), &st, NULL), 0, 0);
    } else if ((v = json_object_get(part, "h2"))) {
        const struct style st = {BODY_PT, p->f.secondary_bold, PANGO_ALIGN_LEFT, false, 2, 0};
        notice_add_block(
            &p->d, notice_new_layout_in(&p->d, p->f.secondary, json_string_value(v), &st, NULL), 0,
            KEEP_NEXT);
    } else if ((v = json_object_get(part, "table"))) {
        add_table(p, v);
    } else if ((v = json_object_get(part, "chart"))) {
        add_chart(p, v);
    }
}

/* The title on one line, or on two broken before its subject (控辍保学…) rather than wherever
 * the width ends: a lone 报 on the second line is not how a title is set. */
static PangoLayout *title_layout(struct bulletin_pdf *p, const char *text, const struct style *st)
{
    PangoLayout *l = notice_new_layout_in(&p->d, p->f.title, text, st, NULL);
    if (pango_layout_get_line_count(l) < 2)
        return l;
    const char *at = strstr(text, "控辍保学");
    size_t cut = at && at > text ? (size_t)(at - text) : 0;
    if (!cut) { /* the middle character */
        size_t n = 0, half;
        for (const char *q = text; *q; q++)
            n += ((unsigned char)*q & 0xC0) != 0x80;
        half = n / 2;
        for (const char *q = text; *q; q++)
            if (((unsigned char)*q & 0xC0) != 0x80 && half-- == 0) {
                cut = (size_t)(q - text);
                break;
            }
    }
    if (!cut)
        return l;
    g_object_unref(l);
    char *two = xstrfmt("%.*s\n%s", (int)cut, text, text + cut);
    /* the count of unknown glyphs was added once already */
    l = notice_new_layout_in(&p->d, p->f.title, two, st, NULL);
    free(two);
    return l;
}

static void layout(struct bulletin_pdf *p, const json_t *c)
{
    struct notice_doc *d = &p->d;
    /* the 红头: the office in red, the 文号 centred under it, a red rule */
    const struct style office = {OFFICE_PT, false, PANGO_ALIGN_CENTER, false, 0, 0};
    notice_add_block(d, notice_new_layout_in(d, p->f.title, str(c, "office"), &office, NULL), 0,
                     RED | KEEP_NEXT);
    const struct style num = {BODY_PT, false, PANGO_ALIGN_CENTER, false, 0, 0};
    notice_add_block(d, notice_new_layout_in(d, p->f.body, str(c, "doc_number"), &num, NULL),
                     BODY_PT * 1.5, KEEP_NEXT);
    notice_add_paint(d, 4 * MM, red_rule, NULL, 0, KEEP_NEXT);
    const struct style title = {TITLE_PT, false, PANGO_ALIGN_CENTER, false, 0, 0};
    notice_add_block(d, title_layout(p, str(c, "title"), &title), BODY_PT * 2, KEEP_NEXT);
    const struct style plain = {BODY_PT, false, PANGO_ALIGN_LEFT, false, 0, 0};
    notice_add_block(d, notice_new_layout_in(d, p->f.body, str(c, "addressee"), &plain, NULL),
                     BODY_PT * 1.5, 0);
    size_t i, j;
    const json_t *sec, *part;
    json_array_foreach(json_object_get(c, "sections"), i, sec)
    {
        const char *h = str(sec, "heading");
        if (*h) {
            const struct style hs = {BODY_PT, false, PANGO_ALIGN_LEFT, false, 2, 0};
            notice_add_block(d, notice_new_layout_in(d, p->f.heading, h, &hs, NULL), 0, KEEP_NEXT);
        }
        json_array_foreach(json_object_get(sec, "parts"), j, part) add_part(p, part);
    }
    /* the office and the date: right, four characters in from the edge */
    const struct style sign = {BODY_PT, false, PANGO_ALIGN_RIGHT, false, 0, TEXT_W - 4 * BODY_PT};
    notice_add_block(d, notice_new_layout_in(d, p->f.body, str(c, "office"), &sign, NULL),
                     BODY_PT * 3, KEEP_NEXT);
    notice_add_block(d, notice_new_layout_in(d, p->f.body, str(c, "date_text"), &sign, NULL), 0, 0);
}

static void release(struct bulletin_pdf *p)
{
    for (size_t i = 0; i < p->nrows; i++) {
        for (size_t k = 0; k < p->rows[i]->n; k++)
            g_object_unref(p->rows[i]->cells[k]);
        free(p->rows[i]->cells);
        free(p->rows[i]->widths);
        free(p->rows[i]);
    }
    free(p->rows);
    for (size_t i = 0; i < p->ncharts; i++)
        free(p->charts[i]);
    free(p->charts);
    free(p->f.body);
    free(p->f.heading);
    free(p->f.secondary);
    free(p->f.title);
    notice_doc_release(&p->d);
}

int bulletin_render_pdf(const json_t *content, const char *path, struct buf *err)
{
    struct bulletin_pdf p;
    memset(&p, 0, sizeof(p));
    if (notice_doc_init(&p.d, err) < 0) {
        notice_doc_release(&p.d);
        return -1;
    }
    p.d.body = BODY_PT;
    p.d.small = TABLE_PT;
    p.d.line = 1.45; /* 22 lines of 三号 to the 版心, as GB/T 9704 sets them */
    p.f.body = notice_find_family(&p.d, fangsong, ARRAY_SIZE(fangsong));
    if (!p.f.body)
        p.f.body = xstrdup(p.d.family);
    p.f.heading = notice_find_family(&p.d, heiti, ARRAY_SIZE(heiti));
    if (!p.f.heading)
        p.f.heading = xstrdup(p.d.family);
    p.f.secondary = notice_find_family(&p.d, kaiti, ARRAY_SIZE(kaiti));
    if (!p.f.secondary) {
        p.f.secondary = xstrdup(p.f.body);
        p.f.secondary_bold = true;
    }
    p.f.title = notice_find_family(&p.d, biaosong, ARRAY_SIZE(biaosong));
    if (!p.f.title)
        p.f.title = xstrdup(p.f.heading);

    layout(&p, content);
    struct pager count = {&p.d, NULL, 0, 0, 0};
    int npages = notice_paginate(&count);
    int rc = notice_write_pdf(&p.d, npages, str(content, "title"), path, err);
    release(&p);
    return rc;
}
