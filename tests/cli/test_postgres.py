"""What only a PostgreSQL database has: a DSN with a password in it, a database that exists before
init, a demo that replaces its own tables. Skipped on SQLite (the .pg variant runs them)."""

import unittest

from harness import PG, BaoxueTest, new_db


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


if __name__ == "__main__":
    unittest.main()
