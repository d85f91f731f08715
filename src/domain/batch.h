#ifndef BAOXUE_BATCH_H
#define BAOXUE_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;

/*
 * The imported batches as the people who import them see them, and the county's decision on
 * a department's upload. A department's import lands as a pending batch that no cross-check,
 * report or list uses; a county (or admin) account accepts it, and it becomes its kind's
 * current snapshot at that moment, or rejects it with a reason the department reads. The
 * county's own imports are live at once. docs/decisions.md (issue 11).
 */

/* The states of a batch: live (the county's own import, or an accepted upload), pending (a
 * department's upload waiting for the county), rejected (core/words.h). */
struct vocab;
extern const struct vocab batch_states;

/* The setting import_shrink_percent (domain/settings.c). 0, or -1 (message in the store). */
int batch_shrink_percent(struct store *s, int *percent);

/*
 * {"items": [{id, kind, kind_label, file_name, format, imported_at, imported_by, forced,
 * rows_read, rows_imported, rows_flagged, rows_rejected, rows_skipped, flags, state,
 * state_label, department, department_label, decided_by, decided_at, decision_note, current,
 * compare}]}, newest first, at most `limit`. Whoever may run the county's imports (PERM_IMPORT)
 * sees every batch; anyone else (a department) its department's uploads. `current`: the
 * batch is its kind's current snapshot; `compare` (pending batches): the current snapshot it
 * would replace, {batch, rows, percent, shrinks, threshold}. NULL on a store error.
 */
struct json_t *batch_list(struct store *s, const struct scope *sc, int64_t limit);

/*
 * Accept pending batch `id`: it becomes its kind's current snapshot now. Refused (exit 2)
 * when it is not pending, or when it would make the snapshot fall below the setting's share
 * of the current one and `shrink_confirmed` is false (the message names both numbers).
 */
int batch_accept(struct store *s, int64_t id, bool shrink_confirmed, const char *actor,
                 struct buf *msg, struct outcome *o);
/* Reject pending batch `id` with a reason the uploading department reads. */
int batch_reject(struct store *s, int64_t id, const char *reason, const char *actor,
                 struct buf *msg, struct outcome *o);

/* ---- what the current lists name: schools (学籍) and villages (户籍) ---- */

/* The name of the school with code `code` in the current 学籍 list: 1 (name set; "" when the list
 * names none), 0 not in it (or no list), -1 store error. */
int batch_school_name(struct store *s, const char *code, char *name, size_t size);
/* {"schools": [{code, name, township}], "list": true|false} of the current 学籍 list, by
 * township then name; township is the name most of the school's rows give ("" none). NULL on
 * a store error. */
struct json_t *batch_schools(struct store *s);
/* Is `village` a village of township `township_code` in the current 户籍 list? 1 yes, 0 no,
 * 2 there is no 户籍 list yet, -1 store error. */
int batch_has_village(struct store *s, const char *township_code, const char *village);

#endif
