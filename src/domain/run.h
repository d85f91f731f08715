#ifndef BAOXUE_RUN_H
#define BAOXUE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;

/* A finished cross-check run, as reports, review and explain read it. */
struct run_info {
    int64_t id, population_batch, enrollment_batch, outside_batch;
    char as_of[11];
    int school_year;
    int cutoff; /* ymd: ages are counted on this day */
    char county[7];
    char population_department[32]; /* the department that uploaded the population list ("":
                                       the county's own import) */
};

/*
 * Load run `want` (0: the latest finished one). -1 with the outcome OUT_NO_RUN when there is
 * none yet ("还没有比对结果…"), OUT_NOT_FOUND when run `want` is not there, OUT_ERROR on a
 * store error.
 */
int run_info_load(struct store *s, int64_t want, struct run_info *ri, struct outcome *o);

struct stmt;
/*
 * The latest finished run read in another query of the request (the session lookup of a read:
 * one round trip for both on PostgreSQL). RUN_LATEST_FROM is a subquery of one row or none
 * with the columns (RUN_INFO_COLS) run_info_row reads from column `col` on.
 * run_latest_prefetched keeps what was read (NULL: no run yet) for this thread's
 * run_info_load(s, 0, …) on the same store until run_latest_forget, which the server calls at
 * the end of the request: a request sees the run that was the latest when it began.
 */
#define RUN_INFO_COLS(mr)                                                                          \
    mr ".id AS ri_id, " mr ".as_of AS ri_as_of, " mr ".school_year AS ri_year, " mr                \
       ".population_batch AS ri_pop, coalesce(" mr ".enrollment_batch, 0) AS ri_enr,"              \
       " coalesce(" mr ".outside_batch, 0) AS ri_out, " mr ".cutoff AS ri_cutoff,"                 \
       " (SELECT value FROM setting WHERE key = 'county') AS ri_county,"                           \
       " (SELECT department FROM batch WHERE id = " mr ".population_batch) AS ri_dept"
#define RUN_LATEST_FROM                                                                            \
    "(SELECT " RUN_INFO_COLS("m") " FROM match_run m WHERE m.finished_at IS NOT NULL"              \
                                  " ORDER BY m.id DESC LIMIT 1)"
void run_info_row(struct stmt *q, int col, struct run_info *ri);
void run_latest_prefetched(const struct store *s, const struct run_info *ri);
void run_latest_forget(void);

struct view;
/*
 * The view a reader outside one run's report gets (casework, review, the child record): full or
 * masked, with ages on the cutoff of the latest finished run, so that every screen states the
 * same age on the same day (core/view.h). Cutoff 0 when there is no run yet. -1 on a store
 * error (message in the store).
 */
int run_view(struct store *s, bool full, struct view *v);

struct run_status_entry;
/*
 * One child's status in a run, and its explanation: the stored one for the children someone
 * acts on, written from the records for the others (status_describe). 1 found, 0 the record is
 * not in the run, -1 store error (message in the store).
 */
int run_child_status(struct store *s, const struct run_info *ri, int64_t record_id,
                     struct run_status_entry *e, struct buf *detail);

#endif
