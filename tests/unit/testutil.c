#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "core/idcard.h"

#include "domain/match.h"
#include "ingest/import.h"
#include "ingest/sheet.h"

#include <errno.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <unistd.h>

/* ---- files ---- */

char *tu_tmpdir(const char *prefix)
{
    char *dir = xstrfmt("/tmp/%s-XXXXXX", prefix);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

int tu_rmtree(const char *path)
{
    /* depth first, so that a directory is empty by the time it is removed */
    if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        fprintf(stderr, "removing %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

char *tu_path(const char *dir, const char *name)
{
    return xstrfmt("%s/%s", dir, name);
}

char *tu_write(const char *dir, const char *name, const void *data, size_t len)
{
    char *p = tu_path(dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

char *tu_write_str(const char *dir, const char *name, const char *s)
{
    return tu_write(dir, name, s, strlen(s));
}

void tu_read(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    assert_non_null(f);
    buf_reset(out);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(out, chunk, n);
    fclose(f);
}

void tu_zip_read(zip_t *z, const char *member, struct buf *out)
{
    zip_file_t *f = zip_fopen(z, member, 0);
    if (!f)
        fail_msg("no %s in the zip archive", member);
    char chunk[65536];
    zip_int64_t n;
    buf_reset(out);
    while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0)
        buf_add(out, chunk, (size_t)n);
    zip_fclose(f);
}

/* /tmp/baoxue-<program>-XXXXXX, so that a directory left behind says which test made it */
static char *test_tmpdir(void)
{
    char *prefix = xstrfmt("baoxue-%s", program_invocation_short_name);
    char *dir = tu_tmpdir(prefix);
    free(prefix);
    return dir;
}

char *tu_dir;

int tu_dir_setup(void **state)
{
    tu_dir = test_tmpdir();
    return tu_dir ? 0 : -1;
}

int tu_dir_teardown(void **state)
{
    int rc = tu_rmtree(tu_dir);
    free(tu_dir);
    tu_dir = NULL;
    return rc;
}

/* ---- stores ---- */

bool tu_pg(void)
{
    const char *dsn = getenv("BAOXUE_TEST_PG");
    return dsn && *dsn;
}

char *tu_db_new(const char *dir, const char *name)
{
    static unsigned seq;
    if (!tu_pg())
        return tu_path(dir, name);
    const char *base = getenv("BAOXUE_TEST_PG");
    char schema[64];
    snprintf(schema, sizeof(schema), "t%ld_%u", (long)getpid(), ++seq);
    PGconn *c = PQconnectdb(base);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("BAOXUE_TEST_PG: %s", PQerrorMessage(c));
    char sql[96];
    snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return xstrfmt("%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?", schema);
}

struct store *tu_store_open(const char *path, enum store_open_mode mode)
{
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    if (store_open(&s, path, mode, &err) != 0)
        fail_msg("store_open(%s): %s", path, err.buf);
    assert_non_null(s);
    buf_release(&err);
    return s;
}

int64_t tu_int(struct store *s, const char *sql, const char *param)
{
    int64_t v = -1;
    const char *p[] = {param};
    if (store_int(s, sql, param ? 1 : 0, p, &v) != 0)
        fail_msg("%s: %s", sql, store_errmsg(s));
    return v;
}

char *tu_text(struct store *s, const char *sql, const char *p1, const char *p2)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        fail_msg("%s: %s", sql, store_errmsg(s));
    if (p1)
        stmt_bind_str(st, 1, p1);
    if (p2)
        stmt_bind_str(st, 2, p2);
    char *v = NULL;
    int rc = stmt_step(st);
    assert_true(rc >= 0);
    if (rc == 1 && !stmt_is_null(st, 0))
        v = xstrdup(stmt_text(st, 0));
    stmt_finalize(st);
    return v;
}

int tu_fx_setup(void **state)
{
    struct tu_fx *fx = xcalloc(1, sizeof(*fx));
    struct buf err = BUF_INIT;
    fx->dir = test_tmpdir();
    if (!fx->dir) {
        free(fx);
        return -1;
    }
    char *db = tu_db_new(fx->dir, "db.sqlite");
    int rc = store_open(&fx->s, db, STORE_OPEN_CREATE, &err);
    free(db);
    if (rc != 0) {
        fprintf(stderr, "store_open: %s\n", err.buf);
        buf_release(&err);
        tu_rmtree(fx->dir);
        free(fx->dir);
        free(fx);
        return -1;
    }
    buf_release(&err);
    *state = fx;
    return 0;
}

int tu_fx_teardown(void **state)
{
    struct tu_fx *fx = *state;
    store_close(fx->s);
    int rc = tu_rmtree(fx->dir);
    free(fx->dir);
    free(fx);
    return rc;
}

void tu_make_id(char out[19], const char *region, int ymd, int sequence)
{
    snprintf(out, 19, "%.6s%08d%03d", region, ymd, sequence);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

void tu_import_text(struct tu_fx *fx, int kind, const char *name, const char *text)
{
    char *p = tu_write_str(fx->dir, name, text);
    struct import_options opt = {.kind = (enum import_kind)kind, .path = p, .actor = "test"};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    if (import_file(fx->s, &opt, &sum, &o) != 0)
        fail_msg("import %s: %s", name, o.msg.buf);
    import_summary_release(&sum);
    outcome_release(&o);
    unlink(p);
    free(p);
}

int64_t tu_match(struct tu_fx *fx, int as_of)
{
    struct match_options mo = {.as_of = as_of, .actor = "test"};
    struct match_result res;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(calendar_load(fx->s, &mo.cal), 0);
    if (match_run(fx->s, &mo, &res, &o) != 0)
        fail_msg("match_run: %s", o.msg.buf);
    outcome_release(&o);
    return res.run_id;
}

struct sheet_reader *tu_sheet_open(const char *path)
{
    struct sheet_reader *r = NULL;
    struct buf err = BUF_INIT;
    if (sheet_open(&r, path, &err))
        fail_msg("sheet_open: %s", err.buf);
    buf_release(&err);
    return r;
}
