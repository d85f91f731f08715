#ifndef BAOXUE_CASEWORK_DETAIL_H
#define BAOXUE_CASEWORK_DETAIL_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct json_t;

/*
 * One verification task or case as fields, for the web UI (the CLI's `verify show` and
 * `case show` print the same as text): the child (ID and phone masked unless `full`), the
 * current assignees with their person numbers, dates with their overdue standing, the
 * attempts, ladder steps and follow-ups, the child's timeline, and the choices a screen
 * offers (outcomes with the fields each needs, reasons, methods, steps) with their keys.
 * `contact`: the guardian's phone and the home address as stored, the ID still masked (the
 * accounts of the people assigned to the child; the caller audits it). The child's "contact"
 * member says whether they are shown.
 * NULL when there is no such object (*found false) or on a store error (*found true).
 */
struct json_t *verify_detail(struct store *s, int64_t task_id, bool full, bool contact,
                             bool *found);
struct json_t *case_detail(struct store *s, int64_t case_id, bool full, bool contact, bool *found);

#endif
