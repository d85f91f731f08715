"""baoxue serve, black box: the server is started on a temporary database (the demo county of
2,000 children; a fresh PostgreSQL schema when BAOXUE_TEST_PG is set) and a free port, and
spoken to with http.client only.

One server serves the class (its accounts are made once); the tests that need a server of their
own (SIGTERM) start one. Every test uses its own account where it changes one.
"""

import gzip
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import tempfile
import shutil
import threading
import time
import unittest

from harness import (BIN, INJECTIONS, PASSWORD, DemoServerTest, db_execute, db_rows, env, new_db,
                     start_server, stop_server, urlq)

MAX_BODY = DemoServerTest.MAX_BODY


class ServerTest(DemoServerTest):
    # -- tests --------------------------------------------------------------------------------
    def test_healthz_without_session(self):
        r, j, _ = self.call("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(j, {"status": "ok"})

    def test_unknown_path_and_method(self):
        r, j, _ = self.call("GET", "/api/v1/nothing")
        self.assertError(r, j, 404, "not_found")
        r, j, _ = self.call("PUT", "/api/v1/session")
        self.assertError(r, j, 405)

    def test_api_needs_a_session(self):
        for path in ["/api/v1/summary", "/api/v1/children", "/api/v1/children/1", "/api/v1/review",
                     "/api/v1/audit"]:
            r, j, _ = self.call("GET", path)
            self.assertError(r, j, 401, "unauthenticated")
        r, j, _ = self.call("GET", "/api/v1/summary", cookie="baoxue_session=" + "ab" * 32)
        self.assertError(r, j, 401)

    def test_login_logout(self):
        cookie, csrf = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual(j["user"]["role"], "county")
        self.assertEqual(j["csrf_token"], csrf)
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIn("Max-Age=0", r.getheader("Set-Cookie"))
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertError(r, j, 401)
        actions = [a["action"] for a in self.audit(action="logout", actor="county")]
        self.assertIn("logout", actions)

    def test_missing_or_wrong_csrf(self):
        cookie, csrf = self.login("county")
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie)
        self.assertError(r, j, 403, "csrf")
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie, csrf="0" * 64)
        self.assertError(r, j, 403, "csrf")
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie, csrf=csrf[:-1])
        self.assertError(r, j, 403, "csrf")
        # the session is still alive: the refused requests changed nothing
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertEqual(r.status, 200)

    def test_wrong_password_lockout(self):
        self.user_add("locky", "--role", "county")
        for _ in range(5):
            r, j, _ = self.call("POST", "/api/v1/session", {"username": "locky", "password": "nope-nope"})
            self.assertError(r, j, 401, "login_failed")
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "locky", "password": PASSWORD})
        self.assertError(r, j, 429, "locked")
        self.assertGreater(int(r.getheader("Retry-After")), 0)
        self.assertGreaterEqual(len(self.audit(action="login_failed", actor="locky")), 5)

    def test_malformed_json(self):
        for body in [b"{", b"not json", b"[1,2]", b"{\"username\": \"a\", \"username\": \"b\"}",
                     b"\xff\xfe"]:
            r, j, _ = self.call("POST", "/api/v1/session", body,
                                headers={"Content-Type": "application/json"})
            self.assertError(r, j, 400, "invalid_json")
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "admin"})
        self.assertError(r, j, 400)

    def test_oversized_body(self):
        # announced by Content-Length: refused before the body is read
        c = self.conn()
        c.putrequest("POST", "/api/v1/session")
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(MAX_BODY * 4))
        c.endheaders()
        r = c.getresponse()
        j = json.loads(r.read())
        c.close()
        self.assertError(r, j, 413, "payload_too_large")
        # chunked, without a length: read, dropped, refused
        c = self.conn()
        chunk = b"x" * 8192
        c.request("POST", "/api/v1/session", body=iter([chunk] * (MAX_BODY // 8192 + 4)),
                  headers={"Content-Type": "application/json"}, encode_chunked=True)
        r = c.getresponse()
        j = json.loads(r.read())
        c.close()
        self.assertError(r, j, 413, "payload_too_large")
        r, j, _ = self.call("GET", "/healthz")
        self.assertEqual(r.status, 200)

    def test_oversized_headers(self):
        r, _, _ = self.call("GET", "/healthz", headers={"X-Big": "a" * 40000})
        self.assertIn(r.status, (413, 431))

    def test_summary_and_children(self):
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual(j["total"], 2000)
        r, j, _ = self.call("GET", "/api/v1/children?per_page=200", cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual(j["total"], 2000)
        self.assertEqual(len(j["items"]), 200)
        ids = [c["id"] for c in j["items"]]
        self.assertEqual(ids, sorted(ids))
        for c in j["items"]:
            self.assertRegex(c["id_number"], r"^(\d{6}\*{8}\d{3}[\dX]|（身份证号不完整）|)$")
        # pages join up
        r, j2, _ = self.call("GET", "/api/v1/children?per_page=100&page=2", cookie=cookie)
        self.assertEqual([c["id"] for c in j2["items"]], ids[100:200])
        # every status: the pages add up to the summary's counts
        r, s, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
        county = s["townships"][-1]
        for st in ["enrolled", "not_enrolled", "dropped_out", "pending_review", "inactive"]:
            r, j, _ = self.call("GET", "/api/v1/children?status=%s&per_page=200" % st, cookie=cookie)
            self.assertEqual(r.status, 200, j)
            self.assertEqual(j["total"], county[st], st)
            self.assertTrue(all(c["status"] == st for c in j["items"]))
        # a township filter, with and without a status that has rows
        for st in ["all", "enrolled", "not_enrolled"]:
            r, j, _ = self.call("GET", "/api/v1/children?township=140521101&status=%s&per_page=200" % st,
                                cookie=cookie)
            self.assertTrue(all(c["township_code"] == "140521101" for c in j["items"]))
            row = [t for t in s["townships"] if t["township_code"] == "140521101"][0]
            self.assertEqual(j["total"], row["total"] if st == "all" else row[st])
        # search by part of a name: the child's, or its guardian's (issue 14)
        name = j["items"][0]["name"] if j["items"] else "李"
        r, j, _ = self.call("GET", "/api/v1/children?q=" + urlq(name[:1]), cookie=cookie)
        self.assertEqual(r.status, 200)
        guardians = dict(db_rows(self.db, "SELECT id, coalesce(guardian, '') FROM record WHERE id IN (%s)"
                                 % ",".join(str(c["id"]) for c in j["items"])))
        self.assertTrue(all(name[:1] in c["name"] or name[:1] in guardians[str(c["id"])]
                            for c in j["items"]))
        self.assertTrue(any(name[:1] in c["name"] for c in j["items"]))
        self.assertGreater(j["total"], 0)

    def test_bad_paging_and_status(self):
        cookie, _ = self.login("county")
        for q in ["page=0", "per_page=0", "per_page=201", "page=x", "status=nothing", "page=-1"]:
            r, j, _ = self.call("GET", "/api/v1/children?" + q, cookie=cookie)
            self.assertError(r, j, 400)

    def test_sql_injection_in_every_filter(self):
        cookie, _ = self.login("admin")
        before = self.count_records()
        for s in INJECTIONS:
            for param in ["township", "q"]:
                r, j, _ = self.call("GET", "/api/v1/children?%s=%s" % (param, urlq(s)), cookie=cookie)
                if r.status == 400:  # longer than the parameter may be
                    self.assertError(r, j, 400)
                else:
                    self.assertEqual(r.status, 200, (param, s, j))
                    self.assertEqual(j["total"], 0, (param, s))
            for param in ["status", "page", "per_page"]:
                r, j, _ = self.call("GET", "/api/v1/children?%s=%s" % (param, urlq(s)), cookie=cookie)
                self.assertError(r, j, 400)
            r, j, _ = self.call("GET", "/api/v1/summary?township=" + urlq(s), cookie=cookie)
            self.assertIn(r.status, (200, 400, 404))
            for param in ["actor", "action", "target", "since", "until"]:
                r, j, _ = self.call("GET", "/api/v1/audit?%s=%s" % (param, urlq(s)), cookie=cookie)
                if r.status == 400:
                    self.assertError(r, j, 400)
                    continue
                self.assertEqual(r.status, 200, (param, s, j))
                if param in ("actor", "action", "target"):
                    self.assertEqual(j["total"], 0, (param, s))
            r, j, _ = self.call("GET", "/api/v1/children/" + urlq(s), cookie=cookie)
            self.assertError(r, j, 404)
            r, j, _ = self.call("POST", "/api/v1/session", {"username": s, "password": s})
            self.assertIn(r.status, (400, 401))
        self.assertEqual(self.count_records(), before)

    def test_township_scope(self):
        admin, _ = self.login("admin")
        r, other, _ = self.call("GET", "/api/v1/children?township=140521101&per_page=5", cookie=admin)
        self.assertGreater(other["total"], 0)
        r, own, _ = self.call("GET", "/api/v1/children?township=140521100&per_page=5", cookie=admin)
        tz, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/children?per_page=200", cookie=tz)
        self.assertEqual(r.status, 200)
        self.assertEqual(j["total"], own["total"])
        self.assertTrue(all(c["township_code"] == "140521100" for c in j["items"]))
        # another township's child does not exist for this account
        r, j, _ = self.call("GET", "/api/v1/children/%d" % other["items"][0]["id"], cookie=tz)
        self.assertError(r, j, 404, "not_found")
        r, j, _ = self.call("GET", "/api/v1/children?township=140521101", cookie=tz)
        self.assertEqual(j["total"], 0)
        r, j, _ = self.call("GET", "/api/v1/children/%d" % own["items"][0]["id"], cookie=tz)
        self.assertEqual(r.status, 200)
        self.assertTrue(j["masked"])
        # no full IDs, no audit trail, no review queue for a township
        r, j, _ = self.call("GET", "/api/v1/children/%d?full=1" % own["items"][0]["id"], cookie=tz)
        self.assertError(r, j, 403)
        r, j, _ = self.call("GET", "/api/v1/audit", cookie=tz)
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("GET", "/api/v1/summary", cookie=tz)
        self.assertEqual([t["township_code"] for t in j["townships"][:-1]], ["140521100"])

    def test_full_read_is_audited(self):
        county, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/children?status=not_enrolled&per_page=1", cookie=county)
        cid = j["items"][0]["id"]
        r, masked, _ = self.call("GET", "/api/v1/children/%d" % cid, cookie=county)
        self.assertTrue(masked["masked"])
        self.assertIn("*", masked["person"]["id_number"])
        self.assertTrue(masked["explanation"])
        self.assertTrue(masked["sources"])
        r, full, _ = self.call("GET", "/api/v1/children/%d?full=1" % cid, cookie=county)
        self.assertEqual(r.status, 200)
        self.assertFalse(full["masked"])
        self.assertNotIn("*", full["person"]["id_number"])
        rows = self.audit(action="read_full", target="record:%d" % cid)
        self.assertTrue(rows)
        self.assertEqual(rows[0]["actor"], "county")
        self.assertEqual(rows[0]["origin"], "api 127.0.0.1")
        sup, _ = self.login("sup")
        r, j, _ = self.call("GET", "/api/v1/children/%d?full=1" % cid, cookie=sup)
        self.assertError(r, j, 403)
        r, j, _ = self.call("GET", "/api/v1/children/%d" % cid, cookie=sup)
        self.assertEqual(r.status, 200)
        r, j, _ = self.call("GET", "/api/v1/review", cookie=sup)
        self.assertEqual(r.status, 200)
        self.assertIn("pairs", j)

    def test_expired_session(self):
        self.user_add("expiry", "--role", "county")
        cookie, _ = self.login("expiry")
        r, _, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
        self.assertEqual(r.status, 200)
        db_execute(self.db, "UPDATE session SET expires_at = 1 WHERE user_id ="
                            " (SELECT id FROM app_user WHERE name = 'expiry')")
        self.refused_soon("/api/v1/summary", cookie)

    def test_disabled_user_live_session(self):
        self.user_add("leaver", "--role", "county")
        cookie, _ = self.login("leaver")
        r, _, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
        self.assertEqual(r.status, 200)
        p = subprocess.run([BIN, "user", "--db", self.db, "disable", "leaver"], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.refused_soon("/api/v1/summary", cookie)
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "leaver", "password": PASSWORD})
        self.assertError(r, j, 401)

    def test_concurrent_connections(self):
        # 1,000 clients at once: every one is answered 200 or turned away at the door (503, or
        # the connection closed), none hangs, the server stays up
        n = 1000
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        if soft != resource.RLIM_INFINITY and soft < n + 64:
            n = soft - 64  # this machine's hard limit on open files: as many as it allows
        cookie, _ = self.login("county")
        results = []
        lock = threading.Lock()
        start = threading.Barrier(n)

        def one(i):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                try:
                    start.wait(60)
                except threading.BrokenBarrierError:
                    pass
                path = ["/healthz", "/api/v1/summary", "/api/v1/children?per_page=20&page=%d" % (i % 7 + 1),
                        "/api/v1/children?status=not_enrolled"][i % 4]
                c.request("GET", path, headers={"Cookie": cookie})
                r = c.getresponse()
                r.read()
                with lock:
                    results.append(r.status)
                c.close()
            except (ConnectionError, http.client.RemoteDisconnected, BrokenPipeError):
                with lock:
                    results.append("refused")
            except Exception as e:  # noqa: BLE001 - collected and reported below
                with lock:
                    results.append(repr(e))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        self.assertEqual(len(results), n)
        odd = [x for x in results if x not in (200, 503, "refused")]
        self.assertEqual(odd, [], "only 200 or a refused connection")
        # all from one address with a session: it may hold 4 × 64 connections at once (the
        # defaults of --per-address-limit), so the first 256 to arrive are served at least
        self.assertGreaterEqual(results.count(200), 256)
        self.assertIsNone(self.proc.poll(), "the server died")
        # and it still answers afterwards
        r, _, _ = self.call("GET", "/healthz")
        self.assertEqual(r.status, 200)

    def test_slow_clients_time_out(self):
        # a server of its own with a 2-second idle timeout: a client that stops half-way through
        # its headers or its body, or never says anything, is disconnected; the others are
        # answered meanwhile (no limit per address: all of them come from this one)
        p, port = start_server(self.db, "--timeout", "2", "--max-connections", "256",
                               "--per-address-limit", "0")
        try:
            def opened(first=b""):
                sk = socket.create_connection(("127.0.0.1", port), timeout=15)
                if first:
                    sk.sendall(first)
                return sk

            slow = [opened(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "),
                    opened(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
                           b"application/json\r\nContent-Length: 100\r\n\r\n{\"user"),
                    opened()]
            idle = [opened() for _ in range(100)]
            # meanwhile, an ordinary client is answered at once
            t0 = time.time()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/healthz")
            self.assertEqual(c.getresponse().status, 200)
            c.close()
            self.assertLess(time.time() - t0, 1.5)
            for sk in slow + idle:
                t1 = time.time()
                try:
                    while sk.recv(4096):
                        pass  # a 408 may come first; the connection then closes
                except ConnectionResetError:
                    pass
                self.assertLess(time.time() - t1, 10, "a slow client was not disconnected")
                sk.close()
            self.assertGreaterEqual(time.time() - t0, 1.5, "disconnected before the timeout")
            self.assertIsNone(p.poll())
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/healthz")
            self.assertEqual(c.getresponse().status, 200)
            c.close()
        finally:
            log = stop_server(p)
        self.assertNotIn("Sanitizer", log)

    def test_two_servers_share_users_and_sessions(self):
        # a second server on the same database (PostgreSQL: what a city runs behind a balancer)
        proc2, port2 = start_server(self.db)
        try:
            cookie, csrf = self.login("county")
            other = http.client.HTTPConnection("127.0.0.1", port2, timeout=30)
            other.request("GET", "/api/v1/summary", headers={"Cookie": cookie})
            r = other.getresponse()
            r.read()
            self.assertEqual(r.status, 200, "a session made on one server works on the other")
            other.request("DELETE", "/api/v1/session",
                          headers={"Cookie": cookie, "X-CSRF-Token": csrf})
            r = other.getresponse()
            r.read()
            self.assertIn(r.status, (200, 204))
            other.close()
            r, j, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
            self.assertError(r, j, 401)  # logged out on the other server: gone here too
        finally:
            log2 = stop_server(proc2)
        self.assertNotIn("ERROR: AddressSanitizer", log2)

    def test_openapi(self):
        r, j, _ = self.call("GET", "/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(j["openapi"], "3.0.3")
        self.assertIn("/api/v1/children/{id}", j["paths"])

    def test_audit_paging(self):
        admin, _ = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/audit?per_page=2", cookie=admin)
        self.assertEqual(r.status, 200)
        self.assertEqual(len(j["items"]), 2)
        self.assertGreater(j["total"], 2)
        r, j2, _ = self.call("GET", "/api/v1/audit?per_page=2&page=2", cookie=admin)
        self.assertLess(j2["items"][0]["id"], j["items"][1]["id"])
        r, j, _ = self.call("GET", "/api/v1/audit?action=login&since=2000-01-01&until=2999-12-31",
                            cookie=admin)
        self.assertTrue(all(a["action"] == "login" for a in j["items"]))

    def test_static_files(self):
        r, _, body = self.call("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.getheader("Content-Type"), "text/html; charset=utf-8")
        self.assertIn("保学", body.decode())
        etag = r.getheader("ETag")
        self.assertTrue(etag and r.getheader("Last-Modified"))
        r, _, body = self.call("GET", "/index.html", headers={"If-None-Match": etag})
        self.assertEqual(r.status, 304)
        r, _, body = self.call("GET", "/assets/app.3f9a1c2e.js")
        self.assertEqual(r.getheader("Content-Type"), "text/javascript; charset=utf-8")
        self.assertIn("immutable", r.getheader("Cache-Control"))
        self.assertIsNone(r.getheader("Content-Encoding"))
        plain = body
        r, _, body = self.call("GET", "/assets/app.3f9a1c2e.js", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.getheader("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(body), plain)

    def test_service_worker(self):
        """The web UI's service worker (issue 14: offline use) is served for the whole site,
        revalidated at every visit: a new build replaces it at once."""
        with open(os.path.join(self.web, "sw.js"), "w") as f:
            f.write("self.addEventListener('fetch', () => {});")
        self.addCleanup(os.remove, os.path.join(self.web, "sw.js"))
        r, _, body = self.call("GET", "/sw.js")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.getheader("Content-Type"), "text/javascript; charset=utf-8")
        self.assertEqual(r.getheader("Service-Worker-Allowed"), "/")
        self.assertEqual(r.getheader("Cache-Control"), "no-cache")
        r, _, _ = self.call("GET", "/assets/app.3f9a1c2e.js")
        self.assertIsNone(r.getheader("Service-Worker-Allowed"))

    def test_path_traversal(self):
        for path in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                     "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
                     "/assets/..\\..\\secret.txt", "//secret.txt", "/./../secret.txt",
                     "/assets/%00/../../secret.txt"]:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
            self.assertNotIn(b"TOP-SECRET", data, path)
            self.assertFalse(data.startswith(b"HTTP/1.1 200"), path)

    def test_access_log_has_no_query_values(self):
        admin, _ = self.login("admin")
        self.call("GET", "/api/v1/children?q=" + urlq("王小明"), cookie=admin)
        self.call("GET", "/api/v1/children/" + urlq("王小明"), cookie=admin)
        # the log is read at the end of the class; here a server of our own is checked
        p, port = start_server(self.db)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/api/v1/children?q=" + urlq("王小明"))
            c.getresponse().read()
            c.request("GET", "/nothing/" + urlq("王小明"))
            c.getresponse().read()
            c.close()
        finally:
            log = stop_server(p)
        self.assertNotIn("王小明", log)
        self.assertIn("GET /api/v1/children 401", log)

    # -- helpers --------------------------------------------------------------------------------


class ShutdownTest(unittest.TestCase):
    """SIGTERM while a request is being received: it is finished and answered, then the server
    exits 0; no new connection is accepted in between."""

    def test_sigterm_finishes_a_running_request(self):
        d = tempfile.mkdtemp(prefix="baoxue-server-")
        self.addCleanup(shutil.rmtree, d, True)
        db = new_db(d, "b.db")
        subprocess.run([BIN, "init", "--db", db, "--county", "140521"], check=True, env=env(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p, port = start_server(db)
        body = json.dumps({"username": "nobody", "password": "whatever-1"}).encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
        time.sleep(0.5)
        p.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        self.assertIsNone(p.poll(), "the server left before the running request was finished")
        s.sendall(body[10:])
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 401"), data)
        self.assertIn("用户名或密码错误", data.decode("utf-8", "replace"))
        self.assertEqual(p.wait(30), 0)
        log = stop_server(p)
        self.assertIn("已停止", log)


if __name__ == "__main__":
    unittest.main()
