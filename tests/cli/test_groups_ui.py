"""Issue 15, priority groups where users work, black box on the demo county: the children list
carries each child's groups and filters by group; the child record names each group's list,
date, category and link; 重点群体在校情况 (report groups-status) counts each group's school-age
children by township as the group list (report groups) says; a department account (乡村振兴,
残联) reads the report and the children of its own groups only, masked, and nothing else.
"""
import json
import subprocess
from collections import Counter

from harness import BIN, TOWN, BaoxueTest, DemoServerTest, db_execute, db_rows

# how groups-status counts a child of each status (no 送教上门 conclusion or open case here:
# checked below from the database)
COLUMN = {"enrolled": "in_school", "enrolled_elsewhere": "elsewhere",
          "not_enrolled": "suspected", "dropped_out": "suspected"}


class GroupsUi(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("rural", "--role", "department", "--department", "乡村振兴")
        cls.user_add("disabled", "--role", "department", "--department", "残联")

    def cli(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=BaoxueTest.env(), timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def get(self, who, path, status=200):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, status, j)
        return j

    def expected(self, groups=None, township=None):
        """groups-status's counts from report groups: {(group, township): Counter(column)}."""
        rc, out, err = self.cli("report", "groups", "--format", "json")
        self.assertEqual(rc, 0, err)
        want = {}
        for c in json.loads(out)["children"]:
            if township and c["township"] != township:
                continue
            for g in c["groups"]:
                if groups and g not in groups:
                    continue
                n = want.setdefault((g, c["township"]), Counter())
                n[COLUMN.get(c["status"], "other")] += 1
        return want

    def rows(self, j):
        got = {}
        for r in j["rows"]:
            if r["township"] == "全县":
                continue
            got[(r["group"], r["township"])] = Counter(
                {k: r[k] for k in ("in_school", "elsewhere", "suspected", "other") if r[k]})
            self.assertEqual(r["school_age"], sum(r[k] for k in ("in_school", "elsewhere", "home_teaching",
                                                                 "suspected", "confirmed", "other")))
        return got

    def test_status_counts_agree_with_the_group_list(self):
        # the demo opens no case and concludes no 送教上门 on priority children: the columns come
        # from the statuses alone (checked, so the comparison below is exact)
        rc, out, err = self.cli("report", "groups-status", "--format", "json")
        self.assertEqual(rc, 0, err)
        j = json.loads(out)
        self.assertEqual(j["caption"], "重点群体适龄儿童在校情况统计表")
        if not any(r["confirmed"] or r["home_teaching"] for r in j["rows"]):
            self.assertEqual(self.rows(j), self.expected())
        self.assertGreater(len(j["rows"]), 10)
        # the totals row counts each child once: the number of children of report groups
        rc, out, _ = self.cli("report", "groups", "--format", "json")
        self.assertEqual(j["totals"]["school_age"], len(json.loads(out)["children"]))
        self.assertEqual(j["totals"]["school_age"], j["total"])
        # every group's subtotal is the sum of its townships
        for sub in (r for r in j["rows"] if r["township"] == "全县"):
            key = sub["group_key"]
            parts = [r for r in j["rows"] if r["group_key"] == key and r["township"] != "全县"]
            self.assertEqual(sub["school_age"], sum(r["school_age"] for r in parts), key)
        # one group, by its Chinese name; an unknown one is refused in Chinese
        rc, out, err = self.cli("report", "groups-status", "--group", "残疾儿童", "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual({r["group_key"] for r in json.loads(out)["rows"]}, {"disabled"})
        rc, out, err = self.cli("report", "groups-status", "--group", "外星人")
        self.assertEqual(rc, 2)
        self.assertIn("不是有效的重点群体", err)
        # xlsx for the inspector
        rc, _, err = self.cli("report", "groups-status", "--format", "xlsx", "-o",
                              self.dir + "/gs.xlsx")
        self.assertEqual(rc, 0, err)

    def test_home_teaching_and_confirmed_columns(self):
        """A priority child out of school whose verification concluded 送教上门 moves to that
        column; with a case open, to 确认失学辍学 (restored afterwards)."""
        rows = db_rows(self.db, "SELECT c.last_record, t.id, c.id, t.task_state FROM ("
                       " SELECT t.id, t.child_id, t.state AS task_state FROM verify_task t) t"
                       " JOIN child c ON c.id = t.child_id"
                       " WHERE t.id = (SELECT max(t2.id) FROM verify_task t2 WHERE t2.child_id = c.id)"
                       " AND t.task_state = 'open' AND c.last_record IN (SELECT record_id FROM group_member"
                       " WHERE run_id = (SELECT max(id) FROM match_run))")
        if not rows:
            self.skipTest("the demo has no open task of a priority child")
        record, task = rows[0][0], rows[0][1]
        before = self.get("county", "/api/v1/reports/groups-status")["totals"]
        try:
            db_execute(self.db, "UPDATE verify_task SET state = 'closed', outcome = 'home_teaching'"
                       " WHERE id = %s" % task)
            after = self.get("county", "/api/v1/reports/groups-status")["totals"]
            self.assertEqual(after["home_teaching"], before["home_teaching"] + 1)
            self.assertEqual(after["suspected"] + after["confirmed"],
                             before["suspected"] + before["confirmed"] - 1)
            self.assertEqual(after["school_age"], before["school_age"])
        finally:
            db_execute(self.db, "UPDATE verify_task SET state = 'open', outcome = NULL WHERE id = %s" % task)
        self.assertEqual(self.get("county", "/api/v1/reports/groups-status")["totals"], before)
        self.assertTrue(record)

    def test_children_list_groups_and_filter(self):
        everyone = self.get("county", "/api/v1/children?status=school_age&per_page=200")
        self.assertTrue(all("groups" in c for c in everyone["items"]))
        j = self.get("county", "/api/v1/children?group=disabled&per_page=200")
        self.assertGreater(j["total"], 0)
        for c in j["items"]:
            self.assertIn({"key": "disabled", "label": "残疾儿童"}, c["groups"])
        rc, out, _ = self.cli("report", "groups", "--format", "json")
        disabled = [c for c in json.loads(out)["children"] if "残疾儿童" in c["groups"]]
        # the list has every disabled child of the register (school age or not)
        self.assertGreaterEqual(j["total"], len(disabled))
        both = self.get("county", "/api/v1/children?group=disabled&status=school_age&per_page=200")
        self.assertEqual(both["total"], len(disabled))
        # the choices name the groups in Chinese
        f = self.get("county", "/api/v1/children/filters")
        self.assertIn({"key": "left_behind", "label": "留守儿童"}, f["groups"])
        err = self.get("county", "/api/v1/children?group=xyz", 400)
        self.assertIn("不是有效的重点群体", err["error"]["message"])
        # the suspected list puts the priority children first
        s = self.get("county", "/api/v1/children?status=suspected&per_page=200")["items"]
        flags = [bool(c["groups"]) for c in s]
        self.assertEqual(flags, sorted(flags, reverse=True))
        # a township's account: its own children of the group
        t = self.get("tz", "/api/v1/children?group=disabled&per_page=200")
        self.assertTrue(all(c["township_code"] == TOWN for c in t["items"]))
        self.assertLess(t["total"], j["total"])

    def test_out_of_school_list_puts_priority_children_first(self):
        rc, out, err = self.cli("report", "out-of-school", "--format", "json", "--mask")
        self.assertEqual(rc, 0, err)
        rows = json.loads(out)["children"]
        self.assertTrue(any(r["groups"] for r in rows))
        towns = {}
        for r in rows:
            towns.setdefault(r["township_code"], []).append(bool(r["groups"]))
        for code, flags in towns.items():
            self.assertEqual(flags, sorted(flags, reverse=True), code)
        rc, out, _ = self.cli("report", "groups", "--format", "json")
        named = {c["name"]: c["groups"] for c in json.loads(out)["children"]}
        for r in rows:
            if r["groups"] and r["name"] in named:
                self.assertEqual(sorted(r["groups"]), sorted(named[r["name"]]))

    def test_dashboard_counts_each_groups_children_out_of_school(self):
        for who, q in (("county", ""), ("tz", "")):
            d = self.get(who, "/api/v1/dashboard" + q)
            self.assertEqual(len(d["groups"]), 8)
            for g in d["groups"]:
                lst = self.get(who, "/api/v1/children?status=suspected&group=%s&per_page=1" % g["key"])
                self.assertEqual(g["suspected"], lst["total"], (who, g))
        self.assertTrue(any(g["suspected"] for g in self.get("county", "/api/v1/dashboard")["groups"]))

    def test_child_record_names_each_group(self):
        j = self.get("county", "/api/v1/children?group=disabled&per_page=1")
        c = self.get("county", "/api/v1/children/%d" % j["items"][0]["id"])
        g = [x for x in c["groups"] if x["key"] == "disabled"][0]
        self.assertEqual(g["label"], "残疾儿童")
        self.assertEqual(g["kind_label"], "残疾人")
        self.assertTrue(g["file_name"] and g["imported_at"] and g["category"].endswith("残疾"))
        self.assertIn(g["level"], ["一级", "二级", "三级", "四级"])
        self.assertTrue(g["matched_by_label"].startswith("按"))

    def test_department_reads_its_own_groups_only(self):
        county = self.get("county", "/api/v1/reports/groups-status")
        rural = self.get("rural", "/api/v1/reports/groups-status")
        self.assertEqual({r["group_key"] for r in rural["rows"]}, {"poverty", "monitored"})
        for r in rural["rows"]:
            twin = [x for x in county["rows"] if x["group_key"] == r["group_key"]
                    and x["township"] == r["township"]][0]
            self.assertEqual(r, twin)
        dis = self.get("disabled", "/api/v1/reports/groups-status")
        self.assertEqual({r["group_key"] for r in dis["rows"]}, {"disabled"})
        # the children of its groups, masked, with only its own groups on them
        lst = self.get("rural", "/api/v1/children?per_page=200")
        self.assertGreater(lst["total"], 0)
        for c in lst["items"]:
            self.assertIn("*", c["id_number"])
            self.assertTrue(c["groups"], c["id"])
            self.assertTrue({g["key"] for g in c["groups"]} <= {"poverty", "monitored"})
        self.assertEqual(self.get("rural", "/api/v1/children?group=disabled")["total"], 0)
        self.assertEqual({g["key"] for g in self.get("rural", "/api/v1/children/filters")["groups"]},
                         {"poverty", "monitored"})
        # a child of another group does not exist for it; its own is read masked
        other = self.get("county", "/api/v1/children?group=disabled&per_page=200")["items"]
        mine = {c["id"] for c in lst["items"]}
        alien = [c for c in other if c["id"] not in mine][0]
        self.get("rural", "/api/v1/children/%d" % alien["id"], 404)
        rec = self.get("rural", "/api/v1/children/%d" % lst["items"][0]["id"])
        self.assertTrue(rec["masked"])
        self.get("rural", "/api/v1/children/%d?full=1" % lst["items"][0]["id"], 403)
        # nothing else: no ledger, no summary, no full numbers
        self.get("rural", "/api/v1/reports/ledger-school-age", 403)
        self.get("rural", "/api/v1/reports/groups", 403)
        self.get("rural", "/api/v1/reports/groups-status?full=1", 403)


if __name__ == "__main__":
    import unittest
    unittest.main()
