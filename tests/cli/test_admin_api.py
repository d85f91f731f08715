"""The review queue and the accounts over the API, black box: one candidate pair at a time side
by side with each field's level and weight, a clerk's decision (and its change), and an admin
managing accounts — with the roles that may not do either refused. The server runs on the demo
county of 2,000 children (a fresh PostgreSQL schema when BAOXUE_TEST_PG is set).
"""

import re
import unittest

from harness import PASSWORD, DemoServerTest, db_scalar


class ReviewApiTest(DemoServerTest):
    def pending(self, cookie, all_pairs=False):
        r, j, _ = self.call("GET", "/api/v1/review" + ("?all=1" if all_pairs else ""),
                            cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return j

    def test_pair_side_by_side_and_decisions(self):
        county, csrf = self.login("county")
        queue = self.pending(county, all_pairs=True)
        self.assertGreater(len(queue["pairs"]), 0, "the demo county has a pair to review")
        pid = int(queue["pairs"][0]["candidate_id"])

        r, j, _ = self.call("GET", "/api/v1/review/%d" % pid, cookie=county)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["id"], pid)
        self.assertEqual(j["decision"], "review")
        self.assertEqual([f["key"] for f in j["fields"]],
                         ["id_number", "name", "birth_date", "gender"])
        for f in j["fields"]:
            if f["key"] == "birth_date":
                # masked: the ages on the cutoff side by side; whether the dates differ is the
                # level's to say (two children of one age may be born months apart)
                self.assertIn("年龄", f["label"])
                for v in (f["population"], f["other"]):
                    self.assertRegex(v, r"^(\d+ 周岁)?$")
                self.assertEqual(f["differs"], f["level"] != "exact")
            else:
                self.assertEqual(f["differs"], f["population"] != f["other"])
            self.assertRegex(f["label"], "[\u4e00-\u9fff]")
        for side in ("population", "other"):
            self.assertIsNone(j[side]["birth_date"])
            self.assertIsInstance(j[side]["age"], int)
        # masked by default: the ID fields show no more than the masked form
        for side in ("population", "other"):
            idn = j[side]["id_number"]
            if len(idn) == 18:
                self.assertIn("*", idn)
            self.assertTrue(j[side]["file"])
            self.assertGreater(j[side]["row"], 0)
        # the weights add up to the score
        self.assertAlmostEqual(sum(f["weight"] for f in j["fields"]), j["score"], delta=0.2)

        # a decision, then a change of mind: both recorded, the last one stands
        r, j2, _ = self.call("POST", "/api/v1/review/%d/decision" % pid,
                             {"decision": "accept", "note": "同一人，学籍号录错"}, cookie=county,
                             csrf=csrf)
        self.assertEqual(r.status, 200, j2)
        self.assertIn("同一人", j2["message"])
        r, j2, _ = self.call("GET", "/api/v1/review/%d" % pid, cookie=county)
        self.assertEqual(j2["review"]["decision"], "accept")
        self.assertEqual(j2["review"]["decided_by"], "county")
        self.assertEqual(j2["review"]["note"], "同一人，学籍号录错")
        self.assertNotIn(pid, [int(p["candidate_id"]) for p in self.pending(county)["pairs"]])
        r, j2, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, {"decision": "reject"},
                             cookie=county, csrf=csrf)
        self.assertEqual(r.status, 200, j2)
        self.assertIn("已改变先前的结论", j2["message"])
        r, j2, _ = self.call("GET", "/api/v1/review/%d" % pid, cookie=county)
        self.assertEqual(j2["review"]["decision"], "reject")
        entries = self.audit(action="review", target="candidate:%d" % pid)
        self.assertEqual(len(entries), 2)

    def test_full_ids_are_audited_and_refused_to_a_supervisor(self):
        county, _ = self.login("county")
        pid = int(self.pending(county, all_pairs=True)["pairs"][0]["candidate_id"])
        before = len(self.audit(action="read_full", target="candidate:%d" % pid))
        r, j, _ = self.call("GET", "/api/v1/review/%d?full=1" % pid, cookie=county)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(len(self.audit(action="read_full", target="candidate:%d" % pid)),
                         before + 1)
        sup, sup_csrf = self.login("sup")
        r, j, _ = self.call("GET", "/api/v1/review/%d?full=1" % pid, cookie=sup)
        self.assertError(r, j, 403)
        # a supervisor reads the pair but cannot decide it
        r, j, _ = self.call("GET", "/api/v1/review/%d" % pid, cookie=sup)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, {"decision": "accept"},
                            cookie=sup, csrf=sup_csrf)
        self.assertError(r, j, 403)

    def test_refused_requests_change_nothing(self):
        county, csrf = self.login("county")
        pid = int(self.pending(county, all_pairs=True)["pairs"][0]["candidate_id"])
        decisions = db_scalar(self.db, "SELECT count(*) FROM review_decision")
        for body in [{}, {"decision": "maybe"}, {"decision": "accept", "extra": 1},
                     {"decision": ["accept"]}, {"decision": "accept", "note": "长" * 300}]:
            r, j, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, body, cookie=county,
                                csrf=csrf)
            self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, b"{not json",
                            cookie=county, csrf=csrf, headers={"Content-Type": "application/json"})
        self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, {"decision": "accept"},
                            cookie=county)
        self.assertError(r, j, 403, "csrf")
        for bad in ["999999999", "0", "-1", "abc", "1%20OR%201=1"]:
            r, j, _ = self.call("GET", "/api/v1/review/" + bad, cookie=county)
            self.assertError(r, j, 404)
            r, j, _ = self.call("POST", "/api/v1/review/%s/decision" % bad, {"decision": "accept"},
                                cookie=county, csrf=csrf)
            self.assertError(r, j, 404)
        # a township account has no review queue
        tz, tz_csrf = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/review/%d" % pid, cookie=tz)
        self.assertError(r, j, 403)
        r, j, _ = self.call("POST", "/api/v1/review/%d/decision" % pid, {"decision": "accept"},
                            cookie=tz, csrf=tz_csrf)
        self.assertError(r, j, 403)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM review_decision"), decisions)


