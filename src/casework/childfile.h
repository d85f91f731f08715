#ifndef BAOXUE_CHILDFILE_H
#define BAOXUE_CHILDFILE_H

#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;

/*
 * What the child record (学生档案) of the web UI shows besides the run's record: the child's
 * status in every cross-check run (found in each run's register by the child key, docs/
 * casework.md), its verification tasks and case, and its timeline of events:
 * {"history": [{run_id, as_of, status, status_label}], "tasks": [{id, state, suspected,
 * opened_on, deadline, overdue, outcome, outcome_label, verified_on}], "case": {id, state,
 * reason_label, ladder, ladder_label, opened_on, outcome_label, closed_on} | null, "timeline":
 * [{on_date, at, actor, kind, kind_label, task_id, case_id, text}], and the placement and
 * 送教上门 visits with what scope `sc` may do to them (casework/placement.h
 * placement_child_json), and "at_risk": the 预警分 and the 结对教师 of a child still at school
 * (casework/atrisk.h atrisk_child_json)}. `record_id` is a
 * population record of the latest run; the caller has checked the scope. NULL with the outcome
 * (OUT_NOT_FOUND, OUT_ERROR).
 */
struct scope;
struct json_t *child_casework(struct store *s, const struct scope *sc, int64_t record_id,
                              struct outcome *o);

#endif
