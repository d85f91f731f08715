"""Children with disabilities, black box (issue 15): a child's placement (随班就读, 特殊教育学校,
送教上门, 缓学/免学 with its approval) set through one action row on the command line and the API,
each change an event on the child's timeline and an audit row; the 送教上门 log (a correction
keeps the original); the month's check against the county's minimum (settings), the shortfall
on 待办 due the month's last day and overdue after it; GET /send-teaching and `report
disability` for the county, the township of the child and the school that sends the teachers,
nobody else. The demo county's disabled child is placed 送教上门 with visits (today is
2026-11-20: two visits in October, one in November). SQLite, and PostgreSQL as .pg.
"""

import json
import os
import subprocess
import unittest

from harness import BIN, OTHER, TOWN, DemoServerTest, db_value, env


class PlacementTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)
        cls.school = db_value(cls.db, "SELECT school FROM placement WHERE kind = 'home_teaching'")
        cls.user_add("sch", "--role", "school", "--school", cls.school)
        other = db_value(cls.db, "SELECT min(school_code) FROM record WHERE school_code IS NOT NULL"
                                 " AND school_code <> '%s'" % cls.school)
        cls.user_add("sch2", "--role", "school", "--school", other)
        village = db_value(cls.db, "SELECT min(village) FROM record WHERE township_code = '%s'"
                                   " AND village <> ''" % TOWN)
        cls.user_add("vil", "--role", "village", "--township", TOWN, "--villages", village)

    def bx(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], capture_output=True, env=env(), timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def get(self, path, who="county", status=200):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, status, (path, who, j))
        return j

    def send(self, method, path, body, who="county"):
        cookie, csrf = self.login(who)
        return self.call(method, path, body, cookie=cookie, csrf=csrf)

    def placed(self):
        """The demo's child placed 送教上门: its record in the latest run, as the list gives it."""
        rows = self.get("/api/v1/send-teaching")["children"]
        self.assertEqual(len(rows), 1, rows)
        return rows[0]

    def count(self, sql):
        return int(db_value(self.db, sql))

    def test_demo_child_and_the_months_check(self):
        row = self.placed()
        self.assertEqual(row["township"], "龙港镇")
        self.assertEqual((row["visits"], row["hours"]), (1, "2"))
        self.assertEqual(row["due"], "2026-11-30")
        self.assertEqual(row["short"], "short")  # short, not yet overdue
        # October: two visits, 4.5 hours: the minimum met
        octo = self.get("/api/v1/send-teaching?month=2026-10")["children"][0]
        self.assertEqual((octo["visits"], octo["hours"], octo["short"]), (2, "4.5", ""))
        # 待办 owes November's by its last day, for the school that sends the teachers
        tasks = self.get("/api/v1/tasks?per_page=500&township=%s" % TOWN, "tz")["tasks"]
        mine = [t for t in tasks if t["object"] == "record" and str(t["object_id"]) == str(row["record_id"])]
        self.assertEqual(len(mine), 1, mine)
        self.assertEqual(mine[0]["due"], "2026-11-30")
        self.assertIn("送教学校", mine[0]["person"])
        self.assertIn("11 月已送教 1 次 2 课时", mine[0]["item"])
        self.assertEqual(mine[0]["ref"], "儿童记录 %s" % row["record_id"])
        # the setting decides the minimum: one visit of 2 hours a month meets 1 and 2
        self.assertEqual(self.bx("settings", "set", "send_teach_visits", "1")[0], 0)
        self.assertEqual(self.bx("settings", "set", "send_teach_hours", "2")[0], 0)
        try:
            self.assertEqual(self.placed()["short"], "")
            tasks = self.get("/api/v1/tasks?per_page=500", "county")["tasks"]
            self.assertFalse([t for t in tasks if t["object"] == "record"])
        finally:
            self.bx("settings", "unset", "send_teach_visits")
            self.bx("settings", "unset", "send_teach_hours")
        # the child record shows it
        w = self.get("/api/v1/children/%s/casework" % row["record_id"], "tz")
        self.assertEqual(w["placement"]["kind_label"], "送教上门")
        self.assertEqual(len(w["visits"]), 3)
        self.assertTrue(w["send_month"]["short"])
        self.assertTrue(w["may_place"] and w["may_send_visit"])
        ws = self.get("/api/v1/children/%s/casework" % row["record_id"], "sch")
        self.assertFalse(ws["may_place"])
        self.assertTrue(ws["may_send_visit"])

    def test_visit_log_and_correction(self):
        row = self.placed()
        rid = row["record_id"]
        before = self.count("SELECT count(*) FROM send_visit")
        ok = {"date": "2026-11-18", "teachers": "李老师、王老师", "hours": "2", "content": "康复训练、识字"}
        # refused in Chinese, nothing written: hours out of range, a correction without a reason,
        # another township, another school, a village, the supervisor
        r, j, _ = self.send("POST", "/api/v1/children/%s/send-visits" % rid, dict(ok, hours="30"), "sch")
        self.assertError(r, j, 400)
        self.assertIn("课时数", j["error"]["message"])
        first = self.count("SELECT min(id) FROM send_visit")
        r, j, _ = self.send("POST", "/api/v1/children/%s/send-visits" % rid, dict(ok, corrects=first), "sch")
        self.assertError(r, j, 400)
        self.assertIn("更正原因", j["error"]["message"])
        for who, status in (("tz2", 404), ("sch2", 404), ("vil", 404), ("sup", 403)):
            r, j, _ = self.send("POST", "/api/v1/children/%s/send-visits" % rid, ok, who)
            self.assertEqual(r.status, status, (who, j))
        self.assertEqual(self.count("SELECT count(*) FROM send_visit"), before)
        # the school that sends the teachers logs it: November meets the minimum (2 visits, 4 h)
        r, j, _ = self.send("POST", "/api/v1/children/%s/send-visits" % rid, ok, "sch")
        self.assertEqual(r.status, 201, j)
        self.assertEqual(self.placed()["short"], "")
        # a correction: the original stays, the correction is in force (1.5 h: short again)
        new = self.count("SELECT max(id) FROM send_visit")
        code, out, err = self.bx("placement", "visit", str(rid), "--teachers", "李老师", "--hours",
                                 "1.5", "--content", "康复训练", "--corrects", str(new), "--reason",
                                 "课时记错")
        self.assertEqual(code, 0, err)
        self.assertIn("原记录保留", out)
        self.assertEqual(db_value(self.db, "SELECT on_date FROM send_visit WHERE corrects = %d" % new),
                         "2026-11-18")  # the corrected visit's date, unless another is given
        self.assertEqual(self.count("SELECT count(*) FROM send_visit WHERE id = %d" % new), 1)
        p = self.placed()
        self.assertEqual((p["visits"], p["hours"], p["short"]), (2, "3.5", "short"))
        # a second correction of the same record is refused
        code, out, err = self.bx("placement", "visit", str(rid), "--teachers", "李老师", "--hours",
                                 "2", "--content", "x", "--corrects", str(new), "--reason", "再改")
        self.assertEqual(code, 2)
        self.assertIn("已由", err)
        # the timeline and the audit trail have each
        w = self.get("/api/v1/children/%s/casework" % rid)
        kinds = [e["kind"] for e in w["timeline"]]
        self.assertIn("send_visit", kinds)
        self.assertIn("correction", kinds)
        self.assertTrue(self.audit(action="send_visit"))
        vocab = {x["key"]: x["label"] for x in self.get("/api/v1/vocab")["event_kinds"]}
        self.assertEqual(vocab["send_visit"], "送教上门")

    def test_set_and_change_the_placement(self):
        # a child of the township without any placement: the township sets it
        rid = db_value(self.db, "SELECT min(r.id) FROM record r WHERE r.batch_id = (SELECT"
                                " population_batch FROM match_run ORDER BY id DESC LIMIT 1)"
                                " AND r.township_code = '%s' AND r.birth_date > '2014-01-01'" % TOWN)
        path = "/api/v1/children/%s/placement" % rid
        events = self.count("SELECT count(*) FROM event WHERE kind = 'placement'")
        # 缓学 without its approval: refused, naming the field; nothing written
        r, j, _ = self.send("PUT", path, {"kind": "缓学"}, "tz")
        self.assertError(r, j, 400)
        self.assertEqual(j["error"]["field"], "approved_by")
        r, j, _ = self.send("PUT", path, {"kind": "随班就读"}, "tz")
        self.assertError(r, j, 400)
        self.assertEqual(j["error"]["field"], "school")
        r, j, _ = self.send("PUT", path, {"kind": "住校"}, "tz")
        self.assertError(r, j, 400)
        self.assertIn("随班就读、特殊教育学校、送教上门、缓学、免学", j["error"]["message"])
        # not the township's own, not a school's to set, not the supervisor's
        for who, status in (("tz2", 404), ("sch", 404), ("sup", 403)):
            r, j, _ = self.send("PUT", path, {"kind": "随班就读", "school": self.school}, who)
            self.assertEqual(r.status, status, (who, j))
        self.assertEqual(self.count("SELECT count(*) FROM placement WHERE record_id = %s" % rid), 0)
        # 随班就读 at the school, then 缓学 with its approval: each change an event and an audit row
        r, j, _ = self.send("PUT", path, {"kind": "随班就读", "school": self.school}, "tz")
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.send("PUT", path, {"kind": "缓学", "approved_by": "龙港镇人民政府",
                                          "approval_no": "龙政教〔2026〕3号", "approved_on": "2026-11-02",
                                          "ends_on": "2027-08-31", "since": "2026-11-02"}, "tz")
        self.assertEqual(r.status, 200, j)
        self.assertIn("改为缓学", j["message"])
        self.assertEqual(self.count("SELECT count(*) FROM event WHERE kind = 'placement'"), events + 2)
        self.assertGreaterEqual(len(self.audit(action="placement_set")), 2)
        w = self.get("/api/v1/children/%s/casework" % rid, "tz")
        self.assertEqual(w["placement"]["ends_on"], "2027-08-31")
        self.assertEqual(w["placement"]["school"], "")
        # the register lists it with the approval's end date, masked, for the county and the
        # township; not for another township; a visit to a 缓学 child is refused
        rep = self.get("/api/v1/reports/disability?format=json", "tz")
        mine = [c for c in rep["children"] if c["record_id"] == str(rid) or c["record_id"] == rid]
        self.assertEqual(len(mine), 1, rep["children"])
        self.assertEqual(mine[0]["ends_on"], "2027-08-31")
        self.assertIn("*", mine[0]["id_number"])
        other = self.get("/api/v1/reports/disability?format=json", "tz2")
        self.assertFalse([c for c in other["children"] if str(c["record_id"]) == str(rid)])
        r, j, _ = self.send("POST", "/api/v1/children/%s/send-visits" % rid,
                            {"teachers": "李老师", "hours": "2", "content": "x"}, "tz")
        self.assertError(r, j, 400)
        self.assertIn("不是送教上门", j["error"]["message"])

    def test_register_and_list_by_scope(self):
        code, out, err = self.bx("report", "disability", "--format", "json")
        self.assertEqual(code, 0, err)
        rep = json.loads(out)
        demo = [c for c in rep["children"] if c["placement"] == "送教上门"]
        self.assertEqual(len(demo), 1, rep["children"])
        self.assertIn("核查结论", demo[0]["source"])
        self.assertIn("安置登记", demo[0]["source"])
        self.assertEqual(demo[0]["visits"], 1)
        # the school it is placed with reads it; another school, a village, a department do not
        school = self.get("/api/v1/reports/disability?format=json", "sch")["children"]
        self.assertEqual([c["name"] for c in school if c["placement"] == "送教上门"], [demo[0]["name"]])
        self.assertFalse(self.get("/api/v1/reports/disability?format=json", "sch2")["children"])
        self.get("/api/v1/reports/disability?format=json", "vil", 404)
        self.assertEqual(len(self.get("/api/v1/send-teaching", "sch")["children"]), 1)
        self.assertEqual(self.get("/api/v1/send-teaching", "sch2")["children"], [])
        self.assertEqual(self.get("/api/v1/send-teaching", "tz2")["children"], [])
        self.get("/api/v1/send-teaching", "vil", 403)
        # the session says who has the 送教上门 screen
        for who, has in (("county", True), ("tz", True), ("sch", True), ("vil", False)):
            perms = self.get("/api/v1/session", who)["user"]["permissions"]
            self.assertEqual("placements_read" in perms, has, who)
        # xlsx and csv like every report
        for fmt, head in (("xlsx", b"PK"), ("csv", "\ufeff乡镇,姓名,身份证号".encode())):
            out = os.path.join(self.dir, "disability." + fmt)
            code, _, err = self.bx("report", "disability", "--format", fmt, "-o", out)
            self.assertEqual(code, 0, err)
            with open(out, "rb") as f:
                self.assertTrue(f.read().startswith(head), fmt)
            os.remove(out)

if __name__ == "__main__":
    unittest.main()
