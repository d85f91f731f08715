"""The illness ledger (疾病台帐, issue 16), black box on the demo county: an illness added and
followed up with `baoxue illness` and over the API by the pupil's school; who reads and writes it
(the school its pupils, a township its township's and only reads, the county all, a department
nothing); a chronic certified illness that keeps the pupil at home offers a placement until one
is set; the infectious-disease report for 卫健 masked unless full (audited), for any month over
the API as on the command line (a malformed month refused); bad input refused in
Chinese with nothing stored.
"""

import json
import subprocess
import unittest
import urllib.parse

from harness import BIN, DemoServerTest, db_rows, db_scalar, db_value, env

SCHOOL = "2114052101"


class Illness(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kids = cls.cli_json("report", "children", "--db", cls.db, "--format", "json")["children"]
        ours = [k for k in kids if k["status"] == "enrolled" and k["school"] == "沁水县实验小学"]
        others = [k for k in kids if k["status"] == "enrolled" and k["school"] != "沁水县实验小学"]
        taken = {str(r[0]) for r in db_rows(cls.db, "SELECT record_id FROM illness")}
        cls.pupil = [k for k in ours if str(k["record_id"]) not in taken][0]
        cls.other = others[0]
        cls.user_add("sch", "--role", "school", "--school", SCHOOL)
        cls.user_add("police", "--role", "department", "--department", "公安局")
        cls.user_add("tz2", "--role", "township", "--township",
                     [t for t in ("140521101", "140521102", "140521103")
                      if t != cls.pupil["township_code"]][0])
        cls.user_add("tzp", "--role", "township", "--township", cls.pupil["township_code"])

    @staticmethod
    def cli(*args):
        p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                           timeout=300)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    @classmethod
    def cli_json(cls, *args):
        code, out, err = cls.cli(*args)
        assert code == 0, err
        return json.loads(out)

    def count(self):
        return db_scalar(self.db, "SELECT count(*) FROM illness")

    def test_1_command_line_adds_follows_and_ends(self):
        rid = str(self.other["record_id"])
        code, out, err = self.cli("illness", "add", rid, "--db", self.db, "--category", "重大疾病",
                                  "--diagnosis", "急性白血病", "--effect", "无法到校", "--from",
                                  "2026-09-01", "--certificate", "省儿童医院诊断证明")
        self.assertEqual(code, 0, err)
        self.assertIn("送教上门或缓学", out)
        iid = db_scalar(self.db, "SELECT max(id) FROM illness")
        self.assertEqual(db_scalar(self.db, "SELECT serious FROM illness WHERE id = %s" % iid), 1)
        code, out, err = self.cli("illness", "follow", str(iid), "--db", self.db, "--by", "班主任",
                                  "--content", "化疗结束，返校", "--date", "2026-10-01",
                                  "--ended", "2026-10-01")
        self.assertEqual(code, 0, err)
        self.assertEqual(db_value(self.db, "SELECT to_date FROM illness WHERE id = %s" % iid),
                         "2026-10-01")
        code, out, err = self.cli("illness", "show", rid, "--db", self.db)
        self.assertIn("急性白血病", out)
        self.assertIn("化疗结束", out)
        rows = self.cli_json("illness", "list", "--db", self.db, "--format", "json", "--serious")
        self.assertTrue(any(r["diagnosis"] == "急性白血病" for r in rows["illnesses"]), rows)
        self.assertTrue(all(r["serious"] == "是" for r in rows["illnesses"]), rows)

    def test_2_bad_input_refused_in_chinese_nothing_stored(self):
        n = self.count()
        rid = str(self.pupil["record_id"])
        for args, word in [(["--category", "感冒", "--diagnosis", "x", "--effect", "无法到校"], "疾病类别"),
                           (["--category", "其他", "--diagnosis", "x", "--effect", "很严重"], "对到校的影响"),
                           (["--category", "其他", "--diagnosis", "x", "--effect", "部分缺课",
                             "--from", "2099-01-01"], "起始日期"),
                           (["--category", "其他", "--diagnosis", "x", "--effect", "部分缺课",
                             "--from", "2026-10-01", "--to", "2026-09-01"], "结束日期"),
                           (["--category", "其他", "--diagnosis", "x", "--effect", "部分缺课",
                             "--sick-leave", "第三条"], "病假记录编号")]:
            code, out, err = self.cli("illness", "add", rid, "--db", self.db, *args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn(word, err)
        self.assertEqual(self.count(), n)

    def test_3_who_reads_and_writes(self):
        rid = self.pupil["record_id"]
        body = {"category": "传染病", "diagnosis": "水痘", "effect": "无法到校", "from": "2026-11-02",
                "to": "2026-11-12", "certificate": "县人民医院门诊病历"}
        sch, csrf = self.login("sch")
        r, j, _ = self.call("POST", "/api/v1/children/%s/illnesses" % rid, body, cookie=sch, csrf=csrf)
        self.assertEqual(r.status, 201, j)
        # the school's ledger holds its pupils only
        r, j, _ = self.call("GET", "/api/v1/illnesses", cookie=sch)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(any(i["diagnosis"] == "水痘" for i in j["items"]))
        self.assertTrue(all(i["school"] == "沁水县实验小学" for i in j["items"]), j)
        # another school's pupil does not exist for it
        r, j, _ = self.call("POST", "/api/v1/children/%s/illnesses" % self.other["record_id"], body,
                            cookie=sch, csrf=csrf)
        self.assertEqual(r.status, 404, j)
        # the pupil's township reads, does not write; another township does not see it
        tz, tcsrf = self.login("tzp")
        r, j, _ = self.call("GET", "/api/v1/children/%s/illnesses" % rid, cookie=tz)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(any(i["diagnosis"] == "水痘" for i in j["items"]))
        self.assertFalse(j["may_log"])
        r, j, _ = self.call("POST", "/api/v1/children/%s/illnesses" % rid, body, cookie=tz, csrf=tcsrf)
        self.assertEqual(r.status, 403, j)
        t2, _ = self.login("tz2")
        r, j, _ = self.call("GET", "/api/v1/illnesses", cookie=t2)
        self.assertFalse(any(i["record_id"] == rid for i in j["items"]), j)
        # a department reads no illness
        pol, _ = self.login("police")
        r, j, _ = self.call("GET", "/api/v1/illnesses", cookie=pol)
        self.assertEqual(r.status, 403, j)
        self.assertRegex(j["error"]["message"], "[\u4e00-\u9fff]")
        # the infectious report for 卫健: the month's, masked, full only audited
        county, _ = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json", cookie=county)
        self.assertEqual(r.status, 200, j)
        row = [x for x in j["illnesses"] if x["diagnosis"] == "水痘"][0]
        self.assertIn("*", row["id_number"])
        before = len(self.audit(action="export_full"))
        r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json&full=1",
                            cookie=county)
        self.assertEqual(r.status, 200, j)
        row = [x for x in j["illnesses"] if x["diagnosis"] == "水痘"][0]
        self.assertNotIn("*", row["id_number"])
        self.assertEqual(len(self.audit(action="export_full")), before + 1)
        # another month's has none of it (the command line names the month)
        j = self.cli_json("report", "infectious", "--db", self.db, "--format", "json", "--month",
                          "2026-10")
        self.assertFalse(any(x["diagnosis"] == "水痘" for x in j["illnesses"]), j)
        # over HTTP too, for any month: the clerk's month picker
        r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json&month=2026-10",
                            cookie=county)
        self.assertEqual(r.status, 200, j)
        self.assertFalse(any(x["diagnosis"] == "水痘" for x in j["illnesses"]), j)
        self.assertIn("2026年10月1日至2026年10月31日", j["subtitle"])
        r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json&month=2026-11",
                            cookie=county)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(any(x["diagnosis"] == "水痘" for x in j["illnesses"]), j)
        # the demo ledger's infectious illnesses of each month, as the command line counts them
        for month in ("2026-09", "2026-10"):
            cli = self.cli_json("report", "infectious", "--db", self.db, "--format", "json",
                                "--month", month)
            r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json&month=" + month,
                                cookie=county)
            self.assertEqual(len(j["illnesses"]), len(cli["illnesses"]), month)
        # a malformed month: refused in Chinese, naming the field
        for bad in ("2026-13", "2026/10", "十月", "2026-1"):
            r, j, _ = self.call("GET", "/api/v1/reports/infectious?format=json&month="
                                + urllib.parse.quote(bad), cookie=county)
            self.assertEqual(r.status, 400, (bad, j))
            self.assertEqual(j["error"]["field"], "month")
            self.assertIn("月份", j["error"]["message"])
            self.assertIn("2026-11", j["error"]["message"])
        # a report without months refuses one rather than ignoring it
        r, j, _ = self.call("GET", "/api/v1/reports/illness?format=json&month=2026-10",
                            cookie=county)
        self.assertEqual(r.status, 400, j)
        self.assertIn("不按月份", j["error"]["message"])

    def test_4_a_certified_chronic_illness_offers_a_placement_until_one_is_set(self):
        rid = db_scalar(self.db, "SELECT record_id FROM illness WHERE category = 'chronic' LIMIT 1")
        county, csrf = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/children/%s/illnesses" % rid, cookie=county)
        self.assertTrue(j["items"][0]["placement_offer"], j)
        r, j, _ = self.call("PUT", "/api/v1/children/%s/placement" % rid,
                            {"kind": "送教上门", "school": SCHOOL}, cookie=county, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/children/%s/illnesses" % rid, cookie=county)
        self.assertFalse(j["items"][0]["placement_offer"], j)


if __name__ == "__main__":
    unittest.main()
