"""The mental-health ledger (心理健康台帐, issue 16) is restricted to the accounts an admin named:
a school account (the counsellor, the head) for its own pupils, a county account (the designated
officer), or an admin that grants it to itself (audited). To every other account it does not
exist: this test walks the OpenAPI document the server serves and calls every read route — every
path parameter filled with the ids of the children who have an entry, every report in every
format — as each role without the permission (admin and county included), and fails if any text
of an entry, or any mental-health field, is in an answer. Writes are refused with the same words
for a child with an entry and one without; every read of a holder is audited, without the
entries' words in the trail or the server's log; a school holder reads its school's only; the
command line asks which granted account it acts as.
"""

import json
import re
import subprocess
import unittest

from harness import BIN, DemoServerTest, db_rows, db_scalar, db_value, env, served_openapi

SCHOOL = "2114052101"  # 沁水县实验小学: the demo county's wellbeing entries are its pupils'
# the mental-health fields of an answer (the ledger's own words: a non-holder reads none)
FIELDS = ("concern", "referral_note", "review_due", "mental_health_id")


class MentalRestricted(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        town = db_rows(cls.db, "SELECT township_code FROM mental_health LIMIT 1")[0][0]
        for name, args in [
            ("sch", ["--role", "school", "--school", SCHOOL]),
            ("xinli", ["--role", "school", "--school", SCHOOL]),
            ("officer", ["--role", "county"]),
            ("cun", ["--role", "village", "--township", town, "--villages", "梅杏社区"]),
            ("police", ["--role", "department", "--department", "公安局"]),
        ]:
            cls.user_add(name, *args)
        for name in ("xinli", "officer"):
            cls.cli_ok("user", "mental-health", name, "--grant", "是", "--db", cls.db)
        cls.doc = served_openapi(cls.port)
        rows = db_rows(cls.db, "SELECT m.concern, coalesce(m.referral_note, ''), m.record_id,"
                               " m.id FROM mental_health m ORDER BY m.id")
        assert len(rows) == 2, rows
        cls.mh_children = [str(r[2]) for r in rows]
        cls.mh_ids = [str(r[3]) for r in rows]
        cls.secrets = [r[0] for r in rows] + [r[1] for r in rows if r[1]]
        cls.secrets += [r[0] for r in db_rows(cls.db, "SELECT content FROM mental_event")]
        assert len(cls.secrets) >= 5, cls.secrets

    @staticmethod
    def cli(*args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                           timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    @classmethod
    def cli_ok(cls, *args):
        code, out, err = cls.cli(*args)
        assert code == 0, err
        return out

    def leak(self, data, schema=False):
        """What of the ledger an answer's bytes carry: its entries' words, its fields (but in
        the OpenAPI document, which describes them)."""
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        found = [s for s in self.secrets if s in text]
        if not schema:
            found += ['"%s"' % f for f in FIELDS if '"%s"' % f in text]
        return found

    def concrete(self, path):
        """Each path with its parameters filled: the children with an entry, and real ids."""
        def first(sql):
            return str(db_scalar(self.db, sql) or 1)
        subs = {
            "/children/": self.mh_children,
            "/verify/": [first("SELECT min(id) FROM verify_task")],
            "/cases/": [first("SELECT min(id) FROM case_file")],
            "/review/": [first("SELECT min(id) FROM candidate")],
            "/people/": [first("SELECT min(id) FROM person")],
            "/imports/": [first("SELECT max(id) FROM batch")],
            "/users/": ["xinli"],
            "/jobs/": ["1"],
            "/runs/": [first("SELECT max(id) FROM match_run")],
            "/settings/": ["visits_per_week"],
            "/mental-health/": self.mh_ids,
            "/illnesses/": [first("SELECT min(id) FROM illness")],
        }
        if "{" not in path:
            return [path]
        for prefix, values in subs.items():
            if prefix in path:
                out = []
                for v in values:
                    p = re.sub(r"\{(id|name|key)\}", v, path)
                    out.append(re.sub(r"\{[^}]+\}", "1", p))
                return out
        return [re.sub(r"\{[^}]+\}", "1", path)]

    def reads(self):
        """Every GET the served document names, filled; the reports each in every format."""
        out = []
        reports = [r["key"] for r in self.vocab()["reports"]]
        for path, ops in self.doc["paths"].items():
            if "get" not in ops:
                continue
            if "{name}" in path and "/reports/" in path:
                for name in reports:
                    for fmt in ("json", "csv"):
                        out.append(path.replace("{name}", name) + "?format=" + fmt)
                        out.append(path.replace("{name}", name) + "?format=" + fmt + "&full=1")
                continue
            for p in self.concrete(path):
                out.append(p)
                out.append(p + ("&" if "?" in p else "?") + "full=1")
        return out

    def vocab(self):
        cookie, _ = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/vocab", cookie=cookie)
        self.assertEqual(r.status, 200)
        return j

    def walk(self, account):
        cookie, _ = self.login(account)
        leaks = {}
        for path in self.reads():
            r, _, data = self.call("GET", path, cookie=cookie)
            found = self.leak(data, schema=path.startswith("/api/v1/openapi.json"))
            if found:
                leaks[path] = (r.status, found)
        return leaks

    def test_1_no_route_shows_it_to_any_role_without_the_permission(self):
        for account in ("admin", "county", "tz", "sup", "sch", "cun", "police"):
            with self.subTest(account=account):
                self.assertEqual(self.walk(account), {})
                cookie, _ = self.login(account)
                r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
                self.assertNotIn("mental_health", j["user"]["permissions"])

    def test_2_the_walk_finds_it_for_a_holder(self):
        # the same walk, as the school's holder, finds the entries: the check can fail
        leaks = self.walk("xinli")
        self.assertIn("/api/v1/mental-health", leaks)
        self.assertTrue(any(p.startswith("/api/v1/children/") for p in leaks), leaks)
        cookie, _ = self.login("xinli")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertIn("mental_health", j["user"]["permissions"])

    def test_3_refusals_say_nothing_of_which_child_has_an_entry(self):
        # a pupil of the same school with no entry (one of the illness ledger's)
        plain = str(db_scalar(self.db, "SELECT min(record_id) FROM illness"))
        self.assertNotIn(plain, self.mh_children)
        n = db_scalar(self.db, "SELECT count(*) FROM mental_health")
        for account in ("admin", "county", "sch", "tz"):
            cookie, csrf = self.login(account)
            answers = set()
            for child in (self.mh_children[0], plain):
                r, j, _ = self.call("GET", "/api/v1/children/%s/mental-health" % child,
                                    cookie=cookie)
                answers.add((r.status, j["error"]["message"]))
                r, j, _ = self.call("POST", "/api/v1/children/%s/mental-health" % child,
                                    {"level": "一般关注", "concern": "试探", "next_review": "2030-01-01"},
                                    cookie=cookie, csrf=csrf)
                answers.add((r.status, j["error"]["message"]))
            r, j, _ = self.call("POST", "/api/v1/mental-health/%s/notes" % self.mh_ids[0],
                                {"kind": "干预", "by": "某人", "content": "试探"},
                                cookie=cookie, csrf=csrf)
            answers.add((r.status, j["error"]["message"]))
            self.assertEqual(len(answers), 1, (account, answers))
            self.assertEqual(answers.pop()[0], 403)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM mental_health"), n)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM mental_event"), 3)

    def test_4_holders_reads_are_audited_without_its_words(self):
        cookie, csrf = self.login("xinli")
        before = len(self.audit(action="mental_read"))
        notes = len(self.audit(action="mental_note"))
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["total"], 2)
        self.assertEqual(j["review_due"], 1)
        r, j, _ = self.call("GET", "/api/v1/children/%s/mental-health" % self.mh_children[0],
                            cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(len(j["items"]), 1)
        self.assertTrue(j["items"][0]["events"])
        trail = self.audit(action="mental_read")
        self.assertEqual(len(trail), before + 2)
        self.assertEqual({t["actor"] for t in trail[:2]}, {"xinli"})
        # the trail its reader (an admin without the permission) sees names no child of it
        mine = [t for t in self.audit() if t["action"].startswith("mental_")
                and t["action"] != "mental_grant"]
        self.assertTrue(mine)
        self.assertEqual([t for t in mine if t["target"]], [])
        whole = json.dumps(self.audit(), ensure_ascii=False)
        self.assertEqual([s for s in self.secrets if s in whole], [])
        # the holder writes: an intervention, a review that moves the next one
        r, j, _ = self.call("POST", "/api/v1/mental-health/%s/notes" % self.mh_ids[0],
                            {"kind": "复查", "by": "张老师", "content": "情绪平稳，继续观察",
                             "level": "一般关注", "next_review": "2099-01-01"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        self.assertEqual(db_value(self.db, "SELECT level FROM mental_health WHERE id = %s"
                                            % self.mh_ids[0]), "watch")
        self.assertEqual(len(self.audit(action="mental_note")), notes + 1)
        log = b"\n".join(self.log_lines).decode("utf-8", "replace")
        self.assertEqual([s for s in self.secrets if s in log], [])
        self.assertNotIn("情绪平稳", log)

    def test_5_a_school_holder_reads_its_school_only(self):
        other = [str(r[0]) for r in db_rows(
            self.db, "SELECT r.id FROM record r JOIN batch b ON b.id = r.batch_id"
                     " WHERE b.kind = 'population' AND r.id NOT IN (SELECT record_id FROM"
                     " illness) ORDER BY r.id")]
        cookie, csrf = self.login("officer")
        made = None
        for rid in other[:200]:
            r, j, _ = self.call("POST", "/api/v1/children/%s/mental-health" % rid,
                                {"level": "重点关注", "concern": "外校学生的情况XYZ",
                                 "next_review": "2099-01-01"}, cookie=cookie, csrf=csrf)
            if r.status == 201:
                school = db_value(self.db, "SELECT coalesce(school_code, '') FROM mental_health"
                                            " WHERE id = %d" % j["id"])
                if school != SCHOOL:
                    made = rid
                    break
        self.assertIsNotNone(made)
        xc, _ = self.login("xinli")
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=xc)
        self.assertNotIn("外校学生的情况XYZ", json.dumps(j, ensure_ascii=False))
        r, j, _ = self.call("GET", "/api/v1/children/%s/mental-health" % made, cookie=xc)
        self.assertEqual(r.status, 404, j)
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=cookie)
        self.assertIn("外校学生的情况XYZ", json.dumps(j, ensure_ascii=False))

    def test_6_admin_must_grant_itself_and_it_is_audited(self):
        admin, csrf = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=admin)
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.call("PUT", "/api/v1/users/tz/mental-health", {"grant": "是"}, cookie=admin,
                            csrf=csrf)
        self.assertEqual(r.status, 400, j)  # a township account may not hold it
        r, j, _ = self.call("PUT", "/api/v1/users/admin/mental-health", {"grant": "是"},
                            cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        grants = self.audit(action="mental_grant")
        self.assertTrue(any(g["actor"] == "admin" and "admin" in g["target"] for g in grants),
                        grants)
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=admin)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("PUT", "/api/v1/users/admin/mental-health", {"grant": "否"},
                            cookie=admin, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/mental-health", cookie=admin)
        self.assertEqual(r.status, 403, j)
        # the county may not grant (accounts are the admin's)
        county, ccsrf = self.login("county")
        r, j, _ = self.call("PUT", "/api/v1/users/county/mental-health", {"grant": "是"},
                            cookie=county, csrf=ccsrf)
        self.assertEqual(r.status, 403, j)

    def test_7_command_line_acts_as_a_granted_account(self):
        code, out, err = self.cli("mental", "list", "--db", self.db)
        self.assertNotEqual(code, 0)
        self.assertIn("--as", err)
        code, out, err = self.cli("mental", "list", "--db", self.db, "--as", "sch")
        self.assertNotEqual(code, 0)
        self.assertEqual([s for s in self.secrets if s in out + err], [])
        code, out, err = self.cli("mental", "show", self.mh_children[1], "--db", self.db, "--as",
                                  "xinli")
        self.assertEqual(code, 0, err)
        self.assertTrue(any(s in out for s in self.secrets), out)
        # no report of the command line carries it either
        reports = [r["key"] for r in self.vocab()["reports"] if r["key"] != "children-list"]
        for name in reports:
            code, out, err = self.cli("report", name, "--db", self.db, "--format", "json", "--full")
            self.assertEqual([s for s in self.secrets if s in out + err], [], name)


if __name__ == "__main__":
    unittest.main()
