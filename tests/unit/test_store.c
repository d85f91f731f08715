#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"
#include "store/writer.h"

#include "testutil.h"

/* Every test opens its own database file in one mkdtemp directory (tu_dir). */

static int dbseq;

static char *fresh_path(void)
{
    return xstrfmt("%s/db%d.sqlite", tu_dir, ++dbseq);
}

/* Open a fresh database with a scratch table t (a, b, c). */
static struct store *fresh(char **path_out)
{
    char *p = fresh_path();
    struct store *s = tu_store_open(p, STORE_OPEN_CREATE);
    assert_int_equal(store_exec(s, "CREATE TABLE t (a, b, c)"), 0);
    if (path_out)
        *path_out = p;
    else
        free(p);
    return s;
}

static void test_open_dialect(void **state)
{
    struct store *s = fresh(NULL);
    assert_string_equal(store_dialect(s), "sqlite");
    store_close(s);
    store_close(NULL); /* allowed */
}

/* A finalized statement is reset and handed to the next prepare of the same text. */
static void test_statement_cache(void **state)
{
    (void)state;
    struct store *s = fresh(NULL);
    const char *ins = "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)";
    struct stmt *a = store_prepare(s, ins);
    assert_non_null(a);
    stmt_bind_int(a, 1, 1);
    stmt_bind_str(a, 2, "x");
    stmt_bind_int(a, 3, 3);
    assert_int_equal(stmt_step(a), 0);
    stmt_finalize(a);
    /* the same statement again, with its bindings cleared: $2 and $3 left unbound are NULL */
    struct stmt *b = store_prepare(s, ins);
    assert_ptr_equal(a, b);
    stmt_bind_int(b, 1, 2);
    assert_int_equal(stmt_step(b), 0);
    /* while b is handed out, the same text gives another statement */
    struct stmt *c = store_prepare(s, ins);
    assert_non_null(c);
    assert_ptr_not_equal(b, c);
    stmt_finalize(c);
    stmt_finalize(b);
    int64_t n = -1;
    assert_int_equal(
        store_int(s, "SELECT count(*) FROM t WHERE a = 2 AND b IS NULL AND c IS NULL", 0, NULL, &n),
        0);
    assert_int_equal(n, 1);
    /* more distinct statements than the cache holds, some kept open: all work */
    struct stmt *open[STMT_CACHE / 2];
    for (int i = 0; i < 3 * STMT_CACHE; i++) {
        char *sql = xstrfmt("SELECT %d + $1", i);
        struct stmt *q = store_prepare(s, sql);
        assert_non_null(q);
        stmt_bind_int(q, 1, 1);
        assert_int_equal(stmt_step(q), 1);
        assert_int_equal(stmt_int(q, 0), i + 1);
        if (i < STMT_CACHE / 2)
            open[i] = q;
        else
            stmt_finalize(q);
        free(sql);
    }
    for (int i = 0; i < STMT_CACHE / 2; i++) {
        assert_int_equal(stmt_int(open[i], 0), i + 1); /* still on its row */
        stmt_finalize(open[i]);
    }
    /* a kept statement holds no read transaction: another connection can write */
    char *path = NULL;
    store_close(s);
    s = fresh(&path);
    struct stmt *r = store_prepare(s, "SELECT count(*) FROM t");
    assert_int_equal(stmt_step(r), 1);
    stmt_finalize(r);
    struct store *peer = tu_store_open(path, STORE_OPEN_EXISTING);
    assert_int_equal(store_exec(peer, "INSERT INTO t (a) VALUES (1)"), 0);
    store_close(peer);
    store_close(s);
    free(path);
}

