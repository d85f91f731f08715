"""人籍分离 (issue 16), black box on the demo county: `baoxue report separation` lists, per
school, the pupils whose 学籍 is at the school but who have been absent unexcused for at least
N consecutive school days (the setting warning_dropout_days), those a class teacher's note
or another school's attendance places at another school, and those whose 学籍 left the school
while its attendance still reported them — each with the evidence and what the school must do;
--school narrows it, the setting changes N, xlsx and csv are written, bad input is refused in
Chinese; over the API a school reads its own rows, a township its children, a department
nothing, and IDs are masked unless asked for in full.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from urllib.parse import quote

from harness import BIN, Api, db_rows, demo_county, drain, env, start_server, stop_drained


class Separation(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-separation-")
        cls.db = demo_county(cls.dir, 2000)
        cls.rep = cls.cli_json("report", "--db", cls.db, "separation", "--format", "json")
        rows = cls.rep["pupils"]
        cls.mismatch = [r for r in rows if r["kind_key"] == "mismatch"]
        cls.elsewhere = [r for r in rows if r["kind_key"] == "elsewhere"]
        cls.absent = [r for r in rows if r["kind_key"] == "absent"]
        assert cls.mismatch and cls.elsewhere and cls.absent, rows
        cls.school = cls.mismatch[0]["school_code"]
        named = {cls.school} | {r["other_school"] for r in cls.mismatch} | \
            {r["school"] for r in cls.mismatch}
        cls.other = next(r["school_code"] for r in cls.absent
                         if r["school_code"] not in named and r["school"] not in named)
        pop = "(SELECT max(id) FROM batch WHERE kind = 'population')"
        ids = ",".join(str(r["record_id"]) for r in cls.absent)
        cls.town, cls.town_rid = db_rows(
            cls.db, "SELECT p.township_code, r.id FROM record p JOIN record r ON"
                    " r.id_number = p.id_number WHERE p.batch_id = %s AND r.id IN (%s)"
                    " ORDER BY r.id LIMIT 1" % (pop, ids))[0]
        for name, args in [("county", ["--role", "county"]),
                           ("sch", ["--role", "school", "--school", cls.school]),
                           ("sch2", ["--role", "school", "--school", cls.other]),
                           ("tz", ["--role", "township", "--township", cls.town]),
                           ("dept", ["--role", "department", "--department", "民政"])]:
            cls.user_add(name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

    @staticmethod
    def cli(*args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                           timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    @classmethod
    def cli_json(cls, *args):
        code, out, err = cls.cli(*args)
        assert code == 0, err
        return json.loads(out)

    def get(self, who, path):
        s = self.login(who)
        return self.call("GET", path, cookie=s[0])

    def test_1_the_three_kinds(self):
        self.assertEqual(self.rep["absent_days"], 20)
        for r in self.absent:
            self.assertGreaterEqual(r["days"], 20)
            self.assertRegex(r["evidence"], r"^自 \d{4}-\d\d-\d\d 起连续 \d+ 个上课日旷课$")
            self.assertIn("辍学", r["action"])
            self.assertEqual(r["kind"], "长期旷课未到校")
        # the class teacher's note names the school the pupil attends
        e = self.elsewhere[0]
        self.assertIn("借读", e["evidence"])
        self.assertIn(e["other_school"], e["evidence"])
        self.assertIn("转学", e["action"])
        self.assertNotIn(e["record_id"], [r["record_id"] for r in self.absent])
        # the 学籍 moved while the old school's attendance still has the pupil
        self.assertEqual(len(self.mismatch), 2)
        for r in self.mismatch:
            self.assertIn("学籍已转出至" + r["other_school"], r["evidence"])
            self.assertIn("仍有考勤记录", r["evidence"])
            self.assertNotEqual(r["other_school"], r["school"])
        for r in self.rep["pupils"]:
            self.assertTrue(r["school"] and r["name"] and r["action"])
            self.assertNotIn("*", r["id_number"])  # the command line's JSON: full for systems
        # per school
        names = [r["school"] for r in self.rep["pupils"]]
        self.assertEqual(names, sorted(names))
        self.assertEqual(self.rep["count_absent"], len(self.absent))

    def test_2_files_and_school(self):
        xlsx = os.path.join(self.dir, "人籍分离.xlsx")
        code, out, err = self.cli("report", "separation", "--db", self.db, "--format", "xlsx",
                                  "-o", xlsx)
        self.assertEqual(code, 0, err)
        with open(xlsx, "rb") as f:
            self.assertEqual(f.read(2), b"PK")
        path = os.path.join(self.dir, "sep.csv")
        code, out, err = self.cli("report", "separation", "--db", self.db, "--format", "csv",
                                  "-o", path)
        self.assertEqual(code, 0, err)
        with open(path, encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:4], ["序号", "学校", "类型", "姓名"])
        self.assertIn("*", rows[1][5])  # masked in a file
        # --school: the rows the school acts on or is named in
        name = self.mismatch[0]["school"]
        j = self.cli_json("report", "separation", "--db", self.db, "--format", "json",
                          "--school", name)
        self.assertTrue(j["pupils"])
        for r in j["pupils"]:
            self.assertTrue(r["school_code"] == self.school or r["other_school"] == name, r)
        code, out, err = self.cli("report", "separation", "--db", self.db, "--school", "没有的学校")
        self.assertEqual(code, 2)
        self.assertIn("当前学籍名单中没有学校“没有的学校”", err)
        code, out, err = self.cli("report", "separation", "--db", self.db, "--township", "火星乡")
        self.assertEqual(code, 2)
        self.assertIn("不是本县的乡镇", err)
        code, out, err = self.cli("report", "at-risk", "--db", self.db, "--school", name)
        self.assertEqual(code, 2)
        self.assertIn("--school 只用于 separation", err)

    def test_3_setting(self):
        code, out, err = self.cli("settings", "set", "--db", self.db, "warning_dropout_days", "7")
        self.assertEqual(code, 0, err)
        try:
            j = self.cli_json("report", "separation", "--db", self.db, "--format", "json")
            absent = [r for r in j["pupils"] if r["kind_key"] == "absent"]
            self.assertEqual(j["absent_days"], 7)
            self.assertGreater(len(absent), len(self.absent))
            self.assertTrue(any(7 <= r["days"] < 20 for r in absent))
        finally:
            self.cli("settings", "set", "--db", self.db, "warning_dropout_days", "20")
        code, out, err = self.cli("settings", "set", "--db", self.db, "warning_dropout_days", "1")
        self.assertEqual(code, 2)

    def test_4_api_scope(self):
        r, j, _ = self.get("county", "/api/v1/reports/separation")
        self.assertEqual(r.status, 200, j)
        self.assertEqual(len(j["pupils"]), len(self.rep["pupils"]))
        self.assertIn("*", j["pupils"][0]["id_number"])  # masked on the server
        r, j, _ = self.get("county", "/api/v1/reports/separation?school=" + quote(self.school))
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["pupils"])
        # a school: the rows it must act on, or that name it
        r, j, _ = self.get("sch", "/api/v1/reports/separation")
        self.assertEqual(r.status, 200, j)
        mine = [x for x in self.rep["pupils"] if x["school_code"] == self.school
                or x["other_school"] == self.mismatch[0]["school"]]
        self.assertEqual(len(j["pupils"]), len(mine))
        self.assertIn("mismatch", {x["kind_key"] for x in j["pupils"]})
        # another school's is not its to ask for; its own has none of the first school's rows
        r, j, _ = self.get("sch2", "/api/v1/reports/separation?school=" + quote(self.school))
        self.assertEqual(r.status, 403, j)
        self.assertIn("本校", j["error"]["message"])
        r, j, _ = self.get("sch2", "/api/v1/reports/separation")
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["pupils"])
        self.assertNotIn(self.mismatch[0]["record_id"], [x["record_id"] for x in j["pupils"]])
        # a township: the children its 户籍 list registers
        r, j, _ = self.get("tz", "/api/v1/reports/separation")
        self.assertEqual(r.status, 200, j)
        self.assertIn(int(self.town_rid), [x["record_id"] for x in j["pupils"]])
        self.assertLess(len(j["pupils"]), len(self.rep["pupils"]))
        r, j, _ = self.get("dept", "/api/v1/reports/separation")
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.get("county", "/api/v1/reports/separation?format=xlsx")
        self.assertEqual(r.status, 200)


if __name__ == "__main__":
    unittest.main()
