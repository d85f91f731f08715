#ifndef BAOXUE_NOTICE_IMPL_H
#define BAOXUE_NOTICE_IMPL_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "render/notice.h"
#include "util/buf.h"

/*
 * What the two files of the notices share. notice_layout.c holds the layout primitives: a
 * document of laid-out paragraphs (blocks) set in the one Chinese font found, placed on A4
 * pages after GB/T 9704 and written as a PDF; notice.c holds the two notices: their fields,
 * their text and 回执, and the scale that makes one fit a sheet.
 */

/* ---- page geometry (GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm) ---- */

#define MM        (72.0 / 25.4) /* PDF user space is in points */
#define PAGE_W    (210 * MM)
#define PAGE_H    (297 * MM)
#define TOP       (37 * MM)
#define LEFT      (28 * MM)
#define TEXT_W    (156 * MM)
#define BOTTOM    (TOP + 225 * MM)
#define TITLE_PT  22.0 /* 二号 */
#define PAGENO_PT 14.0 /* 四号 */

/* ---- blocks: laid-out paragraphs placed one under the other ---- */

enum {
    KEEP_NEXT = 1,     /* on the same page as the next block */
    ANCHOR_BOTTOM = 2, /* this block and all after it sit at the foot of the page */
    CUT_LINE = 4,      /* draw a dashed cut line through the middle of the block */
    RED = 8,           /* the text in red (a 红头's 发文机关标志) */
};

/* What a block without a layout draws: a box `height` points tall at (x, y), its top left. */
typedef void (*block_paint_fn)(cairo_t *cr, double x, double y, void *arg);

struct block {
    PangoLayout *layout; /* NULL: a painted box (a table row, a rule, a chart) */
    double x;            /* from the left edge of the text area */
    double before;       /* space above, dropped at the top of a page */
    unsigned flags;
    block_paint_fn paint; /* layout NULL: draws the box */
    void *arg;            /* its argument, owned by the caller, alive until the PDF is written */
    double height;        /* layout NULL: the box's height */
};

struct notice_doc {
    PangoFontMap *fontmap;
    PangoContext *ctx;
    char *family;
    struct block *blocks;
    size_t nblocks, alloc;
    int unknown_glyphs;       /* characters no installed font has */
    double body, small, line; /* the scale in use */
};

struct style {
    double pt;
    bool bold;
    PangoAlignment align;
    bool justify;
    double indent_em; /* first line */
    double width;     /* 0: the text area */
};

/* A layout of `text` (plain text, never markup) in style st, with extra attributes (or NULL);
 * counts the characters no font has in d->unknown_glyphs. */
PangoLayout *notice_new_layout(struct notice_doc *d, const char *text, const struct style *st,
                               PangoAttrList *attrs);
/* Append a block of layout l (owned by d from then on) `before` points below the last. */
struct block *notice_add_block(struct notice_doc *d, PangoLayout *l, double before, unsigned flags);
struct block *notice_add_text(struct notice_doc *d, const char *text, const struct style *st,
                              double before, unsigned flags);
/* The same in another family than the document's (a heading in 黑体); NULL: the document's. */
PangoLayout *notice_new_layout_in(struct notice_doc *d, const char *family, const char *text,
                                  const struct style *st, PangoAttrList *attrs);
/* Append a painted box `height` points tall: paint(cr, x, y, arg) draws it where it lands (a box
 * never splits across pages; one that does not fit starts the next page). */
struct block *notice_add_paint(struct notice_doc *d, double height, block_paint_fn paint, void *arg,
                               double before, unsigned flags);
/* The first of `n` families fontconfig really has that sets Chinese (a copy), or NULL. */
char *notice_find_family(struct notice_doc *d, const char *const *families, size_t n);
double notice_layout_height(PangoLayout *l);
double notice_layout_width(PangoLayout *l);

/* A document with its own font map and the font family found; -1 with a message when no
 * installed font has Chinese characters. */
int notice_doc_init(struct notice_doc *d, struct buf *err);
/* Drop the blocks (to lay the notice out again at another scale). */
void notice_doc_clear(struct notice_doc *d);
void notice_doc_release(struct notice_doc *d);

struct pager {
    struct notice_doc *d;
    cairo_t *cr; /* NULL: only count the pages */
    int page, npages;
    double y;
};

/* Lays the blocks out on pages (and draws them when p->cr is set); returns the page count. */
int notice_paginate(struct pager *p);
/* The document's npages pages as a PDF titled `title` at path (a temporary file renamed into
 * place, mode 0600 by mkstemp); 0, or -1 with a message. */
int notice_write_pdf(struct notice_doc *d, int npages, const char *title, const char *path,
                     struct buf *err);
/* A PDF of pages width × height points drawn by draw(cr, ctx) (cairo_show_page between pages),
 * titled `title`, at path: a temporary file renamed into place, mode 0600 by mkstemp, nothing
 * left behind on failure. 0, or -1 with a message. The notices and the printed tables
 * (table_pdf.c) are written by it. */
int pdf_write(const char *path, const char *title, double width, double height,
              void (*draw)(cairo_t *cr, void *ctx), void *ctx, struct buf *err);

#endif
