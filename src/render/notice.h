#ifndef BAOXUE_NOTICE_H
#define BAOXUE_NOTICE_H

/*
 * The printable notices of the legal ladder (domain.md, core loop step 4): a guardian who keeps
 * a child of compulsory-school age out of school first receives a 劝返复学通知书, then a
 * 责令限期改正通知书 under 义务教育法 第五十八条. Each is one A4 PDF laid out after GB/T 9704
 * (margins, title, 2-character indents, signature and date at the bottom right) with a 回执
 * the guardian signs and returns, set in Noto Serif CJK SC (or Noto Sans CJK SC) through
 * pango and cairo.
 */
#include "util/buf.h"

enum notice_kind { NOTICE_RETURN, NOTICE_ORDER, NOTICE__COUNT };
/* NOTICE_RETURN 《劝返复学通知书》; NOTICE_ORDER 《责令限期改正通知书》 (义务教育法第五十八条) */

/*
 * What a notice says. Borrowed strings (UTF-8), none kept after notice_render_pdf returns.
 * Required: county, authority, child_name, guardian, issue_date, and deadline for
 * NOTICE_ORDER; the others may be NULL or empty and are then left out of the text. Dates are
 * read with date_parse (YYYY-MM-DD and the other forms departments write).
 */
struct notice_fields {
    enum notice_kind kind;
    const char *county;                                  /* 沁水县 */
    const char *authority;                               /* issuing body, e.g. 沁水县教育局 or
                                                            郑庄镇人民政府 */
    const char *doc_number;                              /* 文号, may be NULL */
    const char *case_no;                                 /* case number */
    const char *child_name, *child_gender, *child_birth; /* birth YYYY-MM-DD */
    const char *child_age; /* in place of the birth date on a masked notice: "截至2026年8月31日
                              12 周岁" (core/view.h); ignored when child_birth is given */
    const char *child_id;  /* already masked unless the caller chose --full */
    const char *guardian, *guardian_address;
    const char *school, *grade; /* school and grade to return to; may be NULL */
    const char *issue_date;     /* YYYY-MM-DD */
    const char *deadline;       /* YYYY-MM-DD; required for NOTICE_ORDER */
    const char *contact;        /* contact person and phone; may be NULL */
};

const char *notice_kind_key(enum notice_kind k);   /* "return", "order" */
const char *notice_kind_label(enum notice_kind k); /* "劝返复学通知书", ... */
int notice_kind_parse(const char *s);              /* key or Chinese title; -1 if unknown */

/*
 * Writes an A4 PDF. 0 on success; -1 with a Chinese message in err (missing required field,
 * cannot write the file, font missing, …). Never leaves a partial file at path: write to a
 * temporary file in the same directory and rename.
 *
 * The message names the field, never its value (it may reach a log). No file is created at
 * all when a field is invalid or no installed font can set the text. The file is created
 * with mode 0600: it carries a minor's personal data. Keeps no state between calls (each
 * call has its own pango font map).
 */
int notice_render_pdf(const struct notice_fields *f, const char *path, struct buf *err);

#endif
