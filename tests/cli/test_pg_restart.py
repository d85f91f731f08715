"""baoxue serve on PostgreSQL, black box: the database server restarts under a running baoxue
server (pg_ctl restart -m fast ends every connection); the next requests are answered on fresh
connections, sessions (stored in the database) survive, and a write goes through. Only on
PostgreSQL (the .pg variant, which sets BAOXUE_TEST_PG_DATA to the throwaway cluster's data
directory).
"""

import os
import shutil
import sys
import tempfile
import unittest

from harness import PG, Api, init_county, new_db, psql, start_server, stop_server

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pg_cluster  # noqa: E402

DATA = os.environ.get("BAOXUE_TEST_PG_DATA")


@unittest.skipUnless(PG and DATA, "PostgreSQL only: run as cli.test_pg_restart.pg")
class PgRestartTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-pgrestart-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.user_add("admin", "--role", "admin")
        # two request threads: both hold a connection that the restart breaks
        cls.proc, cls.port = start_server(cls.db, "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        log = stop_server(cls.proc)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

    def restart_postgres(self):
        c = pg_cluster.Cluster.__new__(pg_cluster.Cluster)
        c.bin = os.environ.get("BAOXUE_TEST_PG_BIN") or pg_cluster.bindir()
        c.data = DATA
        c.dir = os.path.dirname(DATA)
        c.prefix = pg_cluster.run_as()[0]
        c.restart()

    def test_requests_after_a_restart(self):
        cookie, csrf = self.login("admin")
        for _ in range(4):  # every request thread has its connection open
            r, j, _ = self.call("GET", "/api/v1/settings", cookie=cookie)
            self.assertEqual(r.status, 200, j)
        started = psql(PG, "SELECT pg_postmaster_start_time()")
        self.restart_postgres()
        self.assertNotEqual(psql(PG, "SELECT pg_postmaster_start_time()"), started)
        for _ in range(6):
            r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
            self.assertEqual(r.status, 200, j)  # the session is in the database: still valid
        r, j, _ = self.call("PUT", "/api/v1/settings/casework_verify_days", {"value": "12"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/settings", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        value = [s for s in j["settings"] if s["key"] == "casework_verify_days"][0]["value"]
        self.assertEqual(value, "12")
        # a new login after the restart works too
        self.login("admin")


if __name__ == "__main__":
    unittest.main()
