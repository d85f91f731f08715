#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "store/migrate.h"
#include "store/replica.h"
#include "store/store.h"

#include "testutil.h"

/*
 * store/replica.c: a store opened as a replica is read only and not migrated, and the measures
 * say when it may not answer. A real streaming replica is tests/cli/test_replica.py's; here
 * the primary itself, opened as a replica, stands for one that is not in recovery.
 */

static int dbseq;

static char *fresh_db(void)
{
    char name[32];
    snprintf(name, sizeof(name), "db%d.sqlite", ++dbseq);
    char *p = tu_db_new(tu_dir, name);
    store_close(tu_store_open(p, STORE_OPEN_CREATE)); /* migrated */
    return p;
}

static void test_sqlite_refused(void **state)
{
    (void)state;
    if (tu_pg())
        skip();
    char *p = fresh_db();
    struct store *s = NULL;
    struct buf why = BUF_INIT;
    assert_int_equal(store_replica_open(&s, p, &why), -1);
    assert_null(s);
    assert_non_null(strstr(why.buf, "只读副本不可用：只读副本只用于 PostgreSQL"));
    buf_release(&why);
    free(p);
}

static void test_read_only_and_not_in_recovery(void **state)
{
    (void)state;
    if (!tu_pg())
        skip();
    char *p = fresh_db();
    struct store *primary = tu_store_open(p, STORE_OPEN_EXISTING), *r = NULL, *peer = NULL;
    struct buf why = BUF_INIT;
    assert_int_equal(store_replica_open(&r, p, &why), 0);
    assert_true(r->replica);
    assert_false(primary->replica);
    /* it reads, and never writes, whatever the DSN names */
    assert_int_equal(tu_int(r, "SELECT count(*) FROM schema_version", NULL),
                     schema_version_latest());
    assert_int_equal(store_exec(r, "CREATE TABLE nope (a INTEGER)"), -1);
    assert_non_null(strstr(store_errmsg(r), "read-only"));
    /* a peer of a replica is a replica */
    assert_int_equal(store_open_peer(r, &peer, &why), 0);
    assert_true(peer->replica);
    assert_int_equal(store_exec(peer, "CREATE TABLE nope (a INTEGER)"), -1);
    /* the primary's position moves on with a write */
    int64_t before = 0, after = 0;
    assert_int_equal(store_wal_position(primary, &before), 0);
    assert_true(before > 0);
    assert_int_equal(store_set_setting(primary, "replica_test", "1"), 0);
    assert_int_equal(store_wal_position(primary, &after), 0);
    assert_true(after > before);
    /* a database not in recovery is no replica: never read */
    struct replica_state rs;
    assert_int_equal(store_replica_state(r, &rs), 0);
    assert_false(rs.in_recovery);
    assert_int_equal(store_replica_usable(r, 30, 0, &why), 0);
    assert_non_null(strstr(why.buf, "已不是副本"));
    store_close(peer);
    store_close(r);
    store_close(primary);
    buf_release(&why);
    free(p);
}

static void test_schema_behind(void **state)
{
    (void)state;
    if (!tu_pg())
        skip();
    char *p = fresh_db();
    struct store *primary = tu_store_open(p, STORE_OPEN_EXISTING), *r = NULL;
    /* the replica has not replayed the last migration yet: as if the newest were missing */
    assert_int_equal(store_exec(primary,
                                "DELETE FROM schema_version WHERE version = (SELECT max(version)"
                                " FROM schema_version)"),
                     0);
    struct buf why = BUF_INIT;
    assert_int_equal(store_replica_open(&r, p, &why), -1);
    assert_null(r);
    char want[96];
    snprintf(want, sizeof(want), "其数据库结构为第 %d 版，本程序需要第 %d 版",
             schema_version_latest() - 1, schema_version_latest());
    assert_non_null(strstr(why.buf, "只读副本不可用："));
    assert_non_null(strstr(why.buf, want));
    store_close(primary);
    buf_release(&why);
    free(p);
}

static void test_unreachable(void **state)
{
    (void)state;
    struct store *r = NULL;
    struct buf why = BUF_INIT;
    assert_int_equal(
        store_replica_open(&r, "postgresql://bx:s3cret@127.0.0.1:1/baoxue?connect_timeout=5", &why),
        -1);
    assert_null(r);
    assert_non_null(strstr(why.buf, "只读副本不可用：无法连接数据库"));
    assert_null(strstr(why.buf, "s3cret"));
    assert_int_equal(why.buf[why.len - 1] == '\n', 0); /* one line's end, for the log */
    buf_release(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_refused),
        cmocka_unit_test(test_read_only_and_not_in_recovery),
        cmocka_unit_test(test_schema_behind),
        cmocka_unit_test(test_unreachable),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
