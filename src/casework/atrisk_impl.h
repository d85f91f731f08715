#ifndef BAOXUE_ATRISK_IMPL_H
#define BAOXUE_ATRISK_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casework/atrisk.h"

struct run_info;
struct run_status_entry;

/*
 * What the files of the 预警名单 share (atrisk.h):
 *   atrisk.c       the factors, the settings, the score, and what a run's scores read
 *   atrisk_list.c  the list and the child record's part
 *   pairing.c      结对: pairing a teacher with a child, ending it, the current pairing
 */

/* A 学籍 record of the run's enrollment batch: its grade and school. */
struct risk_pupil {
    int64_t id;
    int grade;
    uint32_t school; /* index in atrisk_run.schools */
    int absent_days; /* 旷课 school days this term */
    int absent_last; /* ymd of the last (0 none) */
};

/* A register record of the run with its groups, or its case. */
struct risk_mark {
    int64_t id;      /* the population record */
    unsigned mask;   /* groups: 1u << enum priority_group */
    int64_t case_id; /* cases: the case */
    char *state;     /* cases: its state key (owned) */
};

/* What the scores of one run read, loaded once (sorted by record id). */
struct atrisk_run {
    struct risk_pupil *pupils;
    size_t npupils;
    char **schools; /* school codes */
    size_t nschools;
    struct risk_mark *groups, *cases, *ills; /* ills: case_id holds the illness */
    size_t ngroups, ncases, nills;
};
int atrisk_run_load(struct store *s, const struct run_info *ri, struct atrisk_run *r);

/* The 旷课 school days of this term (the county calendar's term of `today`, to `today`) of
 * each pupil with any, by child key (sorted by strcmp), read in one pass over the attendance
 * table; `only_key` non-NULL: that pupil's alone. 0 or -1 (store error). */
struct absence_count {
    char *key; /* owned */
    int days, last;
};
int atrisk_absences(struct store *s, int today, const char *only_key, struct absence_count **out,
                    size_t *n);
void atrisk_absences_free(struct absence_count *v, size_t n);
/* The same for the one child `e` of run `ri` (its 学籍 record, its groups, its case). */
int atrisk_run_one(struct store *s, const struct run_info *ri, const struct run_status_entry *e,
                   struct atrisk_run *r);
void atrisk_run_release(struct atrisk_run *r);
/* The facts of the child `e` of the run; its school's code ("" none) returned. */
const char *atrisk_facts_of(const struct atrisk_run *r, const struct run_status_entry *e,
                            struct atrisk_facts *x);

/* The current pairing of child `child_id` (0: none): 1 found with the teacher's name, id and
 * the day it began into the given buffers, 0 none, -1 store error. */
int pairing_current(struct store *s, int64_t child_id, int64_t *pairing_id, int64_t *person_id,
                    char teacher[128], char since[11]);
/* May the scope pair a teacher with a child of the school `school` (its code)? */
bool pairing_allowed(const struct scope *sc, const char *school);

#endif
