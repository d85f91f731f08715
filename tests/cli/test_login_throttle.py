"""The login lockout as a weapon (issue 11), black box: failures are counted per (name, client
address), per address and per name, atomically, and a client that signed in from an address
before keeps signing in from there whatever others do to its name. Clients on other addresses
are loopback addresses 127.0.0.x.
"""

import http.client
import json
import shutil
import tempfile
import threading
import unittest

from harness import (PASSWORD, db_scalar, drain, init_county, new_db, start_server, stop_drained,
                     user_add)

WRONG = "not-the-password"


class LoginThrottleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-throttle-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        for name in ("admin", "racer", "boss", "clerk"):
            user_add(cls.db, name, "--role", "admin" if name in ("admin", "boss") else "county")
        cls.proc, cls.port = start_server(cls.db)
        cls.lines, cls.thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.lines, cls.thread)
        assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    def login(self, name, password, addr="127.0.0.1"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                       source_address=(addr, 0))
        try:
            c.request("POST", "/api/v1/session",
                      body=json.dumps({"username": name, "password": password}).encode(),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            j = json.loads(r.read() or b"{}")
            return r.status, j
        finally:
            c.close()

    def failures_audited(self, name):
        return db_scalar(self.db, "SELECT count(*) FROM audit WHERE action = 'login_failed'"
                                  " AND actor = '%s'" % name)

    def test_parallel_attempts_get_no_more_checks(self):
        # 24 wrong passwords at once from one address: five are checked, the rest are refused
        # while locked, however they interleave
        results = []
        lock = threading.Lock()
        start = threading.Barrier(24)

        def one():
            try:
                start.wait(30)
            except threading.BrokenBarrierError:
                pass
            status, _ = self.login("racer", WRONG, "127.0.0.20")
            with lock:
                results.append(status)

        threads = [threading.Thread(target=one) for _ in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(len(results), 24)
        self.assertEqual(set(results) - {401, 429}, set(), results)
        self.assertEqual(results.count(401), 5, results)
        self.assertEqual(self.failures_audited("racer"), 5)

    def test_attacker_elsewhere_does_not_lock_out_a_known_client(self):
        # the admin signs in from her desk (127.0.0.2), then someone on 127.0.0.66 hammers the
        # name, and then twenty more addresses do: the attacker is locked, she is not
        status, _ = self.login("admin", PASSWORD, "127.0.0.2")
        self.assertEqual(status, 200)
        seen = [self.login("admin", WRONG, "127.0.0.66")[0] for _ in range(12)]
        self.assertEqual(seen[:5], [401] * 5)
        self.assertEqual(set(seen[5:]), {429})
        for i in range(20):
            for _ in range(2):
                self.login("admin", WRONG, "127.0.0.%d" % (100 + i))
        status, j = self.login("admin", PASSWORD, "127.0.0.2")
        self.assertEqual(status, 200, j)
        # the right password from an address she never signed in from waits, as the name is
        # under attack from everywhere (more than 20 failures)
        status, j = self.login("admin", PASSWORD, "127.0.0.3")
        self.assertEqual(status, 429, j)
        self.assertRegex(j["error"]["message"], "[\u4e00-\u9fff]")

    def test_one_address_trying_many_names(self):
        # 20 failures from one address for any names lock that address (for names it has not
        # signed in with): the 21st name is refused unchecked, and the table keeps no row for it
        addr = "127.0.0.77"
        status, _ = self.login("clerk", PASSWORD, addr)  # a clerk who works there
        self.assertEqual(status, 200)
        seen = [self.login("nobody%02d" % i, WRONG, addr)[0] for i in range(30)]
        self.assertEqual(seen[:20], [401] * 20)
        self.assertEqual(set(seen[20:]), {429})
        rows = db_scalar(self.db, "SELECT count(*) FROM login_attempt WHERE address = '%s'" % addr)
        # the address's own row, the clerk's and one per name checked
        self.assertLessEqual(rows, 22)
        # the clerk, known at that address, still signs in there; the boss, who never did, waits
        status, _ = self.login("clerk", PASSWORD, addr)
        self.assertEqual(status, 200)
        status, _ = self.login("boss", PASSWORD, addr)
        self.assertEqual(status, 429)


if __name__ == "__main__":
    unittest.main()
