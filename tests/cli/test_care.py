"""Left-behind children's care (issue 15), black box on the demo county: a care contact logged
with `baoxue care add` and over the API by the child's school; the month's count per school in
`left-behind-care` falls by one; the guardian (受委托监护人), phone and parents' work places shown
to the child's school (standing for its 结对教师) and to the county with full=1, each read
audited, and never to a township account not assigned to the child; another school and a
township account may not log one; bad input refused in Chinese with nothing stored.
"""

import json
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, Api, db_rows, db_scalar, demo_county, drain, env, start_server,
                     stop_drained)


class Care(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-care-")
        cls.db = demo_county(cls.dir, 2000)
        rep = cls.cli_json("report", "--db", cls.db, "left-behind-care", "--format", "json")
        cls.before = rep
        cls.kids = rep["children"]
        assert len(cls.kids) >= 3, rep
        cls.kid = cls.kids[0]
        cls.school_code = db_rows(cls.db, "SELECT school_code FROM record WHERE school_name = '%s'"
                                          " AND school_code IS NOT NULL LIMIT 1" % cls.kid["school"])[0][0]
        other = [k for k in cls.kids if k["school"] != cls.kid["school"]][0]
        cls.other_code = db_rows(cls.db, "SELECT school_code FROM record WHERE school_name = '%s'"
                                         " AND school_code IS NOT NULL LIMIT 1" % other["school"])[0][0]
        cls.town = db_rows(cls.db, "SELECT township_code FROM record WHERE id = %s" % cls.kid["record_id"])[0][0]
        for name, args in [("county", ["--role", "county"]),
                           ("sch", ["--role", "school", "--school", cls.school_code]),
                           ("sch2", ["--role", "school", "--school", cls.other_code]),
                           ("tz", ["--role", "township", "--township", cls.town])]:
            cls.user_add(name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

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

    def contacts(self):
        return db_scalar(self.db, "SELECT count(*) FROM care_contact")

    def test_1_cli_logs_and_the_count_falls(self):
        kid = self.kids[1]
        code, out, err = self.cli("care", "add", kid["record_id"], "--db", self.db, "--way", "入户",
                                  "--people", "结对教师王老师与爷爷", "--content", "作业按时完成")
        self.assertEqual(code, 0, err)
        self.assertIn("已记录", out)
        rep = self.cli_json("report", "--db", self.db, "left-behind-care", "--format", "json")
        self.assertEqual(rep["without_contact"], self.before["without_contact"] - 1)
        row = [k for k in rep["children"] if k["record_id"] == kid["record_id"]][0]
        self.assertTrue(row["contacted"])
        self.assertEqual(row["contacts_this_month"], 1)
        ev = db_rows(self.db, "SELECT kind, text FROM event WHERE kind = 'care'")
        self.assertTrue(any("作业按时完成" in e[1] for e in ev), ev)

    def test_2_bad_input_refused_in_chinese(self):
        n = self.contacts()
        kid = self.kids[2]["record_id"]
        for extra, needle in [(["--way", "飞鸽", "--people", "x", "--content", "y"], "联系方式"),
                              (["--way", "电话", "--people", "x", "--content", "y",
                                "--date", "2099-01-01"], "联系日期"),
                              (["--way", "电话", "--content", "y"], "联系人")]:
            code, out, err = self.cli("care", "add", kid, "--db", self.db, *extra)
            self.assertNotEqual(code, 0)
            self.assertIn(needle, err)
            self.assertRegex(err, "[\u4e00-\u9fff]")
        code, out, err = self.cli("care", "add", "1", "--db", self.db, "--way", "电话", "--people",
                                  "x", "--content", "y")  # no left-behind child
        self.assertNotEqual(code, 0)
        self.assertEqual(self.contacts(), n)

    def test_3_the_school_logs_and_reads_the_guardian(self):
        s = self.login("sch")
        rid = self.kid["record_id"]
        r, j, _ = self.call("POST", "/api/v1/children/%s/care-contacts" % rid,
                            {"way": "video", "people": "班主任李老师与妈妈", "content": "视频谈心"},
                            cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 201, j)
        r, j, _ = self.call("GET", "/api/v1/children/%s/care" % rid, cookie=s[0])
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["left_behind"] and j["contact_visible"] and j["may_log"])
        self.assertIn("学校账号代结对教师", j["contact_rule"])
        self.assertTrue(j["guardian"]["name"])
        self.assertRegex(j["guardian"]["phone"], r"^1\d{10}$")
        self.assertEqual(j["contacts"][0]["way_label"], "视频")
        audit = db_rows(self.db, "SELECT actor, target FROM audit WHERE action = 'read_full'"
                                 " AND actor = 'sch'")
        self.assertIn(["sch", "record:%s" % rid], audit)

    def test_4_an_unassigned_township_account_sees_no_guardian(self):
        t = self.login("tz")
        rid = self.kid["record_id"]
        before = db_scalar(self.db, "SELECT count(*) FROM audit WHERE action = 'read_full'"
                                    " AND actor = 'tz'")
        r, j, data = self.call("GET", "/api/v1/children/%s/care" % rid, cookie=t[0])
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["left_behind"])
        self.assertFalse(j["contact_visible"])
        self.assertNotIn("guardian", j)
        phone = db_rows(self.db, "SELECT r.phone FROM group_member gm JOIN record r"
                                 " ON r.id = gm.group_record WHERE gm.record_id = %s"
                                 " AND gm.grp = 'left_behind'" % rid)[0][0]
        self.assertNotIn(phone.encode(), data)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action = 'read_full'"
                                            " AND actor = 'tz'"), before)
        n = self.contacts()
        r, j, _ = self.call("POST", "/api/v1/children/%s/care-contacts" % rid,
                            {"way": "电话", "people": "x", "content": "y"}, cookie=t[0], csrf=t[1])
        self.assertEqual(r.status, 403, j)
        self.assertRegex(j["error"]["message"], "[\u4e00-\u9fff]")
        s2 = self.login("sch2")
        r, j, _ = self.call("POST", "/api/v1/children/%s/care-contacts" % rid,
                            {"way": "电话", "people": "x", "content": "y"}, cookie=s2[0], csrf=s2[1])
        self.assertIn(r.status, (403, 404), j)
        self.assertEqual(self.contacts(), n)

    def test_5_the_county_with_full_is_audited(self):
        c = self.login("county")
        rid = self.kid["record_id"]
        r, j, _ = self.call("GET", "/api/v1/children/%s/care" % rid, cookie=c[0])
        self.assertEqual(r.status, 200, j)
        self.assertNotIn("guardian", j)
        r, j, _ = self.call("GET", "/api/v1/children/%s/care?full=1" % rid, cookie=c[0])
        self.assertEqual(r.status, 200, j)
        self.assertIn("guardian", j)
        self.assertIn(["county", "record:%s" % rid],
                      db_rows(self.db, "SELECT actor, target FROM audit WHERE action = 'read_full'"))

    def test_6_the_school_sees_its_own_in_the_report(self):
        s = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/reports/left-behind-care", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["children"])
        self.assertTrue(all(k["school"] == self.kid["school"] for k in j["children"]))
        self.assertTrue(all("*" in k["id_number"] for k in j["children"]))


if __name__ == "__main__":
    unittest.main()
