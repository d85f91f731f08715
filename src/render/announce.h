#ifndef BAOXUE_ANNOUNCE_H
#define BAOXUE_ANNOUNCE_H

#include <stddef.h>

#include "util/buf.h"

/*
 * A public bulletin (公告) laid out as a Chinese official document on A4 (GB/T 9704, the
 * notices' primitives: notice_impl.h): a title, a line under it, sections each with a heading
 * (黑体) and paragraphs (仿宋, two-character indent), the issuing body and the date at the end.
 * Fonts: the 仿宋 and 黑体 fontconfig offers, else the Chinese font the notices use. The 督导检查
 * 结果公告 (casework/inspection.h) is one. Borrowed strings, none kept.
 */
struct announce_section {
    const char *heading;
    const char *const *paras;
    size_t nparas;
};

struct announce {
    const char *title;    /* "沁水县控辍保学督导检查结果公告" */
    const char *subtitle; /* a line under it, or NULL */
    const struct announce_section *sections;
    size_t nsections;
    const char *authority; /* the issuing body */
    const char *date;      /* "2026年11月20日" */
};

/* The PDF at path (a temporary file renamed into place); 0, or -1 with a Chinese message. */
int announce_render_pdf(const struct announce *b, const char *path, struct buf *err);

#endif