static void test_params_rewritten(void **state)
{
    struct store *s = fresh(NULL);

    /* $1 twice */
    struct stmt *st = store_prepare(s, "INSERT INTO t (a, b, c) VALUES ($1, $2, $1)");
    assert_non_null(st);
    stmt_bind_str(st, 1, "x");
    stmt_bind_str(st, 2, "y");
    assert_int_equal(stmt_step(st), 0);
    stmt_finalize(st);

    /* $2 before $1 in the text: numbers, not positions, decide */
    st = store_prepare(s, "INSERT INTO t (a, b, c) VALUES ($2, $1, 'lit')");
    assert_non_null(st);
    stmt_bind_str(st, 1, "one");
    stmt_bind_str(st, 2, "two");
    assert_int_equal(stmt_step(st), 0);
    stmt_finalize(st);

    st = store_prepare(s, "SELECT a, b, c FROM t ORDER BY rowid");
    assert_non_null(st);
    assert_int_equal(stmt_step(st), 1);
    assert_string_equal(stmt_text(st, 0), "x");
    assert_string_equal(stmt_text(st, 1), "y");
    assert_string_equal(stmt_text(st, 2), "x");
    assert_int_equal(stmt_step(st), 1);
    assert_string_equal(stmt_text(st, 0), "two");
    assert_string_equal(stmt_text(st, 1), "one");
    assert_string_equal(stmt_text(st, 2), "lit");
    assert_int_equal(stmt_step(st), 0);
    stmt_finalize(st);
    store_close(s);
}

static void test_params_multi_digit(void **state)
{
    struct store *s = fresh(NULL);
    struct stmt *st = store_prepare(s, "SELECT $12 || $1, $10");
    assert_non_null(st);
    for (int i = 1; i <= 12; i++) {
        char v[8];
        snprintf(v, sizeof(v), "v%d", i);
        stmt_bind_str(st, i, v);
    }
    assert_int_equal(stmt_step(st), 1);
    assert_string_equal(stmt_text(st, 0), "v12v1");
    assert_string_equal(stmt_text(st, 1), "v10");
    stmt_finalize(st);
    store_close(s);
}

static void test_params_not_in_literals(void **state)
{
    struct store *s = fresh(NULL);
    struct stmt *st = store_prepare(s, "SELECT '$1', $1, 'it''s $2', \"a\", 'cost: $5' || $2 FROM "
                                       "(SELECT 1 AS \"a\")");
    assert_non_null(st);
    stmt_bind_str(st, 1, "v");
    stmt_bind_str(st, 2, "w");
    assert_int_equal(stmt_step(st), 1);
    assert_string_equal(stmt_text(st, 0), "$1");
    assert_string_equal(stmt_text(st, 1), "v");
    assert_string_equal(stmt_text(st, 2), "it's $2");
    assert_int_equal(stmt_int(st, 3), 1);
    assert_string_equal(stmt_text(st, 4), "cost: $5w");
    stmt_finalize(st);
    store_close(s);
}

static void test_bind_types(void **state)
{
    struct store *s = fresh(NULL);
    struct stmt *st = store_prepare(s, "SELECT $1, $2, $3, $4, $5, $6");
    assert_non_null(st);
    stmt_bind_int(st, 1, INT64_C(140521201503041234));
    stmt_bind_double(st, 2, 2.5);
    stmt_bind_str(st, 3, "");   /* "" binds NULL */
    stmt_bind_str(st, 4, NULL); /* so does NULL */
    stmt_bind_text(st, 5, "abcdef", 3);
    stmt_bind_null(st, 6);
    assert_int_equal(stmt_step(st), 1);
    assert_true(stmt_int(st, 0) == INT64_C(140521201503041234));
    assert_true(stmt_double(st, 1) == 2.5);
    assert_true(stmt_is_null(st, 2));
    assert_true(stmt_is_null(st, 3));
    assert_string_equal(stmt_text(st, 3), ""); /* NULL reads as "" */
    assert_string_equal(stmt_text(st, 4), "abc");
    assert_false(stmt_is_null(st, 4));
    assert_true(stmt_is_null(st, 5));
    assert_int_equal(stmt_step(st), 0);

    /* reset clears bindings: rebinding only $1 leaves the others NULL */
    assert_int_equal(stmt_reset(st), 0);
    stmt_bind_int(st, 1, 7);
    assert_int_equal(stmt_step(st), 1);
    assert_int_equal(stmt_int(st, 0), 7);
    assert_true(stmt_is_null(st, 4));
    stmt_finalize(st);
    store_close(s);
}

