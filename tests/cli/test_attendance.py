"""Attendance (issue 16), black box on the demo county: absences recorded with `baoxue attendance
record` and over the API by the pupils' school, refused with a Chinese reason (and nothing
stored) for a pupil the school does not have, on a weekend or a closed day, and for another
school or a township; re-recorded (replaced, audited) and removed (audited); a school's sheet
imported in both shapes — one row per absence with `baoxue import --kind 考勤`, a class's month
grid uploaded by the school — with the rejected rows and their reasons; the lists, a school by
day and class, the class teacher's day and the school days read back by each role in its reach.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from urllib.parse import quote

from harness import (BIN, Api, db_rows, db_scalar, demo_county, drain, env, multipart,
                     start_server, stop_drained)

MON, TUE, WED, THU, FRI = "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"
SAT = "2026-11-14"


class Attendance(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-attendance-")
        cls.db = demo_county(cls.dir, 2000)
        enr = "(SELECT max(id) FROM batch WHERE kind = 'enrollment')"
        # a class of at least six pupils with 学籍号, and a pupil of another school
        cls.school, cls.grade, cls.klass = db_rows(
            cls.db, "SELECT school_code, grade, class FROM record WHERE batch_id = %s"
                    " AND enroll_status = 'active' AND student_no <> '' GROUP BY school_code, grade,"
                    " class HAVING count(*) >= 6 ORDER BY school_code, grade, class LIMIT 1" % enr)[0]
        cls.pupils = db_rows(
            cls.db, "SELECT student_no, name, id FROM record WHERE batch_id = %s AND school_code = '%s'"
                    " AND grade = %s AND class = '%s' AND enroll_status = 'active' ORDER BY id"
                    % (enr, cls.school, cls.grade, cls.klass))
        cls.school_name = db_rows(cls.db, "SELECT school_name FROM record WHERE batch_id = %s AND"
                                          " school_code = '%s' LIMIT 1" % (enr, cls.school))[0][0]
        cls.other = db_rows(cls.db, "SELECT school_code, student_no FROM record WHERE batch_id = %s"
                                    " AND school_code <> '%s' AND enroll_status = 'active'"
                                    " AND student_no <> '' ORDER BY id LIMIT 1" % (enr, cls.school))[0]
        pop = "(SELECT max(id) FROM batch WHERE kind = 'population')"
        cls.town = db_rows(cls.db, "SELECT p.township_code FROM record p JOIN record r ON"
                                   " r.id_number = p.id_number WHERE p.batch_id = %s AND r.id = %s"
                                   % (pop, cls.pupils[2][2]))[0][0]
        for name, args in [("county", ["--role", "county"]),
                           ("sch", ["--role", "school", "--school", cls.school]),
                           ("sch2", ["--role", "school", "--school", cls.other[0]]),
                           ("tz", ["--role", "township", "--township", cls.town])]:
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

    def cli_json(self, *args):
        code, out, err = self.cli(*args)
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def count(self, where="1 = 1"):
        return db_scalar(self.db, "SELECT count(*) FROM attendance WHERE school_code = '%s' AND %s"
                                  % (self.school, where))

    def test_1_cli_records_and_refuses(self):
        p = self.pupils
        n = self.count("on_date = '%s'" % MON)
        code, out, err = self.cli("attendance", "record", "--db", self.db, "--school", self.school,
                                  "--date", MON, "--kind", "旷课", "--pupils", p[0][0],
                                  "--pupils", p[1][0], "--note", "未到校，电话未接")
        self.assertEqual(code, 0, err)
        self.assertIn("已记录 2026-11-16 旷课 2 名学生", out)
        self.assertEqual(self.count("on_date = '%s'" % MON), n + 2)
        # a pupil of another school among them: nothing recorded, the reason in Chinese
        code, out, err = self.cli("attendance", "record", "--db", self.db, "--school", self.school,
                                  "--date", TUE, "--kind", "病假", "--pupils", p[2][0],
                                  "--pupils", self.other[1])
        self.assertEqual(code, 2)
        self.assertIn("没有学生“%s”" % self.other[1], err)
        self.assertEqual(self.count("on_date = '%s' AND kind = 'sick' AND record_id = %s"
                                    % (TUE, p[2][2])), 0)
        # a Saturday
        code, out, err = self.cli("attendance", "record", "--db", self.db, "--school", self.school,
                                  "--date", SAT, "--kind", "病假", "--pupils", p[2][0])
        self.assertEqual(code, 2)
        self.assertIn("不是这所学校的上课日：是周末", err)
        # a closed day, then taken back
        code, out, err = self.cli("attendance", "close", "--db", self.db, "--school", self.school_name,
                                  "--from", WED, "--reason", "暴雪停课")
        self.assertEqual(code, 0, err)
        closure = db_scalar(self.db, "SELECT max(id) FROM school_closure")
        code, out, err = self.cli("attendance", "record", "--db", self.db, "--school", self.school,
                                  "--date", WED, "--kind", "病假", "--pupils", p[2][0])
        self.assertEqual(code, 2)
        self.assertIn("学校这一天停课", err)
        days = self.cli_json("attendance", "days", "--db", self.db, "--school", self.school,
                             "--from", MON, "--to", "2026-11-22", "--format", "json")
        self.assertEqual(days["school_days"], 4)
        code, out, err = self.cli("attendance", "reopen", str(closure), "--db", self.db)
        self.assertEqual(code, 0, err)
        days = self.cli_json("attendance", "days", "--db", self.db, "--school", self.school,
                             "--from", MON, "--to", "2026-11-22", "--format", "json")
        self.assertEqual(days["school_days"], 5)
        # re-recorded: replaced and audited; removed: audited
        code, out, err = self.cli("attendance", "record", "--db", self.db, "--school", self.school,
                                  "--date", MON, "--kind", "病假", "--pupils", p[0][0])
        self.assertEqual(code, 0, err)
        self.assertEqual(self.count("on_date = '%s' AND record_id = %s AND kind = 'sick'"
                                    % (MON, p[0][2])), 1)
        self.assertGreaterEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action ="
                                                   " 'attendance_replace'"), 1)
        code, out, err = self.cli("attendance", "remove", "--db", self.db, "--school", self.school,
                                  "--date", MON, "--pupils", p[1][0], "--reason", "记错了")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.count("on_date = '%s' AND record_id = %s" % (MON, p[1][2])), 0)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action ="
                                            " 'attendance_remove'"), 1)
        rows = self.cli_json("attendance", "list", "--db", self.db, "--pupil", p[0][0],
                             "--from", "2026-11-01", "--format", "json")["absences"]
        self.assertTrue(any(r["date"] == MON and r["kind"] == "sick" for r in rows), rows)

    def test_2_sheets_in_both_shapes(self):
        p = self.pupils
        rows = "日期,班级,学籍号,姓名,类型,原因\r\n"
        rows += "%s,%s,%s,,旷课,\r\n" % (THU, self.klass, p[3][0])
        rows += "%s,%s,,%s,事假,家里有事\r\n" % (THU, self.klass, p[4][1])
        rows += "2026-11-15,%s,%s,,旷课,\r\n" % (self.klass, p[3][0])          # a Sunday
        rows += "%s,%s,,查无此人,病假,\r\n" % (THU, self.klass)
        path = os.path.join(self.dir, "缺勤登记.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(rows)
        rej = os.path.join(self.dir, "rejects.csv")
        code, out, err = self.cli("import", path, "--db", self.db, "--kind", "考勤", "--school",
                                  self.school, "--rejects", rej)
        self.assertEqual(code, 0, err)
        self.assertIn("记入缺勤 2 条", out)
        self.assertIn("拒绝 2 行", out)
        with open(rej, encoding="utf-8-sig") as f:
            text = f.read()
        self.assertIn("不是上课日：是周末", text)
        self.assertIn("没有这名学生", text)
        # the month grid of the class, uploaded by the school
        grid = "2026年11月 %s考勤表\r\n姓名,%s\r\n" % (self.klass, ",".join(str(d) for d in range(1, 32)))
        marks = ["" for _ in range(31)]
        for d in (9, 10, 11, 12, 13, 16, 17):
            marks[d - 1] = "旷"
        for d in (2, 3, 4, 5, 6, 18, 19, 20):
            marks[d - 1] = "√"
        grid += "%s,%s\r\n" % (p[5][1], ",".join(marks))
        body, ctype = multipart({}, [("file", "十一月考勤.csv", grid.encode("utf-8"))])
        cookie, csrf = self.login("sch")
        r, j, _ = self.call("POST", "/api/v1/attendance/imports", body, cookie, csrf,
                            {"Content-Type": ctype})
        self.assertEqual(r.status, 201, j)
        self.assertEqual(j["shape"], "grid")
        self.assertEqual(j["absences"], 7)
        self.assertEqual(self.count("record_id = %s AND kind = 'unexcused'" % p[5][2]), 7)
        # another school's account: none of these pupils is its
        cookie2, csrf2 = self.login("sch2")
        body, ctype = multipart({"force": "true"}, [("file", "十一月考勤.csv", grid.encode("utf-8"))])
        r, j, _ = self.call("POST", "/api/v1/attendance/imports", body, cookie2, csrf2,
                            {"Content-Type": ctype})
        self.assertEqual(r.status, 201, j)
        self.assertEqual(j["absences"], 0)
        self.assertEqual(j["rows_rejected"], 1)

    def test_3_api_by_role(self):
        p = self.pupils
        cookie, csrf = self.login("sch")
        r, j, _ = self.call("POST", "/api/v1/attendance", {"date": FRI, "kind": "late",
                                                           "pupils": p[2][0]}, cookie, csrf)
        self.assertEqual(r.status, 201, j)
        self.assertEqual(j["recorded"], 1)
        # the class teacher's day
        r, j, _ = self.call("GET", "/api/v1/attendance/class-day?grade=%s&class=%s&date=%s"
                            % (self.grade, quote(self.klass), FRI), cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["school_day"])
        me = [x for x in j["pupils"] if x["ref"] == p[2][0]][0]
        self.assertEqual(me["kind"], "late")
        self.assertNotIn("id_number", me)
        # by day and class
        r, j, _ = self.call("GET", "/api/v1/attendance/classes?from=%s&to=%s" % (FRI, FRI),
                            cookie=cookie)
        self.assertEqual(r.status, 200, j)
        mine = [d for d in j["days"] if d["class"] == self.klass and str(d["grade"]) == self.grade][0]
        self.assertGreaterEqual(mine["late"], 1)
        # another school: forbidden for this school, refused for its pupils
        cookie2, csrf2 = self.login("sch2")
        r, j, _ = self.call("POST", "/api/v1/attendance", {"school": self.school, "date": FRI,
                                                           "kind": "旷课", "pupils": p[3][0]},
                            cookie2, csrf2)
        self.assertError(r, j, 403)
        r, j, _ = self.call("POST", "/api/v1/attendance", {"date": FRI, "kind": "旷课",
                                                           "pupils": p[3][0]}, cookie2, csrf2)
        self.assertError(r, j, 400)
        self.assertIn("没有学生", j["error"]["message"])
        r, j, _ = self.call("GET", "/api/v1/attendance?from=2026-11-01", cookie=cookie2)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(all(a["school_code"] == self.other[0] for a in j["absences"]), j)
        # a township records nothing and reads its pupils'
        ct, xt = self.login("tz")
        r, j, _ = self.call("POST", "/api/v1/attendance", {"school": self.school, "date": FRI,
                                                           "kind": "旷课", "pupils": p[3][0]}, ct, xt)
        self.assertError(r, j, 403)
        r, j, _ = self.call("GET", "/api/v1/attendance?from=2026-11-01", cookie=ct)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(any(a["record_id"] == int(p[2][2]) for a in j["absences"]), j)
        # the vocabulary
        r, j, _ = self.call("GET", "/api/v1/vocab", cookie=cookie)
        self.assertEqual([w["label"] for w in j["absence_kinds"]], ["事假", "病假", "旷课", "迟到早退"])
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertIn("attendance_record", j["user"]["permissions"])
        r, j, _ = self.call("GET", "/api/v1/session", cookie=ct)
        self.assertNotIn("attendance_record", j["user"]["permissions"])
        self.assertIn("attendance_read", j["user"]["permissions"])


if __name__ == "__main__":
    unittest.main()
