"""预警名单 and 结对 (issue 16), black box on the demo county: `baoxue report at-risk` lists the
children still at school whose score reaches the threshold, each with its factors; a school
account reads its own pupils, a township its children, a department nothing; the child's school
pairs a teacher over the API (a name not in the registry registered as its teacher), the list
and the child record show it, another school may not, and ending it works once; the weights are
settings; bad input is refused in Chinese with nothing stored. The demo county's drifting pupils
are listed for their 旷课 of this term, the days counted as the attendance table has them.
"""

import json
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, Api, db_rows, db_scalar, demo_county, drain, env, start_server, stop_drained


class AtRisk(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-atrisk-")
        cls.db = demo_county(cls.dir, 2000)
        rep = cls.cli_json("report", "--db", cls.db, "at-risk", "--format", "json")
        cls.kids = rep["children"]
        assert len(cls.kids) >= 3, rep
        cls.kid = cls.kids[0]
        cls.school_code = cls.kid["school_code"]
        cls.other_code = next(k["school_code"] for k in cls.kids if k["school_code"] != cls.school_code)
        cls.town = cls.kid["township_code"]
        for name, args in [("county", ["--role", "county"]),
                           ("sch", ["--role", "school", "--school", cls.school_code]),
                           ("sch2", ["--role", "school", "--school", cls.other_code]),
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

    @classmethod
    def cli_json(cls, *args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env(), timeout=120)
        assert p.returncode == 0, p.stderr.decode()
        return json.loads(p.stdout.decode())

    def get(self, who, path):
        s = self.login(who)
        return self.call("GET", path, cookie=s[0])

    def test_the_list(self):
        threshold = 20
        statuses = {c["record_id"]: c["status"] for c in
                    self.cli_json("report", "--db", self.db, "children", "--format", "json")["children"]}
        for k in self.kids:
            self.assertGreaterEqual(k["score"], threshold)
            self.assertTrue(k["factors"])
            self.assertEqual(statuses[k["record_id"]], "enrolled")
            self.assertNotIn("_", k["factors"])  # prose, no keys
        self.assertIn("13至15岁且父母外出务工", " ".join(k["factors"] for k in self.kids))
        # by township, then school, then score
        order = [(k["township_code"], k["school"], -k["score"]) for k in self.kids]
        self.assertEqual(order, sorted(order))
        # the command line's JSON has the full IDs for systems; --mask masks them
        masked = self.cli_json("report", "--db", self.db, "at-risk", "--format", "json", "--mask")
        self.assertIn("*", masked["children"][0]["id_number"])

    def test_scope(self):
        r, j, _ = self.get("sch", "/api/v1/reports/at-risk")
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["children"])
        self.assertEqual({k["school_code"] for k in j["children"]}, {self.school_code})
        self.assertIn("*", j["children"][0]["id_number"])  # masked on the server
        r, j, _ = self.get("tz", "/api/v1/reports/at-risk")
        self.assertEqual(r.status, 200, j)
        self.assertEqual({k["township_code"] for k in j["children"]}, {self.town})
        r, j, _ = self.get("dept", "/api/v1/reports/at-risk")
        self.assertEqual(r.status, 403, j)
        self.assertIn("预警名单", j["error"]["message"])
        for who, has in [("sch", True), ("tz", True), ("county", True), ("dept", False)]:
            r, j, _ = self.get(who, "/api/v1/session")
            self.assertEqual("atrisk_read" in j["user"]["permissions"], has, who)

    def test_pairing(self):
        rid = self.kid["record_id"]
        s = self.login("sch")
        # no teacher: refused, naming the field, nothing stored
        r, j, _ = self.call("PUT", "/api/v1/children/%d/pairing" % rid, {}, cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 400, j)
        self.assertEqual(j["error"]["field"], "teacher")
        self.assertIn("结对教师", j["error"]["message"])
        self.assertEqual(int(db_scalar(self.db, "SELECT count(*) FROM pairing")), 0)
        # another school: not its pupil
        s2 = self.login("sch2")
        r, j, _ = self.call("PUT", "/api/v1/children/%d/pairing" % rid, {"teacher": "周老师"},
                            cookie=s2[0], csrf=s2[1])
        self.assertEqual(r.status, 404, j)
        # the township reads, does not pair
        t = self.login("tz")
        r, j, _ = self.call("PUT", "/api/v1/children/%d/pairing" % rid, {"teacher": "周老师"},
                            cookie=t[0], csrf=t[1])
        self.assertIn(r.status, (403, 404), j)
        # the school: a new teacher, registered as its own
        r, j, _ = self.call("PUT", "/api/v1/children/%d/pairing" % rid,
                            {"teacher": "周晓梅", "note": "每周谈心一次"}, cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 200, j)
        self.assertIn("已登记为本校结对教师", j["message"])
        org = db_rows(self.db, "SELECT org FROM person WHERE name = '周晓梅'")
        self.assertEqual(org, [[self.kid["school"]]])
        r, j, _ = self.get("sch", "/api/v1/reports/at-risk")
        row = next(k for k in j["children"] if k["record_id"] == rid)
        self.assertEqual(row["teacher"], "周晓梅")
        r, w, _ = self.get("sch", "/api/v1/children/%d/casework" % rid)
        self.assertEqual(r.status, 200, w)
        a = w["at_risk"]
        self.assertTrue(a["listed"])
        self.assertTrue(a["may_pair"])
        self.assertEqual(a["pairing"]["teacher"], "周晓梅")
        self.assertEqual(a["score"], self.kid["score"])
        self.assertTrue(any(e["kind"] == "pairing" for e in w["timeline"]))
        # a township reads the score, may not pair
        r, w, _ = self.get("tz", "/api/v1/children/%d/casework" % rid)
        self.assertFalse(w["at_risk"]["may_pair"])
        # ended once; twice is refused
        r, j, _ = self.call("POST", "/api/v1/children/%d/pairing/end" % rid, {"note": "教师调离"},
                            cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/children/%d/pairing/end" % rid, {}, cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 400, j)
        self.assertIn("没有结对教师", j["error"]["message"])

    def test_unexcused_absence(self):
        # the demo county's term of attendance has pupils drifting away: listed for their 旷课
        absent = [k for k in self.kids if "本学期旷课" in k["factors"]]
        self.assertTrue(absent, [k["factors"] for k in self.kids])
        k = absent[0]
        days = int(k["factors"].split("本学期旷课 ")[1].split(" 天")[0])
        # the days are the 旷课 rows of the child's 学籍 record this term (the autumn term)
        self.assertEqual(days, int(db_scalar(
            self.db, "SELECT count(*) FROM attendance a JOIN record r ON r.id = a.record_id"
            " WHERE r.school_code = '%s' AND r.name = '%s' AND a.kind = 'unexcused'"
            " AND a.on_date >= '2026-09-01'" % (k["school_code"], k["name"].replace("'", "''")))))
        # the child record explains it, with its points
        r, w, _ = self.get("county", "/api/v1/children/%d/casework" % k["record_id"])
        self.assertEqual(r.status, 200, w)
        f = next(f for f in w["at_risk"]["factors"] if f["key"] == "absence")
        self.assertEqual(f["label"], "旷课")
        self.assertIn("本学期旷课 %d 天" % days, f["detail"])
        self.assertEqual(f["weight"], min(5 * days, 40))
        # the weight a day is a setting; 0 leaves the factor out
        p = subprocess.run([BIN, "settings", "--db", self.db, "set", "atrisk_weight_absence", "0"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        try:
            kids = self.cli_json("report", "--db", self.db, "at-risk", "--format", "json")["children"]
            self.assertNotIn("旷课", " ".join(x["factors"] for x in kids))
        finally:
            subprocess.run([BIN, "settings", "--db", self.db, "unset", "atrisk_weight_absence"],
                           env=env(), timeout=60, check=True, stdout=subprocess.DEVNULL)
        p = subprocess.run([BIN, "settings", "--db", self.db, "set", "atrisk_absence_cap", "5000"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("0 到 1000", p.stderr.decode())

    def test_weights_are_settings(self):
        p = subprocess.run([BIN, "settings", "--db", self.db, "set", "atrisk_weight_away", "0"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        try:
            kids = self.cli_json("report", "--db", self.db, "at-risk", "--format", "json")["children"]
            self.assertNotIn("父母外出务工", " ".join(k["factors"] for k in kids))
            self.assertLess(len(kids), len(self.kids))
        finally:
            subprocess.run([BIN, "settings", "--db", self.db, "unset", "atrisk_weight_away"],
                           env=env(), timeout=60, check=True, stdout=subprocess.DEVNULL)
        p = subprocess.run([BIN, "settings", "--db", self.db, "set", "atrisk_threshold", "0"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("1 到 1000", p.stderr.decode())


if __name__ == "__main__":
    unittest.main()
