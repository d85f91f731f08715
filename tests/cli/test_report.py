"""baoxue match + report on a small hand-made county: one crafted child per status, the age
boundary (born 31 August vs 1 September 2020), masking, every output format, township filters.

The population, enrollment and outside lists are imported once per class into a shared
database (read-only for the tests, which each still get their own temp dir for outputs).
"""

import codecs
import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from harness import BIN, BaoxueTest, make_id, mask_id, new_db, write_csv

AS_OF = "2026-11-20"

# name: (birth, seq, township, village, 户籍状态, expected status)
CHILDREN = {
    "迁出儿": ("2016-05-01", 11, "郑庄镇", "郑庄村", "迁出", "inactive"),
    "死亡儿": ("2016-05-02", 12, "端氏镇", "", "死亡", "inactive"),
    "幼儿": ("2021-03-15", 13, "郑庄镇", "", "正常", "not_yet_school_age"),
    "超龄": ("2009-04-10", 15, "端氏镇", "", "正常", "beyond_age"),
    "在读": ("2015-03-04", 17, "郑庄镇", "郑庄村", "正常", "enrolled"),
    "学籍号在读": ("2017-01-01", 19, "端氏镇", "", "正常", "enrolled"),
    "外出": ("2014-06-01", 21, "端氏镇", "", "正常", "enrolled_elsewhere"),
    "辍学": ("2012-07-07", 23, "郑庄镇", "西村", "正常", "dropped_out"),
    "休学": ("2013-02-02", 25, "郑庄镇", "", "正常", "suspended"),
    "毕业": ("2011-03-03", 27, "端氏镇", "", "正常", "completed"),
    "未入学": ("2016-09-09", 29, "郑庄镇", "东村", "正常", "not_enrolled"),
    "八月末": ("2020-08-31", 31, "端氏镇", "端氏村", "正常", "not_enrolled"),
    "九月初": ("2020-09-01", 33, "端氏镇", "端氏村", "正常", "not_yet_school_age"),
    "超龄在读": ("2009-05-05", 35, "郑庄镇", "", "正常", "enrolled"),
    "无乡镇": ("2016-10-10", 37, "", "", "正常", "not_enrolled"),
    "上限内": ("2010-09-01", 39, "端氏镇", "端氏村", "正常", "not_enrolled"),
    "上限外": ("2010-08-31", 41, "端氏镇", "", "正常", "beyond_age"),
}


def cid(name):
    birth, seq = CHILDREN[name][0], CHILDREN[name][1]
    return make_id(birth.replace("-", ""), seq)


def phone(name):
    return "139%08d" % CHILDREN[name][1]


# the out-of-school list in report order: township code, village, age (the oldest first), register
# order; no township last
OOS_ORDER = ["未入学", "辍学", "上限内", "八月末", "无乡镇"]


