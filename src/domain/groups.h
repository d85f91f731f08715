#ifndef BAOXUE_GROUPS_H
#define BAOXUE_GROUPS_H

#include <stdint.h>

#include "core/schoolyear.h"

struct store;

/* What linking the priority groups' rows found in one run (domain/groups.c). */
struct group_counts {
    long by_id, by_household, by_guardian_name, by_name_birth; /* linked rows by path */
    long uncertain;                                            /* two candidates or more */
    long unmatched;                                            /* nobody on the register */
    long skipped;                                              /* adults, not yet of age */
};

/*
 * Link each row of the current snapshot of each group kind (poverty, welfare, disability,
 * left_behind) to a child of the register batch `population_batch`, and store one
 * group_member row per school-age row of run `run_id`: by the row's own ID (exact, or one
 * slip away with the name agreeing), else by the household (the head's or guardian's ID shared
 * with the register record, or where the register has no such IDs the guardian's name and the
 * village, with the child's name and birth date agreeing — a "yyyy-mm" birth agrees with any
 * day of its month), else by name, birth date and township (the village where the row has no
 * township; county-wide where it has neither, after the register's guardian's name). A row two
 * children fit is kept unlinked and marked uncertain, as is a name + birth match whose child has
 * another valid ID than the row's own; a row nobody fits is kept unlinked. Rows of people older
 * than the compulsory band on `cutoff` or younger than it are skipped. Inside the caller's
 * transaction. 0, or -1 with the store's message.
 */
int groups_match(struct store *s, int64_t run_id, int64_t population_batch,
                 const struct school_calendar *cal, int cutoff, struct group_counts *out);

/*
 * SQL: the priority groups in run $1 of a record, as a bit mask (bit g: priority_groups' word
 * g), a column of the query that reads the record: the text up to the record's id, which the
 * caller writes after it, then ")". What child_status.group_mask keeps for the rows of a run
 * (groups_match). A sum of distinct powers of two, so that both dialects read it alike.
 */
const char *groups_mask_sql(void);

/*
 * SQL: the child `CHILD` (an expression giving child.id) is in priority group `G` (an
 * expression giving its key, NULL for no narrowing) by its record in the last cross-check
 * that found it out of school (child.last_run, last_record): how a verification task, a case
 * or a casework event belongs to a group in the ledgers and on the dashboard.
 */
#define GROUP_CHILD_SQL(CHILD, G)                                                                  \
    "(CAST(" G " AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM child gc JOIN group_member gg"          \
    " ON gg.run_id = gc.last_run AND gg.record_id = gc.last_record WHERE gc.id = " CHILD           \
    " AND gg.grp = " G "))"

#endif
