#ifndef BAOXUE_INSPECTION_IMPL_H
#define BAOXUE_INSPECTION_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/outcome.h"

struct store;

/* What the files of the inspections (inspection.c, inspection_read.c) share. */

/* Does the scope read every inspection and item (the county's roles)? */
bool inspection_reads_all(const struct scope *sc);
/* Is the unit (kind "township"/"school", code) the scope's own? */
bool inspection_unit_is_scope(const struct scope *sc, const char *kind, const char *code);
/* A unit as a user names it: a township's code or name, a school's 学籍 code. */
int inspection_unit(struct store *s, const char *text, char kind[10], char code[24], char name[128],
                    struct outcome *o);

struct rectify_row {
    char unit_kind[10], unit_code[24], unit_name[128];
    int state; /* enum rectify_state, -1 unknown */
    int deadline;
    int64_t inspection;
};
/* 1 found, 0 none, -1 store error */
int rectify_row(struct store *s, int64_t id, struct rectify_row *r);
int rectify_event_add(struct store *s, int64_t id, const char *day, const char *action,
                      const char *text, const char *actor, const char *now);
/* The first `chars` characters of text into out (size bytes), "…" when cut. */
void text_prefix(const char *text, size_t chars, char *out, size_t size);

#endif
