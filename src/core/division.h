#ifndef BAOXUE_DIVISION_H
#define BAOXUE_DIVISION_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Official administrative division codes (统计用区划代码, NBS 2022), compiled into the
 * program from the CSV files under data/ so that an installed binary needs no data directory.
 */

/*
 * County codes are read from the first 6 characters of `code6`, so a whole resident ID can be
 * passed. The tables are parsed on first use (thread-safe) and live until exit.
 */

/* The name of a county-level code ("140521" -> "沁水县"), or NULL when unknown. */
const char *division_county_name(const char *code6);
/* "山西省晋城市沁水县" for a county code, into out; false when unknown. */
bool division_county_fullname(const char *code6, char *out, size_t outlen);
bool division_county_known(const char *code6);
/* May `code` be a county of baoxue: exactly 6 digits, a county of the tables, with townships?
 * Its full name goes to fullname either way when it is known ("" otherwise). */
enum division_county_fit { DIVISION_COUNTY_OK, DIVISION_COUNTY_UNKNOWN, DIVISION_COUNTY_NO_TOWNS };
enum division_county_fit division_county_fit(const char *code, char *fullname, size_t size);
/* The name of a province (2 digits: "山西省") or a city (4: "山西省晋城市"; a placeholder city,
 * 市辖区 or 省直辖县级行政区划, is named by its province alone), into out; false when unknown. */
bool division_area_name(const char *code, char *out, size_t outlen);

struct township {
    char code[10]; /* 9-digit township code */
    const char *name;
};

/* The townships (乡级) of a county, in code order; *n set to their number (0 when unknown).
 * The array is owned by the module. */
const struct township *division_townships(const char *county6, size_t *n);

/*
 * Find a township of the county by code (9 digits, or the last 3) or by name, exact or with
 * the suffix 镇/乡/街道/办事处 omitted ("郑庄" finds 郑庄镇). NULL when none.
 */
const struct township *division_find_township(const char *county6, const char *text);

#endif
