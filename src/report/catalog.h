#ifndef BAOXUE_CATALOG_H
#define BAOXUE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/scope.h"
#include "report/reports.h"

/*
 * The reports, one row each: what `baoxue report NAME` and GET /api/v1/reports/{name} offer,
 * what the web UI lists (GET /api/v1/vocab "reports"), under one name and one Chinese title.
 * A new report adds a row here and nothing in the front ends.
 */

/* What a report takes besides its format (bits of report_def.takes). */
enum {
    RT_TOWNSHIP = 1 << 0, /* one township (--township, ?township=) */
    RT_STATUS = 1 << 1,   /* the children of one status (--status, ?status=) */
    RT_FULL = 1 << 2,     /* full ID and phone numbers (--full, ?full=1; audited) */
    RT_RUN = 1 << 3,      /* an earlier cross-check (--run) */
    RT_MONTH = 1 << 4,    /* the month and report date (--month, --date) */
    RT_LIST = 1 << 5,     /* the children list's own filters (village, school, q, sort, stage,
                             reason, overdue), scoped by the account: the list on screen */
    RT_VILLAGE = 1 << 6,  /* one village of the township (--village, ?village=) */
    RT_PDF = 1 << 7,      /* also prints as PDF (--format pdf, ?format=pdf): t->pdf */
    RT_GROUPS = 1 << 8,   /* one priority group (--group, ?group=): its children, tasks, cases */
    RT_GROUP_READERS = 1 << 9, /* read through scope_groups: also a school (its pupils) and a
                                  department (its own groups) */
    RT_AID_READERS = 1 << 10,  /* also a department whose duty is the aid payments
                                  (scope_reads_aid): county-wide, masked */
    RT_SCHOOL = 1 << 11,       /* one school (--school, ?school=: its code or name) */
    RT_BY = 1 << 12,           /* ranked units: township or school (--by, ?by=) */
};

typedef int (*report_fn)(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct outcome *o);

struct report_def {
    const char *name;  /* "ledger-school-age": the command line's and the URL's */
    const char *title; /* "适龄儿童台账": the screens' label, the downloaded file's name */
    const char *help;  /* one line of `baoxue report --help` */
    report_fn fn;      /* NULL for the children list (RT_LIST): the front end builds it from
                          the list's query and the account's scope (children_table) */
    unsigned takes;    /* RT_* */
    enum perm perm;    /* who may have it */
    bool personal;     /* lists children by name: a full export is audited */
    bool form;         /* a form to send upward (caption, totals, signatures) */
    bool registration; /* also for a department whose duty reads 户籍问题 (the police:
                          department.h DEPT_READS_REGISTRATION), county-wide, masked */
    bool schools;      /* also for a school account: the function narrows it to the school's own
                          by opt->scope (no township filter) */
};

extern const struct report_def report_defs[];
extern const size_t report_defs_count;

/* The report named `name`, or NULL. */
const struct report_def *report_find(const char *name);
/* "out-of-school、summary、…" (only the ones with fn when `built`: what the command line has). */
void report_names(struct buf *out, bool built);
/* Every report's Chinese title, 《…》、《…》: what a person is told there is. */
void report_titles(struct buf *out);

#endif
