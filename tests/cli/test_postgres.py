"""What only a PostgreSQL database has: a DSN with a password in it, a database that exists before
init, a demo that replaces its own tables. Skipped on SQLite (the .pg variant runs them)."""

import datetime
import subprocess
import time
import unittest

from harness import BIN, PG, BaoxueTest, csv_text, env, make_id, new_db


def with_password(dsn, password):
    """The same DSN with user:password@ (the test cluster trusts every local connection, so any
    password is accepted: what matters is where it shows)."""
    scheme, rest = dsn.split("://", 1)
    return "%s://postgres:%s@%s" % (scheme, password, rest)


@unittest.skipUnless(PG, "PostgreSQL only (BAOXUE_TEST_PG)")
class PostgresTest(BaoxueTest):
    def test_password_never_shown(self):
        db = with_password(self.db, "s3cret-pw")
        out, err = self.init_db(db=db)
        self.assertNotIn("s3cret-pw", out + err)
        self.assertIn("postgres:***@", out)
        # a command that fails names the database, masked too
        code, out, err = self.run_bx("report", "summary", "--db", db)
        self.assertNotIn("s3cret-pw", out + err)

    def test_unreachable_server(self):
        code, out, err = self.run_bx("init", "--db", "postgresql://bx:s3cret@127.0.0.1:1/baoxue?connect_timeout=5")
        self.assertEqual(code, 1, err)
        self.assertTrue(err.startswith("错误：无法连接数据库"), err)
        self.assertNotIn("s3cret", err)

    def test_commands_need_init(self):
        code, out, err = self.run_bx("report", "summary", "--db", self.db)
        self.assertCliError(code, err, 2, "尚未初始化", "baoxue init")

    def test_demo_replaces_only_its_own_database(self):
        out, _ = self.ok("demo", "--db", self.db, "--out", self.path("demo"), "--children", "800")
        self.assertNotIn("options=", out.split("数据库：")[0])
        n = self.scalar("SELECT count(*) FROM record")
        # a second demo replaces the first: the same counts, not twice as many
        self.ok("demo", "--db", self.db, "--out", self.path("demo"), "--children", "800")
        self.assertEqual(self.scalar("SELECT count(*) FROM record"), n)
        # 户籍, 学籍 and its later export (the 人籍分离 demo), 外出就读 and the six priority-group
        # files, once; and the two terms of history (issue 17): the spring term's and the start of
        # the year's 学籍 exports, each cross-checked on its day, before this term's is imported
        # again
        self.assertEqual(self.scalar("SELECT count(*) FROM batch"), 13)

        real = new_db(self.dir, "real.db")
        self.init_db(db=real)
        self.import_file("population", self.csv("户籍.csv", [["姓名", "身份证号"], ["张三", "140521201503041234"]]), db=real)
        code, out, err = self.run_bx("demo", "--db", real, "--out", self.path("demo2"), "--children", "800")
        self.assertCliError(code, err, 1, "非演示数据")
        self.assertEqual(self.scalar("SELECT count(*) FROM batch", db=real), 1)

    def test_an_import_leaves_the_records_readable(self):
        # The ID index used to be dropped in the import's transaction and built again at its
        # end, as on SQLite: on PostgreSQL that holds an ACCESS EXCLUSIVE lock on record until
        # the commit, and every server's list waited for the rest of the import (18.7 s at 1M).
        # 150,000 rows: past the 100,000 from which an import into an empty database dropped it.
        self.init_db()
        rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
        for i in range(150000):
            birth = (datetime.date(2013, 9, 1) + datetime.timedelta(days=i // 1000)).strftime("%Y%m%d")
            rows.append(["儿童%d" % i, "男" if i % 2 else "女", make_id(birth, i % 1000), birth,
                         "郑庄镇", "正常"])
        path = self.path("户籍.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(csv_text(rows))
        p = subprocess.Popen([BIN, "import", "--db", self.db, "--kind", "population",
                              "--no-progress", path], env=env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        held, polls = 0, 0
        while p.poll() is None:
            held += self.scalar("SELECT count(*) FROM pg_locks WHERE relation = 'record'::regclass"
                                " AND mode = 'AccessExclusiveLock'")
            polls += 1
            time.sleep(0.01)
        out, err = p.communicate()
        self.assertEqual(p.returncode, 0, err.decode("utf-8", "replace"))
        self.assertGreater(polls, 10, "the import ended before it could be watched")
        self.assertEqual(held, 0, "the import locked record against readers")
        self.assertEqual(self.scalar("SELECT count(*) FROM record"), 150000)


if __name__ == "__main__":
    unittest.main()
