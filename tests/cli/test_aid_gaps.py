"""应助尽助核查表 (baoxue report aid-gaps), black box, measured against the demo county's truth:
every priority pupil the generator left without aid (no_aid) and every payment it made to a
child out of school or outside the county (not_in_school, not_in_county) is found, and nothing
else; the same through the API, where a school account sees only its own school and a township
account only its township, with masked IDs.
"""

import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, Api, db_rows, demo_county, drain, env, mask_id, start_server,
                     stop_drained)


class AidGaps(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-aid-")
        cls.db = demo_county(cls.dir, 4000)
        out = os.path.join(cls.dir, "demo")
        with open(os.path.join(out, "ground_truth.csv"), encoding="utf-8") as f:
            cls.true_id = {r["key"]: r["true_id"] for r in csv.DictReader(f)}
        with open(os.path.join(out, "truth_group_findings.csv"), encoding="utf-8") as f:
            cls.findings = [r for r in csv.DictReader(f) if r["list"] == "aid"]
        rows = db_rows(cls.db, "SELECT r.id FROM record r JOIN batch b ON b.id = r.batch_id"
                               " WHERE b.kind = 'aid' ORDER BY r.row_no")
        cls.aid_record = {str(i + 1): row[0] for i, row in enumerate(rows)}  # data row → record
        cls.user_add("county", "--role", "county")
        p = subprocess.run([BIN, "report", "--db", cls.db, "aid-gaps", "--format", "json", "--full"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=300)
        assert p.returncode == 0, p.stderr.decode()
        cls.full = json.loads(p.stdout)
        cls.proc = None

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread) if cls.proc else ""
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

    @classmethod
    def serve(cls):
        if not cls.proc:
            cls.proc, cls.port = start_server(cls.db)
            cls.log_lines, cls.log_thread = drain(cls.proc)

    def test_no_aid_found_as_planted(self):
        want = {self.true_id[f["key"]] for f in self.findings if f["finding"] == "no_aid"}
        self.assertTrue(want)
        got = {r["id_number"] for r in self.full["findings"] if r["kind"] == "no_aid"}
        self.assertEqual(got, want)  # recall and precision 100 % on the demo
        for r in self.full["findings"]:
            if r["kind"] == "no_aid":
                self.assertTrue(r["school"])
                self.assertTrue(r["groups"])
                self.assertNotEqual(r["groups"], ["留守儿童"])  # 留守 alone carries no aid

    def test_wrong_payments_found_as_planted(self):
        want = {(f["finding"], self.aid_record[f["row"]]) for f in self.findings
                if f["finding"] in ("not_in_school", "not_in_county")}
        self.assertTrue(want)
        got = {(r["kind"], r["aid_record"]) for r in self.full["findings"] if r["kind"] != "no_aid"}
        self.assertEqual(got, want)
        for r in self.full["findings"]:
            if r["kind"] != "no_aid":
                self.assertTrue(r["aid_item"] and r["amount"] and r["paid_date"], r)
                self.assertTrue(r["kind_label"].startswith("不应发放"))

    def test_masked_by_default_and_school_year(self):
        self.serve()
        c, _ = self.login("county")
        r, masked, _ = self.call("GET", "/api/v1/reports/aid-gaps", cookie=c)
        self.assertEqual(r.status, 200, masked)
        self.assertEqual(len(masked["findings"]), len(self.full["findings"]))
        for m, f in zip(masked["findings"], self.full["findings"]):
            self.assertEqual(m["id_number"], mask_id(f["id_number"]))
        self.assertEqual(masked["school_year"], self.full["school_year"])

    def test_a_school_sees_its_own_and_a_township_its_own(self):
        self.serve()
        gap = next(r for r in self.full["findings"] if r["kind"] == "no_aid")
        code = db_rows(self.db, "SELECT DISTINCT school_code FROM record WHERE school_name = '%s'"
                                " AND school_code IS NOT NULL" % gap["school"])[0][0]
        town = db_rows(self.db, "SELECT township_code FROM record WHERE id = %s" % gap["record_id"])[0][0]
        self.user_add("sch", "--role", "school", "--school", code)
        self.user_add("twn", "--role", "township", "--township", town)
        s, _ = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/reports/aid-gaps", cookie=s)
        self.assertEqual(r.status, 200, j)
        self.assertIn(gap["record_id"], [x["record_id"] for x in j["findings"]])
        self.assertTrue(all(x["school"] == gap["school"] for x in j["findings"]), j["findings"])
        self.assertTrue(all("*" in x["id_number"] for x in j["findings"]))
        t, _ = self.login("twn")
        r, j, _ = self.call("GET", "/api/v1/reports/aid-gaps", cookie=t)
        self.assertEqual(r.status, 200, j)
        self.assertIn(gap["record_id"], [x["record_id"] for x in j["findings"]])
        self.assertLess(len(j["findings"]), len(self.full["findings"]))
        c, _ = self.login("county")
        r, j, data = self.call("GET", "/api/v1/reports/aid-gaps?format=xlsx", cookie=c)
        self.assertEqual(r.status, 200)
        self.assertTrue(data.startswith(b"PK"))
        r, j, _ = self.call("GET", "/api/v1/vocab", cookie=c)
        self.assertIn("应助尽助核查表", [x["label"] for x in j["reports"]])

    def test_the_departments_that_pay_read_it_masked(self):
        """财政 and the student-aid centre read the findings about the payments they make, the
        whole county's, masked; other departments do not."""
        self.serve()
        self.user_add("zizhu", "--role", "department", "--department", "学生资助中心")
        self.user_add("caizheng", "--role", "department", "--department", "财政")
        self.user_add("minzheng", "--role", "department", "--department", "民政")
        for who in ("zizhu", "caizheng"):
            s, _ = self.login(who)
            r, j, _ = self.call("GET", "/api/v1/reports/aid-gaps", cookie=s)
            self.assertEqual(r.status, 200, (who, j))
            self.assertEqual(len(j["findings"]), len(self.full["findings"]))
            self.assertTrue(all("*" in x["id_number"] for x in j["findings"] if x["id_number"]))
            r, j, _ = self.call("GET", "/api/v1/reports/aid-gaps?full=1", cookie=s)
            self.assertEqual(r.status, 403, j)
            r, j, _ = self.call("GET", "/api/v1/session", cookie=s)
            self.assertIn("aid_read", j["user"]["permissions"])
            self.assertNotIn("care_read", j["user"]["permissions"])
            # nothing else of the children
            r, j, _ = self.call("GET", "/api/v1/reports/left-behind-care", cookie=s)
            self.assertEqual(r.status, 403, j)
        s, _ = self.login("minzheng")
        r, j, _ = self.call("GET", "/api/v1/reports/aid-gaps", cookie=s)
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.call("GET", "/api/v1/session", cookie=s)
        self.assertNotIn("aid_read", j["user"]["permissions"])


if __name__ == "__main__":
    unittest.main()
