#include "core/idcard.h"
#include "util/common.h"
#include "core/date.h"
#include "core/division.h"
#include "util/utf8.h"

/* Longest cleaned cell worth looking at; anything longer is not an ID. */
#define ID_CLEAN_MAX 40

static const int id_weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_check_chars[] = "10X98765432";

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

char id_check_char(const char *first17)
{
    int sum = 0, i;
    for (i = 0; i < 17; i++)
        sum += (first17[i] - '0') * id_weight[i];
    return id_check_chars[sum % 11];
}

/* 18 characters of the right shape: 17 digits and a digit or X. */
static bool id_shape_ok(const char *id18)
{
    return strlen(id18) == 18 && all_digits(id18, 17) && (is_digit(id18[17]) || id18[17] == 'X');
}

bool id_is_valid(const char *id18)
{
    return id_shape_ok(id18) && id_check_char(id18) == id18[17];
}

void id_from15(const char *id15, char *out18)
{
    memcpy(out18, id15, 6);
    out18[6] = '1';
    out18[7] = '9';
    memcpy(out18 + 8, id15 + 6, 9);
    out18[17] = id_check_char(out18);
    out18[18] = '\0';
}

static bool is_quote(unsigned cp)
{
    switch (cp) {
    case '\'':
    case '"':
    case '`':
    case 0x2018: /* ‘ ’ “ ” */
    case 0x2019:
    case 0x201C:
    case 0x201D:
        return true;
    default:
        return false;
    }
}

static bool is_space_cp(unsigned cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0xFEFF ||
           cp == 0x1680;
}

/*
 * The cell as ASCII: spaces dropped wherever they are, full-width digits and letters folded,
 * x upper-cased, quotes stripped from both ends. Other characters are kept as '?' so that the
 * shape check fails. False when the cell is too long to be an ID.
 */
