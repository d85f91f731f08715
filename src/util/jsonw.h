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

#endif
