#ifndef BAOXUE_RUNDIFF_H
#define BAOXUE_RUNDIFF_H

#include <stdint.h>

#include "domain/scope.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;

/* At most this many children are listed in each group of a run's changes (the totals are
 * exact). */
#define RUN_DIFF_ITEMS 100

/*
 * One finished cross-check run (0: the latest) and what changed since the run before it
 * (dynamic monitoring, docs/casework.md): its counts by status beside the previous run's,
 * the children newly suspected (适龄未入学 or 辍学 now, not before), the suspected children
 * who returned (now at school, elsewhere or completed), those suspected before whose status
 * is now something else, and the children who left the register (in the previous population
 * snapshot, not in this one; by ID number) or arrived. A child is the same across snapshots by ID
 * number, else by name and birth date. ID numbers masked. NULL with the outcome otherwise.
 */
struct json_t *run_diff(struct store *s, const struct scope *sc, int64_t run_id, struct outcome *o);

#endif
