"""Issue 15, one priority group through every list, ledger and the dashboard, black box on the
demo county: `baoxue report NAME --group G` (and ?group= of the API) keeps exactly the rows of
the group's children — the lists and the 适龄儿童台账 by the child's register record in the run,
the 疑似失学辍学台账 and 失学辍学台账 by the child's record in the last cross-check that found it out
of school — says so in the caption and the JSON, and refuses a word that is no group in
Chinese; GET /api/v1/dashboard?group= counts that group's children, tasks and cases only.
"""
import json
import subprocess

from harness import BIN, BaoxueTest, DemoServerTest, db_rows

GROUP = "poverty"
LABEL = "脱贫户"


class GroupFilters(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("rural", "--role", "department", "--department", "乡村振兴")
        run = int(db_rows(cls.db, "SELECT max(id) FROM match_run")[0][0])
        cls.members = {int(r[0]) for r in db_rows(
            cls.db, "SELECT record_id FROM group_member WHERE run_id = %d AND grp = '%s'"
            " AND record_id IS NOT NULL" % (run, GROUP))}
        # a task or case of the group: its child's record in the child's last run is in it
        child_in = ("SELECT c.id FROM child c JOIN group_member g ON g.run_id = c.last_run"
                    " AND g.record_id = c.last_record WHERE g.grp = '%s'" % GROUP)
        cls.tasks = {int(r[0]) for r in db_rows(cls.db, "SELECT id FROM verify_task WHERE child_id IN (%s)" % child_in)}
        cls.cases = {int(r[0]) for r in db_rows(cls.db, "SELECT id FROM case_file WHERE child_id IN (%s)" % child_in)}
        cls.all_tasks = {int(r[0]) for r in db_rows(cls.db, "SELECT id FROM verify_task")}

    def cli(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=BaoxueTest.env(), timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def report(self, name, *extra):
        rc, out, err = self.cli("report", name, "--format", "json", *extra)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    @staticmethod
    def rows(j):
        """The report's rows (its one list of objects)."""
        return next(v for k, v in j.items() if isinstance(v, list) and k != "notes")

    def test_demo_has_the_group_in_every_ledger(self):
        # the comparisons below mean something only when the group is there and is not everyone
        self.assertGreater(len(self.members), 10)
        self.assertTrue(self.tasks)
        self.assertLess(len(self.tasks), len(self.all_tasks))

    def test_lists_by_record(self):
        for name in ("out-of-school", "children", "ledger-school-age", "groups"):
            everyone = self.rows(self.report(name))
            want = [int(r["record_id"]) for r in everyone if int(r["record_id"]) in self.members]
            self.assertTrue(want, name)
            for word in (GROUP, LABEL):
                j = self.report(name, "--group", word)
                self.assertEqual([int(r["record_id"]) for r in self.rows(j)], want, (name, word))
                self.assertEqual(j["group"], GROUP)
            self.assertNotIn("group", self.report(name))  # JSON: "group" only when narrowed
        # the children list keeps every status: some of the group are at school, some not
        statuses = {r["status"] for r in self.rows(self.report("children", "--group", GROUP))}
        self.assertIn("enrolled", statuses)
        # the pupils in no register here are in no group: not in the narrowed 适龄儿童台账
        j = self.report("ledger-school-age", "--group", GROUP)
        self.assertNotIn("enrolled_nonlocal", {r["status"] for r in self.rows(j)})
        self.assertEqual(j["caption"], "沁水县适龄儿童台账（重点群体：脱贫户）")

    def test_casework_ledgers_by_child(self):
        # the children whose 学籍 record waits for a clerk come first (no task yet): the group's
        j = self.report("ledger-suspected", "--group", LABEL)
        pending = [r for r in self.rows(j) if r["task_id"] is None]
        self.assertEqual({r["task_id"] for r in self.rows(j) if r["task_id"] is not None}, self.tasks)
        everyone = self.rows(self.report("ledger-suspected"))
        self.assertLess(len(pending), len([r for r in everyone if r["task_id"] is None]))
        self.assertIn("（重点群体：脱贫户）", j["caption"])
        self.assertEqual({r["task_id"] for r in everyone if r["task_id"] is not None}, self.all_tasks)
        j = self.report("ledger-dropout", "--group", GROUP)
        self.assertEqual({r["case_id"] for r in self.rows(j)}, self.cases)
        # the township and the group together
        j = self.report("ledger-suspected", "--group", GROUP, "--township", "郑庄镇")
        self.assertTrue(all(r["township"] == "郑庄镇" for r in self.rows(j)))
        self.assertLessEqual(len(self.rows(j)), len(self.tasks))

    def test_task_and_case_lists(self):
        rc, out, err = self.cli("verify", "list", "--state", "all", "--group", LABEL, "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual({t["task_id"] for t in json.loads(out)["tasks"]}, self.tasks)
        rc, out, err = self.cli("case", "list", "--state", "all", "--group", GROUP, "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual({c["case_id"] for c in json.loads(out)["cases"]}, self.cases)
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/verify?state=all&per_page=200&group=" + GROUP, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({t["task_id"] for t in j["tasks"]}, self.tasks)
        r, j, _ = self.call("GET", "/api/v1/cases?group=nobody", cookie=cookie)
        self.assertEqual(r.status, 400, j)
        self.assertEqual(j["error"]["field"], "group")

    def test_refusals_in_chinese(self):
        rc, out, err = self.cli("report", "ledger-school-age", "--group", "外星人")
        self.assertEqual(rc, 2, err)
        self.assertIn("不是有效的重点群体", err)
        self.assertIn("脱贫户", err)  # it names the groups there are
        self.assertEqual(out, "")
        # a report of counts that does not take a group says which do
        rc, _, err = self.cli("report", "summary", "--group", GROUP)
        self.assertEqual(rc, 2)
        self.assertIn("只用于", err)
        self.assertIn("ledger-school-age", err)
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/reports/ledger-dropout?group=%E5%A4%96", cookie=cookie)
        self.assertEqual(r.status, 400, j)
        self.assertEqual(j["error"]["field"], "group")
        self.assertIn("不是有效的重点群体", j["error"]["message"])

    def test_api_and_xlsx(self):
        cookie, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/reports/ledger-suspected?group=" + GROUP, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({x["task_id"] for x in self.rows(j) if x["task_id"] is not None}, self.tasks)
        r, body, headers = self.call("GET", "/api/v1/reports/ledger-school-age?format=xlsx&group=" + GROUP,
                                     cookie=cookie)
        self.assertEqual(r.status, 200)

    def test_a_department_gets_no_ledger_by_its_group(self):
        # 乡村振兴 reads its own groups' 在校情况; a ledger of its group is still not its to read
        rural, _ = self.login("rural")
        for name in ("ledger-school-age", "ledger-suspected", "out-of-school", "children"):
            r, j, _ = self.call("GET", "/api/v1/reports/%s?group=%s" % (name, GROUP), cookie=rural)
            self.assertEqual(r.status, 403, (name, j))
        r, j, _ = self.call("GET", "/api/v1/dashboard?group=" + GROUP, cookie=rural)
        self.assertIn(r.status, (403, 404), j)
        r, j, _ = self.call("GET", "/api/v1/reports/groups-status?group=" + GROUP, cookie=rural)
        self.assertEqual(r.status, 200, j)

    def test_dashboard_narrowed(self):
        cookie, _ = self.login("county")
        r, whole, _ = self.call("GET", "/api/v1/dashboard", cookie=cookie)
        self.assertEqual(r.status, 200, whole)
        r, d, _ = self.call("GET", "/api/v1/dashboard?group=" + GROUP, cookie=cookie)
        self.assertEqual(r.status, 200, d)
        self.assertEqual(d["group"], GROUP)
        self.assertIsNone(whole["group"])
        # the children: the group's statuses, as the group's children list says
        kids = self.rows(self.report("children", "--group", GROUP))
        counts = {}
        for k in kids:
            counts[k["status"]] = counts.get(k["status"], 0) + 1
        self.assertEqual(d["status_totals"], counts)
        self.assertEqual(d["population"], len(kids))
        suspected = sum(counts.get(s, 0) for s in ("not_enrolled", "dropped_out"))
        self.assertEqual(d["ledgers"]["suspected"], suspected)
        poverty = next(g for g in d["groups"] if g["key"] == GROUP)
        self.assertEqual(poverty["suspected"], suspected)
        self.assertEqual(d["groups"], whole["groups"])  # every group's count stays
        # the townships add up to the totals
        for status, n in counts.items():
            self.assertEqual(sum(t["counts"].get(status, 0) for t in d["townships"]), n, status)
        # tasks and cases: the group's
        tasks = sum(d["verify"][s] for s in ("open", "outreach", "closed"))
        self.assertEqual(tasks, len(self.tasks))
        self.assertEqual(sum(t["work"]["tasks"] for t in d["townships"]), len(self.tasks))
        self.assertEqual(d["cases"]["total"], len(self.cases))
        self.assertLess(tasks, sum(whole["verify"][s] for s in ("open", "outreach", "closed")))
        # the trend: the latest point is this run's group counts
        self.assertEqual(d["trend"][-1]["counts"], counts)
        self.assertEqual(len(d["trend"]), len(whole["trend"]))
        # by the label too; an unknown word is refused in Chinese
        r, d2, _ = self.call("GET", "/api/v1/dashboard?group=" + "%E8%84%B1%E8%B4%AB%E6%88%B7",
                             cookie=cookie)
        self.assertEqual(r.status, 200, d2)
        self.assertEqual(d2["status_totals"], counts)
        r, e, _ = self.call("GET", "/api/v1/dashboard?group=nobody", cookie=cookie)
        self.assertEqual(r.status, 400, e)
        self.assertIn("不是有效的重点群体", e["error"]["message"])
        # a township account: its township's share of the group
        tz, _ = self.login("tz")
        r, t, _ = self.call("GET", "/api/v1/dashboard?group=" + GROUP, cookie=tz)
        self.assertEqual(r.status, 200, t)
        self.assertLessEqual(t["population"], d["population"])
        self.assertTrue(all(x["township_code"] == t["township"] for x in t["townships"]))


if __name__ == "__main__":
    import unittest
    unittest.main()
