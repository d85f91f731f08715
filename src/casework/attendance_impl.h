#ifndef BAOXUE_ATTENDANCE_IMPL_H
#define BAOXUE_ATTENDANCE_IMPL_H

/* What the attendance files (attendance.c, attendance_read.c, attendance_import.c) share. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#include "casework/attendance.h"

struct scope;

/* The current 学籍 snapshot (0 none). */
int att_enrollment_batch(struct store *s, int64_t *batch);
/* The school `text` names (code or name) in the current 学籍 list, a school account's own. */
int att_school(struct store *s, const struct scope *sc, const char *text, char code[32],
               char name[128], struct outcome *o);
int att_may_write(const struct scope *sc, struct outcome *o);
const struct pupil *att_find(const struct pupil *r, size_t n, const char *text);
int att_kind(const char *text, struct outcome *o);
int att_day(const struct term_calendar *cal, const char *text, int *ymd, struct outcome *o);
/* Insert or replace one absence (the replacement audited); *replaced 1 when it replaced. */
int att_put(struct store *s, const struct pupil *p, int ymd, enum absence_kind kind,
            const char *note, int64_t import_id, const char *actor, const char *now,
            const char *origin, int *replaced);

/* ---- attendance_sheet.c: a sheet's cells ---- */

/* The columns an attendance sheet may have. */
enum acol {
    A_DATE,
    A_CLASS,
    A_GRADE,
    A_NO,
    A_ID,
    A_NAME,
    A_KIND,
    A_NOTE,
    A_MONTH,
    A_SCHOOL,
    A__COUNT
};
/* The column a header cell names, or -1 (k: scratch). */
int acol_of(const char *text, size_t len, struct buf *k);
/* A grid's day column: "1" … "31", "1日", "01", "1号"; 0 when not one. */
int day_col(const char *t, size_t len);
/* The class's number as lists and sheets write it ("七年级(2)班" → "2"). */
void class_norm(const char *t, char out[32]);
/* A grade named inside a class's text: 1..12, or 0. */
int grade_in(const char *t);
/* A grid's mark: 0 present or blank, 1 an absence (*kind), -1 not a mark. */
int grid_mark(const char *t, int *kind);

#endif
