#ifndef BAOXUE_CHILDREN_H
#define BAOXUE_CHILDREN_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

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
    const char *village;  /* as the register writes it, NULL any */
    const char *school;   /* school code (学校标识码) of the deciding record, NULL any */
    int status;           /* enum child_status, -1 any, or one of the sets below */
    const char *q;        /* part of a name, or a whole ID number; NULL any */
    const char *sort;     /* "name", "-name", "birth_date", "village", …; NULL register order */
    /* casework of the children the run suspects (lists paged in SQL only): */
    const char *stage;  /* verify_open|verify_outreach|verify_closed (the latest task's state),
                           case_open|case_returned|case_closed (the case's); NULL any */
    const char *reason; /* the case's primary reason key (learning, work, …); NULL any */
    bool overdue;       /* an open task past its deadline, or an open case whose first visit is
                           due with no attempt recorded */
    const char *group;  /* a priority group's key (ingest/category.h): its children only; NULL
                           any (a department's account: its own groups, scope_groups) */
    int64_t page;       /* 1-based */
    int64_t per_page;
};

/* Sets of statuses a list may ask for (child_query.status): the 适龄儿童台账's statuses
 * (status_is_school_age), and the suspected ones (适龄未入学 and 辍学). */
#define CHILD_SET_SCHOOL_AGE (-2)
#define CHILD_SET_SUSPECTED  (-3)

#define CHILDREN_PER_PAGE_MAX 200

/*
 * One page as JSON text appended to out: {"items": [...], "total": N, "page", "per_page",
 * "run_id", "as_of", "sortable"} (written directly, not through jansson: it is the server's
 * busiest answer). The statuses someone acts on (and the suspected set) are paged in SQL over
 * child_status and can be sorted; the others walk the run's compact status chunks in register
 * order (docs/decisions.md), and "sortable" is false. 0, or -1 with the outcome (OUT_INVALID
 * for an unknown sort, or casework filters on a list that has none; OUT_NO_RUN).
 */
int children_list(struct store *s, const struct scope *sc, const struct child_query *cq,
                  struct buf *out, struct outcome *o);

/*
 * The choices of the list's filters within the scope: the townships of the latest run with
 * their villages, the schools of its enrollment snapshot, and the priority groups the scope
 * reads: {"townships": [{code, name, villages: [...]}], "schools": [{code, name}],
 * "groups": [{key, label}]}.
 */
struct json_t *children_filters(struct store *s, const struct scope *sc, struct outcome *o);

/* At most this many children in one export of the list (children_table). */
#define CHILDREN_EXPORT_MAX 100000

struct report_table;
/*
 * Every child the list shows for `cq` (all its pages, in its order; page and per_page are
 * ignored) as a table to download: caption, the filters as subtitle, ID numbers masked.
 * -1 with the outcome: OUT_INVALID when the list is longer than CHILDREN_EXPORT_MAX or the
 * query is invalid, OUT_NO_RUN, OUT_ERROR on a store error.
 */
int children_table(struct store *s, const struct scope *sc, const struct child_query *cq,
                   const char *filters_text, struct report_table *t, struct outcome *o);

/* Whether the scope reaches child `record_id` of the latest run (the check child_get makes,
 * without reading the record): false with the outcome (OUT_NOT_FOUND outside the scope, as for
 * an unknown id). */
bool child_reach(struct store *s, const struct scope *sc, int64_t record_id, struct outcome *o);

/* One child's full record: registration, status and its explanation, the deciding school
 * record, every source record and link of the run. `full` unmasks (audited). */
struct json_t *child_get(struct store *s, const struct scope *sc, int64_t record_id, bool full,
                         struct outcome *o);

#endif
