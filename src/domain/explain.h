#ifndef BAOXUE_EXPLAIN_H
#define BAOXUE_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

struct store;

/*
 * For one child of the register (by ID number), every school record the cross-check considered,
 * each field's comparison level and weight, the total and the decision: a waterfall a county
 * official can read. `run` 0 is the latest run. The read is recorded in the audit trail.
 */
int explain_child(struct store *s, const char *id_text, int64_t run, bool full, const char *actor,
                  struct buf *out, struct buf *err, int *exit_code);

#endif
