#include "render/notice_impl.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <strings.h>
#include <unistd.h>

#include "util/common.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LSAN_DISABLE() __lsan_disable()
#define LSAN_ENABLE()  __lsan_enable()
#else
#define LSAN_DISABLE() ((void)0)
#define LSAN_ENABLE()  ((void)0)
#endif

/*
 * The notices' layout primitives (notice_impl.h): paragraphs laid out by pango in the first
 * Chinese font fontconfig has, placed line by line on A4 pages with GB/T 9704's margins (a chain
 * of blocks kept together, the 回执 anchored at the foot, page numbers when there are two pages),
 * drawn by cairo into a PDF that appears at its path complete or not at all.
 */

static const char *const preferred_families[] = {"Noto Serif CJK SC", "Noto Sans CJK SC"};

PangoLayout *notice_new_layout(struct notice_doc *d, const char *text, const struct style *st,
                               PangoAttrList *attrs)
{
    return notice_new_layout_in(d, NULL, text, st, attrs);
}

PangoLayout *notice_new_layout_in(struct notice_doc *d, const char *family, const char *text,
                                  const struct style *st, PangoAttrList *attrs)
{
    PangoLayout *l = pango_layout_new(d->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family ? family : d->family);
    pango_font_description_set_absolute_size(fd, st->pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);

    pango_layout_set_width(l, pango_units_from_double(st->width > 0 ? st->width : TEXT_W));
    /* a long run without a break opportunity (an ID, a name in Latin letters) still wraps */
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, st->align);
    pango_layout_set_justify(l, st->justify);
    pango_layout_set_indent(l, pango_units_from_double(st->indent_em * st->pt));
    pango_layout_set_line_spacing(l, d->line);

    /* no hyphen may appear inside an ID number or a name broken across lines */
    PangoAttrList *al = attrs ? pango_attr_list_ref(attrs) : pango_attr_list_new();
    pango_attr_list_insert_before(al, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);

    /* plain text, never markup: names may hold & < > */
    pango_layout_set_text(l, text, -1);
    d->unknown_glyphs += pango_layout_get_unknown_glyphs_count(l);
    return l;
}

struct block *notice_add_block(struct notice_doc *d, PangoLayout *l, double before, unsigned flags)
{
    ALLOC_GROW(d->blocks, d->nblocks + 1, d->alloc);
    struct block *b = &d->blocks[d->nblocks++];
    b->layout = l;
    b->x = 0;
    b->before = before;
    b->flags = flags;
    b->paint = NULL;
    b->arg = NULL;
    b->height = 0;
    return b;
}

struct block *notice_add_paint(struct notice_doc *d, double height, block_paint_fn paint, void *arg,
                               double before, unsigned flags)
{
    struct block *b = notice_add_block(d, NULL, before, flags);
    b->paint = paint;
    b->arg = arg;
    b->height = height;
    return b;
}

static double block_height(const struct block *b)
{
    return b->layout ? notice_layout_height(b->layout) : b->height;
}

struct block *notice_add_text(struct notice_doc *d, const char *text, const struct style *st,
                              double before, unsigned flags)
{
    return notice_add_block(d, notice_new_layout(d, text, st, NULL), before, flags);
}

double notice_layout_height(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return pango_units_to_double(r.height);
}

double notice_layout_width(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return pango_units_to_double(r.width);
}

void notice_doc_clear(struct notice_doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].layout)
            g_object_unref(d->blocks[i].layout);
    d->nblocks = 0;
    d->unknown_glyphs = 0;
}

void notice_doc_release(struct notice_doc *d)
{
    notice_doc_clear(d);
    free(d->blocks);
    free(d->family);
    if (d->ctx)
        g_object_unref(d->ctx);
    if (d->fontmap)
        g_object_unref(d->fontmap);
}

/*
 * A font map of our own (no state shared between calls), and the first of the preferred
 * families that fontconfig really has, or else whatever it substitutes for serif and
 * sans-serif in Simplified Chinese, provided that font has Chinese characters. Without one
 * the notice would print as boxes, so it fails instead.
 */
