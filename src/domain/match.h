#ifndef BAOXUE_MATCH_H
#define BAOXUE_MATCH_H

#include <stdint.h>

#include "core/schoolyear.h"
#include "domain/status.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct progress;

struct match_options {
    int as_of; /* ymd */
    struct school_calendar cal;
    const char *actor;
    struct progress *report; /* or NULL: load (0–0.2), link (0.2–0.5), decide and store
                                (0.5–0.95), commit; the caller's casework follows */
};

struct match_result {
    int64_t run_id;
    int school_year;                                           /* 2026 for 2026-2027 */
    int cutoff;                                                /* ymd */
    int64_t population_batch, enrollment_batch, outside_batch; /* 0 when none */
    long population;
    long counts[ST__COUNT];
    long links;           /* school records linked to a child */
    long by_method[5];    /* links by enum lk_method */
    long review;          /* records waiting for a clerk */
    int64_t previous_run; /* the cross-check before this one, 0 when none */
    unsigned lists_new;   /* the lists (bit 1 << enum import_kind) not read by previous_run:
                             0 when the run read the same lists again */
};

/*
 * One cross-check on the latest snapshot of each kind: link the population register to the
 * 学籍 and 外出就读 records, give every child one status, and store the run (which never
 * replaces an earlier one). Returns 0, or -1 with the outcome: OUT_INVALID when a register
 * or a 学籍 list is still to be imported (res->population_batch / enrollment_batch say
 * which), else OUT_ERROR.
 */
int match_run(struct store *s, const struct match_options *opt, struct match_result *res,
              struct outcome *o);

struct lk_params;
struct lk_rec;
/* Thresholds of the linkage bands from settings (defaults LK_PARAMS_DEFAULT). */
int link_params_load(struct store *s, struct lk_params *lp);
/* The key a clerk's decision on a pair is stored under (survives new snapshots). */
void match_pair_key(const struct lk_rec *p, const struct lk_rec *o, struct buf *out);

/* Load the calendar settings (cutoff date, age band) stored for this installation. */
int calendar_load(struct store *s, struct school_calendar *cal);

/* What a cross-check found, as a person reads it (several lines). */
void match_describe(const struct match_result *r, struct buf *out);

#endif
