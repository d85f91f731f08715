#ifndef BAOXUE_CASEWORK_IMPL_H
#define BAOXUE_CASEWORK_IMPL_H

#include <stdint.h>

#include "casework/casework.h"

/*
 * What the files of casework.h share (casework.h says what each does):
 *
 *   casework.c          settings, a child's key, dates and vocabularies of the input, the
 *                       assignees and header of a child, the helpers below
 *   aftermatch.c        after a cross-check: tasks for suspected children, auto-assignment,
 *                       cases reopened (casework_after_match)
 *   aftermatch_found.c  its last pass: watched children the run finds at school
 *   verify.c            verification: the task list, one task shown, a verification recorded
 *   assign.c            assignment by hand (casework_assign)
 */

/* The first column of the first row of `sql` with $1 = a; 0 when none; *rc = -1 on an error. */
int64_t casework_one_int(struct store *s, const char *sql, int64_t a, int *rc);

/* One row of `assignment`: a task's (case_id 0) or a case's (task_id 0) person in `role`. */
int casework_assign_one(struct store *s, int64_t task_id, int64_t case_id, const char *role,
                        int64_t person, int on, const char *actor, const char *reason);

/* A run's status key ("not_enrolled") as its Chinese label; the key itself when unknown. */
const char *casework_suspect_label(const char *status);

/*
 * SQL: the newest list that is current now (the latest batch.live_seq), stored with an outcome
 * as outcome_lists when it is recorded: a cross-check contradicts the outcome only with a
 * school list that became current after it (field work outranks a stale list).
 */
#define LISTS_NOW_SQL "(SELECT coalesce(max(live_seq), 0) FROM batch)"

/* ---- aftermatch_found.c ---- */

/* Open tasks, open or returned cases and flagged claims whose child this run (its register
 * snapshot `population_batch`) finds at school. */
int casework_enrolled_pass(struct store *s, int64_t run_id, int64_t population_batch, int today,
                           const char *actor, struct casework_summary *sum);

#endif
