#ifndef BAOXUE_EXPLAIN_H
#define BAOXUE_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * For one child of the register (by ID number), every school record the cross-check considered,
 * each field's comparison level and weight, the total and why the pair ended as it did (the
 * sentence the run stored, written from its reason code and numbers): a waterfall a county
 * official can read; then the priority-group rows the run linked to the child (重点群体名单). `run`
 * 0 is the latest run. The read is recorded in the audit trail. Without `full` the records are
 * shown as a masked view shows them (core/view.h): ages, not birth dates.
 */
int explain_child(struct store *s, const char *id_text, int64_t run, bool full, const char *actor,
                  struct buf *out, struct outcome *o);

/*
 * The same waterfall for one child of the latest run (population record `record_id`), as JSON
 * for the web UI: {"run_id", "age_on", "accept", "review", "margin", "name_frequency", "note"
 * (what the numbers mean, in words), "candidates": [{"record_id", "kind", "file_name", "row",
 * "where", "name", "birth_date", "age", "gender", "id_number", "verdict", "reason", "fields":
 * [{"field", "label", "level", "weight"}], "total", "same_day" (weighed among children born the
 * same day), "id_source" (where the ID came from when not its own cell, or "")}], "groups":
 * [{"group", "group_label", "category", "category_key", "matched_by", "matched_by_label",
 * "file_name", "row", "imported", "list_kind", "detail"}] (the priority-group rows the run
 * linked to the child: which list, how, and the sentence the run stored)}. A pair the
 * run scored is shown with the numbers and the sentence it stored. Read through the view of
 * `full` (core/view.h): masked, no birth date (null) but the age on the run's cutoff ("age_on").
 * The caller checks the scope and audits a full read. NULL with the outcome (OUT_NO_RUN before
 * the first cross-check, OUT_ERROR).
 */
struct json_t;
struct json_t *explain_record(struct store *s, int64_t record_id, bool full, struct outcome *o);

#endif