static bool id_clean(const char *raw, size_t len, char *out, size_t *outlen)
{
    size_t i = 0, n = 0, start = 0;

    while (i < len) {
        unsigned cp;
        i += utf8_decode(raw + i, len - i, &cp);
        if (is_space_cp(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0; /* full-width ASCII */
        if (cp == 'x')
            cp = 'X';
        if (n == ID_CLEAN_MAX)
            return false;
        if (is_quote(cp))
            out[n++] = '\'';
        else if (cp == 'e')
            out[n++] = 'E';
        else
            out[n++] = cp < 0x80 ? (char)cp : '?';
    }
    /* a leading apostrophe forces text in Excel; quotes come from CSV or copy-paste */
    while (start < n && out[start] == '\'')
        start++;
    while (n > start && out[n - 1] == '\'')
        n--;
    memmove(out, out + start, n - start);
    n -= start;
    out[n] = '\0';
    *outlen = n;
    return true;
}

/* "1.40521E+17", "1.40521201503041e+17", "1.4E17": a number the sheet stored as a double. */
static bool is_exponent_form(const char *s)
{
    size_t n = strspn(s, "0123456789");
    if (!n)
        return false;
    s += n;
    if (*s == '.')
        s += 1 + strspn(s + 1, "0123456789");
    if (*s != 'E')
        return false;
    s++;
    if (*s == '+')
        s++;
    n = strspn(s, "0123456789");
    return n && !s[n];
}

/*
 * The eighteen digits of an exponent form with exponent 17 and at most fifteen significant
 * digits, zeros where digits were lost, when the birth digits they give make a real date
 * (checked later): false otherwise.
 */
static bool exponent_digits(const char *s, char out19[19])
{
    char digits[32];
    size_t nd = 0;
    const char *e = strchr(s, 'E');
    for (const char *p = s; p < e; p++)
        if (*p >= '0' && *p <= '9' && nd < sizeof(digits))
            digits[nd++] = *p;
    size_t before_point = strspn(s, "0123456789");
    long exp = strtol(e + 1, NULL, 10);
    /* one digit before the point and E+17: an 18-digit integer; thirteen digits or more
     * (%.15g drops trailing zeros) reach the birth digits */
    if (before_point != 1 || exp != 17 || nd < 13 || nd > 15)
        return false;
    memset(out19, '0', 18);
    memcpy(out19, digits, nd);
    out19[18] = '\0';
    int m = (out19[10] - '0') * 10 + (out19[11] - '0');
    int d = (out19[12] - '0') * 10 + (out19[13] - '0');
    /* a day one past the month's end (…0431) is a rounding carry, mended later */
    if (m >= 1 && m <= 12 && d >= 1 && d <= 32)
        return true;
    out19[0] = '\0'; /* no birth date in them: no ID either */
    return false;
}

/* The eight birth digits are a real calendar date. */
static bool birth_digits_valid(const char *id)
{
    int y = 0;
    for (int i = 6; i < 10; i++)
        y = y * 10 + (id[i] - '0');
    int m = (id[10] - '0') * 10 + (id[11] - '0');
    int d = (id[12] - '0') * 10 + (id[13] - '0');
    return date_valid(y, m, d);
}

static bool is_non_mainland(const char *id)
{
    return id[0] == '9' || (id[0] == '8' && id[1] >= '1' && id[1] <= '3');
}

int id_normalize(const char *raw, size_t len, struct resident_id *out)
{
    char s[ID_CLEAN_MAX + 1];
    size_t n;
    int y, m, d;

    memset(out, 0, sizeof(*out));
    if (!id_clean(raw, len, s, &n)) {
        out->flags = ID_BAD_FORMAT;
        return out->flags;
    }
    if (!n) {
        out->flags = ID_EMPTY;
        return out->flags;
    }
    if (is_exponent_form(s)) {
        /* Fifteen significant digits of an 18-digit ID ("1.40521201503041E+17", what a
         * spreadsheet shows of a number cell) still say region, birth date and the first digit
         * of the sequence: kept as the "000" form below is. Fewer digits ("1.40521E+17") say
         * too little: no ID. */
        if (!exponent_digits(s, out->id)) {
            out->flags = ID_PRECISION_LOST;
            return out->flags;
        }
        memcpy(s, out->id, 19);
        n = 18;
        out->flags = ID_PRECISION_LOST;
    }
    /* "140521201503041234.0": a number turned into text with a decimal part */
    if (n > 2 && strchr(s, '.')) {
        char *dot = strchr(s, '.');
        if (all_digits(s, (size_t)(dot - s)) && strspn(dot + 1, "0") == strlen(dot + 1)) {
            *dot = '\0';
            n = (size_t)(dot - s);
        }
    }
    if (out->flags & ID_PRECISION_LOST) {
        /* already the eighteen digits (from the exponent form) */
    } else if (n == 15 && all_digits(s, 15)) {
        id_from15(s, out->id);
        out->flags |= ID_CONVERTED_15;
    } else if (n == 18 && all_digits(s, 17) && (is_digit(s[17]) || s[17] == 'X')) {
        memcpy(out->id, s, 19);
    } else {
        out->flags = ID_BAD_FORMAT;
        return out->flags;
    }

    if (id_check_char(out->id) != out->id[17]) {
        out->flags |= ID_BAD_CHECK;
        /*
         * Excel keeps 15 significant digits: an 18-digit ID typed into a number cell comes
         * back with its last three digits as 000.
         */
        if (!memcmp(out->id + 15, "000", 3))
            out->flags |= ID_PRECISION_LOST;
    }
    if (is_non_mainland(out->id))
        out->flags |= ID_NON_MAINLAND;
    else if (!division_county_known(out->id))
        out->flags |= ID_REGION_UNKNOWN;

    if ((out->flags & ID_PRECISION_LOST) && !birth_digits_valid(out->id)) {
        /* the fifteenth digit rounded up carried into the birth digits (…0430|96… shows as
         * …0431): one less is what was there */
        char alt[19];
        memcpy(alt, out->id, 19);
        int i = 14;
        while (i >= 0 && alt[i] == '0')
            alt[i--] = '9';
        if (i >= 0) {
            alt[i]--;
            if (birth_digits_valid(alt))
                memcpy(out->id, alt, 19);
        }
    }
    /* digits were lost: whatever the check character says, these are not the ID's digits */
    if (out->flags & ID_PRECISION_LOST)
        out->flags |= ID_BAD_CHECK;
    y = (out->id[6] - '0') * 1000 + (out->id[7] - '0') * 100 + (out->id[8] - '0') * 10 +
        (out->id[9] - '0');
    m = (out->id[10] - '0') * 10 + (out->id[11] - '0');
    d = (out->id[12] - '0') * 10 + (out->id[13] - '0');
    /* GB 11643 examples go back to 1880; a birth after today is a typing error too */
    if (y < 1800 || !date_valid(y, m, d) || ymd_make(y, m, d) > date_today())
        out->flags |= ID_BAD_BIRTH;
    else
        out->birth_ymd = ymd_make(y, m, d);
    /* the 17th digit says the sex, unless it was lost with the last three */
    out->sex = (out->flags & ID_PRECISION_LOST) ? 0 : (out->id[16] - '0') % 2 ? 1 : 2;
    return out->flags;
}

uint64_t id_pack(const char *id18)
{
    uint64_t v = 0;
    int i;

    if (!id_shape_ok(id18))
        return 0;
    for (i = 0; i < 17; i++)
        v = v * 10 + (uint64_t)(id18[i] - '0');
    return v * 11 + (uint64_t)(id18[17] == 'X' ? 10 : id18[17] - '0');
}

void id_unpack(uint64_t packed, char *out18)
{
    unsigned check;
    int i;

    if (!packed) {
        out18[0] = '\0';
        return;
    }
    check = (unsigned)(packed % 11);
    packed /= 11;
    for (i = 16; i >= 0; i--) {
        out18[i] = (char)('0' + packed % 10);
        packed /= 10;
    }
    out18[17] = check == 10 ? 'X' : (char)('0' + check);
    out18[18] = '\0';
}

void id_mask(const char *id18, char *out)
{
    size_t n = strnlen(id18, 18), i;

    if (n < 10) {
        /* too short to show any part safely */
        memset(out, '*', n);
        out[n] = '\0';
        return;
    }
    for (i = 0; i < n; i++)
        out[i] = i < 6 || i >= n - 4 ? id18[i] : '*';
    out[n] = '\0';
}