int notice_doc_init(struct notice_doc *d, struct buf *err)
{
    static const char *const generic[] = {"serif", "sans-serif"};
    memset(d, 0, sizeof(*d));
    d->fontmap = pango_cairo_font_map_new();
    d->ctx = pango_font_map_create_context(d->fontmap);
    pango_cairo_context_set_resolution(d->ctx, 72.0);
    pango_context_set_language(d->ctx, pango_language_from_string("zh-cn"));
    /* metrics unhinted, so the layout is the same at every resolution the PDF is printed at */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->ctx, fo);
    cairo_font_options_destroy(fo);

    for (size_t i = 0; i < ARRAY_SIZE(preferred_families) + ARRAY_SIZE(generic) && !d->family;
         i++) {
        bool exact = i < ARRAY_SIZE(preferred_families);
        const char *want =
            exact ? preferred_families[i] : generic[i - ARRAY_SIZE(preferred_families)];
        PangoFontDescription *fd = pango_font_description_new();
        pango_font_description_set_family(fd, want);
        pango_font_description_set_absolute_size(fd, 16 * PANGO_SCALE);
        PangoFont *font = pango_font_map_load_font(d->fontmap, d->ctx, fd);
        pango_font_description_free(fd);
        if (!font)
            continue;
        PangoFontDescription *got = pango_font_describe(font);
        const char *family = pango_font_description_get_family(got);
        if (family && (!exact || !strcasecmp(family, want)) && pango_font_has_char(font, 0x4E2D) &&
            pango_font_has_char(font, 0x5B66))
            d->family = xstrdup(family);
        pango_font_description_free(got);
        g_object_unref(font);
    }
    if (!d->family) {
        buf_adds(err, "未找到中文字体（Noto Serif CJK SC 或 Noto Sans CJK SC），无法生成通知书；"
                      "请安装 fonts-noto-cjk（scripts/install-deps）");
        return -1;
    }
    return 0;
}

char *notice_find_family(struct notice_doc *d, const char *const *families, size_t n)
{
    char *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        PangoFontDescription *fd = pango_font_description_new();
        pango_font_description_set_family(fd, families[i]);
        pango_font_description_set_absolute_size(fd, 16 * PANGO_SCALE);
        PangoFont *font = pango_font_map_load_font(d->fontmap, d->ctx, fd);
        pango_font_description_free(fd);
        if (!font)
            continue;
        PangoFontDescription *got = pango_font_describe(font);
        const char *family = pango_font_description_get_family(got);
        if (family && !strcasecmp(family, families[i]) && pango_font_has_char(font, 0x4E2D))
            found = xstrdup(family);
        pango_font_description_free(got);
        g_object_unref(font);
    }
    return found;
}

/* ---- pages ---- */

static void page_number(struct pager *p)
{
    /* GB/T 9704 7.5: "— 1 —" below the text area, odd pages right, even pages left, one
     * character in from the edge; only when there is more than one page */
    if (!p->cr || p->npages < 2)
        return;
    const struct style st = {PAGENO_PT, false, PANGO_ALIGN_LEFT, false, 0, 0};
    char text[32];
    snprintf(text, sizeof(text), "— %d —", p->page);
    PangoLayout *l = notice_new_layout(p->d, text, &st, NULL);
    double w = notice_layout_width(l);
    double x = p->page % 2 ? LEFT + TEXT_W - PAGENO_PT - w : LEFT + PAGENO_PT;
    cairo_move_to(p->cr, x, BOTTOM + 7 * MM);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(struct pager *p)
{
    page_number(p);
    if (p->cr)
        cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
}

/* Height of blocks [i, j] where j is the first block after i without KEEP_NEXT. */
static double chain_height(const struct notice_doc *d, size_t i, bool with_first_gap)
{
    double h = 0;
    for (size_t k = i; k < d->nblocks; k++) {
        if (k > i || with_first_gap)
            h += d->blocks[k].before;
        h += block_height(&d->blocks[k]);
        if (!(d->blocks[k].flags & KEEP_NEXT))
            break;
    }
    return h;
}

static void draw_cut_line(struct pager *p, const struct block *b, double top)
{
    const struct notice_doc *d = p->d;
    PangoLayoutIter *it = pango_layout_get_iter(b->layout);
    double mid = top + pango_units_to_double(pango_layout_iter_get_baseline(it)) - d->small * 0.35;
    pango_layout_iter_free(it);
    double label = notice_layout_width(b->layout) + d->small;
    double dash[] = {4, 3};
    cairo_save(p->cr);
    cairo_set_line_width(p->cr, 0.6);
    cairo_set_dash(p->cr, dash, ARRAY_SIZE(dash), 0);
    cairo_move_to(p->cr, LEFT, mid);
    cairo_line_to(p->cr, LEFT + (TEXT_W - label) / 2, mid);
    cairo_move_to(p->cr, LEFT + (TEXT_W + label) / 2, mid);
    cairo_line_to(p->cr, LEFT + TEXT_W, mid);
    cairo_stroke(p->cr);
    cairo_restore(p->cr);
}

/* Place one block line by line, starting a new page where a line would cross the bottom; a
 * painted box whole. */
static void place(struct pager *p, const struct block *b)
{
    if (!b->layout) {
        if (p->y + b->height > BOTTOM + 0.5 && p->y > TOP + 0.5)
            new_page(p);
        if (p->cr) {
            cairo_save(p->cr);
            b->paint(p->cr, LEFT + b->x, p->y, b->arg);
            cairo_restore(p->cr);
        }
        p->y += b->height;
        return;
    }
    PangoLayoutIter *it = pango_layout_get_iter(b->layout);
    double base = p->y, shift = 0;
    if (p->cr && (b->flags & CUT_LINE))
        draw_cut_line(p, b, base);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double top = pango_units_to_double(r.y), bottom = top + pango_units_to_double(r.height);
        /* half a point of slack: the 回执 ends exactly at the bottom, give or take rounding */
        if (base + bottom - shift > BOTTOM + 0.5 && base + top - shift > TOP + 0.5) {
            new_page(p);
            base = TOP;
            shift = top;
        }
        if (p->cr) {
            cairo_move_to(p->cr, LEFT + b->x + pango_units_to_double(r.x),
                          base - shift + pango_units_to_double(pango_layout_iter_get_baseline(it)));
            if (b->flags & RED)
                cairo_set_source_rgb(p->cr, 0.9, 0, 0);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
            if (b->flags & RED)
                cairo_set_source_rgb(p->cr, 0, 0, 0);
        }
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    p->y = base - shift + notice_layout_height(b->layout);
}

/* Lays the blocks out on pages (and draws them when p->cr is set); returns the page count. */
int notice_paginate(struct pager *p)
{
    const struct notice_doc *d = p->d;
    p->page = 1;
    p->y = TOP;
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct block *b = &d->blocks[i];
        bool chain_start = i == 0 || !(d->blocks[i - 1].flags & KEEP_NEXT);
        if (b->flags & ANCHOR_BOTTOM) {
            /* the 回执 sits at the foot of the page, at least two characters below the date:
             * room for the lower edge of the seal pressed on authority and date */
            double h = chain_height(d, i, false);
            if (p->y + 2 * d->body + h > BOTTOM)
                new_page(p);
            else
                p->y = BOTTOM - h;
        } else {
            if (chain_start && p->y > TOP + 0.5 && p->y + chain_height(d, i, true) > BOTTOM &&
                chain_height(d, i, false) <= BOTTOM - TOP)
                new_page(p);
            if (p->y > TOP + 0.5)
                p->y += b->before;
        }
        place(p, b);
    }
    page_number(p);
    return p->page;
}

