#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/backup.h"
#include "store/store.h"

#include "testutil.h"

static void test_shell_quote(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    backup_shell_quote("a b", &b);
    assert_string_equal(b.buf, "'a b'");
    buf_reset(&b);
    backup_shell_quote("it's $HOME", &b);
    assert_string_equal(b.buf, "'it'\\''s $HOME'");
    buf_reset(&b);
    backup_shell_quote("", &b);
    assert_string_equal(b.buf, "''");
    buf_release(&b);
}

static void test_pg_commands(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    const char *dsn = "postgresql://bx:***@db.local/baoxue";
    backup_pg_dump_command(dsn, "county_1", "备份 1.dump", &b);
    assert_string_equal(b.buf,
                        "pg_dump --format=custom --no-owner --file='备份 1.dump'"
                        " --schema='county_1' --dbname='postgresql://bx:***@db.local/baoxue'");
    buf_reset(&b);
    backup_pg_dump_command(dsn, NULL, "x.dump", &b); /* public: the whole database */
    assert_null(strstr(b.buf, "--schema"));
    buf_reset(&b);
    backup_pg_basebackup_command("host=h password=*** user=bx", "base", &b);
    assert_string_equal(b.buf, "pg_basebackup --pgdata='base' --wal-method=stream --checkpoint=fast"
                               " --progress --dbname='host=h password=*** user=bx'");
    buf_reset(&b);
    backup_pg_restore_command(dsn, "x.dump", &b);
    assert_non_null(strstr(b.buf, "pg_restore --clean --if-exists"));
    assert_non_null(strstr(b.buf, "'x.dump'"));
    buf_release(&b);
}

static void test_keep_name(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    /* 2026-12-07 05:45:00 UTC is 13:45:00 in Beijing */
    backup_keep_name("/srv/baoxue.db", (time_t)1796622300, &b);
    assert_string_equal(b.buf, "/srv/baoxue.db.恢复前-20261207-134500");
    buf_release(&b);
}

/* A database copied, and put back into another path; a file that is not one is refused. */
static void test_round_trip(void **state)
{
    (void)state;
    if (tu_pg())
        return;
    char *db = tu_path(tu_dir, "live.db"), *copy = tu_path(tu_dir, "copy.db"),
         *other = tu_path(tu_dir, "other.db");
    struct store *s = tu_store_open(db, STORE_OPEN_CREATE);
    assert_int_equal(store_set_setting(s, "county", "140521"), 0);
    store_close(s);

    struct backup_result br;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(backup_sqlite(db, copy, 0, &br, &o), 0);
    assert_true(br.counts.version > 0);
    assert_int_equal(br.counts.children, 0);
    struct stat sb;
    assert_int_equal(stat(copy, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* not again over it, unless told */
    assert_int_equal(backup_sqlite(db, copy, 0, &br, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_reset(&o);
    assert_int_equal(backup_sqlite(db, copy, BACKUP_OVERWRITE, &br, &o), 0);

    struct restore_result rr;
    assert_int_equal(restore_sqlite(other, copy, 0, &rr, &o), 0);
    assert_string_equal(rr.kept, ""); /* nothing was there to keep */
    s = tu_store_open(other, STORE_OPEN_EXISTING);
    struct buf v = BUF_INIT;
    assert_int_equal(store_get_setting(s, "county", &v), 1);
    assert_string_equal(v.buf, "140521");
    store_close(s);
    /* a second restore keeps the database it replaces */
    assert_int_equal(restore_sqlite(other, copy, 0, &rr, &o), 0);
    assert_non_null(strstr(rr.kept, "other.db.恢复前-"));
    assert_int_equal(access(rr.kept, F_OK), 0);
    unlink(rr.kept);

    char *junk = tu_write_str(tu_dir, "junk.db", "not a database at all, just text\n");
    assert_int_equal(restore_sqlite(other, junk, 0, &rr, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_non_null(strstr(o.msg.buf, "不是 SQLite 数据库"));
    outcome_release(&o);
    buf_release(&v);
    unlink(junk);
    unlink(db);
    unlink(copy);
    unlink(other);
    free(junk);
    free(db);
    free(copy);
    free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_quote),
        cmocka_unit_test(test_pg_commands),
        cmocka_unit_test(test_keep_name),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
