#ifndef BAOXUE_PARSE_H
#define BAOXUE_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "util/arena.h"

/*
 * The parsers of what a request sends that need no connection (and so are fuzzed on their own,
 * fuzz/fuzz_http.c): the JSON body's fields and an upload's file name.
 */

enum body_error { BODY_OK, BODY_NOT_JSON, BODY_BAD_FIELD };

/*
 * The JSON object in data[0..len) with its fields named in `names` put into out[] (NULL when
 * absent or null): strings as given, integers as decimal text (in the arena), true/false as
 * 是/否. Unknown fields and other types are refused. Returns the parsed body (which owns the
 * strings), or NULL with *error set and, for BODY_BAD_FIELD, the Chinese reason in why (which
 * names no key: a person reads it) and the key at fault, as sent (cut to 64 bytes at a
 * character), in field.
 */
json_t *body_fields_parse(const char *data, size_t len, const char *const *names, size_t n,
                          const char **out, struct arena *a, enum body_error *error, char *why,
                          size_t why_size, char *field, size_t field_size);

/* The user's file name of an upload as metadata: without directories or control characters,
 * valid UTF-8 (GB18030 bytes decoded; other bytes U+FFFD), at most 4 KB; malloc'd. */
char *upload_display_name(const char *raw);

#endif