/* ---- the file ---- */

struct sink {
    FILE *fp;
    int err; /* errno of the first failed write */
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *s = closure;
    if (s->err)
        return CAIRO_STATUS_WRITE_ERROR;
    if (fwrite(data, 1, len, s->fp) != len) {
        s->err = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

int pdf_write(const char *path, const char *title, double width, double height,
              void (*draw)(cairo_t *cr, void *ctx), void *ctx, struct buf *err)
{
    char *tmp = xstrfmt("%s.tmp-XXXXXX", path);
    struct sink sink = {NULL, 0};
    int ret = -1, fd = mkstemp(tmp);
    if (fd < 0) {
        buf_addf(err, "无法创建文件 %s：%s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    sink.fp = fdopen(fd, "wb");
    if (!sink.fp) {
        buf_addf(err, "无法写入文件 %s：%s", path, strerror(errno));
        close(fd);
        goto out;
    }

    cairo_surface_t *surface =
        cairo_pdf_surface_create_for_stream(sink_write, &sink, width, height);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "baoxue " BAOXUE_VERSION);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw(cr, ctx);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    /* cairo 1.16's PDF backend loses two blocks (768 bytes each) inside cairo_surface_finish
     * per document, while subsetting the CJK fonts. cairo has no frame pointers, so with the
     * sanitizer build's fast unwinder their stacks stop inside libcairo and no suppression can
     * name the call: the leak checker looks away for this one call, exactly what
     * `leak:cairo_surface_finish` with full (slow, 12x) stacks covered. */
    LSAN_DISABLE();
    cairo_surface_finish(surface);
    LSAN_ENABLE();
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);

    int werr = sink.err;
    if (!werr && fflush(sink.fp) != 0)
        werr = errno;
    if (!werr && fsync(fileno(sink.fp)) != 0)
        werr = errno;
    if (fclose(sink.fp) != 0 && !werr)
        werr = errno;
    if (werr) {
        buf_addf(err, "写入文件 %s 失败：%s", path, strerror(werr));
        goto out;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        buf_addf(err, "生成 PDF 失败：%s", cairo_status_to_string(st));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        buf_addf(err, "无法写入文件 %s：%s", path, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    if (ret)
        unlink(tmp);
    free(tmp);
    return ret;
}

struct notice_draw {
    struct notice_doc *d;
    int npages;
};

static void draw_notice(cairo_t *cr, void *ctx)
{
    struct notice_draw *nd = ctx;
    struct pager p = {nd->d, cr, 0, nd->npages, 0};
    notice_paginate(&p);
}

int notice_write_pdf(struct notice_doc *d, int npages, const char *title, const char *path,
                     struct buf *err)
{
    struct notice_draw nd = {d, npages};
    return pdf_write(path, title, PAGE_W, PAGE_H, draw_notice, &nd, err);
}
