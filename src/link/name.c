#include "link/name.h"
#include "util/common.h"

#include <assert.h>

#include "util/utf8.h"

/*
 * The generated tables (tools/gen_hanzi.c writes generated/hanzi_tables.c, which repeats
 * these declarations so that a mismatch is a compile error there).
 */
#define HZ_BMP_LO 0x3400
#define HZ_BMP_HI 0xA000
extern const char *const hz_syllables[];
extern const size_t hz_nsyllables;
extern const uint16_t hz_py_bmp[HZ_BMP_HI - HZ_BMP_LO];
extern const uint32_t hz_py_cp[];
extern const uint16_t hz_py_id[];
extern const size_t hz_npy;
extern const uint32_t hz_surname_cp[];
extern const uint16_t hz_surname_id[];
extern const size_t hz_nsurname;
extern const uint32_t hz_fold_from[];
extern const uint32_t hz_fold_to[];
extern const size_t hz_nfold;

/* Below this no code point has a table entry (the first range is the CJK radicals). */
#define HZ_FIRST 0x2E80

/* Index of cp in the sorted v[0..n), or -1. */
static ptrdiff_t find_cp(const uint32_t *v, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == cp ? (ptrdiff_t)lo : -1;
}

uint32_t hanzi_fold(uint32_t cp)
{
    ptrdiff_t i;

    if (cp < HZ_FIRST)
        return cp;
    i = find_cp(hz_fold_from, hz_nfold, cp);
    return i < 0 ? cp : hz_fold_to[i];
}

uint16_t hanzi_pinyin(uint32_t cp)
{
    ptrdiff_t i;

    if (cp >= HZ_BMP_LO && cp < HZ_BMP_HI)
        return hz_py_bmp[cp - HZ_BMP_LO];
    if (cp < HZ_FIRST)
        return 0;
    i = find_cp(hz_py_cp, hz_npy, cp);
    return i < 0 ? 0 : hz_py_id[i];
}

uint16_t hanzi_surname_pinyin(uint32_t cp)
{
    ptrdiff_t i;

    if (cp < HZ_FIRST)
        return 0;
    i = find_cp(hz_surname_cp, hz_nsurname, cp);
    return i < 0 ? hanzi_pinyin(cp) : hz_surname_id[i];
}

const char *pinyin_syllable(uint16_t id)
{
    return id && id <= hz_nsyllables ? hz_syllables[id] : "";
}

