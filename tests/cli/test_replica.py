"""baoxue serve --db-read and baoxue report --db-read, black box, on a real streaming replica:
the throwaway cluster of the .pg run is the primary; a hot standby of it (pg_cluster.Standby:
pg_basebackup -R -X stream) is the replica. With the replica's replay paused it is stale, which
shows who answers a read: another user's list does not have a new write (the replica answered),
its author's browser does (read-your-own-writes: the answer to the write set a cookie with the
primary's WAL position, and the primary answers until the replica is past it). A revoked session is refused although
the stale replica still has it. A report over the paused replica beyond --db-read-max-lag comes
from the primary with a warning. Then the replica is stopped: reads are answered by the primary,
one log line says why. Only on PostgreSQL (the .pg variant).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import (BIN, PG, Api, db_value, drain, env, init_county, new_db, start_server,
                     stop_server)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pg_cluster  # noqa: E402

DATA = os.environ.get("BAOXUE_TEST_PG_DATA")

# the reads a replica answers (src/http/replica.c): none of them may write on it
READ_PATHS = ["/api/v1/summary", "/api/v1/dashboard", "/api/v1/children",
              "/api/v1/children/filters", "/api/v1/verify", "/api/v1/cases", "/api/v1/warnings",
              "/api/v1/people", "/api/v1/illnesses", "/api/v1/mental-health",
              "/api/v1/reports/indicators", "/api/v1/reports/warnings?format=json",
              "/api/v1/monthly/report", "/api/v1/bulletins", "/api/v1/attendance",
              "/api/v1/inspections", "/api/v1/meetings", "/api/v1/decisions",
              "/api/v1/interviews"]


@unittest.skipUnless(PG and DATA, "PostgreSQL only: run as cli.test_replica.pg")
class ReplicaTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-replica-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.user_add("wang", "--role", "county")  # writes
        cls.user_add("li", "--role", "county")    # reads
        cls.standby = pg_cluster.Standby(pg_cluster.Cluster.attach(DATA))
        try:
            cls.standby.start()
            # streaming before the server's first read (a replica not receiving is not read)
            deadline = time.monotonic() + 30
            while cls.standby.sql("SELECT count(*) FROM pg_stat_wal_receiver") != "1":
                assert time.monotonic() < deadline, "the replica does not stream from the primary"
                time.sleep(0.05)
        except BaseException:
            cls.standby.stop()
            raise
        cls.rdsn = cls.standby.dsn_of(cls.db)
        cls.proc, cls.port = start_server(cls.db, "--db-read", cls.rdsn, "--threads", "2")
        cls.log, _ = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        stop_server(cls.proc)
        cls.standby.stop()
        shutil.rmtree(cls.dir, True)

    def people(self, cookie):
        r, j, _ = self.call("GET", "/api/v1/people", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return json.dumps(j, ensure_ascii=False)

    def add_person(self, name):
        r, j, _ = self.call("POST", "/api/v1/people", {"name": name, "org": "县教育局",
                                                       "org_kind": "县教育局", "role": "干部"},
                            cookie=self.wang, csrf=self.wang_csrf)
        self.assertEqual(r.status, 201, j)
        # the browser keeps where the primary's log stood after the write
        wal = [c.split(";")[0] for c in r.msg.get_all("Set-Cookie") or []
               if c.startswith("baoxue_wal=")]
        self.assertEqual(len(wal), 1, r.msg.get_all("Set-Cookie"))
        self.assertIn("HttpOnly", r.getheader("Set-Cookie"))
        return self.wang + "; " + wal[0]

    def report(self, *extra):
        p = subprocess.run([BIN, "report", "indicators", "--db", self.db, "--format", "csv",
                            "--db-read", self.rdsn, *extra], capture_output=True, env=env(),
                           timeout=60)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def replay(self, what):
        self.standby.sql("SELECT pg_wal_replay_%s()" % what)
        if what == "pause":
            deadline = time.monotonic() + 20
            while self.standby.sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
                self.assertLess(time.monotonic(), deadline, "the replica's replay did not pause")
                time.sleep(0.05)

    def test_1_stale_replica_own_writes_and_revoked_sessions(self):
        ReplicaTest.wang, ReplicaTest.wang_csrf = self.login("wang")
        li, _ = self.login("li")
        self.assertNotIn("复制测试张老师", self.people(li))
        code, fresh, err = self.report()
        self.assertEqual((code, err), (0, ""))
        self.replay("pause")
        try:
            browser = self.add_person("复制测试张老师")
            # the replica answers li: it has not replayed wang's write
            self.assertNotIn("复制测试张老师", self.people(li))
            # wang's browser reads his own write: the primary answers until the replica has it
            self.assertIn("复制测试张老师", self.people(browser))
            # (the rule is the browser's: without the cookie, the replica answers)
            self.assertNotIn("复制测试张老师", self.people(self.wang))
            # every read the replica answers runs there (a write on it would be a 500)
            for path in READ_PATHS:
                r, j, _ = self.call("GET", path, cookie=li)
                self.assertLess(r.status, 500, (path, j))
            # a read that is audited writes its audit row on the primary
            r, j, _ = self.call("GET", "/api/v1/reports/warnings?format=json&full=1", cookie=li)
            self.assertEqual(r.status, 200, j)
            self.assertEqual(db_value(self.db, "SELECT count(*) FROM audit WHERE actor = 'li'"
                                               " AND action = 'export_full'"), "1")
            # a session signed out on the primary is gone, whatever the replica still has
            gone, gone_csrf = self.login("li")
            r, j, _ = self.call("DELETE", "/api/v1/session", cookie=gone, csrf=gone_csrf)
            self.assertLess(r.status, 300, j)
            r, j, _ = self.call("GET", "/api/v1/people", cookie=gone)
            self.assertEqual(r.status, 401, j)
            # a report: the paused replica is beyond a lag of one second, the primary makes it
            time.sleep(1.2)
            code, out, err = self.report("--db-read-max-lag", "1")
            self.assertEqual(code, 0, err)
            self.assertIn("只读副本落后主库", err)
            self.assertEqual(out, fresh)
        finally:
            self.replay("resume")
        deadline = time.monotonic() + 30
        while "复制测试张老师" not in self.people(li):
            self.assertLess(time.monotonic(), deadline, "the replica did not catch up")
            time.sleep(0.1)
        code, out, err = self.report()
        self.assertEqual((code, err, out), (0, "", fresh))

    def test_2_replica_down(self):
        li, _ = self.login("li")
        self.standby.stop()
        # the list is answered (by the primary), with the latest write
        self.add_person("复制测试赵干部")
        self.assertIn("复制测试赵干部", self.people(li))
        self.assertIn("复制测试赵干部", self.people(li))
        r, j, _ = self.call("GET", "/api/v1/reports/indicators?format=json", cookie=li)
        self.assertEqual(r.status, 200, j)
        lines = [ln.decode() for ln in self.log if "只读副本不可用".encode() in ln]
        self.assertEqual(len(lines), 1, lines)  # one line for the change, not one a request
        self.assertIn("列表和报表改由主库应答", lines[0])
        self.assertNotIn("赵", lines[0])
        code, out, err = self.report()
        self.assertEqual(code, 0, err)
        self.assertIn("只读副本", err)
        self.assertIn("报表改由主库生成", err)


if __name__ == "__main__":
    unittest.main()
