/*
 * A table on paper (table.h, struct table_pdf): A4 landscape pages with the caption and
 * subtitle, the header row repeated on every page, a grid whose empty cells are boxes to write
 * in, a page (or pages) per group with its foot line, and "第 N 页，共 M 页" at the bottom.
 * Text is laid out by pango in the Chinese font the notices use (notice_layout.c), drawn by
 * cairo; the file appears at its path complete or not at all (pdf_write).
 */
#include "render/notice_impl.h"
#include "render/table.h"

#include "util/common.h"

#define L_PAGE_W       (297 * MM)
#define L_PAGE_H       (210 * MM)
#define L_MARGIN       (12 * MM)
#define L_TEXT_W       (L_PAGE_W - 2 * L_MARGIN)
#define L_BOTTOM       (L_PAGE_H - L_MARGIN - 8) /* room for the page number under it */
#define L_PAD          (1.2 * MM)
#define BODY_PT        9.5
#define SHEET_TITLE_PT 16.0

/* The printed columns: index into t->cols and width in points. */
struct pcol {
    size_t col;
    double w;
};

struct tpdf {
    const struct report_table *t;
    struct notice_doc d;
    struct pcol *cols;
    size_t ncols;
    size_t group; /* index into t->cols, SIZE_MAX none */
    size_t data_rows;
    cairo_t *cr; /* NULL: only count the pages */
    int page, npages;
    double y;
};

static PangoLayout *text_layout(struct tpdf *p, const char *text, double pt, bool bold,
                                PangoAlignment align, double width)
{
    const struct style st = {pt, bold, align, false, 0, width};
    return notice_new_layout(&p->d, text ? text : "", &st, NULL);
}

/* Draw l at (x, y) when drawing; its height. */
static double put(struct tpdf *p, PangoLayout *l, double x, double y)
{
    double h = notice_layout_height(l);
    if (p->cr) {
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, l);
    }
    g_object_unref(l);
    return h;
}

static void page_foot(struct tpdf *p)
{
    if (!p->cr)
        return;
    char text[64];
    snprintf(text, sizeof(text), "第 %d 页，共 %d 页", p->page, p->npages);
    put(p, text_layout(p, text, 8, false, PANGO_ALIGN_CENTER, L_TEXT_W), L_MARGIN, L_BOTTOM + 3);
}

/* The heights of one row's cells laid out (the row's height), or the header's (row NULL). */
static double row_height(struct tpdf *p, char *const *row)
{
    double h = 0;
    for (size_t i = 0; i < p->ncols; i++) {
        const struct table_col *c = &p->t->cols[p->cols[i].col];
        PangoLayout *l =
            text_layout(p, row ? row[p->cols[i].col] : c->label, BODY_PT, !row,
                        row ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER, p->cols[i].w - 2 * L_PAD);
        double lh = notice_layout_height(l);
        g_object_unref(l);
        h = lh > h ? lh : h;
    }
    h += 2 * L_PAD;
    double min = p->t->pdf->min_row_mm * MM;
    return row && h < min ? min : h;
}

static void draw_row(struct tpdf *p, char *const *row, double h)
{
    double x = L_MARGIN;
    for (size_t i = 0; i < p->ncols; i++) {
        const struct table_col *c = &p->t->cols[p->cols[i].col];
        if (p->cr) {
            if (!row) {
                cairo_save(p->cr);
                cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
                cairo_rectangle(p->cr, x, p->y, p->cols[i].w, h);
                cairo_fill(p->cr);
                cairo_restore(p->cr);
            }
            cairo_set_line_width(p->cr, 0.6);
            cairo_rectangle(p->cr, x, p->y, p->cols[i].w, h);
            cairo_stroke(p->cr);
        }
        put(p,
            text_layout(p, row ? row[p->cols[i].col] : c->label, BODY_PT, !row,
                        row ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER, p->cols[i].w - 2 * L_PAD),
            x + L_PAD, p->y + L_PAD);
        x += p->cols[i].w;
    }
    p->y += h;
}