uint16_t pinyin_syllable_id(const char *s)
{
    size_t lo = 1, hi = hz_nsyllables + 1;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(hz_syllables[mid], s);
        if (!c)
            return (uint16_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/*
 * Compound surnames, as written in simplified characters (matched against the folded name,
 * so 歐陽 and 司馬 count). A reading is given where the characters read otherwise inside the
 * compound than alone (万俟 mò qí, not wàn sì); NULL keeps the surname reading.
 * 单于 is left out: a 单 family member named 于… is likelier than the Xiongnu title.
 */
static const struct {
    uint32_t c1, c2;
    const char *py1, *py2;
} compound_surnames[] = {
    {U'欧', U'阳', NULL, NULL},    {U'司', U'马', NULL, NULL},  {U'上', U'官', NULL, NULL},
    {U'诸', U'葛', NULL, NULL},    {U'东', U'方', NULL, NULL},  {U'皇', U'甫', NULL, NULL},
    {U'尉', U'迟', "yu", "chi"},   {U'公', U'孙', NULL, NULL},  {U'慕', U'容', NULL, NULL},
    {U'长', U'孙', "zhang", NULL}, {U'宇', U'文', NULL, NULL},  {U'司', U'徒', NULL, NULL},
    {U'夏', U'侯', NULL, NULL},    {U'轩', U'辕', NULL, NULL},  {U'令', U'狐', "ling", "hu"},
    {U'端', U'木', NULL, NULL},    {U'万', U'俟', "mo", "qi"},  {U'澹', U'台', "tan", "tai"},
    {U'钟', U'离', NULL, NULL},    {U'呼', U'延', NULL, NULL},  {U'独', U'孤', NULL, NULL},
    {U'南', U'宫', NULL, NULL},    {U'闻', U'人', NULL, NULL},  {U'西', U'门', NULL, NULL},
    {U'百', U'里', NULL, NULL},    {U'东', U'郭', NULL, NULL},  {U'公', U'冶', NULL, NULL},
    {U'太', U'叔', NULL, NULL},    {U'申', U'屠', NULL, NULL},  {U'公', U'羊', NULL, NULL},
    {U'濮', U'阳', NULL, NULL},    {U'淳', U'于', NULL, NULL},  {U'仲', U'孙', NULL, NULL},
    {U'赫', U'连', NULL, NULL},    {U'拓', U'跋', "tuo", "ba"}, {U'左', U'丘', NULL, NULL},
    {U'谷', U'梁', NULL, NULL},    {U'段', U'干', NULL, "gan"}, {U'乐', U'正', "yue", NULL},
    {U'梁', U'丘', NULL, NULL},    {U'第', U'五', NULL, NULL},  {U'漆', U'雕', NULL, NULL},
    {U'壤', U'驷', NULL, NULL},    {U'公', U'西', NULL, NULL},  {U'巫', U'马', NULL, NULL},
    {U'子', U'车', NULL, "ju"},    {U'颛', U'孙', NULL, NULL},  {U'东', U'门', NULL, NULL},
    {U'羊', U'舌', NULL, NULL},    {U'微', U'生', NULL, NULL},  {U'亓', U'官', NULL, NULL},
    {U'司', U'寇', NULL, NULL},    {U'公', U'良', NULL, NULL},  {U'宰', U'父', NULL, "fu"},
    {U'鲜', U'于', NULL, NULL},    {U'闾', U'丘', NULL, NULL},  {U'司', U'空', NULL, NULL},
    {U'公', U'输', NULL, NULL},    {U'公', U'户', NULL, NULL},  {U'公', U'仪', NULL, NULL},
    {U'夹', U'谷', "jia", "gu"},   {U'空', U'同', NULL, NULL},  {U'呼', U'衍', NULL, NULL},
};

/* Spaces of every kind, invisible format characters and control characters: never kept. */
static bool is_blank(uint32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
}

/*
 * The dot between the parts of a minority name (阿依古丽·买买提) in the forms clerks type it:
 * the middle dot and its look-alikes, a full stop of either width, and the ideographic full
 * stop a Chinese input method produces for '.'.
 */
static bool is_name_dot(uint32_t cp)
{
    switch (cp) {
    case '.':
    case 0x00B7:
    case 0x0387:
    case 0x2022:
    case 0x2027:
    case 0x2219:
    case 0x22C5:
    case 0x2E31:
    case 0x3002:
    case 0x30FB:
    case 0xFF0E:
    case 0xFF61:
    case 0xFF65:
        return true;
    default:
        return false;
    }
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x323AF);
}

/* Folding beyond the Hanzi table: full-width ASCII to ASCII, letters to lower case. */
static uint32_t fold_one(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0;
    if (cp >= 'A' && cp <= 'Z')
        return cp | 0x20;
    return hanzi_fold(cp);
}

/*
 * Surname length and readings. The readings of the first characters do not depend on dots,
 * so a minority name reads the same with and without its dot. surname_n is 0 when the name
 * has no Chinese surname: it does not start with a Han character, or it is a transliterated
 * minority name — written with a dot between parts of two or more characters each, or longer
 * than any Han name (4 characters: a compound surname and a two-character given name). 阿 is
 * no family name in 阿依古丽·买买提, and two such names agreeing on it mean nothing.
 */
static void set_surname(struct name_info *ni, unsigned dot_at)
{
    unsigned len = 1;

    if (!ni->n || !is_han(ni->raw[0]))
        return;
    ni->py[0] = hanzi_surname_pinyin(ni->fold[0]);
    if (ni->n >= 3) {
        for (size_t i = 0; i < ARRAY_SIZE(compound_surnames); i++) {
            if (compound_surnames[i].c1 != ni->fold[0] || compound_surnames[i].c2 != ni->fold[1])
                continue;
            len = 2;
            ni->py[1] = hanzi_surname_pinyin(ni->fold[1]);
            if (compound_surnames[i].py1)
                ni->py[0] = pinyin_syllable_id(compound_surnames[i].py1);
            if (compound_surnames[i].py2)
                ni->py[1] = pinyin_syllable_id(compound_surnames[i].py2);
            assert(ni->py[0] && ni->py[1]); /* a misspelt reading in the table above */
            break;
        }
    }
    if (ni->n > 4 || (dot_at >= 2 && ni->n - dot_at >= 2))
        return;
    ni->surname_n = (uint8_t)len;
}

void name_info_make(struct name_info *ni, const char *utf8, size_t len)
{
    unsigned dot_at = 0; /* characters before the first dot that has characters after it */
    bool dot_pending = false;
    size_t pos = 0;

    memset(ni, 0, sizeof(*ni));
    while (pos < len) {
        unsigned cp;
        pos += utf8_decode(utf8 + pos, len - pos, &cp);
        if (is_blank(cp))
            continue;
        if (is_name_dot(cp)) {
            dot_pending = ni->n > 0;
            continue;
        }
        if (dot_pending && !dot_at)
            dot_at = ni->n;
        dot_pending = false;
        if (ni->n == NAME_MAX_CHARS) {
            ni->truncated = true;
            break;
        }
        ni->raw[ni->n] = cp;
        ni->fold[ni->n] = fold_one(cp);
        ni->py[ni->n] = hanzi_pinyin(ni->fold[ni->n]);
        ni->n++;
    }
    set_surname(ni, dot_at);
}

/* Two characters a clerk would not count as a difference: the same after folding, or the same
 * syllable. */
static bool same_char(const struct name_info *a, unsigned i, const struct name_info *b, unsigned j)
{
    return a->fold[i] == b->fold[j] || (a->py[i] && a->py[i] == b->py[j]);
}

/* At most one character substituted (same length) or dropped from the longer name. */
static bool one_char_apart(const struct name_info *a, const struct name_info *b)
{
    unsigned i, diff = 0;

    if (a->n == b->n) {
        for (i = 0; i < a->n; i++)
            diff += !same_char(a, i, b, i);
        return diff <= 1;
    }
    if (a->n < b->n) {
        const struct name_info *t = a;
        a = b;
        b = t;
    }
    if (a->n != b->n + 1)
        return false;
    for (i = 0; i < b->n && same_char(a, i, b, i); i++)
        ;
    for (; i < b->n; i++)
        if (!same_char(a, i + 1, b, i))
            return false;
    return true;
}

/*
 * The levels, strongest first. Decisions a clerk would make:
 *
 * - ONE_CHAR needs a name of three or more characters (the longer, when one was dropped). In
 *   a two-character name the given name is one character, and 李丽/李明 are two people who
 *   share a surname: SURNAME. The differing character may be the surname (张小明/章小明 are
 *   PINYIN; 张小明/李小明 ONE_CHAR: a slip of the pen is likelier than a namesake).
 * - SURNAME needs the same surname characters after folding (not just the sound: 李 and 黎
 *   are different families) and a surname on both sides (minority names have none).
 * - Names longer than NAME_MAX_CHARS are compared on their first NAME_MAX_CHARS characters;
 *   when only one side was cut, it has more characters than the other, so the best the two
 *   can be is ONE_CHAR.
 */
enum name_level name_compare(const struct name_info *a, const struct name_info *b)
{
    unsigned i, longer = a->n > b->n ? a->n : b->n;

    if (!a->n || !b->n)
        return NAME_MISSING;
    if (a->n == b->n && a->truncated == b->truncated) {
        if (!memcmp(a->raw, b->raw, a->n * sizeof(a->raw[0])))
            return NAME_EXACT;
        if (!memcmp(a->fold, b->fold, a->n * sizeof(a->fold[0])))
            return NAME_VARIANT;
        for (i = 0; i < a->n && same_char(a, i, b, i); i++)
            ;
        if (i == a->n)
            return NAME_PINYIN;
    }
    if (a->truncated != b->truncated) {
        /* the cut side has more characters: one more at best, if the kept ones agree */
        for (i = 0; a->n == b->n && i < a->n && same_char(a, i, b, i); i++)
            ;
        if (a->n == b->n && i == a->n)
            return NAME_ONE_CHAR;
    } else if (longer >= 3 && one_char_apart(a, b)) {
        return NAME_ONE_CHAR;
    }
    if (a->surname_n && a->surname_n == b->surname_n &&
        !memcmp(a->fold, b->fold, a->surname_n * sizeof(a->fold[0])))
        return NAME_SURNAME;
    return NAME_DIFFERENT;
}

static const struct {
    const char *key, *label;
} levels[NAME__LEVELS] = {
    [NAME_EXACT] = {"exact", "完全相同"},     [NAME_VARIANT] = {"variant", "繁简/异体相同"},
    [NAME_PINYIN] = {"pinyin", "拼音相同"},   [NAME_ONE_CHAR] = {"one_char", "一字之差"},
    [NAME_SURNAME] = {"surname", "仅姓相同"}, [NAME_DIFFERENT] = {"different", "不同"},
    [NAME_MISSING] = {"missing", "缺失"},
};

const char *name_level_key(enum name_level l)
{
    return (unsigned)l < NAME__LEVELS ? levels[l].key : "";
}

const char *name_level_label(enum name_level l)
{
    return (unsigned)l < NAME__LEVELS ? levels[l].label : "";
}

/*
 * Syllables separated by spaces; a character without a reading (Latin letters, a Han
 * character ICU cannot read) is written as it is, runs of them as one word. Pieces that do not
 * fit are left out whole, so the text never ends in half a character.
 */
void name_pinyin_text(const struct name_info *ni, char *out, size_t outlen)
{
    size_t o = 0;
    bool prev_syllable = false;

    if (!outlen)
        return;
    for (unsigned i = 0; i < ni->n; i++) {
        char piece[8];
        const char *s;
        size_t len, sep;

        if (ni->py[i]) {
            s = pinyin_syllable(ni->py[i]);
            len = strlen(s);
        } else {
            len = utf8_encode(ni->raw[i], piece);
            s = piece;
        }
        sep = o && (ni->py[i] || prev_syllable);
        if (o + sep + len >= outlen)
            break;
        if (sep)
            out[o++] = ' ';
        memcpy(out + o, s, len);
        o += len;
        prev_syllable = ni->py[i] != 0;
    }
    out[o] = '\0';
}

bool name_spelling_query(const char *q, char out[NAME_SPELLING_MAX + 1])
{
    size_t n = 0;

    out[0] = '\0';
    if (!q)
        return false;
    for (; *q; q++) {
        char c = *q;
        if (c == ' ' || c == '\'')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || n == NAME_SPELLING_MAX)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n > 0;
}

/* How many bytes of the typed q the syllable's first k letters take: ü ("\xc3\xbc") is typed as v
 * or u. -1 when they differ. */
static int syllable_prefix(const char *syl, size_t k, const char *q)
{
    size_t used = 0;
    for (size_t i = 0; i < k; i++, used++) {
        if ((unsigned char)syl[0] == 0xC3 && (unsigned char)syl[1] == 0xBC) {
            if (q[used] != 'v' && q[used] != 'u')
                return -1;
            syl += 2;
        } else if (*syl != q[used]) {
            return -1;
        } else {
            syl++;
        }
    }
    return (int)used;
}

/* Letters of a syllable (ü counted once). */
static size_t syllable_letters(const char *syl)
{
    size_t n = 0;
    for (; *syl; syl++)
        n += ((unsigned char)*syl & 0xC0) != 0x80;
    return n;
}

/* failed[i][p]: the rest of q from byte p cannot be read from character i on (each state is
 * tried once: a name of 16 one-letter prefixes would otherwise branch at every character) */
struct spelling {
    const struct name_info *ni;
    const char *q0;
    bool failed[NAME_MAX_CHARS + 1][NAME_SPELLING_MAX + 1];
};

static bool spell_from(struct spelling *sp, unsigned i, const char *q)
{
    const struct name_info *ni = sp->ni;
    size_t p = (size_t)(q - sp->q0);
    if (!*q)
        return true;
    if (i >= ni->n || !ni->py[i] || p > NAME_SPELLING_MAX || sp->failed[i][p])
        return false;
    const char *syl = pinyin_syllable(ni->py[i]);
    size_t letters = syllable_letters(syl);
    /* the longest prefix first: the whole syllable is the commonest way to type it */
    for (size_t k = letters; k >= 1; k--) {
        int used = syllable_prefix(syl, k, q);
        if (used > 0 && spell_from(sp, i + 1, q + used))
            return true;
    }
    sp->failed[i][p] = true;
    return false;
}

bool name_spelling_matches(const struct name_info *ni, const char *q)
{
    if (!q || !*q || !ni->n || strlen(q) > NAME_SPELLING_MAX)
        return false;
    struct spelling sp = {ni, q, {{false}}};
    if (spell_from(&sp, 0, q))
        return true;
    /* the given name alone (ningjia, nj): after the surname */
    return ni->surname_n && ni->surname_n < ni->n && spell_from(&sp, ni->surname_n, q);
}
