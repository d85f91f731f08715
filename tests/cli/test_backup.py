"""baoxue backup and baoxue restore, black box (issue 18).

SQLite: a server runs on the demo county while accounts are added through its API; backups
taken meanwhile open, pass the integrity check and hold a state that existed (the accounts a
prefix of those written, each with its audit row, the audit chain without a gap). A restore
under the running server brings back the state of the backup: what was written after it is
gone, what before it is there, the server answers on with the restored content, and the
replaced database is kept beside it. Hostile input (not a database, truncated, a newer schema,
missing, an existing target, an unwritable directory) gets a Chinese error and changes nothing.

PostgreSQL (the .pg variant): baoxue copies nothing; it prints the pg_dump / pg_basebackup
commands for the DSN with its password masked and says what the connection's role may do: a
role without REPLICATION that cannot read every table can do neither (exit 1).
"""

import glob
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from harness import (BIN, PG, Api, demo_county, drain, env, init_county, new_db, psql, start_server,
                     stop_drained)


def run(*args, timeout=300):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env(), timeout=timeout)


def has_cjk(text):
    return re.search(r"[\u4e00-\u9fff]", text) is not None


@unittest.skipIf(PG, "SQLite files: the PostgreSQL side is PgBackupTest")
class BackupTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-backup-")
        cls.db = demo_county(cls.dir, 2000)
        cls.user_add("admin", "--role", "admin")
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)
        cls.seq = 0

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="out-", dir=self.dir)

    def add_account(self, session, prefix):
        """One account through the API: app_user and its audit row in one transaction."""
        cookie, csrf = session
        type(self).seq += 1
        name = "%s%05d" % (prefix, self.seq)
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": name, "role": "county", "password": "a-long-password"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        return name

    def accounts(self, db, prefix):
        con = sqlite3.connect(db)
        try:
            return [r[0] for r in con.execute(
                "SELECT name FROM app_user WHERE name LIKE ? ORDER BY name", (prefix + "%",))]
        finally:
            con.close()

    def assertConsistent(self, path, prefix, written):
        """The backup at path opens, is intact, and holds a state that existed."""
        con = sqlite3.connect(path)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            names = [r[0] for r in con.execute(
                "SELECT name FROM app_user WHERE name LIKE ? ORDER BY name", (prefix + "%",))]
            audited = con.execute("SELECT count(*) FROM audit WHERE action = 'user_add'"
                                  " AND target LIKE ?", ("user:" + prefix + "%",)).fetchone()[0]
            seq_max, rows = con.execute("SELECT max(seq), count(*) FROM audit").fetchone()
            children = con.execute("SELECT count(*) FROM record r JOIN batch b ON b.id = r.batch_id"
                                   " WHERE b.kind = 'population'").fetchone()[0]
        finally:
            con.close()
        # the writer adds the accounts one after another: a state that existed is a prefix
        self.assertEqual(names, written[:len(names)])
        self.assertEqual(audited, len(names))  # each account with its audit row, or neither
        self.assertEqual(seq_max, rows)  # the audit chain has no gap
        self.assertEqual(children, 2000)
        return names

    def test_backup_under_load_then_restore(self):
        admin = self.login("admin")
        before = [self.add_account(admin, "pre") for _ in range(3)]
        written, stop, errors = [], threading.Event(), []

        def writer():
            try:
                while not stop.is_set():
                    written.append(self.add_account(admin, "load"))
            except Exception as e:  # reported by the test below
                errors.append(e)

        t = threading.Thread(target=writer)
        t.start()
        try:
            copies = []
            for i in range(4):
                target = os.path.join(self.out, "copy%d.db" % i)
                p = run("backup", target, "--db", self.db)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn("备份完成", p.stdout)
                self.assertIn("户籍名单儿童 2000 名", p.stdout)
                self.assertIn("完整性检查", p.stdout)
                copies.append(target)
                time.sleep(0.2)
        finally:
            stop.set()
            t.join(120)
        self.assertEqual(errors, [])
        self.assertGreater(len(written), 0)
        seen = [self.assertConsistent(c, "load", written) for c in copies]
        self.assertEqual(seen, sorted(seen, key=len))  # later copies hold no less
        self.assertEqual(oct(os.stat(copies[0]).st_mode & 0o777), "0o600")
        # no temporary file is left beside the copies
        self.assertEqual(sorted(os.listdir(self.out)), ["copy%d.db" % i for i in range(4)])
        # each backup is in the audit trail, as an action people read
        con = sqlite3.connect(self.db)
        n = con.execute("SELECT count(*) FROM audit WHERE action = 'backup'").fetchone()[0]
        con.close()
        self.assertGreaterEqual(n, 4)
        r, j, _ = self.call("GET", "/api/v1/audit?action=backup", cookie=admin[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["items"][0]["action_label"], "备份数据库")

        # the round trip: one backup, then writes after it, then restore under the server
        backup = os.path.join(self.out, "round.db")
        p = run("backup", backup, "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        in_backup = self.accounts(backup, "")
        after = [self.add_account(admin, "post") for _ in range(2)]
        p = run("restore", backup, "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("恢复完成", p.stdout)
        kept = re.search(r"原来的数据库保存为：(.+)", p.stdout).group(1).strip()
        self.assertTrue(os.path.exists(kept), kept)
        self.assertIn("恢复前", os.path.basename(kept))
        # the kept copy is the database as it was just before: the accounts written after
        self.assertEqual(self.accounts(kept, "post"), after)
        for name in before:
            self.assertIn(name, self.accounts(self.db, "pre"))
        self.assertEqual(self.accounts(self.db, "post"), [])
        self.assertEqual(self.accounts(self.db, ""), in_backup)
        # the server answers on, with the restored content (the admin's session is in the backup)
        r, j, _ = self.call("GET", "/api/v1/users", cookie=admin[0])
        self.assertEqual(r.status, 200, j)
        names = {u["name"] for u in j["items"]}
        self.assertTrue(set(before) <= names)
        self.assertFalse(set(after) & names)
        # and writes again
        again = self.add_account(self.login("admin"), "again")
        self.assertIn(again, self.accounts(self.db, "again"))
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(con.execute("SELECT count(*) FROM audit WHERE action = 'restore'")
                         .fetchone()[0], 1)
        con.close()
        os.unlink(kept)

    def assertRefused(self, p, *needles, code=2):
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        self.assertTrue(has_cjk(p.stderr), p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)

    def snapshot(self):
        """What must not change when a restore is refused: the accounts, and the directory."""
        return self.accounts(self.db, ""), sorted(os.listdir(os.path.dirname(self.db)))

    def test_restore_refuses_bad_files(self):
        good = os.path.join(self.out, "good.db")
        self.assertEqual(run("backup", good, "--db", self.db).returncode, 0)
        state = self.snapshot()

        text = os.path.join(self.out, "notes.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("这不是数据库\n" * 200)
        self.assertRefused(run("restore", text, "--db", self.db), "不是 SQLite 数据库")

        truncated = os.path.join(self.out, "truncated.db")
        with open(good, "rb") as f:
            data = f.read()
        with open(truncated, "wb") as f:
            f.write(data[:len(data) // 2])
        self.assertRefused(run("restore", truncated, "--db", self.db), "损坏")

        newer = os.path.join(self.out, "newer.db")
        shutil.copy(good, newer)
        con = sqlite3.connect(newer)
        con.execute("INSERT INTO schema_version (version) SELECT max(version) + 1 FROM schema_version")
        con.commit()
        con.close()
        self.assertRefused(run("restore", newer, "--db", self.db), "比本程序支持的", "新")

        foreign = os.path.join(self.out, "foreign.db")
        con = sqlite3.connect(foreign)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        self.assertRefused(run("restore", foreign, "--db", self.db), "不是 baoxue 的数据库")

        self.assertRefused(run("restore", os.path.join(self.out, "missing.db"), "--db", self.db),
                           "不存在")
        self.assertRefused(run("restore", self.out, "--db", self.db), "不是一个文件")
        self.assertRefused(run("restore", self.db, "--db", self.db), "数据库本身")
        self.assertRefused(run("restore", "--db", self.db), "缺少备份文件名")
        # nothing changed, nothing kept, no temporary file left
        self.assertEqual(self.snapshot(), state)

    def test_backup_target_checks(self):
        target = os.path.join(self.out, "exists.db")
        with open(target, "w") as f:
            f.write("keep me")
        self.assertRefused(run("backup", target, "--db", self.db), "已存在", "--force")
        with open(target) as f:
            self.assertEqual(f.read(), "keep me")
        p = run("backup", target, "--force", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        con = sqlite3.connect(target)
        self.assertEqual(con.execute("SELECT count(*) FROM batch WHERE kind = 'population'")
                         .fetchone()[0], 1)
        con.close()

        self.assertRefused(run("backup", os.path.join(self.out, "no", "such", "x.db"), "--db",
                               self.db), "不存在")
        self.assertRefused(run("backup", self.db, "--force", "--db", self.db), "数据库本身")
        self.assertRefused(run("backup", self.out, "--force", "--db", self.db), "目录")
        locked = os.path.join(self.out, "locked")
        os.mkdir(locked, 0o500)
        if os.geteuid() == 0:
            # root writes anywhere it may: /proc takes no new file
            locked = "/proc"
        self.assertRefused(run("backup", os.path.join(locked, "x.db"), "--db", self.db), "不能写入")
        self.assertFalse(os.path.exists(os.path.join(locked, "x.db")))
        self.assertRefused(run("backup", "--db", self.db), "缺少备份文件名")
        self.assertRefused(run("backup", os.path.join(self.out, "y.db"), "--db",
                               os.path.join(self.out, "nodb.db")), "不存在")

    def test_killed_backup_leaves_no_partial_file(self):
        for delay in (0.0, 0.01, 0.03, 0.06):
            target = os.path.join(self.out, "killed-%s.db" % delay)
            p = subprocess.Popen([BIN, "backup", target, "--db", self.db], env=env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait(60)
            if os.path.exists(target):  # it had finished: then it is whole
                con = sqlite3.connect(target)
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                self.assertEqual(con.execute("SELECT count(*) FROM batch WHERE kind = 'population'")
                         .fetchone()[0], 1)
                con.close()
        # what a kill may leave is a temporary file by another name, never the target's
        for left in glob.glob(os.path.join(self.out, "*.tmp-*")):
            os.unlink(left)


@unittest.skipUnless(PG, "the PostgreSQL side")
class PgBackupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-pgbackup-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.role = "bx_weak_%d" % os.getpid()
        psql(PG, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN NOREPLICATION" % (cls.role, cls.role))
        schema = urllib.parse.unquote(cls.db.split("search_path", 1)[1]).lstrip("=")
        cls.schema = schema
        psql(PG, "GRANT USAGE ON SCHEMA %s TO %s; GRANT SELECT ON %s.child TO %s"
             % (schema, cls.role, schema, cls.role))
        cls.weak = re.sub(r"user=[^&]*", "user=" + cls.role, cls.db) + "&password=sekrit-pw"

    @classmethod
    def tearDownClass(cls):
        psql(PG, "DROP OWNED BY %s; DROP ROLE IF EXISTS %s" % (cls.role, cls.role))
        shutil.rmtree(cls.dir, True)

    def test_superuser_may_do_both(self):
        p = run("backup", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("pg_dump --format=custom", p.stdout)
        self.assertIn("--schema='%s'" % self.schema, p.stdout)
        self.assertIn("pg_basebackup", p.stdout)
        self.assertIn("--wal-method=stream", p.stdout)
        self.assertEqual(p.stdout.count("可以："), 2, p.stdout)
        self.assertNotIn("不可以", p.stdout)

    def test_weak_role_may_do_neither(self):
        p = run("backup", "nightly.dump", "--db", self.weak)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertNotIn("sekrit-pw", p.stdout + p.stderr)
        self.assertIn("***", p.stdout)
        self.assertIn("--file='nightly.dump'", p.stdout)
        self.assertIn("不可以：角色 %s 不能读取" % self.role, p.stdout)
        self.assertIn("REPLICATION", p.stdout)
        self.assertIn("既不能做逻辑备份也不能做物理备份", p.stderr)
        # with SELECT on every table pg_dump becomes possible; pg_basebackup still not
        psql(PG, "GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s;"
                 " GRANT SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s"
             % (self.schema, self.role, self.schema, self.role))
        try:
            p = run("backup", "--db", self.weak)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("可以：角色 %s 能读取全部" % self.role, p.stdout)
            self.assertIn("不可以：角色 %s 既不是超级用户" % self.role, p.stdout)
        finally:
            psql(PG, "REVOKE SELECT ON ALL TABLES IN SCHEMA %s FROM %s;"
                     " REVOKE SELECT ON ALL SEQUENCES IN SCHEMA %s FROM %s;"
                     " GRANT SELECT ON %s.child TO %s"
                 % (self.schema, self.role, self.schema, self.role, self.schema, self.role))

    def test_restore_says_how_and_refuses(self):
        p = run("restore", "nightly.dump", "--db", self.db)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("pg_restore", p.stdout)
        self.assertIn("psql", p.stdout)
        self.assertIn("'nightly.dump'", p.stdout)


if __name__ == "__main__":
    unittest.main()
