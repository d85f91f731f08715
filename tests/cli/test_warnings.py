"""Attendance warnings (issue 16), black box on the demo county: three unexcused school days
recorded by the school make a warning for the class teacher; seven make a verification task for
the township with the absences as its evidence; a school's sheet imported makes one too; an
excused week and a sick week make nothing; a
corrected day withdraws a warning; the school records the contact and passes a warning up, the
township answers only what was passed to it, another school sees none of it; `baoxue warnings`
filters by school, township and state, and `baoxue report warnings` answers {as_of, warnings}.
"""

import json
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, Api, db_rows, db_scalar, demo_county, drain, env, start_server,
                     stop_drained)

# the tests' today is Friday 2026-11-20 (harness.TODAY)
WEEK = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]
NEXT = ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"]
LAST = ["2026-11-16", "2026-11-17", "2026-11-18"]


class Warnings(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-warnings-")
        cls.db = demo_county(cls.dir, 2000)
        enr = "(SELECT max(id) FROM batch WHERE kind = 'enrollment')"
        pop = "(SELECT max(id) FROM batch WHERE kind = 'population')"
        # pupils with a 学籍号 and no absence yet, in the register of one township, of one school
        rows = db_rows(
            cls.db, "SELECT r.school_code, r.student_no, p.township_code, p.id FROM record r"
                    " JOIN record p ON p.id_number = r.id_number AND p.batch_id = %s"
                    " WHERE r.batch_id = %s AND r.enroll_status = 'active' AND r.student_no <> ''"
                    " AND p.township_code <> '' AND NOT EXISTS (SELECT 1 FROM attendance a"
                    " WHERE a.pupil_key = 'I:' || r.id_number) ORDER BY r.school_code, p.township_code,"
                    " r.id" % (pop, enr))
        groups = {}
        for school, no, town, rec in rows:
            groups.setdefault((school, town), []).append((no, rec))
        (cls.school, cls.town), cls.pupils = next((k, v) for k, v in groups.items() if len(v) >= 5)
        cls.other_school = next(k[0] for k in groups if k[0] != cls.school)
        for name, args in [("sch", ["--role", "school", "--school", cls.school]),
                           ("sch2", ["--role", "school", "--school", cls.other_school]),
                           ("tz", ["--role", "township", "--township", cls.town])]:
            cls.user_add(name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

    def cli(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env(), timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def absent(self, pupil, days, kind="旷课"):
        out = ""
        for d in days:
            code, o, err = self.cli("attendance", "record", "--school", self.school, "--date", d,
                                    "--kind", kind, "--pupils", pupil)
            self.assertEqual(code, 0, err)
            out += o
        return out

    def warnings_of(self, record_id):
        code, out, err = self.cli("warnings", "--format", "json", "--state", "全部", "--school",
                                  self.school)
        self.assertEqual(code, 0, err)
        return [w for w in json.loads(out)["warnings"] if str(w.get("child_record")) == record_id]

    def test_1_three_days_warn_seven_open_a_task(self):
        (a, ra), (b, rb), (c, rc) = self.pupils[0], self.pupils[1], self.pupils[2]
        # two days: nothing yet; the third: a warning, said in the message
        out = self.absent(a, WEEK[:2])
        self.assertNotIn("预警", out)
        self.assertEqual(self.warnings_of(ra), [])
        out = self.absent(a, WEEK[2:3])
        self.assertIn("新发出考勤预警 1 条", out)
        [w] = self.warnings_of(ra)
        self.assertEqual((w["kind"], w["consecutive_days"], w["first_day"], w["last_day"]),
                         ("连续旷课", 3, WEEK[0], WEEK[2]))
        self.assertEqual(w["state_key"], "new")
        self.assertEqual(w["handled_by"], "班主任")
        self.assertIsNone(w.get("task_id"))
        # seven school days over the weekend: suspected dropout, a task for the township
        tasks = db_scalar(self.db, "SELECT count(*) FROM verify_task")
        out = self.absent(b, WEEK + NEXT[:2])
        self.assertIn("已报乡镇核查", out)
        [w] = self.warnings_of(rb)
        self.assertEqual(w["consecutive_days"], 7)
        self.assertEqual(w["state_key"], "escalated")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM verify_task"), tasks + 1)
        task = w["task_id"]
        self.assertEqual(str(db_scalar(self.db, "SELECT township_code FROM verify_task WHERE id"
                                       " = %s" % task)), self.town)
        code, out, err = self.cli("verify", "show", str(task))
        self.assertEqual(code, 0, err)
        self.assertIn("考勤证据", out)
        self.assertIn("连续 7 个上课日旷课", out)
        # an excused week and a sick week: nothing
        self.absent(c, WEEK, "事假")
        self.absent(c, NEXT, "病假")
        self.assertEqual(self.warnings_of(rc), [])
        # a day of the first corrected (it was 病假): the run is two days, the warning withdrawn
        code, out, err = self.cli("attendance", "record", "--school", self.school, "--date",
                                  WEEK[1], "--kind", "病假", "--pupils", a)
        self.assertEqual(code, 0, err)
        self.assertIn("自动解除", out)
        [w] = self.warnings_of(ra)
        self.assertEqual(w["state_key"], "resolved")
        self.assertIn("考勤更正", w["outcome"])
        # recorded as 旷课 again after all: the same warning, open again
        self.absent(a, WEEK[1:2])
        [w2] = self.warnings_of(ra)
        self.assertEqual((w2["id"], w2["state_key"], w2["consecutive_days"]), (w["id"], "new", 3))

    def test_1b_a_sheet_makes_a_warning(self):
        e, re_ = self.pupils[4]
        path = "%s/考勤.csv" % self.dir
        with open(path, "w", encoding="utf-8") as f:
            f.write("日期,学籍号,类型,原因\n")
            for d in NEXT[:4]:
                f.write("%s,%s,旷课,未到校\n" % (d, e))
        code, out, err = self.cli("import", "--kind", "考勤", path, "--school", self.school)
        self.assertEqual(code, 0, err)
        self.assertIn("新发出考勤预警 1 条", out)
        [w] = self.warnings_of(re_)
        self.assertEqual((w["consecutive_days"], w["first_day"]), (4, NEXT[0]))

    def test_2_contact_escalate_by_role(self):
        d, rd = self.pupils[3]
        self.absent(d, LAST)
        [w] = self.warnings_of(rd)
        wid = w["id"]
        tz = self.login("tz")
        # the township: not yet its (the school has not passed it up)
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/contact" % wid, {"outcome": "入户"}, *tz)
        self.assertError(r, j, 403)
        # another school: no such warning
        s2 = self.login("sch2")
        r, j, _ = self.call("GET", "/api/v1/warnings/%d" % wid, cookie=s2[0])
        self.assertError(r, j, 404)
        r, j, _ = self.call("GET", "/api/v1/warnings?state=all", cookie=s2[0])
        self.assertEqual(r.status, 200, j)
        self.assertNotIn(wid, [x["id"] for x in j["warnings"]])
        # the school: a contact without its outcome is refused, then recorded
        sch = self.login("sch")
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/contact" % wid, {"outcome": ""}, *sch)
        self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/contact" % wid,
                            {"outcome": "家长说孩子生病没请假，明天返校", "person": "班主任李老师"},
                            *sch)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/warnings/%d" % wid, cookie=sch[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["state"], "contacted")
        self.assertEqual(j["person"], "班主任李老师")
        self.assertEqual([h["action"] for h in j["history"]], ["opened", "contact"])
        self.assertIn("escalate", j["may"])
        # passed up: now the township's, which resolves it
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/escalate" % wid,
                            {"outcome": "家长仍未送回"}, *sch)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/warnings?state=escalated", cookie=tz[0])
        self.assertEqual(r.status, 200, j)
        self.assertIn(wid, [x["id"] for x in j["warnings"]])
        # … and an item of its 待办, which the school's passing put there
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=tz[0])
        self.assertEqual(r.status, 200, j)
        mine = [t for t in j["tasks"] if t["object"] == "warning" and t["object_id"] == str(wid)]
        self.assertEqual(len(mine), 1, j["tasks"][:3])
        self.assertIn("学校上报", mine[0]["item"])
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/resolve" % wid,
                            {"outcome": "乡镇干部入户，学生已返校"}, *tz)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("POST", "/api/v1/warnings/%d/resolve" % wid, {"outcome": "再次"}, *tz)
        self.assertError(r, j, 400)
        # the audit trail names each step in Chinese
        self.assertGreaterEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action ="
                                                   " 'warning_update'"), 3)

    def test_3_report_and_filters(self):
        code, out, err = self.cli("report", "warnings", "--format", "json")
        self.assertEqual(code, 0, err)
        j = json.loads(out)
        self.assertIn("as_of", j)
        self.assertTrue(j["warnings"])
        for w in j["warnings"]:
            for k in ("id_number", "name", "school", "kind", "consecutive_days", "state"):
                self.assertIn(k, w)
        # over the API a school reads its own, masked
        sch = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/reports/warnings?format=json", cookie=sch[0])
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["warnings"])
        self.assertTrue(all("*" in w["id_number"] for w in j["warnings"]), j["warnings"][:1])
        self.assertEqual({w["school_code"] for w in j["warnings"]}, {self.school})
        # the demo county's pupils drifting away: warnings of each level alive
        levels = {w["evidence"].split("；")[-1][:4] for w in j["warnings"]}
        self.assertTrue(any("辍学" in x for x in levels), levels)
        # a state that is none is refused in Chinese
        code, out, err = self.cli("warnings", "--state", "很急")
        self.assertNotEqual(code, 0)
        self.assertIn("不是预警状态", err)
        # refresh: the same warnings again, nothing new
        code, out, err = self.cli("warnings", "refresh")
        self.assertEqual(code, 0, err)
        self.assertIn("新预警 0 条", out)


if __name__ == "__main__":
    unittest.main()