def population_rows():
    rows = [["沁水县2026年适龄儿童花名册"],
            ["序号", "姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "监护人", "联系电话", "户籍状态"]]
    for i, (name, (birth, seq, town, village, reg, _)) in enumerate(CHILDREN.items(), 1):
        rows.append([str(i), name, "男" if seq % 2 else "女", cid(name), birth, town, village, name + "家长",
                     phone(name), reg])
    rows.append(["制表人：县公安局户政科"])
    return rows


def enrollment_rows():
    h = ["学校标识码", "学校名称", "年级", "班级", "全国学籍号", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"]

    def row(name, school, grade, status, with_id=True):
        return ["2114052101", school, grade, "1班", "G" + cid(name), name, "男", CHILDREN[name][0],
                cid(name) if with_id else "", status]

    other = make_id("20150505", 51, county="140522")  # a pupil from the neighbouring county
    return [h,
            row("在读", "沁水县实验小学", "二年级", "在读"),
            row("学籍号在读", "沁水县实验小学", "四年级", "在读", with_id=False),
            row("外出", "郑庄镇中心学校", "六年级", "转出"),
            row("辍学", "郑庄镇中学", "初一", "辍学"),
            row("休学", "郑庄镇中学", "七年级", "休学"),
            row("毕业", "端氏镇中学", "九年级", "毕业"),
            row("超龄在读", "郑庄镇中学", "九年级", "在读"),
            ["2114052101", "沁水县实验小学", "二年级", "1班", "G" + other, "外县生", "男", "2015-05-05", other, "在读"]]


def outside_rows():
    return [["姓名", "身份证号", "就读学校", "学校所在地区", "年级"],
            ["外出", cid("外出"), "晋城市第一中学", "山西省晋城市城区", "六年级"]]


class ReportTest(BaoxueTest):
    shared_dir = None

    @classmethod
    def setUpClass(cls):
        cls.shared_dir = tempfile.mkdtemp(prefix="baoxue-report-")
        cls.shared_db = new_db(cls.shared_dir, "county.db")
        d = cls.shared_dir
        write_csv(os.path.join(d, "户籍.csv"), population_rows(), encoding="gb18030")
        write_csv(os.path.join(d, "学籍.csv"), enrollment_rows(), bom=True)
        write_csv(os.path.join(d, "外出.csv"), outside_rows())
        cls.setup_out = []
        for args in (["init", "--county", "140521"],
                     ["import", "--kind", "population", os.path.join(d, "户籍.csv")],
                     ["import", "--kind", "enrollment", os.path.join(d, "学籍.csv")],
                     ["import", "--kind", "outside", os.path.join(d, "外出.csv")],
                     ["match", "--as-of", AS_OF]):
            p = subprocess.run([BIN, args[0], "--db", cls.shared_db] + args[1:], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=BaoxueTest.env(), cwd=d, timeout=120)
            cls.setup_out.append(p.stdout.decode("utf-8", "replace"))
            if p.returncode != 0:
                shutil.rmtree(d, True)
                raise RuntimeError("setup step %s failed (%d): %s" % (args, p.returncode,
                                                                      p.stderr.decode("utf-8", "replace")))

    @classmethod
    def tearDownClass(cls):
        if cls.shared_dir:
            shutil.rmtree(cls.shared_dir, True)

    def setUp(self):
        super().setUp()
        self.db = self.shared_db

    def report(self, *args):
        return self.ok("report", "--db", self.db, *args)[0]

    def report_json(self, *args):
        return json.loads(self.report(*args, "--format", "json"))


class Statuses(ReportTest):
    def test_import_counts(self):
        b = {x["kind"]: x for x in self.batches()}
        self.assertEqual(b["population"]["rows_imported"], len(CHILDREN))
        self.assertEqual(b["population"]["rows_skipped"], 3)  # title, header, 制表人
        self.assertEqual(b["enrollment"]["rows_imported"], 8)
        self.assertEqual(b["outside"]["rows_imported"], 1)
        self.assertEqual(json.loads(b["population"]["flag_counts"]), {})

    def test_every_child_gets_the_crafted_status(self):
        rows = self.children()
        got = {r["name"]: r["status"] for r in rows}
        self.assertEqual(len(rows), len(CHILDREN))
        self.assertEqual(got, {name: c[5] for name, c in CHILDREN.items()})
        # every status of the contract is represented
        self.assertEqual(set(got.values()), {
            "enrolled", "enrolled_elsewhere", "not_enrolled", "dropped_out", "suspended", "completed",
            "not_yet_school_age", "beyond_age", "inactive"})

    def test_age_boundary_31_august_vs_1_september(self):
        rows = [r for r in self.children() if r["name"] in ("八月末", "九月初", "上限内", "上限外")]
        got = {r["name"]: (r["status"], r["age"]) for r in rows}
        self.assertEqual(got, {"八月末": ("not_enrolled", 6), "九月初": ("not_yet_school_age", 5),
                               "上限内": ("not_enrolled", 15), "上限外": ("beyond_age", 16)})
        self.assertEqual([r["expected_grade"] for r in rows if r["name"] == "八月末"], ["一年级"])

    def test_match_run_row(self):
        runs = self.query("SELECT * FROM match_run")
        self.assertEqual(len(runs), 1)
        r = runs[0]
        self.assertEqual((r["as_of"], r["school_year"], r["cutoff"]), (AS_OF, 2026, "2026-08-31"))
        counts = json.loads(r["counts"])
        self.assertEqual(counts["population"], len(CHILDREN))
        self.assertEqual(counts["not_enrolled"], 4)
        self.assertEqual(counts["dropped_out"], 1)
        # the match summary on stdout
        self.assertIn("2026-2027 学年", self.setup_out[-1])
        self.assertIn("不在校（适龄未入学 + 辍学）：5 人", self.setup_out[-1])


class Summary(ReportTest):
    def test_summary_json_adds_up(self):
        j = self.report_json("summary")
        self.assertEqual((j["as_of"], j["school_year"]), (AS_OF, "2026-2027"))
        self.assertEqual(j["population_imported"], len(CHILDREN))
        self.assertEqual(j["total"], len(CHILDREN))
        rows = j["townships"]
        county = rows[-1]
        self.assertEqual((county["township"], county["township_code"]), ("全县合计", "140521"))
        statuses = ["enrolled", "enrolled_elsewhere", "not_enrolled", "dropped_out", "suspended", "completed",
                    "not_yet_school_age", "beyond_age", "inactive"]
        want = {s: 0 for s in statuses}
        for c in CHILDREN.values():
            want[c[5]] += 1
        self.assertEqual({s: county[s] for s in statuses}, want)
        self.assertEqual(county["total"], len(CHILDREN))
        # township rows add up to the county row, column by column
        for s in statuses + ["total"]:
            self.assertEqual(sum(r[s] for r in rows[:-1]), county[s], s)
        for r in rows:
            self.assertEqual(sum(r[s] for s in statuses), r["total"], r)
        by_town = {r["township"]: r for r in rows[:-1]}
        self.assertEqual(set(by_town), {"郑庄镇", "端氏镇", "（未填乡镇）"})
        self.assertEqual((by_town["郑庄镇"]["township_code"], by_town["郑庄镇"]["total"]), ("140521102", 7))
        self.assertEqual((by_town["端氏镇"]["township_code"], by_town["端氏镇"]["total"]), ("140521103", 9))
        self.assertEqual(by_town["（未填乡镇）"]["total"], 1)
        self.assertEqual(by_town["郑庄镇"]["not_enrolled"], 1)
        self.assertEqual(by_town["郑庄镇"]["dropped_out"], 1)
        self.assertEqual(by_town["端氏镇"]["not_enrolled"], 2)
        self.assertEqual(by_town["端氏镇"]["enrolled_elsewhere"], 1)

    def test_summary_table(self):
        out = self.report("summary", "--format", "table")
        self.assertIn("全县合计", out)
        self.assertIn("等于导入的户籍人数 17 人", out)
        self.assertNotIn("不等于", out)

    def test_summary_township_filter(self):
        j = self.report_json("summary", "--township", "郑庄镇")
        self.assertEqual([r["township"] for r in j["townships"]], ["郑庄镇", "小计"])
        self.assertEqual(j["townships"][-1]["total"], 7)
        j = self.report_json("summary", "--township", "140521103")
        self.assertEqual([r["township"] for r in j["townships"]], ["端氏镇", "小计"])
        self.assertEqual(j["townships"][-1]["total"], 9)


def z_text(path):
    """Every XML part of an xlsx file as one text."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


class OutOfSchool(ReportTest):
    def test_json_shape_and_statuses(self):
        j = self.report_json("out-of-school")
        self.assertEqual((j["as_of"], j["school_year"], j["total"], j["masked"]), (AS_OF, "2026-2027", 5, False))
        kids = j["children"]
        self.assertEqual([k["name"] for k in kids], OOS_ORDER)
        for k in kids:
            name = k["name"]
            birth, seq, town, village, _, status = CHILDREN[name]
            self.assertEqual(k["id_number"], cid(name))  # JSON is for systems: full IDs by default
            self.assertEqual(k["gender"], "男" if seq % 2 else "女")
            self.assertEqual(k["birth_date"], birth)
            self.assertEqual(k["township"], town or "（未填乡镇）")
            self.assertEqual(k["village"], village)
            self.assertEqual(k["status"], status)
            self.assertEqual(k["phone"], phone(name))
            self.assertEqual(k["guardian"], name + "家长")
            self.assertIsInstance(k["detail"], str)
            self.assertTrue(k["detail"])
        by = {k["name"]: k for k in kids}
        self.assertEqual(by["辍学"]["status"], "dropped_out")
        self.assertIn("郑庄镇中学", by["辍学"]["detail"])
        self.assertIn("辍学", by["辍学"]["detail"])
        self.assertEqual((by["八月末"]["age"], by["八月末"]["expected_grade"]), (6, "一年级"))
        self.assertIn("一年级", by["八月末"]["detail"])
        self.assertEqual(by["未入学"]["township_code"], "140521102")
        self.assertEqual(by["无乡镇"]["township_code"], "")
        self.assertEqual(sorted(k["status"] for k in kids), ["dropped_out"] + ["not_enrolled"] * 4)

    def test_json_mask(self):
        j = self.report_json("out-of-school", "--mask")
        self.assertEqual(j["masked"], True)
        self.assertEqual([k["id_number"] for k in j["children"]], [mask_id(cid(n)) for n in OOS_ORDER])

    def test_table_is_masked_by_default(self):
        out = self.report("out-of-school", "--format", "table")
        for name in OOS_ORDER:
            self.assertIn(name, out)
            self.assertIn(mask_id(cid(name)), out)
            self.assertNotIn(cid(name), out)
            self.assertNotIn(phone(name), out)
            self.assertIn(phone(name)[:3] + "****" + phone(name)[-4:], out)
        self.assertRegex(out, r"140521\*{8}\d{3}[\dX]")
        for name in ("迁出儿", "死亡儿", "幼儿", "学籍号在读", "休学", "九月初", "超龄在读", "上限外", "毕业"):
            self.assertNotIn(name, out)
        self.assertIn("共 5 名", out)

    def test_full_shows_full_and_is_audited(self):
        before = self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'")
        out = self.report("out-of-school", "--format", "table", "--full")
        for name in OOS_ORDER:
            self.assertIn(cid(name), out)
            self.assertIn(phone(name), out)
        after = self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'")
        self.assertEqual(after, before + 1)

    def test_full_and_mask_conflict(self):
        code, out, err = self.run_bx("report", "--db", self.db, "out-of-school", "--full", "--mask")
        self.assertCliError(code, err, 2, "--full", "--mask")

    def test_csv_starts_with_bom(self):
        code, data, err = self.run_bytes("report", "--db", self.db, "out-of-school", "--format", "csv")
        self.assertEqual(code, 0, err)
        self.assertTrue(data.startswith(codecs.BOM_UTF8), data[:8])
        rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
        self.assertEqual(rows[0][:4], ["序号", "乡镇", "村（社区）", "姓名"])
        self.assertEqual([r[3] for r in rows[1:]], OOS_ORDER)
        ids = rows[0].index("身份证号")
        self.assertEqual([r[ids] for r in rows[1:]], [mask_id(cid(n)) for n in OOS_ORDER])

    def test_csv_file_from_extension(self):
        p = self.path("名单.csv")
        code, out, err = self.run_bx("report", "--db", self.db, "out-of-school", "-o", p)
        self.assertEqual(code, 0, err)
        with open(p, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(codecs.BOM_UTF8))
        self.assertEqual(len(list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))), 6)

    def test_xlsx_frozen_header(self):
        p = self.path("未在校名单.xlsx")
        code, out, err = self.run_bx("report", "--db", self.db, "out-of-school", "--format", "xlsx", "-o", p)
        self.assertEqual(code, 0, err)
        self.assertTrue(zipfile.is_zipfile(p))
        with zipfile.ZipFile(p) as z:
            self.assertIsNone(z.testzip())
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
            names = z.namelist()
        self.assertIn("xl/workbook.xml", names)
        self.assertRegex(sheet, r'<pane\b[^>]*\bstate="frozen"')
        self.assertRegex(sheet, r'<pane\b[^>]*\bySplit="1"')
        # the header, the children, the note under them (masked IDs, ages on the cutoff)
        self.assertEqual(len(re.findall(r"<row\b", sheet)), 1 + len(OOS_ORDER) + 1)
        self.assertIn("身份证号和电话已遮盖，不列出生日期", z_text(p))
        # IDs masked in the file too
        with zipfile.ZipFile(p) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        for name in OOS_ORDER:
            self.assertNotIn(cid(name), text)
            self.assertIn(mask_id(cid(name)), text)

    def test_masked_xlsx_has_ages_not_birth_dates(self):
        p = self.path("未在校名单.xlsx")
        self.run_bx("report", "--db", self.db, "out-of-school", "-o", p)
        text = z_text(p)
        self.assertRegex(text, ">年龄<")
        self.assertNotRegex(text, ">出生日期<")
        for name in OOS_ORDER:
            self.assertNotIn(CHILDREN[name][0], text)
        p = self.path("完整.xlsx")
        self.run_bx("report", "--db", self.db, "out-of-school", "--full", "-o", p)
        text = z_text(p)
        self.assertRegex(text, ">出生日期<")
        for name in OOS_ORDER:
            self.assertIn(CHILDREN[name][0], text)

    def test_xlsx_to_stdout_refused(self):
        code, out, err = self.run_bx("report", "--db", self.db, "out-of-school", "--format", "xlsx")
        self.assertCliError(code, err, 2, "-o")

    def test_township_by_name(self):
        j = self.report_json("out-of-school", "--township", "郑庄镇")
        self.assertEqual([k["name"] for k in j["children"]], ["未入学", "辍学"])
        j = self.report_json("out-of-school", "--township", "端氏")  # without 镇
        self.assertEqual([k["name"] for k in j["children"]], ["上限内", "八月末"])

    def test_township_by_code(self):
        j = self.report_json("out-of-school", "--township", "140521103")
        self.assertEqual([k["name"] for k in j["children"]], ["上限内", "八月末"])
        self.assertEqual(j["total"], 2)
        j = self.report_json("out-of-school", "--township", "140521100")  # 龙港镇: nobody
        self.assertEqual(j["children"], [])

    def test_township_filter_in_table(self):
        out = self.report("out-of-school", "--format", "table", "--township", "郑庄镇")
        self.assertIn("未入学", out)
        self.assertNotIn("八月末", out)


class Ordering(BaoxueTest):
    def test_report_before_match(self):
        self.init_db()
        code, out, err = self.run_bx("report", "--db", self.db, "out-of-school", "--format", "json")
        self.assertCliError(code, err, 2, "baoxue match")
        code, out, err = self.run_bx("report", "--db", self.db, "summary")
        self.assertCliError(code, err, 2, "baoxue match")

    def test_match_needs_population_and_enrollment(self):
        self.init_db()
        code, out, err = self.run_bx("match", "--db", self.db, "--as-of", AS_OF)
        self.assertCliError(code, err, 2, "户籍")
        p = self.csv("户籍.csv", population_rows())
        self.import_file("population", p)
        code, out, err = self.run_bx("match", "--db", self.db, "--as-of", AS_OF)
        self.assertCliError(code, err, 2, "学籍")
        self.assertEqual(self.scalar("SELECT count(*) FROM match_run"), 0)

    def test_latest_run_is_reported(self):
        # a second match with another as-of date: the report follows the latest run
        self.init_db()
        self.import_file("population", self.csv("户籍.csv", population_rows()))
        self.import_file("enrollment", self.csv("学籍.csv", enrollment_rows()))
        self.ok("match", "--db", self.db, "--as-of", AS_OF)
        self.ok("match", "--db", self.db, "--as-of", "2027-09-15")
        j = json.loads(self.ok("report", "--db", self.db, "out-of-school", "--format", "json")[0])
        self.assertEqual((j["as_of"], j["school_year"]), ("2027-09-15", "2027-2028"))
        names = [k["name"] for k in j["children"]]
        # in 2027-2028 the 1 September 2020 child is 6 on the cutoff: now out of school
        self.assertIn("九月初", names)
        self.assertNotIn("上限内", names)  # 16 by then


if __name__ == "__main__":
    unittest.main()
