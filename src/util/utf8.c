#include "util/utf8.h"
#include "util/common.h"

size_t utf8_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c, min;
    size_t n, i;

    if (!len)
        return 0;
    c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        goto bad;
    }
    if (len < n)
        goto bad;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (p[i] & 0x3F);
    }
    /* overlong forms, UTF-16 surrogates and code points beyond Unicode are not UTF-8 */
    if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        goto bad;
    *cp = c;
    return n;
bad:
    *cp = 0xFFFD;
    return 1;
}

/* Length a sequence starting with lead byte c announces, 0 for a byte that cannot lead. */
static size_t seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* Whether s[0..len) (len shorter than the sequence) can still become a valid sequence. */
static bool valid_prefix(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t i;

    if (!seq_len(c))
        return false;
    for (i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return false;
    if (len >= 2) {
        /* the second byte decides overlong / surrogate / out-of-range cases */
        unsigned char c1 = s[1];
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
            (c == 0xF4 && c1 > 0x8F))
            return false;
    }
    return true;
}

bool utf8_valid(const char *s, size_t len, bool allow_truncated_tail)
{
    size_t i = 0;

    while (i < len) {
        unsigned cp;
        size_t want = seq_len((unsigned char)s[i]);
        size_t n;

        if (!want)
            return false;
        if (want > len - i)
            return allow_truncated_tail && valid_prefix((const unsigned char *)s + i, len - i);
        n = utf8_decode(s + i, len - i, &cp);
        if (n != want)
            return false; /* decode fell back to U+FFFD */
        i += n;
    }
    return true;
}

struct range {
    unsigned lo, hi;
};

static const struct range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302F},   {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

static const struct range wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x3029},
    {0x3030, 0x3098},   {0x309B, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD},
};

static bool in_ranges(unsigned cp, const struct range *r, size_t n)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

size_t utf8_width(const char *s, size_t len)
{
    size_t i = 0, w = 0;

    while (i < len) {
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        if (in_ranges(cp, zero_width, ARRAY_SIZE(zero_width)))
            continue;
        w += in_ranges(cp, wide, ARRAY_SIZE(wide)) ? 2 : 1;
    }
    return w;
}

static bool is_space(unsigned cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

/* Direction controls: invisible, and able to make a name display as another (U+202E). */
static bool is_bidi_control(unsigned cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Invisible characters that only get in the way of comparison. */
static bool is_dropped(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return true;
    return cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0x00AD ||
           is_bidi_control(cp);
}

bool utf8_has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        /* U+3000 and above (CJK): never a control; skipped whole without decoding */
        if (c >= 0xE3 && c <= 0xEF && i + 2 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
            ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        i += utf8_decode(s + i, len - i, &cp);
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F) ||
            is_bidi_control(cp))
            return true;
    }
    return false;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * One normalised code point at a time: the shared core of utf8_norm_text and utf8_norm_name.
 * Returns the code point, ' ' for any space, or 0 for a dropped character.
 */
static unsigned norm_cp(unsigned cp)
{
    if (is_space(cp))
        return ' ';
    if (is_dropped(cp))
        return 0;
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    return cp;
}

/*
 * The normalisers write into space reserved up front with utf8_encode instead of appending a
 * code point at a time: they run on every cell of every imported row, so per-character calls
 * matter (utf8_encode is in this file so that they inline it).
 */
size_t utf8_encode(unsigned cp, char o[4])
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * The next code point of s[i..len), normalised by norm_cp; *n gets the bytes consumed.
 * Printable ASCII other than space (most of every ID, date and phone number) needs no
 * decoding and no table.
 */
static unsigned next_norm_cp(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];
    unsigned cp;

    if (c > ' ' && c < 0x7F) {
        *n = 1;
        return c;
    }
    *n = utf8_decode(s + i, len - i, &cp);
    return norm_cp(cp);
}

/* Output is at most 3 bytes per input byte: an invalid byte becomes U+FFFD (3 bytes). */
#define NORM_MAX_OUT(len) (3 * (len))

void utf8_norm_text(struct buf *out, const char *s, size_t len)
{
    size_t i = 0, n;
    bool pending_space = false, any = false;
    char *o;

    if (!len)
        return;
    buf_grow(out, NORM_MAX_OUT(len));
    o = out->buf + out->len;
    while (i < len) {
        unsigned cp = next_norm_cp(s, len, i, &n);
        i += n;
        if (!cp)
            continue;
        if (cp == ' ') {
            pending_space = any;
            continue;
        }
        if (pending_space)
            *o++ = ' ';
        pending_space = false;
        any = true;
        o += utf8_encode(cp, o);
    }
    buf_setlen(out, (size_t)(o - out->buf));
}

static bool is_name_dot(unsigned cp)
{
    switch (cp) {
    case '.':
    case 0x00B7:
    case 0x2022:
    case 0x2027:
    case 0x2219:
    case 0x22C5:
    case 0x30FB:
    case 0xFF65:
        return true; /* U+FF0E has been folded to '.' by norm_cp */
    default:
        return false;
    }
}

void utf8_norm_name(struct buf *out, const char *s, size_t len)
{
    size_t i = 0, n;
    bool pending_dot = false, any = false;
    char *o;

    /* a dot (1 byte at least) becomes "·" (2 bytes) only before a following character, so
     * 3 bytes per input byte still bound the output */
    if (!len)
        return;
    buf_grow(out, NORM_MAX_OUT(len));
    o = out->buf + out->len;
    while (i < len) {
        unsigned cp = next_norm_cp(s, len, i, &n);
        i += n;
        if (!cp || cp == ' ')
            continue;
        if (is_name_dot(cp)) {
            /* only between name parts: leading, trailing and repeated dots vanish */
            pending_dot = any;
            continue;
        }
        if (pending_dot)
            o += utf8_encode(0x00B7, o);
        pending_dot = false;
        any = true;
        o += utf8_encode(cp, o);
    }
    buf_setlen(out, (size_t)(o - out->buf));
}
