"""联席会议 (issue 17), black box on the demo county: the demo's meeting with its four decisions
(公安 in progress, 民政 overdue, 人社's 未成年人务工 check that found a child of the register out of
school, 文旅 done); the county registers a meeting and a decision; a department sees only its own
decisions — on the meetings, the decisions and its 待办 — and reports progress on them, another
department is refused (404, as if it did not exist) and a supervisor may only read; a found
minor named by an ID is linked to the child's record, which the county sees and the department
does not; bad input refused in Chinese with nothing stored.
"""

import json
import subprocess
import unittest

from harness import BIN, DemoServerTest, db_scalar, db_value, env


class Meetings(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("hr", "--role", "department", "--department", "人社")
        cls.user_add("civil", "--role", "department", "--department", "民政")
        cls.user_add("culture", "--role", "department", "--department", "文旅局")
        cls.user_add("sch", "--role", "school", "--school", "2114052101")

    @staticmethod
    def cli(*args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                           timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def decision_of(self, dept_key):
        return db_scalar(self.db, "SELECT min(id) FROM meeting_decision WHERE department = '%s'"
                         % dept_key)

    def test_1_demo_meeting_on_the_command_line(self):
        code, out, err = self.cli("meetings", "show", "1", "--db", self.db)
        self.assertEqual(code, 0, err)
        for word in ("公安负责", "民政负责", "人社负责", "文旅负责", "未成年人务工检查", "[逾期]",
                     "[已完成]", "儿童记录"):
            self.assertIn(word, out)
        code, out, err = self.cli("meetings", "decisions", "--db", self.db, "--overdue", "--json")
        self.assertEqual(code, 0, err)
        items = json.loads(out)["items"]
        self.assertEqual([d["department"] for d in items], ["civil_affairs"], items)
        self.assertEqual(items[0]["state_label"], "逾期")

    def test_2_found_minor_linked_to_the_child(self):
        rid = db_scalar(self.db, "SELECT record_id FROM duty_minor")
        self.assertTrue(rid)
        # the record the ID names, an out-of-school child of the latest run
        self.assertEqual(
            db_value(self.db, "SELECT status FROM child_status WHERE record_id = %s AND run_id ="
                     " (SELECT max(id) FROM match_run WHERE finished_at IS NOT NULL)" % rid),
            "dropped_out")
        key = db_value(self.db, "SELECT c.child_key FROM child c JOIN duty_minor m"
                       " ON m.child_id = c.id")
        self.assertTrue(key)
        county, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/meetings/1", cookie=county)
        self.assertEqual(r.status, 200, j)
        minors = [m for d in j["decisions"] for c in d["checks"] for m in c["minors"]]
        self.assertEqual(len(minors), 1, minors)
        self.assertEqual(minors[0]["record_id"], rid)
        self.assertIn("*", minors[0]["id_number"])
        # the child's timeline (the county's child file) shows the check
        r, j, _ = self.call("GET", "/api/v1/children/%s/casework" % rid, cookie=county)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(any(e["kind"] == "duty_check" and "未成年人务工检查" in e["text"]
                            for e in j["timeline"]), j["timeline"])
        # the department that recorded it sees what it wrote, not the link to the register
        hr, _ = self.login("hr")
        r, j, _ = self.call("GET", "/api/v1/meetings/1", cookie=hr)
        self.assertEqual(r.status, 200, j)
        minors = [m for d in j["decisions"] for c in d["checks"] for m in c["minors"]]
        self.assertEqual(len(minors), 1)
        self.assertNotIn("record_id", minors[0])
        # a check the 人社 account records itself links a named child too
        ident = db_value(self.db, "SELECT id_number FROM record WHERE id = %s" % rid)
        name = db_value(self.db, "SELECT name FROM record WHERE id = %s" % rid)
        hr, csrf = self.login("hr")
        did = self.decision_of("human_resources")
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/checks" % did,
                            {"date": "2026-11-18", "places": "城关镇 3 家餐馆",
                             "result": "已清退", "minors": "%s %s\n无名少年" % (name, ident)},
                            cookie=hr, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        self.assertNotIn("儿童记录", j["message"])
        cid = j["id"]
        self.assertEqual(db_scalar(self.db, "SELECT minors_found FROM duty_check WHERE id = %s"
                                   % cid), 2)
        self.assertEqual(db_scalar(self.db, "SELECT count(record_id) FROM duty_minor"
                                   " WHERE check_id = %s" % cid), 1)

    def test_3_department_sees_only_its_decisions_and_reports_on_them(self):
        hr, csrf = self.login("hr")
        r, j, _ = self.call("GET", "/api/v1/decisions", cookie=hr)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["items"])
        self.assertEqual({d["department"] for d in j["items"]}, {"human_resources"})
        r, j, _ = self.call("GET", "/api/v1/meetings/1", cookie=hr)
        self.assertEqual({d["department_name"] for d in j["decisions"]}, {"人社"})
        self.assertFalse(j["may_decide"])
        # its own decision: progress reported, the state follows
        did = self.decision_of("human_resources")
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/progress" % did,
                            {"state": "进行中", "content": "已检查 12 家企业"}, cookie=hr, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(db_value(self.db, "SELECT state FROM meeting_decision WHERE id = %s"
                                  % did), "doing")
        n = db_scalar(self.db, "SELECT count(*) FROM decision_progress")
        # another department's decision does not exist for it; a supervisor only reads
        other = self.decision_of("civil_affairs")
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/progress" % other,
                            {"state": "已完成", "content": "冒报"}, cookie=hr, csrf=csrf)
        self.assertEqual(r.status, 404, j)
        r, j, _ = self.call("GET", "/api/v1/decisions?department=civil_affairs", cookie=hr)
        self.assertEqual({d["department"] for d in j["items"]}, {"human_resources"})
        sup, scsrf = self.login("sup")
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/progress" % other,
                            {"state": "已完成", "content": "x"}, cookie=sup, csrf=scsrf)
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.call("GET", "/api/v1/decisions", cookie=sup)
        self.assertEqual(len({d["department"] for d in j["items"]}), 4, j)
        # a department creates no meeting or decision; a school reads none
        r, j, _ = self.call("POST", "/api/v1/meetings",
                            {"title": "x", "departments": "人社"}, cookie=hr, csrf=csrf)
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.call("POST", "/api/v1/meetings/1/decisions",
                            {"department": "人社", "content": "x", "deadline": "2026-12-31"},
                            cookie=hr, csrf=csrf)
        self.assertEqual(r.status, 403, j)
        sch, _ = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/meetings", cookie=sch)
        self.assertEqual(r.status, 403, j)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM decision_progress"), n)
        # the civil-affairs account owns the overdue one: on its 待办, and only its own
        civil, ccsrf = self.login("civil")
        r, j, _ = self.call("GET", "/api/v1/tasks?overdue=1", cookie=civil)
        self.assertEqual(r.status, 200, j)
        self.assertEqual([t["object"] for t in j["tasks"]], ["decision"], j)
        self.assertEqual(j["tasks"][0]["object_id"], str(other))
        self.assertIn("逾期", j["tasks"][0]["status"])
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=hr)
        self.assertEqual({t["ref"] for t in j["tasks"]}, {"议定事项 %s" % did})
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/progress" % other,
                            {"state": "已完成", "content": "已救助 9 户", "date": "2026-11-19"},
                            cookie=civil, csrf=ccsrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=civil)
        self.assertEqual(j["tasks"], [], j)
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/progress" % other,
                            {"state": "进行中", "content": "再报"}, cookie=civil, csrf=ccsrf)
        self.assertEqual(r.status, 400, j)

    def test_4_county_creates_a_meeting_and_decisions(self):
        county, csrf = self.login("county")
        r, j, _ = self.call("POST", "/api/v1/meetings",
                            {"title": "专题联席会议", "date": "2026-11-19",
                             "departments": "教育、公安、卫健、司法、审计"}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        mid = j["id"]
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM meeting_department"
                                   " WHERE meeting_id = %s" % mid), 5)
        r, j, _ = self.call("POST", "/api/v1/meetings/%s/decisions" % mid,
                            {"department": "文旅", "content": "寒假前检查网吧", "deadline": "2027-01-10",
                             "duty": "网吧/歌舞厅检查"}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        did = j["id"]
        culture, _ = self.login("culture")
        r, j, _ = self.call("GET", "/api/v1/meetings", cookie=culture)
        self.assertIn(mid, [m["id"] for m in j["items"]])
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=culture)
        self.assertIn("议定事项 %s" % did, [t["ref"] for t in j["tasks"]])
        # the county's 待办 has every open decision
        r, j, _ = self.call("GET", "/api/v1/tasks?per_page=500", cookie=county)
        refs = [t["ref"] for t in j["tasks"]]
        self.assertIn("议定事项 %s" % did, refs)
        self.assertTrue(any(ref.startswith("约谈承诺") for ref in refs))
        # a decision without a duty takes no check
        r, j, _ = self.call("POST", "/api/v1/meetings/%s/decisions" % mid,
                            {"department": "审计", "content": "审计资助资金", "deadline": "2027-03-01"},
                            cookie=county, csrf=csrf)
        r, j, _ = self.call("POST", "/api/v1/decisions/%s/checks" % j["id"],
                            {"places": "x", "result": "y"}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 400, j)

    def test_5_bad_input_refused_in_chinese(self):
        n = db_scalar(self.db, "SELECT count(*) FROM meeting_decision")
        for args, word in [(["--department", "外交部", "--content", "x", "--deadline", "2026-12-01"],
                            "部门"),
                           (["--department", "公安", "--content", "x", "--deadline", "明天"],
                            "完成期限"),
                           (["--department", "公安", "--content", "x", "--deadline", "2026-01-01"],
                            "完成期限"),
                           (["--department", "公安", "--content", "x", "--deadline", "2026-12-01",
                             "--duty", "消防检查"], "部门职责事项")]:
            code, out, err = self.cli("meetings", "decide", "1", "--db", self.db, *args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn(word, err)
        code, out, err = self.cli("meetings", "add", "--db", self.db, "--title", "x",
                                  "--departments", "公安、海关")
        self.assertEqual(code, 2, err)
        self.assertIn("海关", err)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM meeting_decision"), n)


if __name__ == "__main__":
    unittest.main()
