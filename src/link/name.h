#ifndef BAOXUE_NAME_H
#define BAOXUE_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Chinese names compared as a careful clerk would, in discrete levels (never one
 * character-level string distance: 李丽/李莉 are the same name said aloud, 李丽/李明 are not).
 *
 * A name_info is computed once per record that takes part in fuzzy linkage: the code points
 * with spaces and middle dots removed (they never matter), the same folded to simplified
 * characters (OpenCC t2s, table generated at build time), and the toneless pinyin syllable of
 * each character (ICU Han-Latin, one reading per character; the surname takes its surname
 * reading from ICU Han-Latin/Names and tools/gen_hanzi.c's overrides: 单 shan, 曾 zeng,
 * 解 xie, 仇 qiu, …), plus how many characters the surname takes (欧阳, 司马, … are two).
 * The tables are compiled in: nothing here needs OpenCC or ICU at run time, nor allocates.
 */

#define NAME_MAX_CHARS 16

struct name_info {
    uint32_t raw[NAME_MAX_CHARS];  /* code points as written (spaces and dots removed) */
    uint32_t fold[NAME_MAX_CHARS]; /* after variant folding (張→张, 陳銘→陈铭) */
    uint16_t py[NAME_MAX_CHARS];   /* toneless pinyin syllable ids; 0 = no reading (Latin, …) */
    uint8_t n;                     /* characters kept (at most NAME_MAX_CHARS) */
    uint8_t surname_n;             /* characters of the surname (1, or 2 for 欧阳 etc.), 0 if none
                                      (not a Han name, or a minority name: see name.c) */
    bool truncated;                /* the name had more than NAME_MAX_CHARS characters */
};

enum name_level {
    NAME_EXACT,     /* the same characters */
    NAME_VARIANT,   /* the same after variant folding */
    NAME_PINYIN,    /* the same toneless pinyin (晓/小, 铭/明) */
    NAME_ONE_CHAR,  /* one character different (substituted, added or dropped) */
    NAME_SURNAME,   /* only the surname agrees */
    NAME_DIFFERENT, /* nothing agrees */
    NAME_MISSING,   /* one side has no name */
    NAME__LEVELS
};

void name_info_make(struct name_info *ni, const char *utf8, size_t len);
enum name_level name_compare(const struct name_info *a, const struct name_info *b);

const char *name_level_key(enum name_level l);   /* "pinyin" */
const char *name_level_label(enum name_level l); /* "拼音相同" */

/* Toneless pinyin of a name ("zeng xiao ming"), into out (NUL-terminated, truncated to
 * outlen); for explanations. */
void name_pinyin_text(const struct name_info *ni, char *out, size_t outlen);
/* The text of a pinyin syllable id ("xiao"), "" for 0. Toneless, ü kept: "lü", "nü". */
const char *pinyin_syllable(uint16_t id);
/* The id of a toneless syllable ("xiao"), 0 when there is none. */
uint16_t pinyin_syllable_id(const char *syllable);

/*
 * Searching a name by its spelling (the children list's search box): `q` is what a person
 * types for a Chinese name in Latin letters — the whole toneless pinyin (wangningjia), the
 * initials (wnj), or any mix of syllable prefixes in order (wangnj, wningjia); ü typed as v or
 * u. name_spelling_query normalises a query into out (lower-case letters, spaces and
 * apostrophes dropped) and says whether it is one: letters only, 1 to NAME_SPELLING_MAX. The
 * readings are the linker's (one per character, the surname's own reading).
 */
#define NAME_SPELLING_MAX 64
bool name_spelling_query(const char *q, char out[NAME_SPELLING_MAX + 1]);
/* Does the name read as `q` (normalised), from its first character or from its given name's
 * first? Consecutive characters each take a non-empty prefix of their syllable; characters
 * after q is used up do not matter. A character without a reading ends the match. */
bool name_spelling_matches(const struct name_info *ni, const char *q);

/* Variant folding and readings of single code points (the generated tables). */
uint32_t hanzi_fold(uint32_t cp);           /* cp itself when it has no simplified form */
uint16_t hanzi_pinyin(uint32_t cp);         /* 0 when none */
uint16_t hanzi_surname_pinyin(uint32_t cp); /* surname reading, else hanzi_pinyin(cp) */

#endif
