#ifndef BAOXUE_TESTUTIL_H
#define BAOXUE_TESTUTIL_H

/*
 * Helpers shared by the unit tests: temporary directories and files, and SQLite stores. The
 * functions that take a store or write a file check with cmocka's assertions, so call them
 * from a test (or a fixture, where a failure fails the fixture).
 */
#include "util/common.h"

#include <zip.h>

#include "store/store.h"

/* ---- files ---- */

/* A fresh directory /tmp/<prefix>-XXXXXX (free it), or NULL with a message on stderr. */
char *tu_tmpdir(const char *prefix);
/* Remove `path` and everything below it (symbolic links are not followed); 0 or -1. */
int tu_rmtree(const char *path);
/* "<dir>/<name>" (free it). */
char *tu_path(const char *dir, const char *name);
/* Write `len` bytes to a new file <dir>/<name>; returns its path (free it). */
char *tu_write(const char *dir, const char *name, const void *data, size_t len);
/* tu_write of a string without its NUL. */
char *tu_write_str(const char *dir, const char *name, const char *s);
/* The whole of the file `path` in `out` (which is reset first). */
void tu_read(const char *path, struct buf *out);
/* The whole of the member `member` of an open zip archive in `out` (reset first). */
void tu_zip_read(zip_t *z, const char *member, struct buf *out);

/*
 * Group fixture for cmocka_run_group_tests: tu_dir_setup makes the fresh directory tu_dir
 * (/tmp/baoxue-<program>-XXXXXX) that the group's tests write into; tu_dir_teardown removes
 * it with everything in it.
 */
extern char *tu_dir;
int tu_dir_setup(void **state);
int tu_dir_teardown(void **state);

/* ---- stores ---- */

/*
 * The tests run on SQLite, and on PostgreSQL too when the environment variable BAOXUE_TEST_PG
 * holds a DSN (tests/pg_cluster.py run -- … sets it). tu_pg says which; tu_db_new gives the
 * DSN of a new, empty database: the file <dir>/<name> on SQLite, a fresh schema of the
 * BAOXUE_TEST_PG database (the DSN names it in search_path) on PostgreSQL. Free it.
 */
bool tu_pg(void);
char *tu_db_new(const char *dir, const char *name);

/* store_open that must succeed. */
struct store *tu_store_open(const char *path, enum store_open_mode mode);

/* sheet_open that must succeed. */
struct sheet_reader;
struct sheet_reader *tu_sheet_open(const char *path);
/* The integer `sql` selects, with an optional text parameter $1; the query must succeed. */
int64_t tu_int(struct store *s, const char *sql, const char *param);
/* One text column of the first row, with optional text parameters $1 and $2 (free it); NULL
 * when there is no row or the value is NULL. */
char *tu_text(struct store *s, const char *sql, const char *p1, const char *p2);

/*
 * Per-test fixture: a fresh directory of its own with a new database in it. tu_fx_setup
 * leaves a struct tu_fx in *state; tu_fx_teardown closes the store and removes the directory.
 */
struct tu_fx {
    char *dir;       /* the test's directory: write its files here */
    struct store *s; /* tu_db_new(dir, "db.sqlite"), created */
};
int tu_fx_setup(void **state);
int tu_fx_teardown(void **state);

/* A valid 18-character ID: region, birth date, 3-digit sequence (odd: male), check character. */
void tu_make_id(char out[19], const char *region, int ymd, int sequence);
/* Write `text` to a file of the fixture's directory and import it as `kind` (enum import_kind);
 * the test fails with the library's message if the import is refused. */
void tu_import_text(struct tu_fx *fx, int kind, const char *name, const char *text);
/* A cross-check as of `as_of` (yyyymmdd) with the stored school calendar; its run id. */
int64_t tu_match(struct tu_fx *fx, int as_of);

#endif
