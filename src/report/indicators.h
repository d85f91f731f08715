#ifndef BAOXUE_INDICATORS_H
#define BAOXUE_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/outcome.h"

struct store;
struct scope;

/*
 * The county's indicators (issue 17, docs/reports.md "控辍保学指标"): for a date (as_of), per
 * county, township, school and priority group, the counts and the rates computed from them.
 *
 *   入学率      enrolled ÷ school_age, from the latest cross-check run made on or before as_of
 *               (送教上门 counted as enrolled).
 *   巩固率      cohort_kept ÷ cohort_base: the pupils of a base 学籍 snapshot followed by ID to the
 *               latest snapshot on or before as_of (moves out and deaths leave the base, moves in
 *               join it; docs/reports.md states the rule and the partial base when the snapshots
 *               do not reach back nine years).
 *   辍学率      dropped ÷ year_start: pupils of the school year's first snapshot who dropped out
 *               by as_of (学籍 says 辍学, or a case was opened for them in the school year).
 *   按时核查率  verified_on_time ÷ tasks_due: verification tasks whose deadline fell on or before
 *               as_of (or verified by then), verified by their deadline.
 *   劝返率      returned ÷ confirmed: cases opened on or before as_of, returned (劝返复学 or
 *               another placement) by as_of; return_days the sum of days from opening to return.
 *   逾期        overdue_tasks / overdue_cases: open on as_of past their deadline (a task) or its
 *               first-visit or ladder deadline (a case).
 *   重点群体    group_out: children of a priority group out of school (not_enrolled,
 *               dropped_out) in the run, not 送教上门.
 *
 * A rate is a percentage (0..100); IND_NONE when its denominator is 0 or the unit has no such
 * figure (a school has no school-age children of its own; a group no tasks): shown as "—" and
 * null in JSON.
 */
#define IND_NONE (-1.0)

enum ind_level { IND_COUNTY, IND_TOWNSHIP, IND_SCHOOL, IND_GROUP };

struct ind_counts {
    long school_age, enrolled;        /* 入学率 */
    long cohort_base, cohort_kept;    /* 巩固率 (base after moves and deaths) */
    long moved_out, moved_in, died;   /* what changed the cohort's base */
    long year_start, dropped;         /* 辍学率 */
    long tasks_due, verified_on_time; /* 按时核查率 */
    long confirmed, returned;         /* 劝返率 */
    long return_days;                 /* sum over the returned: days from opening to return */
    long overdue_tasks, overdue_cases;
    long out_of_school; /* in the run: not_enrolled + dropped_out, not 送教上门 */
    long group_out;     /* of them, children of a priority group */
};

struct ind_rates {
    double enrollment, retention, dropout, verified_on_time, returned; /* percent or IND_NONE */
    double avg_return_days;                                            /* days or IND_NONE */
};

struct ind_unit {
    enum ind_level level;
    char code[32];          /* township code, school code, group key; the county's code */
    char name[128];         /* 乡镇 / 学校 / 群体 name */
    char township_code[16]; /* a school's township (the one most of its 学籍 rows name) */
    struct ind_counts c;
    struct ind_rates r; /* ind_unit_rates(c) */
};

/* What to compute, and for whom. */
struct ind_options {
    int as_of;                 /* ymd; 0 today */
    const char *township;      /* code or name: only this township (and its schools); NULL all */
    const struct scope *scope; /* the account: a township account gets its township only */
    bool schools, groups;      /* also per school / per priority group */
};

struct indicators {
    int as_of;           /* ymd */
    int school_year;     /* the school year as_of is in (its first calendar year) */
    int year_start;      /* ymd of the school year's first day (setting year_start_mmdd) */
    int64_t run_id;      /* the run 入学率 comes from; 0 none */
    int run_as_of;       /* its as_of (ymd), 0 none */
    int base_snapshot;   /* ymd of the 巩固率 base snapshot, 0 none */
    int latest_snapshot; /* ymd of the latest snapshot on or before as_of, 0 none */
    int year_snapshot;   /* ymd of the 辍学率 start-of-year snapshot, 0 none */
    int retention_years; /* school years between base and latest snapshot */
    bool retention_full; /* the base is the nine-year cohort's grade 1 (else partial) */
    struct ind_unit county;
    struct ind_unit *townships; /* by code */
    size_t ntownships;
    struct ind_unit *schools; /* by township, code (opt.schools) */
    size_t nschools;
    struct ind_unit *groups; /* in enum priority_group order (opt.groups) */
    size_t ngroups;
};