class AccountsApiTest(DemoServerTest):
    def admin(self):
        return self.login("admin")

    def users(self, cookie):
        r, j, _ = self.call("GET", "/api/v1/users", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return {u["name"]: u for u in j["items"]}

    def test_add_disable_enable_reset(self):
        admin, csrf = self.admin()
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "xiaowang", "role": "township", "township": "140521101",
                             "password": "a-long-password"}, cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        self.assertEqual(j["role"], "township")
        self.assertEqual(j["role_label"], "乡镇")
        u = self.users(admin)["xiaowang"]
        self.assertEqual(u["township"], "140521101")
        self.assertFalse(u["disabled"])
        self.assertNotIn("password", str(u))

        # the new account works, then is disabled: its live session ends at once
        cookie, _ = self.login("xiaowang", "a-long-password")
        r, j, _ = self.call("POST", "/api/v1/users/xiaowang/disabled", {"disabled": True},
                            cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIn("停用", j["message"])
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertError(r, j, 401)
        r, j, _ = self.call("POST", "/api/v1/session",
                            {"username": "xiaowang", "password": "a-long-password"})
        self.assertError(r, j, 401)
        self.assertTrue(self.users(admin)["xiaowang"]["disabled"])

        r, j, _ = self.call("POST", "/api/v1/users/xiaowang/disabled", {"disabled": False},
                            cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/users/xiaowang/password",
                            {"password": "another-password"}, cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/session",
                            {"username": "xiaowang", "password": "a-long-password"})
        self.assertError(r, j, 401)
        self.login("xiaowang", "another-password")
        added = self.audit(actor="admin", action="user_add", target="xiaowang")
        self.assertEqual([a["origin"] for a in added], ["api 127.0.0.1"])
        actions = [a["action"] for a in self.audit(actor="admin")]
        for a in ["user_add", "user_disable", "user_enable", "user_password"]:
            self.assertIn(a, actions)

    def test_the_audit_log_reads_as_prose(self):
        """Issue 14: what the log shows is Chinese — the actions found by their labels (登录),
        where each came from, and details in words, never role=township or tasks=0."""
        self.login("county")
        self.login("tz")
        by_key = self.audit(action="login")
        by_label = self.audit(action="登录")
        self.assertGreaterEqual(len(by_key), 2)
        self.assertLessEqual({a["id"] for a in by_key}, {a["id"] for a in by_label})
        self.assertEqual({a["action"] for a in by_label}, {"login"})
        self.assertEqual({a["action_label"] for a in by_label}, {"登录"})
        self.assertEqual(self.audit(action="查看完整身份证号/电话"), self.audit(action="read_full"))
        entries = self.audit()
        # the demo's import, cross-check, casework and accounts, and this test's sign-ins
        self.assertLessEqual({"import", "match", "casework", "user_add", "login", "verify"},
                             {a["action"] for a in entries})
        for a in entries:
            self.assertRegex(a["action_label"], "[\u4e00-\u9fff]", a)
            self.assertRegex(a["origin_label"], "^(命令行|网页或接口（[0-9.:a-f]+）)$", a)
            if a["detail"]:
                self.assertNotRegex(re.sub("CSV|XLSX|JSON", "", a["detail"]), r"[A-Za-z]{3,}|=", a)
        tz = [a for a in entries if a["action"] == "user_add" and a["target"] == "user:tz"]
        self.assertRegex(tz[0]["detail"], "^角色：乡镇，乡镇代码 \\d{9}$")

    def test_bad_accounts_are_refused_and_nothing_is_written(self):
        admin, csrf = self.admin()
        before = db_scalar(self.db, "SELECT count(*) FROM app_user")
        for body in [
            {},
            {"username": "a b", "role": "county", "password": "long-enough-1"},
            {"username": "x1", "role": "king", "password": "long-enough-1"},
            {"username": "x2", "role": "county"},
            {"username": "x3", "role": "county", "password": "short"},
            {"username": "x4", "role": "township", "password": "long-enough-1"},
            {"username": "x5", "role": "township", "township": "999999999",
             "password": "long-enough-1"},
            {"username": "x6", "role": "school", "password": "long-enough-1"},
            {"username": "admin", "role": "county", "password": "long-enough-1"},
            {"username": "x7", "role": "county", "password": "long-enough-1", "is_admin": True},
            {"username": "x8", "role": "county", "password": ["long-enough-1"]},
            {"username": "' OR '1'='1", "role": "county", "password": "long-enough-1"},
        ]:
            r, j, _ = self.call("POST", "/api/v1/users", body, cookie=admin, csrf=csrf)
            self.assertError(r, j, 400)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM app_user"), before)
        for path, body in [("/api/v1/users/nobody/disabled", {"disabled": True}),
                           ("/api/v1/users/nobody/password", {"password": "long-enough-1"})]:
            r, j, _ = self.call("POST", path, body, cookie=admin, csrf=csrf)
            self.assertError(r, j, 404)
        for body in [{}, {"disabled": "yes"}, {"disabled": True, "x": 1}]:
            r, j, _ = self.call("POST", "/api/v1/users/county/disabled", body, cookie=admin,
                                csrf=csrf)
            self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/users/admin/disabled", {"disabled": True},
                            cookie=admin, csrf=csrf)
        self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/users/county/password", {"password": "short"},
                            cookie=admin, csrf=csrf)
        self.assertError(r, j, 400)
        self.login("county")  # unchanged

    def test_only_an_admin_manages_accounts(self):
        for who in ["county", "tz", "sup"]:
            cookie, csrf = self.login(who)
            r, j, _ = self.call("GET", "/api/v1/users", cookie=cookie)
            self.assertError(r, j, 403)
            r, j, _ = self.call("POST", "/api/v1/users",
                                {"username": "evil-" + who, "role": "admin",
                                 "password": "long-enough-1"}, cookie=cookie, csrf=csrf)
            self.assertError(r, j, 403)
            r, j, _ = self.call("POST", "/api/v1/users/admin/password",
                                {"password": "hijacked-pass"}, cookie=cookie, csrf=csrf)
            self.assertError(r, j, 403)
        self.login("admin", PASSWORD)


if __name__ == "__main__":
    unittest.main()
