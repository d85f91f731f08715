#ifndef BAOXUE_EVENT_H
#define BAOXUE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct store;

/*
 * Everything that happens to a child's verification task or case is an event: appended (the
 * table refuses UPDATE and DELETE), with the date it happened (on_date: a visit's date, not
 * the day it was typed), when it was recorded (at), who recorded it (actor) and one Chinese
 * sentence. `case show` and `verify show` print a child's events as one timeline.
 */
int event_add(struct store *s, int64_t child_id, int64_t task_id, int64_t case_id, const char *kind,
              int on_date, const char *actor, const char *text);

struct timeline_entry {
    char on_date[11];
    char at[20];
    char actor[64];
    char actor_name[128]; /* the actor's person's name, else the account name (ACTOR_NAME_SQL) */
    char kind[24];
    int64_t task_id, case_id;
    char *text; /* owned */
};

struct timeline {
    struct timeline_entry *e;
    size_t n, alloc;
};

/* A child's events in the order they happened (on_date, then the order they were recorded). */
int timeline_load(struct store *s, int64_t child_id, struct timeline *tl);
void timeline_release(struct timeline *tl);
/* The kinds of event (core/words.h), and the label of one ("attempt" -> "劝返"; an unknown kind
 * as it is). */
struct vocab;
extern const struct vocab event_kinds;
const char *event_kind_label(const char *kind);
/* One line per event: "  2026-11-20  劝返      text（记录人 wang，2026-11-20 14:03）". */
void timeline_render(const struct timeline *tl, struct buf *out);

#endif
