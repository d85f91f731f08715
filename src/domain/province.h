#ifndef BAOXUE_PROVINCE_H
#define BAOXUE_PROVINCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Many counties in one PostgreSQL database (issue 18, docs/decisions.md "many counties in one
 * database"): each county's tables live in a schema of their own, c<code> (c140521), the same
 * tables a county's own database has, and a connection of the county works in that schema
 * only (its DSN's search_path, store_dsn_schema). The schema `province` holds the registry of
 * the counties. SQLite has no such thing: a county is a file.
 *
 * `dsn` below is the database's own DSN, without connection options: the registry is read on
 * a connection that is in no county's schema.
 */

struct province_county {
    char code[8];      /* 140521 */
    char name[128];    /* 晋城市沁水县 (the division table's full name) */
    char schema[16];   /* c140521 */
    char added_at[24]; /* "2026-12-07 14:03:05" */
};

/* The schema of a county's code: "c" + code (out has room for 16 bytes). */
void province_schema_of(const char *code, char out[16]);

/*
 * Add the county to the database: its schema made and brought to the newest version, its
 * county setting set, and its row in the registry. A schema c<code> already there but not
 * registered (an addition cut short) is taken over when it is this county's or empty.
 * -1 with the outcome: OUT_INVALID a code that is not a county of the division table, or a
 * database that is not PostgreSQL; OUT_FORBIDDEN the county already registered, or the
 * schema holding another county's data; OUT_ERROR the store.
 */
int province_add_county(const char *dsn, const char *code, struct province_county *out,
                        struct outcome *o);

/*
 * The registered counties whose code starts with `area` (a province's 2 digits, a city's 4, a
 * county's 6; NULL or "" all), by code. *out is malloc'ed (free it). A database without a
 * registry has no counties (0, n 0).
 */
int province_counties(const char *dsn, const char *area, struct province_county **out, size_t *n,
                      struct outcome *o);

/* A connection to the province's own schema, where its kept tables are (STORE_OPEN_EXISTING:
 * migrated when older); OUT_NOT_FOUND when no county was ever added (there is none). */
int province_open_own(const char *dsn, struct store **out, struct outcome *o);

/* A connection to a registered county's schema (STORE_OPEN_EXISTING: migrated when older). */
int province_open_county(const char *dsn, const struct province_county *c, struct store **out,
                         struct outcome *o);

/*
 * Is s the province's own schema of a shared database (its setting province = 1: the schema
 * of the province's and the cities' accounts)? 1 yes, 0 not, -1 a store error.
 */
int province_schema_is(struct store *s);
/* province_schema_is, and when 1 the database's DSN (without the schema's options) appended
 * to base. */
int province_here(struct store *s, struct buf *base);

/* Is `area` a 2-, 4- or 6-digit division code prefix? (OUT_INVALID naming field `field`.) */
int province_area_check(const char *area, const char *field, struct outcome *o);

#endif