/*
 * The as_of of a month argument: NULL or "" today; "YYYY-MM" its last day, or today when the
 * month is the current one; a date YYYY-MM-DD itself. A month after today is refused. 0, or -1
 * with OUT_INVALID naming the field 月份.
 */
int indicators_as_of(const char *month, int today, int *as_of, struct outcome *o);

/* The indicators on opt->as_of. -1 with the outcome (OUT_INVALID township, OUT_ERROR). */
int indicators_compute(struct store *s, const struct ind_options *opt, struct indicators *out,
                       struct outcome *o);
void indicators_release(struct indicators *x);

/*
 * The trend: the indicators at the end of each of the last `months` months up to opt->as_of
 * (the last point is as_of itself), oldest first, the months before the first run or snapshot
 * left out. The data is read once and evaluated per month. out[i] is released with
 * indicators_release; the array with free.
 */
int indicators_trend(struct store *s, const struct ind_options *opt, int months,
                     struct indicators **out, size_t *n, struct outcome *o);

/* ---- the formulas: pure functions (tests/unit/test_indicators.c) ---- */

/* 100 × num ÷ den, IND_NONE when den <= 0. */
double ind_rate(long num, long den);
/* The rates of a unit's counts. */
void ind_unit_rates(struct ind_unit *u);
/* a += b, field by field */
void ind_counts_add(struct ind_counts *a, const struct ind_counts *b);

/* What became of a base-snapshot pupil by the latest snapshot (巩固率). */
enum ind_fate {
    FATE_KEPT,      /* still on a county school's roll (在读, 休学) or completed (毕业) */
    FATE_COMPLETED, /* no longer listed, but past grade 9 by now: completed, kept */
    FATE_LOST,      /* dropped out (学籍 辍学) or gone without a known reason: not kept */
    FATE_MOVED_OUT, /* 转出 to a school outside the county, or known enrolled elsewhere: leaves */
    FATE_DIED,      /* 死亡: leaves the base */
};
/*
 * The fate of a pupil of grade base_grade in the base snapshot, `years` school years later:
 * in_latest whether the pupil (by ID) is in the latest snapshot and latest_status its enum
 * enroll_status there; elsewhere whether the county knows the child enrolled outside (the
 * run's outside list or a verification's finding); died whether a register or a verification
 * says so.
 */
enum ind_fate ind_fate_of(int base_grade, int years, bool in_latest, int latest_status,
                          bool elsewhere, bool died);
/* Counts one base pupil's fate into c (cohort_base, cohort_kept, moved_out, died). */
void ind_cohort_add(struct ind_counts *c, enum ind_fate f);
/* Counts a pupil who joined the cohort (in the latest snapshot, not in the base, of a grade the
 * cohort had reached): base and, when still_enrolled, kept. */
void ind_cohort_join(struct ind_counts *c, bool still_enrolled);

/* ---- rankings ---- */

/* The measures ranked, in the order of the ranking's columns. */
enum ind_measure {
    IM_ENROLLMENT, /* 入学率, higher better */
    IM_RETENTION,  /* 巩固率, higher better */
    IM_DROPOUT,    /* 辍学率, lower better */
    IM_VERIFIED,   /* 按时核查率, higher better */
    IM_RETURNED,   /* 劝返率, higher better */
    IM_OVERDUE,    /* overdue tasks + cases, lower better */
    IM__COUNT
};
const char *ind_measure_label(enum ind_measure m); /* "入学率" */

/* The rule of 辍学高发 (settings high_dropout_rate, high_dropout_min). */
struct ind_flag_rule {
    double dropout_rate; /* percent: flagged at or above it … */
    long min_dropped;    /* … and with at least this many pupils dropped out */
};
/* The rule from the settings: 0, or -1 with the outcome. */
int ind_flag_rule_load(struct store *s, struct ind_flag_rule *rule, struct outcome *o);
/* The rule of the settings' defaults (the province's, across counties with settings of their
 * own). */
void ind_flag_rule_default(struct ind_flag_rule *rule);
bool ind_high_dropout(const struct ind_unit *u, const struct ind_flag_rule *rule);

struct ind_ranked {
    const struct ind_unit *u;
    int rank[IM__COUNT]; /* 1 best, equal values share a rank; 0 the unit has no value */
    double mean_rank;    /* the mean of its ranks that are not 0 (0 none) */
    int order;           /* 1.. the combined order (docs/reports.md): mean rank ascending,
                            then dropout rate, then overdue, then code */
    bool high_dropout;
};
/* Ranks n units (out has room for n), sorted by order. */
void ind_rank(const struct ind_unit *units, size_t n, const struct ind_flag_rule *rule,
              struct ind_ranked *out);

#endif
