#ifndef BAOXUE_UTF8_H
#define BAOXUE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * Decode one code point from s[0..len). Returns the number of bytes consumed (1..4), or 0 when
 * len == 0. An invalid or truncated sequence yields *cp = 0xFFFD and consumes 1 byte.
 */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

/* Encode code point cp (at most U+10FFFF) as UTF-8 into out; returns the bytes written (1..4). */
size_t utf8_encode(unsigned cp, char out[4]);

/* True when s[0..len) is valid UTF-8. If `allow_truncated_tail`, a sequence cut off by the end
 * of the buffer (a chunk boundary) still counts as valid. */
bool utf8_valid(const char *s, size_t len, bool allow_truncated_tail);

/* Display width in a terminal: 2 for CJK / full-width / wide code points, 0 for combining
 * marks, 1 otherwise. */
size_t utf8_width(const char *s, size_t len);

/*
 * Whether text holds control characters other than tab and line breaks (C0, DEL, C1) or
 * direction controls (U+202A..U+202E and the like): what the normalisers below drop, and
 * what a person's data never legitimately contains.
 */
bool utf8_has_control(const char *s, size_t len);

/* Characters in UTF-8 text: the bytes that start a code point. */
size_t utf8_count(const char *s, size_t len);

/*
 * Text as it should be compared and stored: full-width ASCII (U+FF01..U+FF5E) folded to
 * ASCII, ideographic space U+3000 / NBSP / other Unicode spaces to ' ', runs of spaces
 * collapsed to one, leading and trailing spaces removed, control characters (and zero-width
 * and direction controls) dropped.
 * Appends to `out`.
 */
void utf8_norm_text(struct buf *out, const char *s, size_t len);

/*
 * A person's name for comparison: as utf8_norm_text, but every space removed ("张 三" ->
 * "张三") and the middle-dot variants (U+00B7, U+2022, U+2027, U+30FB, U+FF0E, U+FF65, '.')
 * folded to U+00B7 "·" between name parts. Appends to `out`.
 */
void utf8_norm_name(struct buf *out, const char *s, size_t len);

#endif
