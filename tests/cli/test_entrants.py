"""招生入学 (issue 17), black box on a hand-made county (today 2026-11-20, cutoff 31 Aug):
the county draws the 学区 (a village set, a sheet imported, one village left 未划学区), `baoxue
report entrants` lists next year's cohort (6 on 2027-08-31) per catchment school — a child born
a day after the cutoff is not in it —, an application a school records joins its school's list,
a school account cannot record for another school nor draw the 学区, and the September check
(`report entrants-check`) lists this year's entrant missing from the 学籍 while the one in
grade 1 is not listed.
"""
import json
import shutil
import tempfile
import unittest

from harness import (Api, BaoxueTest, csv_text, drain, make_id, start_server, stop_drained,
                     user_add)

POP_HEADER = ["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "监护人",
              "联系电话", "户籍状态"]
ENR_HEADER = ["学校标识码", "学校名称", "年级", "全国学籍号", "姓名", "性别", "出生日期", "身份证件号",
              "学籍状态"]
A = ("2114052102", "郑庄镇中心小学")
B = ("2114052103", "东村小学")
# name: (birth, village, school of the 学籍 or None, grade)
CHILDREN = {
    "甲一": ("2021-03-05", "东村", None, None),
    "甲二": ("2021-08-31", "东村", None, None),   # 6 on the cutoff day: next year's
    "甲三": ("2021-09-01", "东村", None, None),   # a day late: the year after
    "乙一": ("2020-12-01", "西村", None, None),
    "丙一": ("2021-01-10", "南村", None, None),   # 南村 has no school: 未划学区
    "丁一": ("2020-03-03", "东村", B, "一年级"),  # this year's, in grade 1
    "丁二": ("2020-05-05", "西村", None, None),   # this year's, in no 学籍
    "戊一": ("2015-06-06", "西村", A, "五年级"),
    "戊二": ("2016-07-07", "东村", B, "四年级"),
}


def ids():
    return {n: make_id(b.replace("-", ""), 100 + i) for i, (n, (b, *_)) in
            enumerate(CHILDREN.items())}


