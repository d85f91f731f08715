#ifndef BAOXUE_REVIEW_H
#define BAOXUE_REVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Clerical review of uncertain pairs. The queue is the latest run's candidate pairs in the
 * review band whose pair key has no decision yet. A decision is stored by pair key (it survives
 * new snapshots and is never overwritten by a run) and takes effect at the next cross-check.
 */

/* What the cross-check decided of a pair (accept, review, reject: 采纳 …) and what a clerk
 * decided of one in review (pending, accept, reject: 待复核, 同一人, 不是同一人). */
struct vocab;
extern const struct vocab link_verdicts;
extern const struct vocab review_decisions;

/* The queue (or, with `all`, every pair of the run in review, decided or not). */
int review_list(struct store *s, bool all, bool full, struct report_table *t, struct outcome *o);

/* One pair, side by side, with each field's level and weight, as text for a terminal. */
int review_show(struct store *s, int64_t candidate_id, bool full, struct buf *out,
                struct outcome *o);

/*
 * The same pair as JSON for the review screen: {"id", "run_id", "score", "decision",
 * "decision_label", "reason", "fields": [{"key", "label", "population", "other", "level",
 * "level_label", "weight", "differs"}…], "population": {…}, "other": {…}, "review": {…}|null}.
 * NULL with the outcome (OUT_NOT_FOUND: no such pair).
 */
json_t *review_get(struct store *s, int64_t candidate_id, bool full, struct outcome *o);

/*
 * SQL: the latest finished cross-check, whose review queue is the current one; and for a
 * candidate pair of alias `a`, the day (run_on) of the first run in which the same pair (its
 * pair key) waited for review: a pair's review is due N working days after it
 * (casework_review_days), and a new run of the same lists does not move that day.
 */
#define REVIEW_LATEST_RUN_SQL "(SELECT max(id) FROM match_run WHERE finished_at IS NOT NULL)"
#define REVIEW_SINCE_SQL(a)                                                                        \
    "(SELECT m.run_on FROM match_run m WHERE m.id = (SELECT min(e.run_id) FROM candidate e"        \
    " WHERE e.pair_key = " a ".pair_key AND e.decision = 'review'))"

/* Record a clerk's decision on candidate pair `candidate_id` of any run. */
int review_decide(struct store *s, int64_t candidate_id, bool accept, const char *actor,
                  const char *note, struct buf *msg, struct outcome *o);

#endif
