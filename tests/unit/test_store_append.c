#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "store/store.h"
#include "store/writer.h"

#include "testutil.h"

/*
 * Append statements (store_prepare_append): on PostgreSQL their queued rows in a bulk load go
 * by COPY in text format, so every value must come back as it was bound (tabs, newlines,
 * backslashes, "\N" as text, NULL), and a refused row must be named by its tag. Run on both
 * dialects (the .pg variant).
 */

static int dbseq;

static struct store *fresh(void)
{
    char name[32];
    snprintf(name, sizeof(name), "append%d.sqlite", ++dbseq);
    char *path = tu_db_new(tu_dir, name);
    struct store *s = tu_store_open(path, STORE_OPEN_CREATE);
    free(path);
    assert_int_equal(store_exec(s, "CREATE TABLE u (n BIGINT NOT NULL, v TEXT, w TEXT NOT NULL)"),
                     0);
    return s;
}

static const char *const odd[] = {"a\tb", "line\nnext\r\n", "back\\slash", "\\N", "普通", "x"};

static void test_values_round_trip(void **state)
{
    struct store *s = fresh();
    struct stmt *ins = store_prepare_append(s, "u", "n, v, w");
    assert_non_null(ins);
    long tag = -1;
    assert_int_equal(store_begin_bulk(s), 0);
    struct store_writer *w = store_writer_start(s);
    for (int i = 1; i <= 20000; i++) {
        const char *t = odd[i % ARRAY_SIZE(odd)];
        writer_bind_int(w, 1, i);
        if (i % 7)
            writer_bind_str(w, 2, t);
        else
            writer_bind_null(w, 2);
        writer_bind_str(w, 3, t);
        assert_int_equal(writer_step(w, ins, i), 0);
    }
    assert_int_equal(store_writer_finish(w, &tag), 0);
    assert_int_equal(store_commit(s), 0);
    store_end_bulk(s);
    stmt_finalize(ins);

    assert_int_equal(tu_int(s, "SELECT count(*) FROM u", NULL), 20000);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u WHERE v IS NULL", NULL), 20000 / 7);
    struct stmt *q = store_prepare(s, "SELECT n, v, w FROM u ORDER BY n");
    int n = 0;
    while (stmt_step(q) == 1) {
        n++;
        const char *t = odd[n % ARRAY_SIZE(odd)];
        assert_int_equal(stmt_int(q, 0), n);
        assert_string_equal(stmt_text(q, 2), t);
        if (n % 7)
            assert_string_equal(stmt_text(q, 1), t);
        else
            assert_true(stmt_is_null(q, 1));
    }
    assert_int_equal(n, 20000);
    stmt_finalize(q);
    store_close(s);
}

static void test_refused_row_named(void **state)
{
    struct store *s = fresh();
    struct stmt *ins = store_prepare_append(s, "u", "n, v, w");
    long tag = -1;
    /* 200 bytes a row: the rows fill more than one COPY (4 MB), the bad one in the second */
    char filler[201];
    memset(filler, 'f', 200);
    filler[200] = '\0';
    assert_int_equal(store_begin_bulk(s), 0);
    struct store_writer *w = store_writer_start(s);
    for (int i = 1; i <= 30000; i++) {
        writer_bind_int(w, 1, i);
        writer_bind_str(w, 2, filler);
        writer_bind_str(w, 3, i == 23456 ? NULL : "ok"); /* w NOT NULL */
        writer_step(w, ins, 100000 + i);
    }
    assert_int_equal(store_writer_finish(w, &tag), -1);
    assert_int_equal(tag, 100000 + 23456);
    const char *m = store_errmsg(s);
    assert_true(strstr(m, "NOT NULL") || strstr(m, "not-null"));
    store_rollback(s);
    store_end_bulk(s);
    stmt_finalize(ins);
    assert_int_equal(tu_int(s, "SELECT count(*) FROM u", NULL), 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_round_trip),
        cmocka_unit_test(test_refused_row_named),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
