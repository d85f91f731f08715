#ifndef BAOXUE_REPORT_BULLETIN_H
#define BAOXUE_REPORT_BULLETIN_H

/*
 * The 通报 (issue 17, docs/reports.md "通报"): the county's document on a month's or a term's
 * 控辍保学 work — the situation (the county's indicators, report/indicators.h), the townships
 * ranked, the units with overdue work and those flagged 辍学高发 named, what they must do and by
 * when — issued under the next number of its year (沁教通〔2026〕12号) and kept as generated:
 * the table bulletin holds the document's content frozen as JSON (render/bulletin.h), which the
 * PDF is drawn from every time it is asked for, the same text whatever the data became since.
 * Only the county (and admin) issues; the county, admin and supervisors read every one, a
 * township the issued ones too (a 通报 is sent to the townships).
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct scope;

struct bulletin_input {
    const char *month;     /* 2026-10: the month reported on */
    const char *term;      /* or a term: 2026秋, 2027春, 2026年秋季学期 */
    const char *date;      /* 成文日期 (publication): default today */
    const char *deadline;  /* 整改期限: default the date + bulletin_rectify_days working days */
    const char *addressee; /* 主送: default 各乡（镇）人民政府，各中小学校 */
    const char *demand; /* a further requirement of 下一步要求, one paragraph; may be NULL */
    bool preview;       /* the figures and text without issuing (the form's preview) */
};

/*
 * Issue a 通报 (or, in->preview, only make it): the content is assembled from the indicators on
 * the period's last day (today when the period is not over), numbered the next of the
 * publication date's year, stored with the account and audited (bulletin_issue). msg says what
 * was done; *result (owned) the bulletin as bulletin_get answers it (a preview: its content,
 * no id). -1 with the outcome: OUT_INVALID naming the field (月份, 学期, 成文日期, 整改期限),
 * OUT_FORBIDDEN for an account other than the county's.
 */
int bulletin_issue(struct store *s, const struct scope *sc, const struct bulletin_input *in,
                   const char *actor, struct buf *msg, json_t **result, struct outcome *o);

/* The issued bulletins the scope reads, newest first: id, doc_number, year, number, period,
 * period_label, title, published_on, deadline, created_by. NULL with the outcome. */
json_t *bulletin_list(struct store *s, const struct scope *sc, struct outcome *o);
/* One, with its content. NULL with OUT_NOT_FOUND (unknown or not the scope's to read). */
json_t *bulletin_get(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* One drawn as a PDF at path from its frozen content; name (size bytes) the file name to offer
 * (沁教通〔2026〕12号.pdf). */
int bulletin_pdf(struct store *s, const struct scope *sc, int64_t id, const char *path, char *name,
                 size_t size, struct outcome *o);

/* ---- numbering (tests/unit/test_bulletin.c) ---- */

/* 沁教通〔2026〕12号 into out; "" prefix gives 〔2026〕12号. */
void bulletin_doc_number(const char *prefix, int year, int number, char *out, size_t size);
/* The number after the highest of `year` among `taken` (n numbers of that year): 1 when none. */
int bulletin_next_number(const int *taken, size_t n);
/* The office and the prefix for a county whose short name is `county_name` (沁县): the settings
 * when set, else 沁县教育局 and its first character + 教通 (沁教通). */
void bulletin_office_default(const char *county_name, char *office, size_t osize, char *prefix,
                             size_t psize);
/* A term argument (2026秋, 2027春, 2026年秋季学期, 2026-autumn): its first calendar year and
 * autumn (true) or spring; -1 when it is none. */
int bulletin_term_parse(const char *text, int *year, bool *autumn);

#endif
