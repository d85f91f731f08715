"""Issue 13, items 4 and 5, black box on the demo county: the pupils of the county's schools
whom the register does not know (在读，非本县户籍) are kept and counted, the police get the
list of those whose ID is of this county or who have none (unregistered-pupils) and the
户籍核查反馈表 (registration-feedback), on the command line and over the API, for the roles that
should have them and masked for the masked ones.
"""
import json
import os
import subprocess
import unittest

from harness import BIN, OTHER, TOWN, BaoxueTest, DemoServerTest, db_rows, db_value

POLICE_ORIGINS = {"身份证号属本县", "无可用身份证号"}
PROBLEMS = {"空挂户", "双重户籍", "证件错误", "查无此人"}


class PoliceReports(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("police", "--role", "department", "--department", "公安")
        cls.user_add("civil", "--role", "department", "--department", "民政局")

    def cli(self, *args):
        p = subprocess.run([BIN, "report", "--db", self.db, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=BaoxueTest.env(), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        return p.stdout.decode("utf-8")

    def run_id(self):
        return int(db_value(self.db, "SELECT max(id) FROM match_run"))

    def nonlocal_count(self, where=""):
        return int(db_value(self.db, "SELECT count(*) FROM nonlocal_pupil WHERE run_id = %d%s"
                                     % (self.run_id(), where)))

    def police_rows(self, township, feedback):
        """The rows of a township's police list (and its 户籍问题 outcomes, for the feedback)."""
        n = self.nonlocal_count(" AND id_origin IN ('local', 'none') AND township_code = '%s'"
                                % township)
        if feedback:
            n += int(db_value(self.db, "SELECT count(*) FROM verify_task WHERE outcome ="
                                       " 'registration' AND township_code = '%s'" % township))
        return n

    def get(self, who, path):
        cookie, _ = self.login(who)
        r, j, data = self.call("GET", path, cookie=cookie)
        return r, j, data

    def test_unmatched_pupils_are_kept_and_counted(self):
        # the demo's 借读 and 随迁 pupils: every active 学籍 record the run left unlinked
        n = self.nonlocal_count()
        self.assertGreater(n, 10)
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM child_status WHERE run_id = %d"
                                               " AND status = 'enrolled_nonlocal'" % self.run_id())), n)
        # some with this county's ID, some without any: the demo shows the police's list
        self.assertGreater(self.nonlocal_count(" AND id_origin = 'local'"), 0)
        self.assertGreater(self.nonlocal_count(" AND id_origin = 'other'"), 0)
        # the summary: their own column; the 合计 stays the register's children
        j = json.loads(self.cli("summary", "--format", "json"))
        county = j["townships"][-1]
        self.assertEqual(county["enrolled_nonlocal"], n)
        self.assertEqual(j["enrolled_nonlocal"], n)
        self.assertEqual(county["total"], j["population_imported"])
        # the 适龄儿童台账 lists them after the register's children, the 入学率 stays the register's
        j = json.loads(self.cli("ledger-school-age", "--status", "enrolled_nonlocal", "--format",
                                "json"))
        self.assertEqual(len(j["children"]), n)
        self.assertEqual({c["status_label"] for c in j["children"]}, {"在读，非本县户籍"})
        self.assertTrue(all(c["school"] for c in j["children"]))
        # the vocabulary the web UI reads names the status
        r, j, _ = self.get("county", "/api/v1/vocab")
        self.assertIn("enrolled_nonlocal", {w["key"] for w in j["statuses"]})
        # the dashboard counts them by township
        r, j, _ = self.get("county", "/api/v1/dashboard")
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["status_totals"]["enrolled_nonlocal"], n)
        # a township lists its own: those counted in it (their school's township)
        r, j, _ = self.get("tz", "/api/v1/children?status=enrolled_nonlocal&per_page=200")
        self.assertEqual(r.status, 200, j)
        mine = self.nonlocal_count(" AND township_code = '%s'" % TOWN)
        self.assertGreater(mine, 0)
        self.assertEqual(j["total"], mine)
        self.assertEqual(len(j["items"]), min(mine, 200))
        # and opens one of them like a child of the run
        r, c, _ = self.get("tz", "/api/v1/children/%d" % j["items"][0]["id"])
        self.assertEqual(r.status, 200, c)
        self.assertEqual(c["status"], "enrolled_nonlocal")

    def test_unregistered_pupils_for_the_police(self):
        j = json.loads(self.cli("unregistered-pupils", "--format", "json", "--mask"))
        want = self.nonlocal_count(" AND id_origin IN ('local', 'none')")
        self.assertEqual(len(j["pupils"]), want)
        self.assertEqual(j["total"], want)
        self.assertEqual({p["id_origin"] for p in j["pupils"]}, POLICE_ORIGINS
                         if self.nonlocal_count(" AND id_origin = 'none'") else {"身份证号属本县"})
        for p in j["pupils"]:
            self.assertNotIn("birth_date", p)  # masked: no birth date anywhere
            self.assertTrue(not p["id_number"] or "*" in p["id_number"], p)
            self.assertTrue(p["id_origin"] != "身份证号属本县" or p["id_number"].startswith("140521"))
        # --full: whole IDs and birth dates, and the export is audited
        before = int(db_value(self.db, "SELECT count(*) FROM audit WHERE action = 'export_full'"))
        j = json.loads(self.cli("unregistered-pupils", "--format", "json", "--full"))
        local = [p for p in j["pupils"] if p["id_origin"] == "身份证号属本县"]
        self.assertTrue(local and all("*" not in p["id_number"] and p["birth_date"] for p in local))
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM audit"
                                               " WHERE action = 'export_full'")), before + 1)

    def test_registration_feedback(self):
        j = json.loads(self.cli("registration-feedback", "--format", "json", "--mask"))
        items = j["items"]
        found = [i for i in items if i["source"] == "乡镇入户核查"]
        # every 户籍问题 outcome, with what was found, the verifier from the registry and the day
        tasks = db_rows(self.db, "SELECT v.id, p.name, v.verified_on FROM verify_task v"
                                 " JOIN person p ON p.id = v.verified_by"
                                 " WHERE v.outcome = 'registration' ORDER BY v.id")
        self.assertEqual(len(found), len(tasks))
        self.assertEqual({i["problem"] for i in found}, PROBLEMS)
        by_ref = {i["reference"]: i for i in found}
        for tid, name, on in tasks:
            i = by_ref["核查任务 %s" % tid]
            self.assertTrue(i["by"].startswith(name + "（"), i)
            self.assertEqual(i["on"], on)
            self.assertTrue(i["found"])
        # and the pupils of the police's list, found by the cross-check
        pupils = [i for i in items if i["source"] == "学籍与户籍比对"]
        self.assertEqual(len(pupils), self.nonlocal_count(" AND id_origin IN ('local', 'none')"))
        self.assertTrue(all(i["problem"].startswith("有学籍无户籍") for i in pupils))
        self.assertTrue(all("*" in i["id_number"] or not i["id_number"] for i in items))
        # one township's form
        j = json.loads(self.cli("registration-feedback", "--township", "龙港镇", "--format",
                                "json"))
        self.assertTrue(j["items"])
        self.assertEqual({i["township_code"] for i in j["items"]}, {TOWN})

    def test_who_gets_the_police_reports(self):
        for name in ("registration-feedback", "unregistered-pupils"):
            # the county and the supervisor: the whole county; the supervisor masked only
            r, _, data = self.get("county", "/api/v1/reports/%s?format=xlsx" % name)
            self.assertEqual(r.status, 200, data[:300])
            self.assertTrue(data.startswith(b"PK\x03\x04"))
            r, j, _ = self.get("sup", "/api/v1/reports/%s?format=json" % name)
            self.assertEqual(r.status, 200, j)
            r, j, _ = self.get("sup", "/api/v1/reports/%s?format=json&full=1" % name)
            self.assertEqual(r.status, 403, j)
            # a township: its own township's only
            r, j, _ = self.get("tz", "/api/v1/reports/%s?format=json" % name)
            self.assertEqual(r.status, 200, j)
            rows = j.get("items", j.get("pupils"))
            self.assertEqual(len(rows), self.police_rows(TOWN, name == "registration-feedback"))
            self.assertLessEqual({x["township_code"] for x in rows}, {TOWN})
            r, j, _ = self.get("tz", "/api/v1/reports/%s?format=json&township=%s" % (name, OTHER))
            self.assertEqual(r.status, 404, j)
            # the police: county-wide, masked, never full
            r, j, data = self.get("police", "/api/v1/reports/%s?format=json" % name)
            self.assertEqual(r.status, 200, j)
            text = data.decode("utf-8")
            self.assertNotIn("birth_date", text)
            rows = j.get("items", j.get("pupils"))
            self.assertGreater(len({x["township_code"] for x in rows}), 1)
            r, j, _ = self.get("police", "/api/v1/reports/%s?format=json&full=1" % name)
            self.assertEqual(r.status, 403, j)
            # another department: not its duty
            r, j, _ = self.get("civil", "/api/v1/reports/%s?format=json" % name)
            self.assertEqual(r.status, 403, j)
        # the police get nothing else of the catalog
        r, j, _ = self.get("police", "/api/v1/reports/summary?format=json")
        self.assertEqual(r.status, 403, j)
        r, j, _ = self.get("police", "/api/v1/reports/out-of-school?format=json")
        self.assertEqual(r.status, 403, j)
        # the catalog tells the web UI which reports are the police's
        r, j, _ = self.get("police", "/api/v1/vocab")
        police = {w["key"] for w in j["reports"] if w["registration"]}
        self.assertEqual(police, {"registration-feedback", "unregistered-pupils"})


if __name__ == "__main__":
    unittest.main()
