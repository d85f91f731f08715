#ifndef BAOXUE_COUNTIES_KEPT_H
#define BAOXUE_COUNTIES_KEPT_H

#include <stdint.h>

#include "render/table.h"
#include "util/outcome.h"

struct store;
struct progress;

/*
 * The province's kept tables of the counties' indicators (issue 18; table province_table of the
 * province's own schema, domain/province.h): a province of a hundred counties takes minutes to
 * compute (report/counties.h), so its table is computed once — by a background job of the
 * province's server (verb/rows_province.c) or by `baoxue province indicators` — and kept, the
 * latest per area and month, with when it was computed and by whom; the screen and the API
 * read what was kept. docs/decisions.md ("the province's table as a background job").
 */

/* What is known of a kept table. */
struct counties_kept {
    char area[8];          /* "14", "1405", "140521"; "" every registered county */
    char month[8];         /* "2026-11" */
    char as_of[11];        /* the day its indicators are of: "2026-11-30" */
    int64_t computed_at;   /* Unix seconds */
    char computed_by[128]; /* the account, or on the command line the system user */
    int64_t job;           /* the job that computed it, 0 the command line */
};

/*
 * The month of a kept table: NULL or "" the current month, "2026-11" (or 2026/11, 2026年11月)
 * that month, as *key "2026-11", and *as_of the day its indicators are computed on
 * (report/indicators.h indicators_as_of: the month's last day, today for the current month).
 * A day (2026-11-15) or a month not yet come: -1 with OUT_INVALID naming the field month.
 */
int counties_month(const char *month, int today, char key[8], int *as_of, struct outcome *o);

/*
 * Compute the counties' indicators of `area` for `month` (counties_month's key) with
 * report_counties on the database of `p`, a connection to the province's own schema, then keep
 * the table there — replacing the one kept for the same area and month — with an audit row
 * (action province_indicators) in one transaction. by: who asked (the account, or the command
 * line's user), origin: the audit trail's ("cli", "api 1.2.3.4"), job: the job computing it
 * (0: none). pr hears of each county (report_counties). *t is the table (table_release it), *k
 * what is kept. -1 with report_counties' outcome, or OUT_NOT_FOUND when p is not the province's
 * schema, or OUT_ERROR.
 */
int counties_compute_keep(struct store *p, const char *area, const char *month, const char *by,
                          const char *origin, int64_t job, struct progress *pr,
                          struct report_table *t, struct counties_kept *k, struct outcome *o);

/*
 * The table kept for area and month, made again as report_counties made it (every format
 * renders what it rendered then), with the metadata month, computed_at (Unix seconds),
 * computed_by and job (when a job computed it). 1 found; 0 none yet, with a Chinese outcome
 * (OUT_NOT_FOUND) that says so and to compute it; -1 OUT_ERROR. *t is to be released when 1.
 */
int counties_kept_read(struct store *p, const char *area, const char *month, struct report_table *t,
                       struct counties_kept *k, struct outcome *o);

/*
 * The area a table of every registered county is kept under on the command line: their
 * province's 2 digits when they are all of one province (the province's accounts read it
 * there), else "" (out: 8 bytes). -1 with province_counties' outcome.
 */
int counties_whole_area(const char *dsn, char out[8], struct outcome *o);

#endif