class Entrants(Api, BaoxueTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="baoxue-entrants-")
        t = BaoxueTest("setUp")
        t.dir = cls.tmp
        t.db = cls.db = cls.tmp + "/baoxue.db"
        t.init_db()
        cls.ids = ids()
        pop, enr = [POP_HEADER], [ENR_HEADER]
        for i, (n, (birth, village, school, grade)) in enumerate(CHILDREN.items()):
            idn = cls.ids[n]
            pop.append([n, "男" if i % 2 else "女", idn, birth, "郑庄镇", village, n + "妈妈",
                        "1381234%04d" % i, "正常"])
            if school:
                enr.append([school[0], school[1], grade, "G" + idn, n, "男" if i % 2 else "女",
                            birth, idn, "在读"])
        # a pupil here without 户籍 here: a migrant family (随迁) the school may ask
        other = make_id("20170404", 301, county="411522")
        enr.append([A[0], A[1], "三年级", "G" + other, "外来生", "男", "2017-04-04", other, "在读"])
        t.import_file("population", t.csv("pop.csv", pop))
        t.import_file("enrollment", t.csv("enr.csv", enr))
        t.ok("match", "--db", cls.db)
        cls.t = t
        user_add(cls.db, "county", "--role", "county")
        user_add(cls.db, "schA", "--role", "school", "--school", A[0])
        user_add(cls.db, "tz", "--role", "township", "--township", "140521102")
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.tmp, True)
        assert "Sanitizer" not in log, log[-4000:]

    def setUp(self):
        pass

    def bx(self, *args):
        return self.t.run_bx(args[0], "--db", self.db, *args[1:])

    def okx(self, *args):
        code, out, err = self.bx(*args)
        self.assertEqual(code, 0, "baoxue %s: %s%s" % (" ".join(args), out, err))
        return out

    def report(self, name, *args):
        return json.loads(self.okx("report", name, "--format", "json", *args))

    def test_1_catchment(self):
        out = self.okx("catchment", "set", "--township", "郑庄镇", "--village", "东村",
                       "--school", B[1])
        self.assertIn("东村", out)
        sheet = self.t.write_bytes("学区.csv", csv_text([
            ["郑庄镇学区划分表"], ["乡镇", "村（社区）", "学校"],
            ["郑庄镇", "西村", A[0]], ["郑庄镇", "北村", A[1]]]).encode("utf-8"))
        out = self.okx("catchment", "import", sheet)
        self.assertIn("2 个村", out)
        # a bad row refuses the whole sheet
        bad = self.t.write_bytes("bad.csv", csv_text([
            ["乡镇", "村（社区）", "学校"], ["郑庄镇", "南村", "没有这所学校"]]).encode("utf-8"))
        code, out, err = self.bx("catchment", "import", bad)
        self.assertEqual(code, 2, err)
        self.assertIn("第 2 行", err)
        rows = {r["village"]: r for r in self.report("catchment")["villages"]}
        self.assertEqual(rows["东村"]["school"], B[1])
        self.assertEqual(rows["西村"]["school"], A[1])
        self.assertEqual(rows["南村"]["school"], "未划学区")  # never dropped
        self.assertEqual(rows["南村"]["state"], "未划学区")
        self.assertIn("户籍名单中没有", rows["北村"]["state"])
        # remove and set again
        self.okx("catchment", "remove", "--township", "郑庄镇", "--village", "北村")
        rows = {r["village"] for r in self.report("catchment")["villages"]}
        self.assertNotIn("北村", rows)
        text = self.okx("catchment", "list")
        self.assertIn("未划学区", text)

    def test_2_entrants_per_school(self):
        self.test_1_catchment()
        rep = self.report("entrants")
        self.assertEqual(rep["school_year"], 2027)
        names = {r["name"]: r for r in rep["entrants"]}
        self.assertEqual(set(names) & set(CHILDREN), {"甲一", "甲二", "乙一", "丙一"})
        self.assertEqual(names["甲一"]["school"], B[1])
        self.assertEqual(names["乙一"]["school"], A[1])
        self.assertEqual(names["丙一"]["school"], "未划学区")
        self.assertEqual(names["甲一"]["source"], "户籍")
        self.assertEqual(names["甲一"]["village"], "东村")
        self.assertGreaterEqual(rep["unassigned"], 1)
        b = self.report("entrants", "--school", B[0])["entrants"]
        self.assertEqual(sorted(r["name"] for r in b), ["甲一", "甲二"])
        # masked in a file
        csvout = self.okx("report", "entrants", "--format", "csv")
        self.assertIn("*", csvout.splitlines()[1])
        notes = " ".join(rep["notes"])
        self.assertIn("东村小学 2 人（户籍 2，学校登记 0，随迁子女 0）", notes)
        self.assertIn("未划学区 1 人", notes)
        self.assertIn("有学籍无户籍（随迁）学生的家庭 1 户：郑庄镇中心小学 1 户", notes)
        b_notes = " ".join(self.report("entrants", "--school", B[0])["notes"])
        self.assertNotIn("有学籍无户籍", b_notes)

    def test_3_application_and_scope(self):
        self.test_1_catchment()
        s = self.login("schA")
        r, j, _ = self.call("POST", "/api/v1/entrants/applications", {
            "name": "随迁甲", "birth": "2021-02-02", "guardian": "随迁甲爸爸",
            "phone": "13900001234", "address": "郑庄镇西村租房", "migrant": True,
            "hukou": "河南省光山县"}, *s)
        self.assertEqual(r.status, 201, j)
        # another school's application: refused, nothing written
        r, j, _ = self.call("POST", "/api/v1/entrants/applications", {
            "school": B[0], "name": "越权", "birth": "2021-02-02"}, *s)
        self.assertError(r, j, 403)
        # a township does not record; a school does not draw the 学区
        tz = self.login("tz")
        r, j, _ = self.call("POST", "/api/v1/entrants/applications", {
            "school": A[0], "name": "乡镇录", "birth": "2021-02-02"}, *tz)
        self.assertError(r, j, 403)
        r, j, _ = self.call("POST", "/api/v1/catchment", {
            "township": "郑庄镇", "village": "南村", "school": A[0]}, *s)
        self.assertError(r, j, 403)
        self.assertEqual(self.t.scalar("SELECT count(*) FROM entrant_application"
                                       " WHERE name IN ('越权', '乡镇录')"), 0)
        # the application is on its school's list, flagged 随迁
        r, j, _ = self.call("GET", "/api/v1/reports/entrants?format=json", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        rows = {x["name"]: x for x in j["entrants"]}
        self.assertIn("随迁甲", rows)
        self.assertEqual(rows["随迁甲"]["source"], "学校登记")
        self.assertEqual(rows["随迁甲"]["migrant"], "是")
        self.assertEqual(rows["随迁甲"]["school"], A[1])
        self.assertNotIn("甲一", rows)  # another school's
        self.assertIn("*", rows["乙一"]["id_number"])
        # the county reads it; the audit trail has the write
        c = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/reports/catchment?format=json", cookie=c[0])
        self.assertEqual(r.status, 200, j)
        self.assertGreater(self.t.scalar("SELECT count(*) FROM audit WHERE action ="
                                         " 'entrant_apply'"), 0)

    def test_4_september_check(self):
        self.test_1_catchment()
        self.okx("entrants", "apply", "--school", B[0], "--name", "登记乙", "--birth",
                 "2019-10-10", "--migrant", "是")
        rep = self.report("entrants-check")
        self.assertEqual(rep["school_year"], 2026)
        self.assertTrue(rep["ready"])
        names = {r["name"]: r for r in rep["entrants"]}
        self.assertIn("丁二", names)
        self.assertNotIn("丁一", names)  # in grade 1
        self.assertNotIn("甲一", names)  # next year's
        self.assertIn("适龄未入学", names["丁二"]["known"])
        self.assertEqual(names["丁二"]["school"], A[1])
        self.assertIn("登记乙", names)
        self.assertEqual(names["登记乙"]["source"], "学校登记")

    def test_5_bad_input(self):
        code, out, err = self.bx("entrants", "apply", "--school", A[0], "--name", "无生日")
        self.assertEqual(code, 2, err)
        self.assertIn("出生日期", err)
        code, out, err = self.bx("catchment", "set", "--township", "不存在镇", "--village", "东村",
                                 "--school", A[0])
        self.assertEqual(code, 2, err)
        self.assertIn("乡镇", err)


if __name__ == "__main__":
    unittest.main()
