#ifndef BAOXUE_CHILDREN_H
#define BAOXUE_CHILDREN_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"

struct store;
struct json_t;

/*
 * The children of the latest cross-check run, read through a scope: a township account sees
 * its township's children, a school account its pupils, and a child outside the scope does
 * not exist. Children are addressed by their population record id (opaque), never by ID
 * number. ID and phone numbers are masked unless a full read is asked for and allowed
 * (PERM_FULL_ID); every full read is audited before it is returned.
 */
struct child_query {
    const char *township; /* 9-digit code, NULL any */
    int status;           /* enum child_status, -1 any */
    const char *q;        /* part of a name, or a whole ID number; NULL any */
    int64_t page;         /* 1-based */
    int64_t per_page;
};

#define CHILDREN_PER_PAGE_MAX 200

/*
 * One page as JSON text appended to out: {"items": [...], "total": N, "page", "per_page",
 * "run_id", "as_of"} (written directly, not through jansson: it is the server's busiest
 * answer). The statuses someone acts on are paged in SQL over child_status; the others walk
 * the run's compact status chunks (docs/decisions.md). 0, or -1 with *outcome and a Chinese
 * message.
 */
int children_list(struct store *s, const struct scope *sc, const struct child_query *cq,
                  struct buf *out, enum outcome *outcome, struct buf *err);

/* One child's full record: registration, status and its explanation, the deciding school
 * record, every source record and link of the run. `full` unmasks (audited). */
struct json_t *child_get(struct store *s, const struct scope *sc, int64_t record_id, bool full,
                         enum outcome *outcome, struct buf *err);

#endif
