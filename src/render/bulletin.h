#ifndef BAOXUE_RENDER_BULLETIN_H
#define BAOXUE_RENDER_BULLETIN_H

/*
 * The 通报 as printed (issue 17, report/bulletin.h assembles it): an A4 official document after
 * GB/T 9704 — the 红头 (the issuing office in red, the 文号, a red rule), the title, the
 * addressees, sections under 黑体 headings (楷体 for the secondary ones where installed) in 仿宋
 * body text, ruled tables, a bar chart, the office and the date at the foot. It draws only what
 * `content` says: the document frozen when it was issued, so that the same content gives the
 * same text however the data change later.
 *
 * content (JSON, every string UTF-8):
 *   office, doc_number, title, addressee, date_text: strings
 *   sections: [{heading, parts: [part…]}], a part one of
 *     {"p": "a paragraph"}                          indented two characters
 *     {"h2": "（一）a secondary heading"}
 *     {"table": {"caption", "columns": [..], "rows": [[..]..], "widths": [relative..]}}
 *     {"chart": {"caption", "bars": [{"label", "value": number, "text"}]}}
 */
#include <jansson.h>

#include "util/buf.h"

/* 0, or -1 with a Chinese message (no Chinese font, cannot write); nothing is left at path on
 * failure (a temporary file renamed into place). */
int bulletin_render_pdf(const json_t *content, const char *path, struct buf *err);

#endif