static void test_returning_id(void **state)
{
    struct store *s = fresh(NULL);
    assert_int_equal(store_exec(s, "CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"), 0);
    struct stmt *st = store_prepare(s, "INSERT INTO u (v) VALUES ($1) RETURNING id");
    assert_non_null(st);
    for (int64_t want = 1; want <= 3; want++) {
        stmt_reset(st);
        stmt_bind_str(st, 1, "x");
        assert_int_equal(stmt_step(st), 1);
        assert_int_equal(stmt_int(st, 0), want);
        assert_int_equal(stmt_step(st), 0);
    }
    stmt_finalize(st);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u", NULL), 3);
    store_close(s);
}

static void test_errors(void **state)
{
    struct store *s = fresh(NULL);
    assert_null(store_prepare(s, "SELEKT 1"));
    assert_true(strlen(store_errmsg(s)) > 0);
    assert_int_equal(store_exec(s, "INSERT INTO nosuch VALUES (1)"), -1);
    assert_non_null(strstr(store_errmsg(s), "nosuch"));

    assert_int_equal(store_exec(s, "CREATE TABLE n (v TEXT NOT NULL)"), 0);
    struct stmt *st = store_prepare(s, "INSERT INTO n (v) VALUES ($1)");
    assert_non_null(st);
    stmt_bind_null(st, 1);
    assert_int_equal(stmt_step(st), -1);
    assert_non_null(strstr(store_errmsg(s), "NOT NULL"));
    stmt_finalize(st);

    const char *p[] = {NULL};
    assert_int_equal(store_run(s, "INSERT INTO n (v) VALUES ($1)", 1, p), -1);
    int64_t v = 99;
    assert_int_equal(store_int(s, "SELECT 1 FROM nosuch", 0, NULL, &v), -1);
    store_close(s);
}

