"""The vocabularies, black box (issue 12): GET /api/v1/vocab serves every closed vocabulary once —
its shape, who may read it (any signed-in account; 401 signed out), its ETag — and every label
the API's lists and records give for a status, a state, a kind or a decision is the one /vocab
gives for its key. The reports /vocab lists are the ones /reports/{name} and `baoxue report`
offer. The audit trail names a task one way from the command line and the server, and a search
finds it under every spelling. SQLite, and PostgreSQL as the .pg variant.
"""

import json
import subprocess
import unittest
import urllib.parse

from harness import BIN, TOWN, DemoServerTest, db_rows, db_value, env


TONES = {None, "ok", "warn", "bad", "muted", "info"}
NAMES = {"absence_kinds", "statuses", "stages", "task_states", "verify_outcomes", "registration_problems",
         "case_states", "reasons", "methods", "ladder_steps", "case_outcomes", "assignee_roles",
         "org_kinds", "event_kinds", "kinds", "batch_states", "job_states",
         "registration_statuses", "enroll_statuses", "link_verdicts", "review_decisions", "roles",
         "departments", "audit_objects", "audit_actions", "reports", "placement_kinds",
         "priority_groups", "atrisk_factors",
         "rectify_states"}  # issue 17


class VocabTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("police", "--role", "department", "--department", "公安")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        assert "Sanitizer" not in cls.server_log, cls.server_log[-4000:]

    def vocab(self, who="county"):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", "/api/v1/vocab", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return j

    def get(self, path, who="county"):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, 200, (path, j))
        return j

    def labels(self, v, name):
        return {w["key"]: w["label"] for w in v[name]}

    def test_shape(self):
        v = self.vocab()
        self.assertEqual(set(v), NAMES)
        for name, words in v.items():
            self.assertTrue(words, name)
            keys = [w["key"] for w in words]
            self.assertEqual(len(keys), len(set(keys)), name)
            for w in words:
                self.assertRegex(w["key"], r"^[a-z0-9_-]+$", (name, w))
                self.assertRegex(w["label"], r"[\u4e00-\u9fff]", (name, w))
                self.assertNotRegex(w["label"], r"[A-Za-z]", (name, w))
                self.assertIn(w["tone"], TONES, (name, w))
        # in the order the screens list them, with the colours of their badges
        st = v["statuses"]
        self.assertEqual((st[0]["key"], st[0]["label"], st[0]["tone"]), ("enrolled", "本县在读", "ok"))
        self.assertEqual(self.labels(v, "case_states"),
                         {"open": "劝返中", "returned": "已返校，巩固回访中", "closed": "已销号"})
        self.assertEqual([w["tone"] for w in v["case_states"]], ["bad", "ok", "muted"])
        self.assertEqual([w["key"] for w in v["ladder_steps"]],
                         ["education", "order", "penalty", "enforcement"])
        pop = v["kinds"][0]
        self.assertEqual((pop["key"], pop["label"], pop["title"]), ("population", "户籍", "户籍适龄儿童"))
        police = next(d for d in v["departments"] if d["key"] == "police")
        self.assertEqual((police["label"], police["kinds"]), ("公安", ["population"]))
        # the same for every account: a department reads the words too, and nothing personal
        self.assertEqual(self.vocab("police"), v)

    def test_signed_out_and_cache(self):
        r, j, _ = self.call("GET", "/api/v1/vocab")
        self.assertEqual(r.status, 401, j)
        self.assertRegex(j["error"]["message"], r"[\u4e00-\u9fff]")
        cookie, _ = self.login("sup")
        r, _, data = self.call("GET", "/api/v1/vocab", cookie=cookie)
        etag = r.getheader("ETag")
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')
        self.assertIn("no-cache", r.getheader("Cache-Control"))
        self.assertNotIn("no-store", r.getheader("Cache-Control"))
        r2, _, data2 = self.call("GET", "/api/v1/vocab", cookie=cookie)
        self.assertEqual((r2.getheader("ETag"), data2), (etag, data))  # the same bytes
        r3, _, data3 = self.call("GET", "/api/v1/vocab", cookie=cookie,
                                 headers={"If-None-Match": etag})
        self.assertEqual((r3.status, data3), (304, b""))
        r4, _, data4 = self.call("GET", "/api/v1/vocab", cookie=cookie,
                                 headers={"If-None-Match": '"0000"'})
        self.assertEqual((r4.status, data4), (200, data))

    def test_list_labels_are_the_vocabulary(self):
        v = self.vocab()
        statuses, cases = self.labels(v, "statuses"), self.labels(v, "case_states")
        tasks, kinds = self.labels(v, "task_states"), self.labels(v, "kinds")
        for status in ("suspected", "school_age"):
            items = self.get("/api/v1/children?per_page=200&status=" + status)["items"]
            self.assertTrue(items)
            for c in items:
                self.assertEqual(c["status_label"], statuses[c["status"]], c)
        verify = self.get("/api/v1/verify?state=all")["tasks"]
        self.assertTrue(verify)
        for t in verify:
            self.assertEqual(t["state"], tasks[t["state_key"]] + ("（逾期）" if t["overdue"] else ""))
            self.assertIn(t["suspected"], statuses.values())
        listed = self.get("/api/v1/cases?state=all")["cases"]
        self.assertTrue(listed)
        for c in listed:
            self.assertEqual(c["state"], cases[c["state_key"]], c)
            one = self.get("/api/v1/cases/%d" % c["case_id"])
            self.assertEqual(one["state_label"], cases[one["state"]])
            for e in one["timeline"]:
                self.assertEqual(e["kind_label"], self.labels(v, "event_kinds")[e["kind"]])
        task = self.get("/api/v1/verify/%d" % verify[0]["task_id"])
        self.assertEqual(task["state_label"], tasks[task["state"]])
        decisions = self.labels(v, "review_decisions")
        pairs = self.get("/api/v1/review?all=1")["pairs"]
        self.assertTrue(pairs)
        for p in pairs:
            self.assertEqual(p["decision"], decisions[p["decision_key"]], p)
        for b in self.get("/api/v1/imports")["items"]:
            self.assertEqual(b["state_label"], self.labels(v, "batch_states")[b["state"]])
            self.assertEqual(b["kind_label"], kinds[b["kind"]])
        for p in self.get("/api/v1/people?all=1")["people"]:
            self.assertEqual(p["org_kind"], self.labels(v, "org_kinds")[p["org_kind_key"]])
        for u in self.get("/api/v1/users", "admin")["items"]:
            self.assertEqual(u["role_label"], self.labels(v, "roles")[u["role"]])
        for a in self.get("/api/v1/audit?per_page=500", "admin")["items"]:
            self.assertEqual(a["action_label"], self.labels(v, "audit_actions")[a["action"]], a)
        for t in self.get("/api/v1/tasks")["tasks"]:
            label = self.labels(v, "audit_objects")[t["object"]]
            oid = str(t["object_id"])
            if t["object"] == "monthly":  # a month's 月报: its id is yyyymm, read as yyyy-mm
                oid = "%s-%s" % (oid[:4], oid[4:])
            self.assertEqual(t["ref"], "%s %s" % (label, oid))

    def test_reports_are_the_catalog(self):
        v = self.vocab()
        cookie, _ = self.login("county")
        names = [r["key"] for r in v["reports"]]
        self.assertIn("ledger-dropout", names)
        for rep in v["reports"]:
            # casework: 走访清单; cases: 残疾儿童安置登记册 (scoped by the function)
            self.assertIn(rep["perm"], ("summary", "children", "casework", "cases"))
            r, j, _ = self.call("GET", "/api/v1/reports/%s?format=json" % rep["key"], cookie=cookie)
            self.assertEqual(r.status, 200, (rep["key"], j))
        r, j, _ = self.call("GET", "/api/v1/reports/nonsense", cookie=cookie)
        self.assertEqual(r.status, 404)
        # a person is told the reports by their titles, not the path's English names
        for rep in v["reports"]:
            self.assertIn("《%s》" % rep["label"], j["error"]["message"])
        self.assertNotRegex(j["error"]["message"], "[a-z]")
        # the command line offers the same reports, but the list on screen
        p = subprocess.run([BIN, "report", "--db", self.db, "nonsense"], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 2)
        err = p.stderr.decode()
        for rep in v["reports"]:
            if "list" in rep["takes"]:
                self.assertNotIn(rep["key"], err)
            else:
                self.assertIn(rep["key"], err)
        p = subprocess.run([BIN, "report", "--db", self.db, "summary", "--status", "辍学"],
                           env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 2)
        takers = [r["key"] for r in v["reports"] if "status" in r["takes"]]
        self.assertIn("--status 只用于 %s 报表" % "、".join(takers), p.stderr.decode())

    def test_audit_names_a_task_one_way(self):
        task = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE state = 'open'"
                                     " AND township_code = '%s'" % TOWN))
        cookie, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/verify/%d?full=1" % task, cookie=cookie)
        self.assertEqual(r.status, 403, j)  # a township account: no full read, nothing audited
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/verify/%d?full=1" % task, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        p = subprocess.run([BIN, "verify", "--db", self.db, "show", str(task), "--full"],
                           env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        rows = db_rows(self.db, "SELECT origin, target FROM audit WHERE action = 'read_full'"
                                " AND target LIKE '%%:%d'" % task)
        self.assertEqual({t for _, t in rows}, {"task:%d" % task})  # one spelling
        self.assertEqual({o.split(" ")[0] for o, _ in rows}, {"api", "cli"})  # both front ends
        for spelling in ("task:%d" % task, "verify_task:%d" % task, "核查任务 %d" % task):
            items = self.get("/api/v1/audit?action=read_full&target=" +
                             urllib.parse.quote(spelling), "admin")["items"]
            self.assertEqual(len(items), 2, spelling)
            self.assertEqual({i["target_label"] for i in items}, {"核查任务 %d" % task})
            p = subprocess.run([BIN, "audit", "--db", self.db, "--action", "read_full",
                                "--target", spelling, "--json"], env=env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            self.assertEqual(json.loads(p.stdout)["total"], 2, spelling)


if __name__ == "__main__":
    unittest.main()
