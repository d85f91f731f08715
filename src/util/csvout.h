#ifndef BAOXUE_CSVOUT_H
#define BAOXUE_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Append one RFC 4180 field (quoted when it holds a comma, quote, CR or LF), preceded by a
 * comma unless `first`. A NULL text appends an empty field. */
void csv_field(struct buf *out, const char *text, size_t len, bool first);

#endif
