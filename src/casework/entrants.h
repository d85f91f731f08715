#ifndef BAOXUE_ENTRANTS_H
#define BAOXUE_ENTRANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct school_calendar;

/*
 * 招生入学 (issue 17): next year's entrants, the 学区 (catchment: which school a village of the
 * 户籍 list goes to, 免试就近) and the applications a school records (随迁子女 and any child the
 * register does not know). The lists are report/entrants.c's; the writes are here.
 *
 * The cohort of school year `sy` (the calendar year its September falls in) is the children
 * who are exactly min_age (6) on that year's cutoff (core/schoolyear.h school_cutoff): the
 * age at which expected_grade is 1. Older children were the cohort of an earlier year.
 */

/* The school year whose cohort a child born on `birth_ymd` belongs to: the year in which the
 * child is min_age on the cutoff. 0 for no birth date. */
int entrant_cohort(const struct school_calendar *cal, int birth_ymd);
/* Is the child of `birth_ymd` in the cohort of school year `sy`? */
bool entrant_in_cohort(const struct school_calendar *cal, int birth_ymd, int sy);
/* The school year whose entrants are "next year's" on `today`: the one after the school year
 * containing today (2027 on 2026-11-20, 2026 on 2026-08-31). */
int entrant_next_year(const struct school_calendar *cal, int today);

/* 学区: set or remove a village's school. The county's (and admin's) only. */
struct catchment_input {
    const char *township; /* code or name */
    const char *village;  /* as the 户籍 list writes it */
    const char *school;   /* a school of the current 学籍 list: code or name */
};
int catchment_set(struct store *s, const struct scope *sc, const struct catchment_input *in,
                  const char *actor, struct buf *msg, struct outcome *o);
int catchment_remove(struct store *s, const struct scope *sc, const struct catchment_input *in,
                     const char *actor, struct buf *msg, struct outcome *o);
/* A catchment sheet (xlsx, xls, csv): a header row naming 乡镇, 村（社区） and 学校 (code or
 * name), one village a row; every row is checked before any is written (all or none). */
int catchment_import(struct store *s, const struct scope *sc, const char *path, const char *actor,
                     struct buf *msg, struct outcome *o);

/* An application a school records (入学登记): scoped to the school (a school account records
 * for its own school only; the county for any). The child's birth date is the ID's when the
 * ID is valid, else `birth` (required then). */
struct entrant_input {
    const char *school; /* default: the school account's */
    const char *name;
    const char *id_number;
    const char *birth;
    const char *guardian;
    const char *phone;
    const char *address;
    const char *migrant;  /* 是/否: 随迁子女 */
    const char *hukou;    /* 户籍所在地 */
    const char *township; /* where the family lives (optional): code or name */
    const char *village;  /* as the 户籍 list writes it (optional) */
};
int entrant_apply(struct store *s, const struct scope *sc, const struct entrant_input *in,
                  const char *actor, int64_t *id, struct buf *msg, struct outcome *o);

#endif
