#ifndef BAOXUE_VIEW_H
#define BAOXUE_VIEW_H

#include <stdbool.h>

#include "util/buf.h"

/*
 * What a reader sees of the fields that identify a child: the one place that decides it, for
 * every list, record, export, notice and answer of the API (docs/decisions.md, Issue 11).
 *
 * A full view (a role with PERM_FULL_ID that asked for it; the caller audits the read) shows
 * what is stored. A masked view shows the ID number as 140521********024X and the phone as
 * 138****5678, and never the birth date nor anything that narrows it below the school cohort:
 * the masked ID hides exactly the 8 birth-date digits, and whoever learns the date (or narrows
 * it to one of the ~33 dates of a cohort the check digit allows) has the whole ID. A masked view
 * shows instead the age on the cutoff date of the school year (31 August by default): the same
 * date for every child and every screen, so watching an age change between two readings tells
 * nothing about the birthday. Sorting a masked list by age breaks ties by record, never by date.
 */
struct view {
    bool full;
    int cutoff;   /* ymd: ages are completed years on this day; 0 when no run says which */
    bool contact; /* the guardian's phone and the home address as stored, the ID and the birth
                     date masked: what the people assigned to the child need to reach the family
                     (scope's ACT_CONTACT; the caller audits the read like a full one) */
};

static inline struct view view_make(bool full, int cutoff_ymd)
{
    struct view v = {full, cutoff_ymd, false};
    return v;
}

/* Does the view show the guardian's phone and the home address as stored? */
static inline bool view_contact(const struct view *v)
{
    return v->full || v->contact;
}

/* Room for any ID a view writes: 18 characters, or "（身份证号不完整）". */
#define VIEW_ID_SIZE 48

/* The ID number: as stored in a full view; masked, 18 characters keep the first 6 and the last
 * 4, anything else (a truncated or Excel-mangled number) is "（身份证号不完整）", "" is "". */
void view_id(const struct view *v, const char *id, char out[VIEW_ID_SIZE]);

/* A phone number (appended to out): as stored (view_contact), or masked to its first 3 and last
 * 4 digits. */
void view_phone(const struct view *v, const char *phone, struct buf *out);

/* The stored birth date for a full view; NULL for a masked one (whatever was stored). */
const char *view_birth(const struct view *v, const char *birth);

/* Completed years on the cutoff of a birth date in any form date_parse reads; -1 when the date
 * or the cutoff is unknown. Both views show it. */
int view_age(const struct view *v, const char *birth);

/* The birth as prose (appended): "出生 2015-03-04" in a full view; "截至2026年8月31日 11 周岁"
 * in a masked one ("年龄不明" without a date or a cutoff). */
void view_birth_text(const struct view *v, const char *birth, struct buf *out);

/* An age on the cutoff as prose (appended): "截至2026年8月31日 11 周岁"; "年龄不明" for -1. */
void view_age_text(const struct view *v, int age, struct buf *out);

/* The sentence a table's notes carry (appended): in a masked view that ID numbers (and phones,
 * when the table has them) are masked and that ages stand on the cutoff; in a full view only
 * the latter. */
void view_note(const struct view *v, bool phones, struct buf *out);

/*
 * A raw cell of an uploaded sheet, as the import wizard's preview of its rows shows it to
 * whoever may read the job (appended to out): whatever looks like an ID number (15 or 18
 * digits, a final X) keeps its first 6 and last 4 characters, a mobile number its first 3 and
 * last 4, and a date keeps its shape with every digit starred ("****-**-**"): a cell of the
 * birth-date column (`birth`), whatever it holds, and any other cell written as a date
 * (2015-03-04, 2015/3/4, 2015年3月4日, 20150304). The shape is what mapping a column needs.
 */
void view_cell(const char *t, size_t len, bool birth, struct buf *out);

/*
 * Searches. A whole ID number is an oracle for a masked reader: with the first 6 and last 4
 * shown, trying the ~33 dates the check digit allows finds the child. view_search_is_id is true
 * when the query is one (18 characters, or 15 digits, spaces and full-width forms allowed);
 * view_search_last4 when it is the last 4 characters of one ("024X", "024x"), which it writes
 * upper-cased to out (5 bytes).
 */
bool view_search_is_id(const char *q);
bool view_search_last4(const char *q, char out[5]);

#endif