static void test_run_and_int(void **state)
{
    struct store *s = fresh(NULL);
    const char *p[] = {"1", "two", NULL};
    assert_int_equal(store_run(s, "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)", 3, p), 0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM t WHERE c IS NULL AND b = 'two'", NULL), 1);
    int64_t v = 99;
    const char *q[] = {"two"};
    assert_int_equal(store_int(s, "SELECT a FROM t WHERE b = $1", 1, q, &v), 0);
    assert_int_equal(v, 1);
    const char *r[] = {"three"};
    v = 99;
    assert_int_equal(store_int(s, "SELECT a FROM t WHERE b = $1", 1, r, &v), 0);
    assert_int_equal(v, 0); /* no row */
    store_close(s);
}

static void test_transactions(void **state)
{
    char *path;
    struct store *s = fresh(&path);
    const char *p[] = {"1"};

    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM t", NULL), 2);
    assert_int_equal(store_rollback(s), 0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM t", NULL), 0);

    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(store_commit(s), 0);
    store_close(s);

    /* a rolled-back transaction left nothing on disk either */
    s = tu_store_open(path, STORE_OPEN_EXISTING);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM t", NULL), 1);
    /* commit without begin is an error, not a crash */
    assert_int_equal(store_commit(s), -1);
    store_close(s);
    free(path);
}

static void test_bulk_transaction(void **state)
{
    char *path;
    struct store *s = fresh(&path);
    const char *p[] = {"1"};

    /* rolled back: nothing stays, and the connection is back in WAL */
    assert_int_equal(store_begin_bulk(s), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(store_rollback(s), 0);
    store_end_bulk(s);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM t", NULL), 0);
    char *mode = tu_text(s, "PRAGMA journal_mode", NULL, NULL);
    assert_string_equal(mode, "wal");
    free(mode);

    /* committed: kept */
    assert_int_equal(store_begin_bulk(s), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(store_commit(s), 0);
    store_end_bulk(s);
    mode = tu_text(s, "PRAGMA journal_mode", NULL, NULL);
    assert_string_equal(mode, "wal");
    free(mode);

    /* another connection has the database open: the load stays in WAL and still works */
    struct store *other = tu_store_open(path, STORE_OPEN_EXISTING);
    assert_int_equal(tu_int(other, "SELECT count(*) FROM t", NULL), 1);
    assert_int_equal(store_begin_bulk(s), 0);
    assert_int_equal(store_run(s, "INSERT INTO t (a) VALUES ($1)", 1, p), 0);
    assert_int_equal(store_commit(s), 0);
    store_end_bulk(s);
    assert_int_equal(tu_int(other, "SELECT count(*) FROM t", NULL), 2);
    store_close(other);
    store_close(s);
    free(path);
}

static int fail_call(struct store *s)
{
    return store_exec(s, "INSERT INTO no_such_table VALUES (1)");
}

static void test_writer(void **state)
{
    struct store *s = fresh(NULL);
    assert_int_equal(store_exec(s, "CREATE TABLE u (n INTEGER PRIMARY KEY, v TEXT NOT NULL)"), 0);
    struct stmt *ins = store_prepare(s, "INSERT INTO u (n, v) VALUES ($1, $2)");
    assert_non_null(ins);

    /* many batches, in order; text copied when queued, so the caller's buffer is reused */
    struct store_writer *w = store_writer_start(s);
    char text[32];
    for (int i = 1; i <= 5000; i++) {
        snprintf(text, sizeof(text), "v%d", i);
        writer_bind_int(w, 1, i);
        writer_bind_str(w, 2, text);
        assert_int_equal(writer_step(w, ins, i), 0);
        memset(text, 'x', sizeof(text) - 1);
    }
    long tag = -1;
    assert_int_equal(store_writer_finish(w, &tag), 0);
    assert_int_equal(tag, 0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u", NULL), 5000);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u WHERE v = 'v' || n", NULL), 5000);

    /* a failing step (NOT NULL) stops the writer and names what failed */
    w = store_writer_start(s);
    for (int i = 5001; i <= 5003; i++) {
        writer_bind_int(w, 1, i);
        writer_bind_str(w, 2, i == 5002 ? NULL : "ok");
        writer_step(w, ins, i);
    }
    assert_int_equal(store_writer_finish(w, &tag), -1);
    assert_int_equal(tag, 5002);
    assert_non_null(strstr(store_errmsg(s), "NOT NULL"));
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u WHERE n > 5000", NULL), 1);

    /* and so does a failing call; once failed, later steps are refused */
    w = store_writer_start(s);
    writer_call(w, fail_call, 7);
    int refused = 0;
    for (int i = 6000; i < 6000 + 4096; i++) {
        writer_bind_int(w, 1, i);
        writer_bind_str(w, 2, "late");
        refused |= writer_step(w, ins, i) < 0;
    }
    assert_true(refused);
    assert_int_equal(store_writer_finish(w, &tag), -1);
    assert_int_equal(tag, 7);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u WHERE v = 'late'", NULL), 0);

    stmt_finalize(ins);
    store_close(s);
}

static void test_settings(void **state)
{
    char *path;
    struct store *s = fresh(&path);
    struct buf v = BUF_INIT;

    buf_adds(&v, "untouched");
    assert_int_equal(store_get_setting(s, "county", &v), 0);
    assert_string_equal(v.buf, "untouched");
    assert_int_equal(store_set_setting(s, "county", "140521"), 0);
    assert_int_equal(store_get_setting(s, "county", &v), 1);
    assert_string_equal(v.buf, "140521");
    assert_int_equal(store_set_setting(s, "county", "140522"), 0);
    assert_int_equal(store_get_setting(s, "county", &v), 1);
    assert_string_equal(v.buf, "140522");
    assert_int_equal(store_set_setting(s, "cutoff_mmdd", "1231"), 0);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM setting", NULL), 2);
    store_close(s);

    s = tu_store_open(path, STORE_OPEN_EXISTING);
    assert_int_equal(store_get_setting(s, "county", &v), 1);
    assert_string_equal(v.buf, "140522");
    assert_int_equal(store_get_setting(s, "cutoff_mmdd", &v), 1);
    assert_string_equal(v.buf, "1231");
    store_close(s);
    buf_release(&v);
    free(path);
}

static void test_migrate_idempotent(void **state)
{
    char *path = fresh_path();
    struct store *s = tu_store_open(path, STORE_OPEN_CREATE);
    int latest = schema_version_latest();
    assert_true(latest >= 1);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM schema_version", NULL), latest);
    assert_int_equal(store_exec(s, "INSERT INTO setting (key, value) VALUES ('k', 'v')"), 0);
    store_close(s);

    for (int i = 0; i < 2; i++) {
        s = tu_store_open(path, i ? STORE_OPEN_CREATE : STORE_OPEN_EXISTING);
        assert_int_equal(tu_int(s, "SELECT count(*) FROM schema_version", NULL), latest);
        assert_int_equal(tu_int(s, "SELECT max(version) FROM schema_version", NULL), latest);
        assert_int_equal(tu_int(s, "SELECT count(*) FROM setting", NULL), 1);
        assert_int_equal(tu_int(s,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name IN ('batch', 'record', 'reject', 'match_run', 'link', "
                                "'child_status', 'audit', 'setting')",
                                NULL),
                         8);
        store_close(s);
    }
    free(path);
}

static void test_open_missing(void **state)
{
    char *path = tu_path(tu_dir, "missing.sqlite");
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    struct stat st;

    assert_int_equal(store_open(&s, path, STORE_OPEN_EXISTING, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err.buf, "baoxue init"));
    assert_non_null(strstr(err.buf, path));
    assert_int_not_equal(stat(path, &st), 0); /* not created */
    buf_release(&err);

    /* a directory that does not exist cannot be created into */
    char *deep = tu_path(tu_dir, "no/such/dir/db.sqlite");
    assert_int_equal(store_open(&s, deep, STORE_OPEN_CREATE, &err), -1);
    assert_null(s);
    assert_true(err.len > 0);
    buf_release(&err);
    free(deep);
    free(path);
}

static void test_open_not_a_database(void **state)
{
    static const char junk[] = "姓名,身份证号\n张三,140521201503041234\n这不是数据库文件。"
                               "This is not an SQLite database, just text long enough.\n";
    char *path = tu_path(tu_dir, "junk.sqlite");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(junk, 1, sizeof(junk) - 1, f), sizeof(junk) - 1);
    assert_int_equal(fclose(f), 0);

    for (int mode = STORE_OPEN_EXISTING; mode <= STORE_OPEN_CREATE; mode++) {
        struct store *s = NULL;
        struct buf err = BUF_INIT;
        assert_int_equal(store_open(&s, path, (enum store_open_mode)mode, &err), -1);
        assert_null(s);
        assert_non_null(strstr(err.buf, path));
        buf_release(&err);
    }

    /* the file is left exactly as it was, and no journal appears beside it */
    char *wal = xstrfmt("%s-wal", path);
    struct stat stw;
    assert_int_not_equal(stat(wal, &stw), 0);
    free(wal);
    struct buf back = BUF_INIT;
    tu_read(path, &back);
    assert_int_equal(back.len, sizeof(junk) - 1);
    assert_memory_equal(back.buf, junk, back.len);
    buf_release(&back);
    free(path);
}

static void test_open_newer_schema(void **state)
{
    char *path = fresh_path();
    struct store *s = tu_store_open(path, STORE_OPEN_CREATE);
    char v[16];
    snprintf(v, sizeof(v), "%d", schema_version_latest() + 1);
    const char *p[] = {v};
    assert_int_equal(store_run(s, "INSERT INTO schema_version (version) VALUES ($1)", 1, p), 0);
    store_close(s);

    for (int mode = STORE_OPEN_EXISTING; mode <= STORE_OPEN_CREATE; mode++) {
        struct buf err = BUF_INIT;
        s = NULL;
        assert_int_equal(store_open(&s, path, (enum store_open_mode)mode, &err), -1);
        assert_null(s);
        assert_non_null(strstr(err.buf, v));
        assert_non_null(strstr(err.buf, "升级 baoxue"));
        buf_release(&err);
    }
    free(path);
}

static void test_postgres_refused(void **state)
{
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    assert_int_equal(store_open(&s, "postgresql://localhost/baoxue", STORE_OPEN_CREATE, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err.buf, "PostgreSQL"));
    buf_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_dialect),
        cmocka_unit_test(test_bulk_transaction),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_statement_cache),
        cmocka_unit_test(test_params_rewritten),
        cmocka_unit_test(test_params_multi_digit),
        cmocka_unit_test(test_params_not_in_literals),
        cmocka_unit_test(test_bind_types),
        cmocka_unit_test(test_returning_id),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_run_and_int),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_migrate_idempotent),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_not_a_database),
        cmocka_unit_test(test_open_newer_schema),
        cmocka_unit_test(test_postgres_refused),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
