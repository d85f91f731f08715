/* A public announcement (公告) on A4 with the notices' layout primitives (announce.h). */
#include "render/announce.h"

#include <string.h>

#include "render/notice_impl.h"
#include "util/common.h"

/* A family list pango reads in order: the official document's face when fontconfig has it,
 * else the Chinese font the document found (d->family). */
static PangoAttrList *face(const struct notice_doc *d, const char *wanted)
{
    char families[256];
    snprintf(families, sizeof(families), "%s,%s", wanted, d->family);
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_family_new(families));
    return al;
}

static void add(struct notice_doc *d, const char *text, const struct style *st, const char *fam,
                double before, unsigned flags)
{
    PangoAttrList *al = face(d, fam);
    notice_add_block(d, notice_new_layout(d, text, st, al), before, flags);
    pango_attr_list_unref(al);
}

#define FANGSONG "FangSong,仿宋,仿宋_GB2312,STFangsong,AR PL UKai CN"
#define HEITI    "SimHei,黑体,Noto Sans CJK SC,WenQuanYi Zen Hei"

int announce_render_pdf(const struct announce *b, const char *path, struct buf *err)
{
    struct notice_doc d;
    memset(&d, 0, sizeof(d));
    if (!path || !*path) {
        buf_adds(err, "未指定输出文件");
        return -1;
    }
    if (notice_doc_init(&d, err))
        return -1;
    d.body = 16.0; /* 三号 */
    d.small = 12.0;
    d.line = 1.4;
    const struct style st_title = {TITLE_PT, true, PANGO_ALIGN_CENTER, false, 0, 0};
    const struct style st_sub = {d.body, false, PANGO_ALIGN_CENTER, false, 0, 0};
    const struct style st_head = {d.body, true, PANGO_ALIGN_LEFT, false, 0, 0};
    const struct style st_body = {d.body, false, PANGO_ALIGN_LEFT, true, 2, 0};
    const struct style st_right = {d.body, false, PANGO_ALIGN_RIGHT, false, 0, 0};
    add(&d, b->title, &st_title, HEITI, 0, KEEP_NEXT);
    if (b->subtitle && *b->subtitle)
        add(&d, b->subtitle, &st_sub, FANGSONG, d.body * 0.5, 0);
    for (size_t i = 0; i < b->nsections; i++) {
        const struct announce_section *s = &b->sections[i];
        if (s->heading && *s->heading)
            add(&d, s->heading, &st_head, HEITI, d.body * 0.8, KEEP_NEXT);
        for (size_t k = 0; k < s->nparas; k++)
            add(&d, s->paras[k], &st_body, FANGSONG, d.body * 0.2, 0);
    }
    if (d.nblocks)
        d.blocks[d.nblocks - 1].flags |= KEEP_NEXT;
    add(&d, b->authority ? b->authority : "", &st_right, FANGSONG, d.body * 1.5, KEEP_NEXT);
    add(&d, b->date ? b->date : "", &st_right, FANGSONG, 0, 0);
    int ret = -1;
    if (d.unknown_glyphs) {
        buf_addf(err, "公告中有 %d 个字符在字体 %s 及其后备字体中都没有，未生成文件",
                 d.unknown_glyphs, d.family);
    } else {
        struct pager count = {&d, NULL, 0, 0, 0};
        int npages = notice_paginate(&count);
        ret = notice_write_pdf(&d, npages, b->title, path, err);
    }
    notice_doc_release(&d);
    return ret;
}
