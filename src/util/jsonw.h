#ifndef BAOXUE_JSONW_H
#define BAOXUE_JSONW_H

#include <stdint.h>

#include "util/buf.h"

/*
 * JSON text written straight into a buf, for the hot answers of the server (the children
 * list) where building a jansson tree and dumping it cost more than the database. The bytes
 * are those of jansson's json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) of the same values:
 * the same escapes (\" \\ \b \f \n \r \t, other control characters as \u00XX), UTF-8 passed
 * through, and text that is not valid UTF-8 written as U+FFFD, as children.c's jstr does.
 */
void jsonw_string(struct buf *b, const char *s);
/* "key": — the key is a literal of ours (ASCII, nothing to escape), comma handled by caller */
void jsonw_key(struct buf *b, const char *key);
void jsonw_int(struct buf *b, int64_t v);

/*
 * The json_dumps flag of whatever a person reads (the API's answers, the command line's JSON):
 * reals with 15 significant digits, so that a rate kept to two decimals reads 98.53 and not
 * jansson's default of 17 digits, 98.530000000000001. What the store keeps is dumped without
 * it (every digit of a model's probabilities).
 */
#define JSON_OUT_REALS JSON_REAL_PRECISION(15)

#endif
