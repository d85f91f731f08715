"""Two `baoxue serve` on one database (several servers behind one address), black box: what one
server does to a session or an account holds on the other. On SQLite the servers keep no session
between requests: a read looks its session up in the database, with the latest cross-check in
the same query. On PostgreSQL (BAOXUE_TEST_PG) each server keeps the sessions it looked up in
memory while it hears the database's notifications (docs/decisions.md, "the session kept in
memory"): a change made on one server, or by a command, reaches the other when PostgreSQL
delivers the notification, in milliseconds. The checks on the other server therefore allow
it CHANGE_SECONDS (harness.Api: 2 s) — less than what a server keeps a session at most
(SESSION_CACHE_TTL, 5 s), so that a server that heard nothing fails them.
"""

import subprocess
import unittest

from harness import (BIN, PASSWORD, TOWN, DemoServerTest, drain, env, http_call, start_server,
                     stop_drained, urlq)

LIST = "/api/v1/children?township=%s&status=not_enrolled&page=1&per_page=50" % urlq(TOWN)


class TwoServersTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other, cls.other_port = start_server(cls.db)
        cls.other_lines, cls.other_thread = drain(cls.other)

    @classmethod
    def tearDownClass(cls):
        stop_drained(cls.other, cls.other_lines, cls.other_thread)
        super().tearDownClass()

    def on_other(self, method, path, body=None, cookie=None, csrf=None):
        return http_call(self.other_port, method, path, body, cookie, csrf, None)

    def test_logout_on_one_server_ends_the_session_on_the_other(self):
        cookie, csrf = self.login("tz")
        for call in (self.call, self.on_other):
            r, j, _ = call("GET", LIST, cookie=cookie)
            self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        for path in (LIST, "/api/v1/session", "/api/v1/summary"):
            self.refused_soon(path, cookie, self.on_other)

    def test_disabled_on_one_server_refused_on_the_other(self):
        self.user_add("tz_leaver", "--role", "township", "--township", TOWN)
        admin, admin_csrf = self.login("admin")
        cookie, _ = self.login("tz_leaver")
        r, j, _ = self.on_other("GET", LIST, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/users/tz_leaver/disabled", {"disabled": True},
                            cookie=admin, csrf=admin_csrf)
        self.assertEqual(r.status, 200, j)
        self.refused_soon(LIST, cookie, self.on_other)
        r, j, _ = self.on_other("POST", "/api/v1/session",
                                {"username": "tz_leaver", "password": PASSWORD})
        self.assertError(r, j, 401)

    def test_password_changed_on_one_server_ends_sessions_on_the_other(self):
        self.user_add("tz_renew", "--role", "township", "--township", TOWN)
        admin, admin_csrf = self.login("admin")
        cookie, _ = self.login("tz_renew")
        r, j, _ = self.on_other("GET", "/api/v1/summary", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/users/tz_renew/password",
                            {"password": "another-password-1"}, cookie=admin, csrf=admin_csrf)
        self.assertEqual(r.status, 200, j)
        self.refused_soon("/api/v1/summary", cookie, self.on_other)

    def test_disabled_by_the_command_line_refused_on_both(self):
        # no server made the change: on PostgreSQL both hear it from the database alone
        self.user_add("tz_gone", "--role", "township", "--township", TOWN)
        cookie, _ = self.login("tz_gone")
        for call in (self.call, self.on_other):
            for _ in range(3):  # looked up, then kept
                r, j, _ = call("GET", LIST, cookie=cookie)
                self.assertEqual(r.status, 200, j)
        p = subprocess.run([BIN, "user", "disable", "tz_gone", "--db", self.db], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        for call in (self.call, self.on_other):
            self.refused_soon(LIST, cookie, call)

    def test_list_is_of_the_latest_run_on_both_servers(self):
        # the run a read finds with its session is the latest: a new cross-check made elsewhere
        # (the command line) shows on both servers (on PostgreSQL once they hear of it)
        cookie, _ = self.login("tz")
        r, before, _ = self.on_other("GET", LIST, cookie=cookie)
        self.assertEqual(r.status, 200, before)
        self.assertGreater(before["total"], 0)
        p = subprocess.run([BIN, "match", "--db", self.db], env=env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        for call in (self.on_other, self.call):
            r, after, _ = self.until(call, "GET", LIST, cookie,
                                     lambda r, j: r.status != 200 or j["run_id"] > before["run_id"])
            self.assertEqual(r.status, 200, after)
            self.assertGreater(after["run_id"], before["run_id"])
            self.assertEqual(after["total"], before["total"])
            self.assertEqual([c["id"] for c in after["items"]],
                             [c["id"] for c in before["items"]])
            for c in after["items"]:
                self.assertEqual(c["township_code"], TOWN)
                self.assertEqual(c["status"], "not_enrolled")

    def test_list_without_a_session_refused_on_both(self):
        for call in (self.call, self.on_other):
            r, j, _ = call("GET", LIST)
            self.assertError(r, j, 401, "unauthenticated")
            r, j, _ = call("GET", LIST, cookie="baoxue_session=" + "ab" * 32)
            self.assertError(r, j, 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()
