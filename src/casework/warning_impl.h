#ifndef BAOXUE_WARNING_IMPL_H
#define BAOXUE_WARNING_IMPL_H

/* What the warning files (warning.c, warning_act.c, warning_list.c) share. */
#include <stdint.h>

struct store;

/* One warning as the board, the report and the actions read it. */
struct wrow {
    int64_t id, task, record, child;
    char kind[12], first[11], last[11], state[12], to[12], deadline[11], township_due[11];
    char person[64], outcome[512], school[32], klass[32], tcode[10], name[64], idn[32];
    char school_name[128], contacted[11], resolved[11], opened[11], township[64];
    int days, level, grade;
    char eff[12], eto[12]; /* the effective state on the day read, and to whom (copies: rows
                              move when an array of them grows) */
    int rank;              /* 0 escalated to the township … 4 resolved: the board's order */
};
/* Warning `id` read on `today`: 1, 0 when there is none, -1 on a store error. */
int warning_row(struct store *s, int64_t id, int today, struct wrow *w);
/* Append to a warning's history (warning_event): 0 or -1. */
int warning_event_add(struct store *s, int64_t id, const char *on, const char *action,
                      const char *text, const char *actor, const char *at);

#endif
