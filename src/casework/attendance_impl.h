#ifndef BAOXUE_ATTENDANCE_IMPL_H
#define BAOXUE_ATTENDANCE_IMPL_H

/* What the attendance files (attendance.c, attendance_read.c, attendance_import.c) share. */
#include <stdint.h>

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

#endif
