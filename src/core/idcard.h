#ifndef BAOXUE_IDCARD_H
#define BAOXUE_IDCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The 18-digit resident ID (GB 11643-1999): 6-digit county code (GB/T 2260), 8-digit birth
 * date, 3-digit sequence (odd male, even female), check digit "10X98765432"[sum(d_i*w_i) mod 11].
 */

enum id_flag {
    ID_EMPTY = 1 << 0,          /* nothing usable in the cell */
    ID_BAD_FORMAT = 1 << 1,     /* not 18 (or 15) digits with an optional final X */
    ID_BAD_CHECK = 1 << 2,      /* check digit wrong: a typing error */
    ID_BAD_BIRTH = 1 << 3,      /* the 8 birth digits are not a real date */
    ID_CONVERTED_15 = 1 << 4,   /* 15-digit ID converted to 18 (informational) */
    ID_REGION_UNKNOWN = 1 << 5, /* county code not in the division table (warning only) */
    ID_PRECISION_LOST = 1 << 6, /* stored as a number in the sheet: digits were lost (1.4E+17);
                                   also when an 18-digit ID ends in "000" with a wrong check (Excel
                                   keeps 15 significant digits); whenever `id` keeps the digits,
                                   ID_BAD_CHECK is set too: they are not the ID's */
    ID_NON_MAINLAND =
        1 << 7, /* foreign permanent residence (9…) or HK/Macau/TW permit (81/82/83) */
};

struct resident_id {
    char id[19];   /* normalised: 18 chars, upper-case X, NUL-terminated; "" when unusable */
    int flags;     /* enum id_flag bits */
    int birth_ymd; /* yyyymmdd from the ID, 0 when unusable or ID_BAD_BIRTH (an impossible
                      date, before 1800 or after date_today()); set even with ID_BAD_CHECK */
    int sex;       /* 1 male, 2 female, 0 unknown; set whenever `id` is */
};

/*
 * Normalise and validate a raw cell: full-width digits and letters, spaces anywhere, a leading
 * apostrophe or quotes, lower-case x are cleaned; 15 digits are converted to 18. `id` is filled
 * whenever the cleaned text is 18 characters of the right shape, even if the check digit fails
 * (a mistyped ID still points near the real one). Returns out->flags.
 */
int id_normalize(const char *raw, size_t len, struct resident_id *out);

/* The check character for the first 17 digits. */
char id_check_char(const char *first17);

/* True for 18 chars, 17 digits + correct check char. */
bool id_is_valid(const char *id18);

/* Convert a 15-digit ID to 18 digits (inserting "19"), writing 19 bytes to out18. */
void id_from15(const char *id15, char *out18);

/*
 * Pack a normalised ID into 64 bits for fast in-memory linkage: the 17 digits as a decimal
 * number times 11 plus the check value (X = 10). 0 for an unusable ID.
 */
uint64_t id_pack(const char *id18);
void id_unpack(uint64_t packed, char *out18); /* writes 19 bytes */

/* Mask for display: first 6 and last 4 kept, "140521********1234". Writes at most 19 bytes. */
void id_mask(const char *id18, char *out);

#endif
