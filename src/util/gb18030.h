#ifndef BAOXUE_GB18030_H
#define BAOXUE_GB18030_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * GB18030 to UTF-8 by table, decoding exactly what the system's iconv("UTF-8", "GB18030")
 * decodes: the tables of the one-, two- and four-byte codes of the Basic Multilingual Plane
 * are read from iconv once per process (gb18030_ready), the four-byte codes of the other
 * planes follow the standard's arithmetic. A CSV file of millions of rows is decoded at
 * memory speed instead of through iconv's two conversion steps per character.
 */

/* Build the tables (once; thread-safe). False when iconv has no GB18030. */
bool gb18030_ready(void);

enum gb18030_stop {
    GB18030_DONE,       /* everything decoded */
    GB18030_INCOMPLETE, /* the input ends inside a character: *used stops before it */
    GB18030_INVALID,    /* bytes that are not GB18030 at *used: nothing decoded past them */
};

/* Append the UTF-8 of in[0..n) to out, as far as it decodes; *used = bytes decoded.
 * Needs gb18030_ready(). Stops where iconv would stop with EINVAL or EILSEQ. */
enum gb18030_stop gb18030_to_utf8(const unsigned char *in, size_t n, struct buf *out, size_t *used);

#endif
