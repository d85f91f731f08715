"""The monthly report's confirmation (issue 17), black box on the demo county (today 2026-11-20):
a township confirms its part of a month with a named person and its figures freeze — a new
cross-check changes the live figures of the others, not its own; a second confirmation is
refused until the county withdraws the first (with a reason); another township's account cannot
confirm for it, a supervisor cannot confirm at all; after the 15th of the month after, the county
sees who has not confirmed (overdue) and they see it on their 待办; the county issues the
month's report only once every township confirmed, and the issued xlsx and PDF download byte
for byte the same after a later cross-check.
"""

import json
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import BIN, Api, demo_county, drain, env, start_server, stop_drained

TOWN = "140521100"  # 龙港镇
OTHER = "140521101"  # 中村镇
LATE = "140521206"  # 十里乡: the demo's township that did not confirm October
# the demo (demo/demo_monthly.h): September issued, October confirmed by all but 十里乡, November
# by 郑庄镇 and 端氏镇; these tests confirm August and issue July, which the demo leaves alone


class MonthlyConfirm(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-monthly-")
        cls.db = demo_county(cls.dir, 2000)
        for name, args in [("county", ["--role", "county"]),
                           ("tz", ["--role", "township", "--township", TOWN]),
                           ("tz2", ["--role", "township", "--township", OTHER]),
                           ("tz3", ["--role", "township", "--township", LATE]),
                           ("sup", ["--role", "supervisor"])]:
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

    def status(self, session, month):
        r, j, _ = self.call("GET", "/api/v1/monthly?month=" + month, cookie=session[0])
        self.assertEqual(r.status, 200, j)
        return j, {t["code"]: t for t in j["townships"]}

    def post(self, session, action, body):
        return self.call("POST", "/api/v1/monthly/" + action, body, cookie=session[0],
                         csrf=session[1])

    def test_1_township_confirms_its_figures_freeze(self):
        county, tz, tz2, tz3, sup = (self.login(n) for n in ("county", "tz", "tz2", "tz3", "sup"))
        # the demo's October: every township confirmed but one, overdue (due 2026-11-15)
        j, rows = self.status(county, "2026-10")
        self.assertEqual(j["deadline"], "2026-11-15")
        self.assertTrue(j["overdue"])
        self.assertGreater(len(rows), 5)
        self.assertEqual([c for c, t in rows.items() if t["state"] == "overdue"], [LATE])
        self.assertEqual(j["overdue_townships"], 1)
        self.assertEqual(j["confirmed"], len(rows) - 1)
        self.assertFalse(j["can_issue"])
        # November: due 2026-12-15, nobody overdue
        j, rows = self.status(county, "2026-11")
        self.assertEqual(j["deadline"], "2026-12-15")
        self.assertEqual(j["overdue_townships"], 0)
        self.assertEqual({t["state"] for t in rows.values()}, {"pending", "confirmed"})
        # August: nobody confirmed, everyone overdue; a township sees its own row only
        j, rows = self.status(county, "2026-08")
        self.assertEqual({t["state"] for t in rows.values()}, {"overdue"})
        j, own = self.status(tz, "2026-08")
        self.assertEqual(list(own), [TOWN])
        # another township's account cannot confirm for it; a supervisor cannot confirm
        r, j, _ = self.post(tz2, "confirm", {"month": "2026-08", "township": TOWN, "person": "王五"})
        self.assertError(r, j, 403)
        r, j, _ = self.post(sup, "confirm", {"month": "2026-08", "person": "王五"})
        self.assertError(r, j, 403)
        # the named person is required; a month whose report date has not come is refused
        r, j, _ = self.post(tz, "confirm", {"month": "2026-08", "person": " "})
        self.assertError(r, j, 400)
        self.assertEqual(j["error"].get("field"), "person")
        r, j, _ = self.post(tz, "confirm", {"month": "2026-12", "person": "张镇长"})
        self.assertError(r, j, 400)
        r, j, _ = self.post(tz, "confirm", {"month": "2026-08", "person": "张镇长", "note": "已核对"})
        self.assertEqual(r.status, 200, j)
        self.assertIn("张镇长", j["message"])
        # a second confirmation is refused, naming who confirmed
        r, j, _ = self.post(tz, "confirm", {"month": "2026-08", "person": "李四"})
        self.assertError(r, j, 400)
        self.assertIn("张镇长", j["error"]["message"])
        self.assertIn("撤回", j["error"]["message"])
        j, rows = self.status(county, "2026-08")
        self.assertEqual(rows[TOWN]["state"], "confirmed")
        self.assertEqual(rows[TOWN]["person"], "张镇长")
        self.assertEqual(rows[TOWN]["account"], "tz")
        self.assertEqual(rows[TOWN]["note"], "已核对")
        self.assertTrue(rows[TOWN]["frozen"])
        self.assertEqual(rows[OTHER]["state"], "overdue")
        self.assertEqual(j["overdue_townships"], len(rows) - 1)
        frozen = rows[TOWN]["figures"]
        # no cross-check on or before 2026-08-15 yet: no 适龄儿童 in August's figures
        self.assertIsNone(frozen["school_age"])
        self.assertIsNone(rows[OTHER]["figures"]["school_age"])
        # a new cross-check as of 2026-08-10 changes the live figures, not the confirmed ones
        code, out, err = self.cli("match", "--as-of", "2026-08-10", "--no-progress")
        self.assertEqual(code, 0, err)
        # the command's run reaches the server when the database's notification does (on
        # PostgreSQL a server keeps the latest run with the session: harness.Api.CHANGE_SECONDS)
        end = time.monotonic() + self.CHANGE_SECONDS
        while True:
            j, rows = self.status(county, "2026-08")
            if rows[OTHER]["figures"]["school_age"] is not None or time.monotonic() > end:
                break
            time.sleep(0.05)
        self.assertEqual(rows[TOWN]["figures"], frozen)
        self.assertIsInstance(rows[OTHER]["figures"]["school_age"], int)
        self.assertGreater(rows[OTHER]["figures"]["school_age"], 0)
        code, out, err = self.cli("report", "monthly", "--month", "2026-08", "--township", TOWN,
                                  "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["townships"][0]["school_age"])  # live: changed
        # 待办: a township that confirmed October has November's only, not yet due
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=tz[0])
        self.assertEqual(r.status, 200, j)
        mine = [t for t in j["tasks"] if t["object"] == "monthly"]
        self.assertEqual([t["object_id"] for t in mine], ["202611"], mine)
        self.assertIn("本月月报待确认", mine[0]["item"])
        self.assertGreaterEqual(mine[0]["days"], 0)
        # the one that did not: October's, overdue, and November's
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=tz3[0])
        theirs = {int(t["object_id"]): t for t in j["tasks"] if t["object"] == "monthly"}
        self.assertEqual(sorted(theirs), [202610, 202611])
        self.assertLess(theirs[202610]["days"], 0)
        self.assertIn("逾期", theirs[202610]["status"])
        # the county's 待办 of overdue items names it, and only it
        r, j, _ = self.call("GET", "/api/v1/tasks?overdue=1", cookie=county[0])
        late = {t["township"] for t in j["tasks"] if t["object"] == "monthly"}
        self.assertEqual(late, {"十里乡"})
        # once it confirms, October leaves its 待办
        r, j, _ = self.post(tz3, "confirm", {"month": "2026-10", "person": "孙立新"})
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=tz3[0])
        self.assertEqual([t["object_id"] for t in j["tasks"] if t["object"] == "monthly"],
                         ["202611"])
        j, _ = self.status(county, "2026-10")
        self.assertTrue(j["can_issue"])

    def test_2_county_withdraws_township_confirms_again(self):
        county, tz2 = self.login("county"), self.login("tz2")
        r, j, _ = self.post(tz2, "confirm", {"month": "2026-08", "person": "赵乡长"})
        self.assertEqual(r.status, 200, j)
        # only the county withdraws, with a reason
        r, j, _ = self.post(tz2, "withdraw", {"month": "2026-08", "township": OTHER,
                                              "reason": "数字有误"})
        self.assertError(r, j, 403)
        r, j, _ = self.post(county, "withdraw", {"month": "2026-08", "township": OTHER})
        self.assertError(r, j, 400)
        r, j, _ = self.post(county, "withdraw", {"month": "2026-08", "township": OTHER,
                                                 "reason": "待核查人数有误，请更正后重新确认"})
        self.assertEqual(r.status, 200, j)
        _, rows = self.status(county, "2026-08")
        self.assertEqual(rows[OTHER]["state"], "overdue")
        r, j, _ = self.post(tz2, "confirm", {"month": "2026-08", "person": "赵乡长"})
        self.assertEqual(r.status, 200, j)
        _, rows = self.status(county, "2026-08")
        self.assertEqual(rows[OTHER]["state"], "confirmed")
        # the audit trail has all three
        code, out, err = self.cli("audit", "--json", "--target", "monthly:2026-08")
        self.assertEqual(code, 0, err)
        acts = [(a["action"], a["actor"]) for a in json.loads(out)["items"]]
        self.assertIn(("monthly_withdraw", "county"), acts)
        self.assertIn(("monthly_confirm", "tz2"), acts)
        self.assertIn(("monthly_confirm", "tz"), acts)

    def test_3_issued_report_kept_unchanged(self):
        county, tz = self.login("county"), self.login("tz")
        # not until every township confirmed; the message names the missing ones
        r, j, _ = self.post(county, "issue", {"month": "2026-07"})
        self.assertError(r, j, 400)
        self.assertIn("未确认", j["error"]["message"])
        r, j, _ = self.call("GET", "/api/v1/monthly/report?month=2026-07", cookie=county[0])
        self.assertError(r, j, 404)
        # the demo's September is issued: its files download
        r, _, data = self.call("GET", "/api/v1/monthly/report?month=2026-09&format=pdf",
                               cookie=tz[0])
        self.assertEqual(r.status, 200)
        self.assertTrue(data.startswith(b"%PDF"))
        # a township cannot issue
        r, j, _ = self.post(tz, "issue", {"month": "2026-07"})
        self.assertError(r, j, 403)
        _, rows = self.status(county, "2026-07")
        for code in rows:
            c, out, err = self.cli("monthly", "confirm", "--month", "2026-07", "--township", code,
                                   "--person", "乡镇负责人")
            self.assertEqual(c, 0, err)
        j, rows = self.status(county, "2026-07")
        self.assertTrue(j["can_issue"])
        r, j, _ = self.post(county, "issue", {"month": "2026-07", "note": "按期上报"})
        self.assertEqual(r.status, 200, j)
        j, _ = self.status(county, "2026-07")
        self.assertEqual(j["issued"]["account"], "county")
        self.assertFalse(j["can_issue"])

        def download(fmt):
            r, _, data = self.call("GET", "/api/v1/monthly/report?month=2026-07&format=" + fmt,
                                   cookie=county[0])
            self.assertEqual(r.status, 200, data[:200])
            return data

        xlsx, pdf, tab = download("xlsx"), download("pdf"), download("json")
        self.assertTrue(xlsx.startswith(b"PK"))
        self.assertTrue(pdf.startswith(b"%PDF"))
        tab = json.loads(tab)
        self.assertIn("冻结", json.dumps(tab, ensure_ascii=False))
        self.assertIsNone(tab["townships"][0]["school_age"])
        # a later cross-check as of 2026-07-10 changes the live report …
        code, out, err = self.cli("match", "--as-of", "2026-07-10", "--no-progress")
        self.assertEqual(code, 0, err)
        code, out, err = self.cli("report", "monthly", "--month", "2026-07", "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["townships"][0]["school_age"])
        # … not the issued one: byte for byte the same, on the API and the command line
        self.assertEqual(download("xlsx"), xlsx)
        self.assertEqual(download("pdf"), pdf)
        path = self.dir + "/月报.pdf"
        code, out, err = self.cli("monthly", "download", "--month", "2026-07", "-o", path)
        self.assertEqual(code, 0, err)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), pdf)
        # issued: no second issue, no withdrawal, no late confirmation
        r, j, _ = self.post(county, "issue", {"month": "2026-07"})
        self.assertError(r, j, 400)
        r, j, _ = self.post(county, "withdraw", {"month": "2026-07", "township": TOWN,
                                                 "reason": "更正"})
        self.assertError(r, j, 400)
        # the status on the command line
        code, out, err = self.cli("monthly", "status", "--month", "2026-07", "--format", "json")
        self.assertEqual(code, 0, err)
        st = json.loads(out)
        self.assertEqual(st["issued"], "是")
        self.assertEqual({t["state"] for t in st["townships"]}, {"已确认"})


if __name__ == "__main__":
    unittest.main()
