"""The casework screens' reads, black box: one verification task and one case as fields (not only
the CLI's text), the choices each screen offers with the fields each outcome needs, overdue
standing, and the verify / cases / tasks lists a page at a time. Scoped like every casework read:
another township's task or case is 404. SQLite, and PostgreSQL as the .pg variant.
"""

import subprocess
import unittest

from harness import BIN, OTHER, TOWN, DemoServerTest, db_execute, db_value, env


class CaseworkDetailApiTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)

    def get(self, path, who="tz"):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, 200, (path, j))
        return j

    def test_task_fields_and_choices(self):
        task = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE state = 'open'"
                                     " AND township_code = '%s'" % TOWN))
        j = self.get("/api/v1/verify/%d" % task)
        self.assertIn("核查任务", j["text"])  # the CLI's text stays
        self.assertEqual(j["id"], task)
        self.assertEqual(j["state"], "open")
        self.assertEqual(j["state_label"], "待核查")
        self.assertTrue(j["can_record"])
        self.assertEqual(set(j["deadline"]), {"date", "days", "overdue"})
        self.assertRegex(j["child"]["id_number"], r"^\d{6}\*{8}\d{3}[\dX]$")
        self.assertTrue(j["assignees"] and all("person_id" in a for a in j["assignees"]))
        self.assertEqual(j["assignees"][0]["role"], "township")
        # the people assigned to the task read the family's contact (issue 14): the township's
        # account not linked to its cadre reads it masked, linked it reads it; others no address
        self.assertFalse(j["child"]["contact"])
        self.assertIsNone(j["child"]["address"])
        p = subprocess.run([BIN, "user", "--db", self.db, "person", "tz",
                            str(j["assignees"][0]["person_id"])], env=env(), capture_output=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        mine = self.get("/api/v1/verify/%d" % task)
        self.assertTrue(mine["child"]["contact"] and mine["child"]["address"])
        self.assertIsNone(self.get("/api/v1/verify/%d" % task, "sup")["child"]["address"])
        outcomes = {o["label"]: o for o in j["choices"]["outcomes"]}
        self.assertEqual(len(outcomes), 11)
        self.assertTrue(outcomes["已在校注册学籍"]["needs_school"])
        self.assertTrue(outcomes["已在校注册学籍"]["needs_evidence"])
        self.assertTrue(outcomes["户籍问题"]["needs_subkind"])
        self.assertTrue(outcomes["确认失学辍学"]["opens_case"])
        self.assertTrue(outcomes["随父母外出无法联系"]["keeps_open"])
        self.assertFalse(outcomes["出国"]["needs_evidence"])
        self.assertEqual([k["label"] for k in j["choices"]["subkinds"]],
                         ["空挂户", "双重户籍", "证件错误", "查无此人"])
        self.assertEqual(len(j["choices"]["reasons"]), 7)
        self.assertTrue(j["timeline"] and j["timeline"][0]["kind_label"])

    def test_case_fields(self):
        # the demo's case 1: a home visit and a parent interview, ladder step 1
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        j = self.get("/api/v1/cases/%d" % case)
        self.assertIn("一人一案", j["text"])
        self.assertEqual(j["state"], "open")
        self.assertTrue(j["reasons"][0]["primary"])
        self.assertGreaterEqual(len(j["attempts"]), 1)
        a = j["attempts"][0]
        self.assertTrue(a["method_label"] and a["people"] and a["result"])
        self.assertEqual(j["ladder"]["step"], len({s["step"] for s in j["ladder_steps"]}))
        self.assertEqual([s["label"] for s in j["choices"]["ladder_steps"]],
                         ["宣传教育", "书面通知/责令限期改正", "行政处罚", "申请强制执行或诉讼"])
        outcomes = {o["label"]: o for o in j["choices"]["outcomes"]}
        self.assertTrue(outcomes["复学"]["needs_grade"])
        self.assertTrue(outcomes["送教上门"]["needs_visits"])
        self.assertTrue(outcomes["其他"]["needs_note"])
        self.assertTrue(j["first_visit"]["done"])
        self.assertIsNone(j["outcome"])
        self.assertIsNone(j["closing"])
        self.assertEqual(j["follow_ups"], [])
        self.assertTrue(any(e["case_id"] == case for e in j["timeline"]))

    def test_overdue_standing(self):
        # the second demo case waits for its first visit; a deadline in the past is overdue
        case = int(db_value(self.db, "SELECT max(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        j = self.get("/api/v1/cases/%d" % case)
        self.assertFalse(j["first_visit"]["done"])
        self.assertFalse(j["first_visit"]["due"]["overdue"])
        db_execute(self.db, "UPDATE case_file SET first_visit_due = '2026-01-05' WHERE id = %d" % case)
        j = self.get("/api/v1/cases/%d" % case)
        self.assertTrue(j["first_visit"]["due"]["overdue"])
        self.assertLess(j["first_visit"]["due"]["days"], 0)

    def test_another_township_is_404(self):
        task = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE township_code = '%s'" % TOWN))
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        cookie, _ = self.login("tz2")
        for path in ("/api/v1/verify/%d" % task, "/api/v1/cases/%d" % case):
            r, j, _ = self.call("GET", path, cookie=cookie)
            self.assertError(r, j, 404, "not_found")

    def test_lists_page_on_the_server(self):
        whole = self.get("/api/v1/verify?state=all", "county")
        n = len(whole["tasks"])
        self.assertGreater(n, 3)
        p1 = self.get("/api/v1/verify?state=all&per_page=2", "county")
        p2 = self.get("/api/v1/verify?state=all&per_page=2&page=2", "county")
        self.assertEqual((p1["total"], p1["page"], p1["per_page"]), (n, 1, 2))
        self.assertEqual([t["task_id"] for t in p1["tasks"] + p2["tasks"]],
                         [t["task_id"] for t in whole["tasks"][:4]])
        beyond = self.get("/api/v1/verify?state=all&per_page=2&page=1000", "county")
        self.assertEqual((beyond["total"], beyond["tasks"]), (n, []))
        cases = self.get("/api/v1/cases?state=all&per_page=1", "county")
        self.assertEqual(len(cases["cases"]), 1)
        self.assertGreaterEqual(cases["total"], 2)
        tasks = self.get("/api/v1/tasks?per_page=3", "county")
        self.assertEqual(len(tasks["tasks"]), 3)
        self.assertIn("today", tasks)
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/tasks?per_page=0", cookie=cookie)
        self.assertError(r, j, 400, "invalid_request")


if __name__ == "__main__":
    unittest.main()
