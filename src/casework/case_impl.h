#ifndef BAOXUE_CASE_IMPL_H
#define BAOXUE_CASE_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "casework/case.h"
#include "util/outcome.h"

/*
 * What the files of case.h share (case.h says what each verb does):
 *
 *   case.c         the follow-up rule, a case loaded, and the writes of an open case:
 *                  attempts, legal steps, the outcome, follow-ups
 *   case_close.c   销号 (with an approver who did not handle the case) and reopening
 *   case_show.c    the list of cases and one case shown
 *   case_notice.c  a case's notices (通知书)
 */

/* ---- loading a case ---- */

struct case_row {
    int64_t id, child, task, record, run, closed_by, closed_by_user;
    char state[16], township[64], reason[32], other[128], outcome[32];
    char outcome_school[128], outcome_grade[64], outcome_detail[256], close_reason[256];
    int opened, active_since, first_visit_due, ladder, ladder_deadline, outcome_on, closed_on;
    int reopened;
};

/* Case `id` into *c; -1 with the outcome when there is none. */
int case_load(struct store *s, int64_t id, struct case_row *c, struct outcome *o);
/* Refuse a write on a case in the wrong state, saying what the case is. */
int case_must_be(const struct case_row *c, const char *want, const char *doing, struct outcome *o);
/* The in-school follow-ups since the case's latest outcome. */
int case_row_followup_dates(struct store *s, const struct case_row *c, int **dates, size_t *n);
/* Audit `action` on the case and commit; rolls back on failure. */
int case_finish(struct store *s, const char *actor, const char *action, int64_t case_id,
                const char *detail);

static inline bool case_blank(const char *s)
{
    return !s || !*s;
}

#endif
