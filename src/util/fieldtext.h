#ifndef BAOXUE_FIELDTEXT_H
#define BAOXUE_FIELDTEXT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/outcome.h"

/*
 * What a person may type into a field that is stored and shown again: valid UTF-8, no
 * control characters (a tab or a line break only in prose), none of the invisible characters
 * that reorder text on screen (U+202A–U+202E, U+2066–U+2069) or separate lines unseen (U+2028,
 * U+2029, U+0085), no byte-order mark, and at most so many characters for the field's kind.
 * One check for every write of a person's name or free text (the people registry, casework).
 */
enum text_kind {
    TEXT_NAME, /* a person's name: one line, at most TEXT_NAME_MAX characters */
    TEXT_LINE, /* a unit, a title, a school, an authority: one line, TEXT_LINE_MAX */
    TEXT_NOTE, /* prose (what was said, a note): tabs and line breaks too, TEXT_NOTE_MAX */
};
#define TEXT_NAME_MAX 50
#define TEXT_LINE_MAX 200
#define TEXT_NOTE_MAX 4000

/* 0, or -1 with the outcome OUT_INVALID and a Chinese sentence naming the field by `label`
 * (“姓名”过长…). NULL passes. */
int text_check(const char *label, const char *text, enum text_kind kind, struct outcome *o);

struct text_field {
    const char *label;
    const char *text;
    enum text_kind kind;
    const char *field; /* its key, for the outcome's field (or NULL) */
};
/* Every field in turn; the first that fails says why (and is the outcome's field). */
int text_check_all(const struct text_field *f, size_t n, struct outcome *o);

#endif
