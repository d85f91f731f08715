"""Black-box tests of one server for every county of a province (issue 18, point 3).

`baoxue serve` on the province's schema of a database shared by several counties serves the
province's and the cities' accounts and every registered county: a county's account signs in
naming its county, its session cookie carries the county, and each of its requests runs in the
county's schema exactly as on the county's own server. Names are a county's own: the same name
in two counties is two accounts. A cookie cannot be moved to another county, a county's jobs
run on the province's server, and the province's accounts work as before. PostgreSQL only: run
as cli.test_province_serve.pg.
"""

import http.client
import json
import os
import signal
import shutil
import time
import unittest

from harness import (PASSWORD, PG, Api, _Psql, drain, http_call, multipart, psql, start_server,
                     stop_drained, user_add)
from test_province import QINSHUI, YANGCHENG, bx, county_dsn, schema_dsn, shared_database


OTHERS = ("140502", "140525", "140581")  # 晋城市城区, 泽州县, 高平市


@unittest.skipUnless(PG, "PostgreSQL only: run as cli.test_province_serve.pg")
class ProvinceServesCountiesTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # and three counties with no data: their schemas are what a request of theirs opens
        shared_database(cls, "province_serve", (QINSHUI, YANGCHENG) + OTHERS,
                        ((600, 3), (400, 5)))
        cls.db = schema_dsn(cls.dsn, "province")
        user_add(cls.db, "shanxi", "--role", "province", "--area", "14")
        # the same name in both counties: two people, two accounts
        user_add(county_dsn(cls.dsn, QINSHUI), "zhang", "--role", "county")
        user_add(county_dsn(cls.dsn, YANGCHENG), "zhang", "--role", "township",
                 "--township", "140522100")
        user_add(county_dsn(cls.dsn, QINSHUI), "qs_admin", "--role", "admin")
        cls.proc, cls.port = start_server(cls.db)
        # the county's own server, to compare with
        cls.own_proc, cls.own_port = start_server(county_dsn(cls.dsn, QINSHUI))
        cls.logs = [drain(p) for p in (cls.proc, cls.own_proc)]

    @classmethod
    def tearDownClass(cls):
        for p, (lines, t) in zip((cls.proc, cls.own_proc), cls.logs):
            log = stop_drained(p, lines, t)
            assert "Sanitizer" not in log, log[-4000:]
        from harness import _close_psql_sessions
        _close_psql_sessions()
        psql(PG, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % cls.dbname)
        shutil.rmtree(cls.tmp, True)

    def sign_in(self, name, county=None, port=None):
        body = {"username": name, "password": PASSWORD}
        if county:
            body["county"] = county
        r, j, _ = http_call(port or self.port, "POST", "/api/v1/session", body)
        self.assertEqual(r.status, 200, j)
        return r.getheader("Set-Cookie").split(";")[0], j["csrf_token"], j

    def sign_in_once_served(self, name, county):
        """The login's answer once the server serves a county just added: it reads the registry
        again at most every COUNTIES_REREAD (2) seconds; until then the county is unknown (400)."""
        end = time.monotonic() + 5
        while True:
            r, j, _ = self.call("POST", "/api/v1/session", {"username": name,
                                                           "password": PASSWORD,
                                                           "county": county})
            if r.status != 400 or time.monotonic() > end:
                return r, j
            time.sleep(0.2)

    def test_the_login_page_lists_the_counties(self):
        r, j, _ = self.call("GET", "/api/v1/counties")
        self.assertEqual(r.status, 200, j)
        by_code = {c["code"]: c["name"] for c in j["counties"]}
        self.assertEqual(by_code[QINSHUI], "山西省晋城市沁水县")
        self.assertEqual(by_code[YANGCHENG], "山西省晋城市阳城县")
        self.assertEqual([c["code"] for c in j["counties"]], sorted(by_code))
        # a county's own server has no list: its login page asks for no county
        r, j, _ = http_call(self.own_port, "GET", "/api/v1/counties")
        self.assertEqual((r.status, j), (200, {"counties": []}))

    def test_a_county_added_while_the_server_runs_is_served(self):
        lingchuan = "140524"
        _, out, _ = bx("province", "add", lingchuan, "--db", self.dsn)
        self.assertIn("省级服务（登录时选县，一个服务器服务全部县）用这个连接串", out)
        self.assertIn("csearch_path%3Dprovince", out)
        user_add(county_dsn(self.dsn, lingchuan), "lc_county", "--role", "county")
        r, j = self.sign_in_once_served("lc_county", lingchuan)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["county"]["name"], "山西省晋城市陵川县")
        r, j, _ = self.call("GET", "/api/v1/counties")
        self.assertIn(lingchuan, [c["code"] for c in j["counties"]])

    def test_a_countys_account_works_as_on_its_own_server(self):
        cookie, _, j = self.sign_in("zhang", QINSHUI)
        self.assertTrue(cookie.startswith("baoxue_session=%s." % QINSHUI), cookie)
        self.assertEqual(j["county"], {"code": QINSHUI, "name": "山西省晋城市沁水县"})
        self.assertEqual(j["user"]["role"], "county")
        own, _, j = self.sign_in("zhang", port=self.own_port)
        self.assertNotIn("county", j)
        for path in ("/api/v1/children?status=not_enrolled&limit=5",
                     "/api/v1/children?status=suspected", "/api/v1/summary"):
            r, here, _ = self.call("GET", path, cookie=cookie)
            self.assertEqual(r.status, 200, here)
            r, there, _ = http_call(self.own_port, "GET", path, cookie=own)
            self.assertEqual(r.status, 200, there)
            self.assertEqual(here, there, path)
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertEqual(j["county"]["code"], QINSHUI)
        # the access log says which county's schema answered (a code: nobody's name)
        end = time.monotonic() + 5
        want = "GET /api/v1/session 县%s 200" % QINSHUI
        while want not in b"".join(self.logs[0][0]).decode("utf-8", "replace"):
            self.assertLess(time.monotonic(), end, "no line with %s in the access log" % want)
            time.sleep(0.05)

    def test_the_same_name_in_two_counties_is_two_accounts(self):
        qs, _, j = self.sign_in("zhang", QINSHUI)
        self.assertEqual(j["user"]["role"], "county")
        yc, _, j = self.sign_in("zhang", YANGCHENG)
        self.assertEqual(j["user"]["role"], "township")
        self.assertEqual(j["user"]["township"], "140522100")
        self.assertEqual(j["county"]["name"], "山西省晋城市阳城县")
        # each reads its own county's children
        r, a, _ = self.call("GET", "/api/v1/children?limit=1", cookie=qs)
        r2, b, _ = self.call("GET", "/api/v1/children?limit=1", cookie=yc)
        self.assertEqual((r.status, r2.status), (200, 200))
        self.assertTrue(a["items"][0]["id_number"].startswith(QINSHUI), a["items"][0])
        self.assertTrue(b["items"][0]["id_number"].startswith(YANGCHENG), b["items"][0])
        self.assertTrue(all(i["township_code"] == "140522100" for i in b["items"]))
        # without the county, or with the other county's password, nobody signs in
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "zhang", "password": PASSWORD})
        self.assertError(r, j, 401, "login_failed")
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "qs_admin",
                                                       "password": PASSWORD,
                                                       "county": YANGCHENG})
        self.assertError(r, j, 401, "login_failed")

    def test_a_cookie_cannot_be_moved_to_another_county(self):
        cookie, _, _ = self.sign_in("zhang", QINSHUI)
        sid = cookie.split(".", 1)[1]
        # read once, so that this server keeps the session in memory
        r, j, _ = self.call("GET", "/api/v1/children?limit=1", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        for forged in ("baoxue_session=%s.%s" % (YANGCHENG, sid),  # another county
                       "baoxue_session=%s" % sid,                 # the province's schema
                       "baoxue_session=140105.%s" % sid,          # a county not served here
                       "baoxue_session=1405xx.%s" % sid):         # no county at all
            r, j, _ = self.call("GET", "/api/v1/children?limit=1", cookie=forged)
            self.assertError(r, j, 401, "unauthenticated")
            r, j, _ = self.call("GET", "/api/v1/session", cookie=forged)
            self.assertError(r, j, 401, "unauthenticated")
        # the county's own server knows no county in a cookie
        r, j, _ = http_call(self.own_port, "GET", "/api/v1/session", cookie=cookie)
        self.assertError(r, j, 401, "unauthenticated")

    def test_a_county_not_served_is_refused_in_chinese(self):
        for county in ("140105", "14052", "abc", "140521; DROP"):
            r, j, _ = self.call("POST", "/api/v1/session", {"username": "zhang",
                                                           "password": PASSWORD,
                                                           "county": county})
            self.assertError(r, j, 400, "invalid_request")
            self.assertEqual(j["error"]["field"], "county")
            self.assertIn("本服务器不服务这个县", j["error"]["message"])
        r, j, _ = http_call(self.own_port, "POST", "/api/v1/session",
                            {"username": "zhang", "password": PASSWORD, "county": YANGCHENG})
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("只服务一个县", j["error"]["message"])

    def test_a_countys_jobs_run_on_the_provinces_server(self):
        cookie, csrf, _ = self.sign_in("qs_admin", QINSHUI)
        before = int(psql(county_dsn(self.dsn, QINSHUI), "SELECT count(*) FROM match_run"))
        r, j, _ = self.call("POST", "/api/v1/runs", {}, cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 202, j)
        job = self.wait_job((cookie, csrf), j["id"])
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(int(psql(county_dsn(self.dsn, QINSHUI), "SELECT count(*) FROM match_run")),
                         before + 1)
        # the job is the county's: the other county and the province have no such row
        self.assertEqual(psql(county_dsn(self.dsn, YANGCHENG),
                              "SELECT count(*) FROM job WHERE kind = 'match'").strip(), "0")
        self.assertEqual(psql(self.db, "SELECT count(*) FROM job").strip(), "0")
        # nor does another county's account see it: job ids are each county's own
        yc, _, _ = self.sign_in("zhang", YANGCHENG)
        r, j, _ = self.call("GET", "/api/v1/jobs/%d" % job["id"], cookie=yc)
        self.assertError(r, j, 404)

    def test_an_import_uploaded_to_the_provinces_server(self):
        cookie, csrf, _ = self.sign_in("qs_admin", QINSHUI)
        path = os.path.join(self.tmp, QINSHUI)
        name = "户籍适龄儿童花名册.csv"
        with open(os.path.join(path, name), "rb") as f:
            data = f.read()
        body, ctype = multipart({"kind": "population", "dry_run": "1"}, [("file", name, data)])
        r, j, _ = self.call("POST", "/api/v1/imports", body, cookie=cookie, csrf=csrf,
                            headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        job = self.wait_job((cookie, csrf), j["id"])
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(psql(county_dsn(self.dsn, QINSHUI), "SELECT state FROM job WHERE id = %d"
                              % job["id"]).strip(), "done")

    def test_an_upload_stays_in_its_county_whatever_comes_meanwhile(self):
        """An upload holds its county's connection from its headers to its last byte: the same
        thread serving five other counties meanwhile neither closes it nor gives the upload
        theirs (one worker thread, so that every request meets the upload's)."""
        proc, port = start_server(self.db, "--threads", "1")
        log = drain(proc)
        try:
            r, j, _ = http_call(port, "POST", "/api/v1/session",
                                {"username": "qs_admin", "password": PASSWORD, "county": QINSHUI})
            self.assertEqual(r.status, 200, j)
            cookie, csrf = r.getheader("Set-Cookie").split(";")[0], j["csrf_token"]
            with open(os.path.join(self.tmp, QINSHUI, "户籍适龄儿童花名册.csv"), "rb") as f:
                body, ctype = multipart({"kind": "population", "dry_run": "1"},
                                        [("file", "户籍适龄儿童花名册.csv", f.read())])
            up = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            up.putrequest("POST", "/api/v1/imports")
            for k, v in (("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", ctype),
                         ("Content-Length", str(len(body)))):
                up.putheader(k, v)
            up.endheaders()
            up.send(body[:2000])
            time.sleep(0.3)  # the headers are read and the upload authorised
            # meanwhile, other counties' requests (a session each would be the same: the
            # connection is chosen from the cookie's county before the session is read)
            zeros = "0" * 64
            for i in range(30):
                code = (OTHERS + (YANGCHENG,))[i % 4]
                r, j, _ = http_call(port, "GET", "/api/v1/session",
                                    cookie="baoxue_session=%s.%s" % (code, zeros))
                self.assertError(r, j, 401)
            up.send(body[2000:])
            resp = up.getresponse()
            j = json.loads(resp.read())
            up.close()
            self.assertEqual(resp.status, 202, j)
            job = self.wait_job((cookie, csrf), j["id"])
            self.assertEqual(job["state"], "done", job)
            # checked against 沁水县's own list (阳城县's has 400 children)
            self.assertEqual((job["result"]["rows_imported"], job["result"]["previous_rows"]),
                             (600, 600), job)
            # only checked: it says so, and names no batch
            self.assertTrue(job["result"]["message"].startswith("检查完成（只检查，没有保存）"),
                            job["result"]["message"])
            self.assertNotIn("批", job["result"]["message"].split("\n")[0])
            self.assertEqual(psql(county_dsn(self.dsn, QINSHUI), "SELECT who FROM job WHERE id = %d"
                                  % j["id"]).strip(), "qs_admin")
            self.assertEqual(psql(county_dsn(self.dsn, YANGCHENG), "SELECT count(*) FROM job"
                                  " WHERE who = 'qs_admin'").strip(), "0")
        finally:
            out = stop_drained(proc, *log)
        self.assertNotIn("Sanitizer", out)
        self.assertNotIn("服务器内部错误", out)

    def test_a_stopped_server_fails_the_imports_it_could_not_start(self):
        """Stopped while a county's import runs past the drain (30 s), a server also fails at
        once the imports uploaded to it and still queued in other counties: their files are on
        its disk, no other server can run them."""
        data = os.path.join(self.tmp, "stop-data")
        os.makedirs(data)
        proc, port = start_server(self.db, "--job-threads", "1", "--data-dir", data)
        log = drain(proc)
        lock = _Psql(self.dsn)
        self.addCleanup(lock.close)
        try:
            qs = self.server_session(port, "qs_admin", QINSHUI)
            user_add(county_dsn(self.dsn, YANGCHENG), "yc_admin", "--role", "admin")
            yc = self.server_session(port, "yc_admin", YANGCHENG)
            # 沁水县's import waits on its batch table, held by another transaction
            out, errors = lock.run("BEGIN; LOCK TABLE c%s.batch IN ACCESS EXCLUSIVE MODE"
                                   % QINSHUI)
            self.assertEqual(errors, [])
            held = self.server_upload(port, qs, QINSHUI)
            end = time.monotonic() + 30
            while psql(county_dsn(self.dsn, QINSHUI), "SELECT state FROM job WHERE id = %d"
                       % held).strip() != "running":
                self.assertLess(time.monotonic(), end, "the import did not start")
                time.sleep(0.1)
            # 阳城县's waits for the one job thread
            queued = self.server_upload(port, yc, YANGCHENG)
            self.assertEqual(psql(county_dsn(self.dsn, YANGCHENG), "SELECT state FROM job"
                                  " WHERE id = %d" % queued).strip(), "queued")
            self.assertEqual(len(os.listdir(os.path.join(data, "uploads"))), 2)
        finally:
            # the server waits up to its drain (30 s) for the import, then ends under it
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(90)
            finally:
                out = stop_drained(proc, *log)
                lock.run("COMMIT")
        self.assertIn("将被中断", out)
        state, error = psql(county_dsn(self.dsn, YANGCHENG),
                            "SELECT state || '|' || coalesce(error, '') FROM job WHERE id = %d"
                            % queued).strip().split("|", 1)
        self.assertEqual((state, error), ("failed", "服务停止，任务未运行，请重新提交"))
        self.assertEqual(os.listdir(os.path.join(data, "uploads")), [])

    def server_session(self, port, name, county):
        r, j, _ = http_call(port, "POST", "/api/v1/session",
                            {"username": name, "password": PASSWORD, "county": county})
        self.assertEqual(r.status, 200, j)
        return r.getheader("Set-Cookie").split(";")[0], j["csrf_token"]

    def server_upload(self, port, session, county):
        """A real import of the county's own register uploaded to the server on port: its job."""
        with open(os.path.join(self.tmp, county, "户籍适龄儿童花名册.csv"), "rb") as f:
            body, ctype = multipart({"kind": "population"},
                                    [("file", "户籍适龄儿童花名册.csv", f.read())])
        r, j, _ = http_call(port, "POST", "/api/v1/imports", body, cookie=session[0],
                            csrf=session[1], headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        return j["id"]

    def test_sign_out_ends_the_session_in_its_county(self):
        cookie, csrf, _ = self.sign_in("zhang", YANGCHENG)
        n = int(psql(county_dsn(self.dsn, YANGCHENG), "SELECT count(*) FROM session"))
        r, j, _ = self.call("DELETE", "/api/v1/session", cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(int(psql(county_dsn(self.dsn, YANGCHENG),
                                  "SELECT count(*) FROM session")), n - 1)
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertError(r, j, 401)

    def test_an_account_disabled_in_its_county_is_refused_at_once(self):
        user_add(county_dsn(self.dsn, YANGCHENG), "leaving", "--role", "county")
        cookie, _, _ = self.sign_in("leaving", YANGCHENG)
        r, j, _ = self.call("GET", "/api/v1/summary", cookie=cookie)
        self.assertEqual(r.status, 200, j)  # now kept in this server's memory
        # changed behind the server's back, in the county's schema: the database's notification
        # reaches the province's server as it reaches a county's own
        psql(county_dsn(self.dsn, YANGCHENG), "UPDATE app_user SET disabled = 1"
             " WHERE name = 'leaving'")
        self.refused_soon("/api/v1/summary", cookie)

    def test_a_county_without_its_tables_stops_nobody_elses_jobs(self):
        # a county registered, then its schema dropped behind the server's back (a registry row
        # written by hand is the same): the one query that finds every county's queued jobs
        # named its job table and failed, and no county's job ever started
        yushe = "140721"  # 晋中市榆社县
        bx("province", "add", yushe, "--db", self.dsn)
        r, j, _ = self.until(self.call, "GET", "/api/v1/counties", None,
                             lambda r, j: yushe in [c["code"] for c in j["counties"]])
        self.assertIn(yushe, [c["code"] for c in j["counties"]])  # served before it breaks
        psql(self.dsn, "DROP SCHEMA c%s CASCADE" % yushe)
        # an upload: only the server holding the file runs its job (not the county's own
        # server beside it in this class)
        cookie, csrf, _ = self.sign_in("qs_admin", QINSHUI)
        name = "户籍适龄儿童花名册.csv"
        with open(os.path.join(self.tmp, QINSHUI, name), "rb") as f:
            body, ctype = multipart({"kind": "population", "dry_run": "1"},
                                    [("file", name, f.read())])
        r, j, _ = self.call("POST", "/api/v1/imports", body, cookie=cookie, csrf=csrf,
                            headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        job = self.wait_job((cookie, csrf), j["id"], timeout=30)
        self.assertEqual(job["state"], "done", job)
        # and the county is served no more: not listed, not signed in to
        r, j, _ = self.until(self.call, "GET", "/api/v1/counties", None,
                             lambda r, j: yushe not in [c["code"] for c in j["counties"]])
        self.assertNotIn(yushe, [c["code"] for c in j["counties"]])
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "zhang",
                                                       "password": PASSWORD, "county": yushe})
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("本服务器不服务这个县", j["error"]["message"])
        psql(self.db, "DELETE FROM province.county WHERE code = '%s'" % yushe)

    def test_a_county_taken_off_the_registry_is_served_no_more(self):
        zuoquan = "140722"  # 晋中市左权县
        bx("province", "add", zuoquan, "--db", self.dsn)
        user_add(county_dsn(self.dsn, zuoquan), "zq_county", "--role", "county")
        r, j = self.sign_in_once_served("zq_county", zuoquan)
        self.assertEqual(r.status, 200, j)
        cookie = r.getheader("Set-Cookie").split(";")[0]
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        # taken off the registry while its session is live: that session ends within
        # COUNTIES_REREAD seconds, and nobody signs in to it again
        psql(self.db, "DELETE FROM province.county WHERE code = '%s'" % zuoquan)
        self.refused_soon("/api/v1/session", cookie)
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "zq_county",
                                                       "password": PASSWORD, "county": zuoquan})
        self.assertError(r, j, 400, "invalid_request")

    def test_an_addresss_failed_logins_count_for_every_county(self):
        # a server behind a proxy, so that the test's failures come from an address of their own
        # (the other tests' logins come from 127.0.0.1)
        proc, port = start_server(self.db, "--trusted-proxy", "127.0.0.1")
        lines, t = drain(proc)
        try:
            who = {"X-Forwarded-For": "10.9.9.9"}
            counties = (QINSHUI, YANGCHENG) + OTHERS
            statuses = []
            # LOGIN_ADDRESS_FREE (20) failures, spread over five counties, lock the address
            for i in range(20):
                r, j, _ = http_call(port, "POST", "/api/v1/session",
                                    {"username": "guess%d" % i, "password": "not-it-at-all",
                                     "county": counties[i % len(counties)]}, headers=who)
                statuses.append(r.status)
            self.assertEqual(set(statuses), {401}, statuses)
            for county in counties:
                r, j, _ = http_call(port, "POST", "/api/v1/session",
                                    {"username": "guess-more", "password": "not-it-at-all",
                                     "county": county}, headers=who)
                self.assertError(r, j, 429, "locked")
            # where they are counted: the province's schema, not the counties'
            self.assertEqual(psql(self.db, "SELECT failures FROM login_attempt WHERE name = ''"
                                  " AND address = '10.9.9.9'").strip(), "20")
            self.assertEqual(psql(county_dsn(self.dsn, QINSHUI), "SELECT count(*) FROM"
                                  " login_attempt WHERE name = '' AND address = '10.9.9.9'")
                             .strip(), "0")
            # another address is not held up
            r, j, _ = http_call(port, "POST", "/api/v1/session",
                                {"username": "zhang", "password": PASSWORD, "county": QINSHUI},
                                headers={"X-Forwarded-For": "10.9.9.10"})
            self.assertEqual(r.status, 200, j)
        finally:
            log = stop_drained(proc, lines, t)
            self.assertNotIn("Sanitizer", log)

    def test_the_provinces_accounts_are_as_before(self):
        cookie, _, j = self.sign_in("shanxi")
        self.assertNotIn("county", j)
        self.assertEqual(j["user"]["role_label"], "省教育厅")
        self.assertFalse(cookie.split("=", 1)[1].count("."), cookie)
        r, j, _ = self.call("GET", "/api/v1/province/indicators", cookie=cookie)
        self.assertError(r, j, 404, "not_computed")
        r, j, _ = self.call("GET", "/api/v1/children", cookie=cookie)
        self.assertError(r, j, 403)
        # signing in again from a browser whose cookie is a county's: the province's schema
        qs, _, _ = self.sign_in("zhang", QINSHUI)
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "shanxi",
                                                       "password": PASSWORD}, cookie=qs)
        self.assertEqual(r.status, 200, j)
        self.assertNotIn("county", j)
        self.assertEqual(j["user"]["role"], "province")
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "shanxi",
                                                       "password": PASSWORD, "county": 140521})
        self.assertError(r, j, 400, "invalid_request")
        self.assertEqual(j["error"]["field"], "county")
        # a province's account named with a county is no county's account
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "shanxi",
                                                       "password": PASSWORD, "county": QINSHUI})
        self.assertError(r, j, 401, "login_failed")


if __name__ == "__main__":
    unittest.main()
