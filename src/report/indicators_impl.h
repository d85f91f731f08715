#ifndef BAOXUE_INDICATORS_IMPL_H
#define BAOXUE_INDICATORS_IMPL_H

/* What the indicators read, loaded once (indicators_load.c) and evaluated for any date
 * (indicators.c): the trend evaluates the same data twelve times. */

#include "report/indicators.h"

#include "core/schoolyear.h"

/* A pupil of a 学籍 snapshot. */
struct ind_pupil {
    char id[20]; /* ID number ("" none: not followed) */
    int grade;   /* 1..9, 0 unknown */
    int status;  /* enum enroll_status */
    int school;  /* index in ind_data.schools */
};

struct ind_snapshot {
    int64_t batch;
    int date; /* the as_of of the first run made with it, else the day it was imported */
    int school_year;
    struct ind_pupil *p; /* sorted by id (the ones without an ID at the end) */
    size_t n, nid;       /* all, with an ID */
};

/* A child of a run's register whose status is not a plain enrolment (child_status rows), or a
 * member of a priority group. */
struct ind_child {
    char id[20];
    int town;     /* index in ind_data.towns, -1 none */
    int st;       /* enum child_status */
    unsigned grp; /* 1u << enum priority_group */
};

struct ind_run {
    int64_t id;
    int as_of;
    bool loaded;
    long (*town_age)[2]; /* per town: school_age, enrolled (run_count); [ntown_age] none */
    size_t ntown_age;
    struct ind_child *c; /* children with a status row (out of school, pending, …) */
    size_t nc;
    struct ind_child *g; /* the priority groups' school-age members, any status */
    size_t ng;
};

struct ind_task {
    int town;
    int opened, deadline, verified; /* verified 0: not yet */
};

struct ind_case {
    int town;
    char id[20];
    int opened, returned, first_visit_due, first_attempt, ladder_deadline, ladder_on;
    int *ev; /* state changes: date * 2 + (1 open, 0 not open), in order */
    size_t nev;
};

struct ind_home {
    char id[20];
    int since; /* 送教上门 since (verification, case outcome or placement) */
};

struct ind_place {
    char code[32];
    char name[128];
    int town; /* a school's township (index in towns), -1 */
};

struct ind_data {
    struct school_calendar cal;
    char county[7];
    char county_name[64];
    struct ind_place *towns;
    size_t ntowns, towns_alloc;
    struct ind_place *schools;
    size_t nschools, schools_alloc;
    struct ind_snapshot *snaps; /* by date */
    size_t nsnaps;
    struct ind_run *runs; /* by as_of, id */
    size_t nruns;
    struct ind_task *tasks;
    size_t ntasks;
    struct ind_case *cases;
    size_t ncases;
    struct ind_home *home; /* sorted by id */
    size_t nhome;
    struct ind_case *elsewhere; /* ids found enrolled elsewhere / deceased by verification:
                                   id, opened = date, returned = 1 deceased */
    size_t nelsewhere;
};

/* Loads everything but the runs' children (ind_run_load, on demand). */
int ind_data_load(struct store *s, struct ind_data *d, struct outcome *o);
int ind_run_load(struct store *s, struct ind_data *d, struct ind_run *r, struct outcome *o);
void ind_data_release(struct ind_data *d);
/* The index of the township (code, else name) in d->towns, added when new. */
int ind_town(struct ind_data *d, const char *code, const char *name);
/* A pupil by ID in a snapshot, NULL none. */
const struct ind_pupil *ind_snapshot_find(const struct ind_snapshot *sn, const char *id);
/* 送教上门 on `date`? */
bool ind_home_on(const struct ind_data *d, const char *id, int date);

#endif
