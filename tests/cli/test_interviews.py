"""约谈 (issue 17), black box on the demo county: the demo's interview of a township official
(three commitments: one kept at a follow-up, one overdue, one still due); the county registers
an interview, its commitments and a follow-up; the township interviewed reads its own and finds
the overdue commitment on its 待办, another township sees none of it and may write nothing;
a school's official interviewed finds its commitment on the school's 待办; bad input refused in
Chinese.
"""

import json
import subprocess
import unittest

from harness import BIN, TOWN, DemoServerTest, db_scalar, db_value, env

SCHOOL = "2114052101"


class Interviews(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", "140521101")
        cls.user_add("sch", "--role", "school", "--school", SCHOOL)
        cls.user_add("hr", "--role", "department", "--department", "人社")

    @staticmethod
    def cli(*args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                           timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def test_1_demo_interview(self):
        code, out, err = self.cli("interviews", "show", "1", "--db", self.db, "--json")
        self.assertEqual(code, 0, err)
        j = json.loads(out)
        self.assertEqual(j["unit_code"], TOWN)
        self.assertEqual([c["state"] for c in j["commitments"]], ["kept", "overdue", "open"])
        self.assertEqual(j["followups"][0]["kept"], "已落实")
        self.assertTrue(j["month"])
        code, out, err = self.cli("interviews", "list", "--db", self.db, "--overdue")
        self.assertIn("逾期未落实 1 项", out)

    def test_2_township_reads_its_own_and_finds_overdue_on_todo(self):
        tz, csrf = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/interviews", cookie=tz)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({i["unit_code"] for i in j["items"]}, {TOWN})
        self.assertFalse(j["may_add"])
        r, j, _ = self.call("GET", "/api/v1/tasks?overdue=1&per_page=500", cookie=tz)
        self.assertEqual(r.status, 200, j)
        mine = [t for t in j["tasks"] if t["object"] == "commitment"]
        self.assertEqual(len(mine), 1, mine)
        self.assertIn("逾期", mine[0]["status"])
        # it writes nothing of it
        r, j, _ = self.call("POST", "/api/v1/interviews/1/followups",
                            {"by": "自己", "found": "已完成"}, cookie=tz, csrf=csrf)
        self.assertEqual(r.status, 403, j)
        # another township and a department see none of it
        t2, _ = self.login("tz2")
        r, j, _ = self.call("GET", "/api/v1/interviews/1", cookie=t2)
        self.assertEqual(r.status, 404, j)
        r, j, _ = self.call("GET", "/api/v1/interviews", cookie=t2)
        self.assertEqual(j["items"], [], j)
        r, j, _ = self.call("GET", "/api/v1/tasks?per_page=500", cookie=t2)
        self.assertFalse([t for t in j["tasks"] if t["object"] == "commitment"], j)
        hr, _ = self.login("hr")
        r, j, _ = self.call("GET", "/api/v1/interviews", cookie=hr)
        self.assertEqual(r.status, 403, j)

    def test_3_county_interviews_a_school_and_follows_up(self):
        county, csrf = self.login("county")
        r, j, _ = self.call("POST", "/api/v1/interviews",
                            {"unit": SCHOOL, "person": "赵校长", "post": "校长", "by": "督学王芳",
                             "date": "2026-11-01", "reason": "学生连续旷课未及时上报",
                             "finding": "督导〔2026〕3号第2项"}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        iid = j["id"]
        self.assertEqual(db_value(self.db, "SELECT unit_kind FROM interview WHERE id = %s" % iid),
                         "school")
        r, j, _ = self.call("POST", "/api/v1/interviews/%s/commitments" % iid,
                            {"content": "建立旷课日报制度", "deadline": "2026-11-10"},
                            cookie=county, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        cid = j["id"]
        # overdue (the harness's today is 2026-11-20): on the school's 待办
        sch, scsrf = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=sch)
        self.assertEqual(r.status, 200, j)
        self.assertEqual([t["ref"] for t in j["tasks"]], ["约谈承诺 %s" % cid], j)
        self.assertLess(j["tasks"][0]["days"], 0)
        r, j, _ = self.call("GET", "/api/v1/interviews/%s" % iid, cookie=sch)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["commitments"][0]["state_label"], "逾期未落实")
        self.assertFalse(j["may_write"])
        # a follow-up finds it not kept: still due; then kept: off the list
        r, j, _ = self.call("POST", "/api/v1/interviews/%s/followups" % iid,
                            {"by": "督学王芳", "found": "尚未建立", "commitment": cid, "kept": "否"},
                            cookie=county, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=sch)
        self.assertEqual(len(j["tasks"]), 1, j)
        r, j, _ = self.call("POST", "/api/v1/interviews/%s/followups" % iid,
                            {"by": "督学王芳", "found": "已建立并执行", "commitment": cid,
                             "kept": "是"}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=sch)
        self.assertEqual(j["tasks"], [], j)
        self.assertEqual(db_value(self.db, "SELECT state FROM interview_commitment WHERE id = %s"
                                  % cid), "kept")

    def test_4_bad_input_refused_in_chinese(self):
        n = db_scalar(self.db, "SELECT count(*) FROM interview")
        base = ["--person", "张三", "--post", "镇长", "--by", "李明", "--reason", "排名末位"]
        for args, word in [(["--unit", "火星镇"] + base, "被约谈单位"),
                           (["--unit", TOWN, "--month", "十月"] + base, "排名月份"),
                           (["--unit", TOWN, "--date", "2099-01-01"] + base, "约谈日期")]:
            code, out, err = self.cli("interviews", "add", "--db", self.db, *args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn(word, err)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM interview"), n)
        code, out, err = self.cli("interviews", "follow", "1", "--db", self.db, "--by", "x",
                                  "--found", "y", "--commitment", "999")
        self.assertEqual(code, 2, err)
        self.assertIn("承诺", err)


if __name__ == "__main__":
    unittest.main()
