#ifndef BAOXUE_CASE_H
#define BAOXUE_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "casework/casework.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * The case of one child confirmed out of school (一人一案): states open (劝返中) → returned
 * (an outcome recorded, the child followed up: 巩固) → closed (销号, after the follow-ups, with
 * an approver). A later cross-check that finds the child out of school, or a follow-up that
 * does not find them at school, opens it again. Attempts, ladder steps and follow-ups are
 * appended, never changed: a correction is a new attempt pointing at the one it corrects.
 */

struct case_filter {
    const char *township;
    unsigned school_ties;             /* TIE_* bits (domain/scope.h): only cases tied so */
    const char *school, *school_name; /* with school_ties: the school's code and name */
    int64_t user_id;                  /* with TIE_VILLAGE: the village account's id */
    const char *state;                /* NULL: not closed; "open", "returned", "closed", "all" */
    const char *group;                /* only one priority group's children (its key or label) */
    bool full;
};
int case_list(struct store *s, const struct case_filter *f, struct report_table *t,
              struct outcome *o);
int case_show(struct store *s, int64_t case_id, bool full, struct buf *out, struct outcome *o);

/* Where a case stands with its first visit (FIRST_VISIT_DONE_SQL, core/words.h): the in-person
 * attempt that made it, and how many attempts since the case (re)opened were at a distance
 * (电话, 微信 …: they do not count, the page says so). */
struct first_visit {
    int64_t attempt; /* the first in-person attempt in force, 0: none */
    char date[11];   /* its date */
    const char *method_label;
    int64_t distant; /* attempts in force since active_since that were not in person */
};
int case_first_visit(struct store *s, int64_t case_id, struct first_visit *fv);

struct attempt_input {
    const char *date, *method, *people, *said, *response, *result, *next_step;
    const char *corrects; /* attempt number this entry corrects, or NULL */
    const char *reason;   /* why: required with `corrects`, refused without it */
};
int case_attempt(struct store *s, int64_t case_id, const struct attempt_input *in,
                 const char *actor, struct buf *msg, struct outcome *o);

struct ladder_input {
    const char *step; /* word or number 1..4 */
    const char *date, *authority, *deadline, *result;
};
int case_escalate(struct store *s, int64_t case_id, const struct ladder_input *in,
                  const char *actor, struct buf *msg, struct outcome *o);

struct resolve_input {
    const char *outcome, *date, *school, *grade, *visits_per_week, *hours, *note;
};
int case_resolve(struct store *s, int64_t case_id, const struct resolve_input *in,
                 const char *actor, struct buf *msg, struct outcome *o);

struct followup_input {
    const char *date, *in_school, *by, *note;
};
int case_follow_up(struct store *s, int64_t case_id, const struct followup_input *in,
                   const char *actor, struct buf *msg, struct outcome *o);

/*
 * 销号 of a returned case whose follow-ups are done. `approver` is the account that approves:
 * it must exist, be enabled, be a county or admin account (PERM_APPROVE) and not have handled
 * the case (recorded its verification, attempts, ladder steps, outcome, follow-ups or notices:
 * separation of duties). It is recorded by account (closed_by_user); older closings keep the
 * registry person they named.
 */
int case_close(struct store *s, int64_t case_id, const char *approver, const char *reason,
               const char *date, const char *actor, struct buf *msg, struct outcome *o);
/* "账号 liu（县教育局）" for a closing approved by an account, else the registry person. */
int case_approver_describe(struct store *s, int64_t person, int64_t account, struct buf *out);
int case_reopen(struct store *s, int64_t case_id, const char *reason, const char *actor,
                struct buf *msg, struct outcome *o);

/*
 * A printable notice of the legal ladder for the case's guardian, as a PDF at `path`
 * (report/notice.h). Filled from the case: the child and guardian from the record that opened
 * it, the county, the township government as the issuing body (or the authority recorded with
 * the ladder step), the deadline of step 2 for a 责令限期改正通知书, the school the child returns
 * to, the township official as contact. Fields given in `in` take precedence. The ID is masked
 * unless `full` (audited). The notice is an event of the case.
 */
struct notice_input {
    const char *kind; /* "return" / "order" or the Chinese title */
    const char *date, *deadline, *authority, *doc_number, *school, *grade, *contact;
    bool full;
};
int case_notice(struct store *s, int64_t case_id, const struct notice_input *in, const char *path,
                const char *actor, struct buf *msg, struct outcome *o);

/*
 * Follow-ups (巩固). Follow-up k (1-based) is due `followup_months`·k months after the outcome
 * date (holiday rule applied). A follow-up finding the child at school counts as the k-th when
 * it is dated no earlier than FOLLOWUP_EARLY_DAYS before that due date; `dates` are those
 * follow-ups' dates in any order. Returns how many of the required follow-ups are done and
 * sets *next_due to the due date of the next one (0 when all are done).
 */
#define FOLLOWUP_EARLY_DAYS 7
int followup_progress(const struct casework_settings *cs, int outcome_on, const int *dates,
                      size_t n, int *next_due);
/* 0 when a case may close; else -1 with the outcome OUT_INVALID and the reason. */
int followup_close_check(const struct casework_settings *cs, int outcome_on, const int *dates,
                         size_t n, struct outcome *o);
int followup_due(const struct casework_settings *cs, int outcome_on, int k);
/* The dates of a case's in-school follow-ups since its outcome of `outcome_on` (and since its
 * latest not-in-school one), as followup_progress wants them; *dates is malloc'ed. */
int case_followup_dates(struct store *s, int64_t case_id, int outcome_on, int **dates, size_t *n);

#endif
