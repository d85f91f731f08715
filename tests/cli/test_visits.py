"""Field visits, black box (issue 14): the first visit after a case opens (立案后首次走访) is made
only in person — a phone or video call does not make it, a home visit or a face-to-face interview
does — wherever it is read (the case's fields and text, 待办, the dashboard's overdue count, the
children list's overdue filter); a 劝返 record is corrected only with a reason, the original kept,
by those who may record attempts on the case; 待办 lists each item once with its people, the most
urgent first, the same in the API and on the command line. SQLite, and PostgreSQL as .pg.
"""

import json
import subprocess
import unittest

from harness import BIN, OTHER, TOWN, DemoServerTest, db_execute, db_rows, db_value, env


class VisitsTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)

    def bx(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], capture_output=True, env=env(), timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def get(self, path, who="tz"):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, 200, (path, j))
        return j

    def post(self, path, body, who="tz"):
        cookie, csrf = self.login(who)
        return self.call("POST", path, body, cookie=cookie, csrf=csrf)

    def phone_only_case(self):
        """The demo's case whose only attempt is a phone call."""
        return int(db_value(self.db, "SELECT c.id FROM case_file c WHERE c.township_code = '%s'"
                                     " AND c.state = 'open' AND EXISTS (SELECT 1 FROM attempt a"
                                     " WHERE a.case_id = c.id) AND NOT EXISTS (SELECT 1 FROM"
                                     " attempt a WHERE a.case_id = c.id AND a.method <> 'phone')"
                                     " ORDER BY c.id LIMIT 1" % TOWN))

    def first_visit_owed(self, case):
        """Where the readers say the case stands: its fields (and text, and the child's record
        agreeing with them), whether 待办 lists its first visit, the dashboard's overdue cases."""
        j = self.get("/api/v1/cases/%d" % case)
        record = db_value(self.db, "SELECT record_id FROM case_file WHERE id = %d" % case)
        child = self.get("/api/v1/children/%s/casework" % record)["case"]
        self.assertEqual(child["first_visit_done"], j["first_visit"]["done"])
        tasks = self.get("/api/v1/tasks?per_page=500&township=%s" % TOWN)["tasks"]
        in_tasks = any(t["object"] == "case" and str(t["object_id"]) == str(case)
                       and "首次走访" in t["item"] for t in tasks)
        overdue = self.get("/api/v1/dashboard?township=%s" % TOWN, "county")["cases"]["overdue"]
        return j, in_tasks, overdue

    def test_a_call_is_no_first_visit_a_home_visit_is(self):
        case = self.phone_only_case()
        # past its day: overdue everywhere
        db_execute(self.db, "UPDATE case_file SET first_visit_due = '2026-11-17' WHERE id = %d" % case)
        j, in_tasks, overdue = self.first_visit_owed(case)
        self.assertFalse(j["first_visit"]["done"])
        self.assertEqual(j["first_visit"]["distant"], 1)
        self.assertIsNone(j["first_visit"]["by"])
        self.assertTrue(j["first_visit"]["due"]["overdue"])
        self.assertIn("首次走访：逾期未完成", j["text"])
        self.assertTrue(in_tasks)
        self.assertGreaterEqual(overdue, 1)
        # a video call on the command line: still owed
        code, out, err = self.bx("case", "attempt", str(case), "--method", "微信视频", "--people",
                                 "包保干部、家长", "--result", "家长同意面谈")
        self.assertEqual(code, 0, err)
        j, in_tasks, overdue2 = self.first_visit_owed(case)
        self.assertFalse(j["first_visit"]["done"])
        self.assertEqual(j["first_visit"]["distant"], 2)
        self.assertTrue(in_tasks)
        self.assertEqual(overdue2, overdue)
        code, out, err = self.bx("case", "show", str(case))
        self.assertIn("已有 2 次电话等非当面联系，不算走访", out)
        # the method's words come from the vocabulary, with whether each is in person
        vocab = {w["label"]: w for w in self.get("/api/v1/vocab")["methods"]}
        self.assertTrue(vocab["入户走访"]["in_person"] and vocab["到校约谈"]["in_person"])
        self.assertFalse(vocab["电话"]["in_person"] or vocab["微信/视频通话"]["in_person"])
        # a home visit over the API: made
        r, res, _ = self.post("/api/v1/cases/%d/attempts" % case,
                              {"method": "入户走访", "people": "包保干部、村干部、家长",
                               "result": "家长同意送孩子返校"})
        self.assertEqual(r.status, 200, res)
        j, in_tasks, overdue3 = self.first_visit_owed(case)
        self.assertTrue(j["first_visit"]["done"])
        self.assertEqual(j["first_visit"]["by"]["method_label"], "入户走访")
        self.assertFalse(in_tasks)
        self.assertEqual(overdue3, overdue - 1)
        code, out, err = self.bx("case", "show", str(case))
        self.assertRegex(out, r"首次走访：已完成（2026-11-20 入户走访，劝返记录 #\d+）")

    def test_a_correction_needs_its_reason_and_keeps_the_original(self):
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        orig = int(db_value(self.db, "SELECT min(id) FROM attempt WHERE case_id = %d" % case))
        before = int(db_value(self.db, "SELECT count(*) FROM attempt"))
        fix = {"method": "电话", "people": "包保干部、家长", "result": "约定入户时间", "corrects": orig}
        # no reason: refused in Chinese, nothing written
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, fix)
        self.assertError(r, j, 400)
        self.assertIn("更正原因", j["error"]["message"])
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM attempt")), before)
        # neither by another township, nor by the supervisor (who reads, and records nothing)
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, dict(fix, reason="记错"), "tz2")
        self.assertEqual(r.status, 404, j)
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, dict(fix, reason="记错"), "sup")
        self.assertEqual(r.status, 403, j)
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM attempt")), before)
        # with its reason: the correction is a record of its own, the original stays as it was
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, dict(fix, reason="人员记错"))
        self.assertEqual(r.status, 200, j)
        self.assertIn("原记录保留", j["message"])
        c = self.get("/api/v1/cases/%d" % case)
        a = {x["id"]: x for x in c["attempts"]}
        new = a[orig]["corrected_by"]
        self.assertTrue(new)
        self.assertEqual(a[new]["corrects"], orig)
        self.assertEqual(a[new]["reason"], "人员记错")
        self.assertEqual(a[new]["recorded_by"], "tz")
        self.assertRegex(a[new]["recorded_at"], r"^\d{4}-\d\d-\d\d \d\d:\d\d")
        self.assertIsNone(a[orig]["reason"])
        self.assertEqual(a[orig]["method"], db_value(self.db, "SELECT method FROM attempt WHERE id = %d" % orig))
        # a corrected record is corrected through its correction
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, dict(fix, reason="再改"))
        self.assertError(r, j, 400)
        self.assertIn("已由 #%d 更正" % new, j["error"]["message"])
        # a reason with no record to correct is refused too
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case,
                            {"method": "电话", "people": "家长", "result": "x", "reason": "y"})
        self.assertError(r, j, 400)
        # on the command line the same, and the text shows why
        code, out, err = self.bx("case", "attempt", str(case), "--method", "电话", "--people", "家长",
                                 "--result", "约定", "--corrects", str(new))
        self.assertEqual(code, 2)
        self.assertIn("更正原因", err)
        code, out, err = self.bx("case", "show", str(case))
        self.assertIn("已由 #%d 更正" % new, out)
        self.assertIn("更正原因：人员记错（tz 更正于", out)

    def test_tasks_one_row_per_item_most_urgent_first(self):
        # two tasks late by different amounts, each with a township and a village cadre
        a, b = [int(r[0]) for r in db_rows(self.db, "SELECT v.id FROM verify_task v WHERE"
                                           " v.state = 'open' AND (SELECT count(DISTINCT role) FROM"
                                           " assignment x WHERE x.task_id = v.id) = 2"
                                           " ORDER BY v.township_code DESC, v.id LIMIT 2")]
        db_execute(self.db, "UPDATE verify_task SET deadline = '2026-11-12' WHERE id = %d" % a)
        db_execute(self.db, "UPDATE verify_task SET deadline = '2026-11-02' WHERE id = %d" % b)
        # by due date alone (the default puts priority-group children's items first: issue 15,
        # test_priority_tasks.py)
        rows = self.get("/api/v1/tasks?per_page=500&order=due", "county")["tasks"]
        # an item is its object and id, and the township it is for: each township confirms its
        # own 月报 of a month, one item each (issue 17)
        items = [(t["object"], str(t["object_id"]), t["item"], t["township"]) for t in rows]
        self.assertEqual(len(items), len(set(items)), "one row per item")
        keys = [k[:3] for k in items]
        dues = [t["due"] for t in rows]
        self.assertEqual(dues, sorted(dues), "by due date")
        # the casework first among the casework (the demo's 约谈 and 联席会议 items, issue 17, are
        # older still)
        work = [t for t in rows if t["object"] in ("task", "case")]
        self.assertEqual((work[0]["object"], str(work[0]["object_id"])), ("task", str(b)))
        self.assertEqual(work[0]["status"], "逾期 18 天")
        self.assertEqual((work[1]["object"], str(work[1]["object_id"])), ("task", str(a)))
        self.assertRegex(work[0]["person"], r"^[^、]+（乡镇包保干部）、[^、]+（村干部）$")
        # one row per task: as many rows of verification tasks as open tasks
        open_tasks = int(db_value(self.db, "SELECT count(*) FROM verify_task WHERE state <> 'closed'"))
        self.assertEqual(sum(1 for k in keys if k[0] == "task"), open_tasks)
        # the command line in the same order
        code, out, err = self.bx("tasks", "--by-due", "--format", "json")
        self.assertEqual(code, 0, err)
        cli = [(t["object"], str(t["object_id"]), t["item"]) for t in json.loads(out)["tasks"]]
        self.assertEqual(cli, keys)
        # by default the same items, those of priority-group children first
        rows = self.get("/api/v1/tasks?per_page=500", "county")["tasks"]
        self.assertEqual(sorted((t["object"], str(t["object_id"]), t["item"]) for t in rows),
                         sorted(keys))
        flags = [bool(t["groups"]) for t in rows]
        self.assertEqual(flags, sorted(flags, reverse=True))


if __name__ == "__main__":
    unittest.main()