/* A new page: the caption (with the group's value), the subtitle, the header row. */
static void start_page(struct tpdf *p, const char *group, bool first)
{
    if (p->page) {
        page_foot(p);
        if (p->cr)
            cairo_show_page(p->cr);
    }
    p->page++;
    p->y = L_MARGIN;
    struct buf title = BUF_INIT;
    buf_adds(&title, p->t->caption ? p->t->caption : p->t->title);
    if (group)
        buf_addf(&title, "（%s）", *group ? group : "未填村（社区）");
    if (!first)
        buf_adds(&title, "（续）");
    p->y += put(p, text_layout(p, title.buf, SHEET_TITLE_PT, true, PANGO_ALIGN_CENTER, L_TEXT_W),
                L_MARGIN, p->y);
    buf_release(&title);
    if (p->t->subtitle)
        p->y += 2 + put(p, text_layout(p, p->t->subtitle, 9, false, PANGO_ALIGN_CENTER, L_TEXT_W),
                        L_MARGIN, p->y + 2);
    p->y += 3 * MM;
    draw_row(p, NULL, row_height(p, NULL));
}

static void foot_lines(struct tpdf *p)
{
    const char *foot = p->t->pdf->foot;
    if (!foot)
        return;
    PangoLayout *l = text_layout(p, foot, 10.5, false, PANGO_ALIGN_LEFT, L_TEXT_W);
    double h = notice_layout_height(l) + 4 * MM;
    if (p->y + h > L_BOTTOM) {
        g_object_unref(l);
        start_page(p, NULL, true);
        l = text_layout(p, foot, 10.5, false, PANGO_ALIGN_LEFT, L_TEXT_W);
    }
    p->y += 4 * MM;
    p->y += put(p, l, L_MARGIN, p->y);
}

static void paginate(struct tpdf *p)
{
    const struct report_table *t = p->t;
    p->page = 0;
    const char *group = NULL;
    for (size_t r = 0; r < p->data_rows; r++) {
        char *const *row = &t->cells[r * t->ncols];
        const char *g = p->group != SIZE_MAX ? (row[p->group] ? row[p->group] : "") : NULL;
        double h = row_height(p, row);
        if (!p->page || (g && strcmp(g, group))) {
            if (p->page)
                foot_lines(p);
            start_page(p, g, true);
            group = g;
        } else if (p->y + h > L_BOTTOM) {
            start_page(p, g, false);
        }
        draw_row(p, row, h);
    }
    if (!p->page) { /* nothing to list: the page says so */
        start_page(p, NULL, true);
        p->y += 4 * MM;
        p->y += put(p, text_layout(p, "（本表没有记录）", 12, false, PANGO_ALIGN_CENTER, L_TEXT_W),
                    L_MARGIN, p->y);
    }
    foot_lines(p);
    for (size_t i = 0; i < t->nnotes; i++) {
        PangoLayout *l = text_layout(p, t->notes[i], 8.5, false, PANGO_ALIGN_LEFT, L_TEXT_W);
        double h = notice_layout_height(l) + 2;
        if (p->y + h > L_BOTTOM) {
            g_object_unref(l);
            start_page(p, NULL, false);
            l = text_layout(p, t->notes[i], 8.5, false, PANGO_ALIGN_LEFT, L_TEXT_W);
        }
        p->y += 2 + put(p, l, L_MARGIN, p->y + 2);
    }
    page_foot(p);
}

static void draw(cairo_t *cr, void *ctx)
{
    struct tpdf *p = ctx;
    p->cr = cr;
    paginate(p);
}

int table_render_pdf(const struct report_table *t, const char *path, struct buf *err)
{
    const struct table_pdf *pdf = t->pdf;
    struct tpdf p = {.t = t, .group = SIZE_MAX, .data_rows = table_data_rows(t)};
    if (notice_doc_init(&p.d, err) < 0) {
        notice_doc_release(&p.d);
        return -1;
    }
    double total = 0;
    p.cols = xcalloc(pdf->ncols ? pdf->ncols : 1, sizeof(*p.cols));
    for (size_t i = 0; i < t->ncols; i++) {
        for (size_t k = 0; k < pdf->ncols; k++)
            if (!strcmp(t->cols[i].key, pdf->cols[k].key) && pdf->cols[k].width > 0) {
                p.cols[p.ncols].col = i;
                p.cols[p.ncols++].w = pdf->cols[k].width;
                total += pdf->cols[k].width;
            }
        if (pdf->group_key && !strcmp(t->cols[i].key, pdf->group_key))
            p.group = i;
    }
    for (size_t i = 0; i < p.ncols; i++)
        p.cols[i].w = p.cols[i].w / total * L_TEXT_W;
    paginate(&p); /* count the pages first: "共 M 页" */
    p.npages = p.page;
    int rc = pdf_write(path, t->caption ? t->caption : t->title, L_PAGE_W, L_PAGE_H, draw, &p, err);
    free(p.cols);
    notice_doc_release(&p.d);
    return rc;
}
