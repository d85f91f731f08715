"""The three ledgers and the monthly report (docs/reports.md), black-box.

A small county: two townships, twelve children in the compulsory band (enrolled, suspended,
dropped out, never enrolled) and four outside it (too young, too old, moved out). A
cross-check on 2026-10-10 opens seven verification tasks; outcomes, cases, attempts (with a
correction), a return and a follow-up are recorded on scripted days (BAOXUE_TODAY) that cross
the month end and the 15th, so that each monthly period holds known events. The ledgers'
totals are checked against the cross-check's counts and the casework tables; every format;
masking and the audited --full."""
import codecs
import csv
import io
import json
import os
import re
import shutil
import tempfile
import zipfile

from harness import PG, BaoxueTest, make_id, mask_id

POP_HEADER = ["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "监护人",
              "联系电话", "户籍状态"]
ENR_HEADER = ["学校名称", "年级", "全国学籍号", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"]

# name: (township, village, birth, 学籍状态 or None, 户籍状态)
CHILDREN = {
    "甲一": ("郑庄镇", "东村", "2015-03-01", None, "正常"),
    "甲二": ("郑庄镇", "东村", "2014-04-02", None, "正常"),
    "甲三": ("郑庄镇", "南村", "2016-05-03", None, "正常"),
    "乙一": ("郑庄镇", "东村", "2015-06-04", "在读", "正常"),
    "乙二": ("郑庄镇", "南村", "2013-07-05", "在读", "正常"),
    "丙一": ("郑庄镇", "东村", "2012-08-06", "休学", "正常"),
    "丁一": ("郑庄镇", "南村", "2012-02-07", "辍学", "正常"),
    "甲四": ("龙港镇", "西村", "2015-01-08", None, "正常"),
    "甲五": ("龙港镇", "西村", "2017-02-09", None, "正常"),
    "甲六": ("龙港镇", "北村", "2018-03-10", None, "正常"),
    "乙三": ("龙港镇", "西村", "2016-04-11", "在读", "正常"),
    "乙四": ("龙港镇", "北村", "2019-05-12", "在读", "正常"),
    "小一": ("龙港镇", "西村", "2022-06-13", None, "正常"),   # not yet school age
    "大一": ("龙港镇", "西村", "2008-07-14", None, "正常"),   # beyond the band
    "迁一": ("龙港镇", "北村", "2015-08-15", None, "迁出"),   # left the register
}
IN_BAND = [n for n in CHILDREN if n not in ("小一", "大一", "迁一")]
SUSPECTED = ["甲一", "甲二", "甲三", "丁一", "甲四", "甲五", "甲六"]


class Ledgers(BaoxueTest):
    # On SQLite the county as setUp builds it (init, the two registers, the people, the
    # cross-check) is built by the first test and copied for the others: the same commands on
    # the same files gave the same database nine times. On PostgreSQL every test builds it.
    template_dir = None

    @classmethod
    def tearDownClass(cls):
        if cls.template_dir:
            shutil.rmtree(cls.template_dir, True)
            cls.template_dir = None

    def setUp(self):
        super().setUp()
        self.ids = {name: make_id(birth.replace("-", ""), 200 + i)
                    for i, (name, (_, _, birth, _, _)) in enumerate(CHILDREN.items())}
        if self.template_dir:
            shutil.copy(os.path.join(self.template_dir, "baoxue.db"), self.db)
            return
        self.init_db()
        pop, enr = [POP_HEADER], [ENR_HEADER]
        for i, (name, (town, village, birth, st, reg)) in enumerate(CHILDREN.items()):
            idn = self.ids[name]
            sex = "男" if (200 + i) % 2 else "女"
            pop.append([name, sex, idn, birth, town, village, "家长" + name, "1381234%04d" % i, reg])
            if st:
                enr.append(["%s中心小学" % town[:2], "五年级", "G" + idn, name, sex, birth, idn, st])
        self.import_file("population", self.csv("pop.csv", pop))
        self.import_file("enrollment", self.csv("enr.csv", enr))
        self.ok("people", "--db", self.db, "import", self.csv("people.csv", [
            ["姓名", "联系电话", "工作单位", "职务", "乡镇"],
            ["王五", "13900001111", "郑庄镇人民政府", "包保干部", "郑庄镇"],
            ["李四", "13900002222", "东村村委会", "村干部", "郑庄镇"],
            ["赵老师", "13900003333", "郑庄中心小学", "结对教师", "郑庄镇"],
            ["孙六", "13900005555", "龙港镇人民政府", "包保干部", "龙港镇"],
            ["钱局长", "13900004444", "沁水县教育局", "控辍保学办主任", ""],
        ]))
        self.okx("match", today="2026-10-10")
        if not PG:
            # every command has ended: the file holds the whole database (no -wal left)
            self.assertFalse(os.path.exists(self.db + "-wal"))
            Ledgers.template_dir = tempfile.mkdtemp(prefix="baoxue-ledgers-")
            shutil.copy(self.db, os.path.join(self.template_dir, "baoxue.db"))

    # -- helpers ---------------------------------------------------------------------------
    def okx(self, *args, today="2026-12-20"):
        code, out, err = self.run_bx(args[0], "--db", self.db, *args[1:],
                                     env={"BAOXUE_TODAY": today})
        self.assertEqual(code, 0, "baoxue %s: %s%s" % (" ".join(args), out, err))
        return out

    def report(self, name, *extra, today="2026-12-20"):
        return json.loads(self.okx("report", name, "--format", "json", *extra, today=today))

    def task_of(self, name):
        tasks = self.report("ledger-suspected", "--mask")["tasks"]
        return next(t["task_id"] for t in tasks if t["name"] == name)

    def script(self):
        """The casework of two months (see the module docstring)."""
        t = {n: self.task_of(n) for n in SUSPECTED}
        self.okx("verify", "record", str(t["甲一"]), "--outcome", "确认失学辍学", "--by", "王五",
                 "--reason", "厌学", "--other-reasons", "家庭经济困难", "--date", "2026-10-12",
                 today="2026-10-12")
        self.okx("case", "assign", "1", "--teacher", "赵老师", today="2026-10-12")
        self.okx("case", "attempt", "1", "--method", "家访", "--people", "王五、李四",
                 "--result", "未同意", "--date", "2026-10-12", today="2026-10-12")
        self.okx("case", "attempt", "1", "--method", "电话", "--people", "赵老师",
                 "--result", "犹豫", "--date", "2026-10-13", today="2026-10-13")
        self.okx("case", "attempt", "1", "--method", "约谈家长", "--people", "赵老师、家长",
                 "--result", "同意返校", "--corrects", "2", "--reason", "方式和人员记错",
                 "--date", "2026-10-13", today="2026-10-13")
        # on the last day of October's period … and after the month end
        self.okx("verify", "record", str(t["甲二"]), "--outcome", "确认失学辍学", "--by", "王五",
                 "--reason", "外出打工", "--date", "2026-10-20", today="2026-10-20")
        self.okx("verify", "record", str(t["甲四"]), "--outcome", "已在校注册学籍", "--by", "孙六",
                 "--school", "阳城县某小学", "--evidence", "学籍号 G123", "--date", "2026-10-20",
                 today="2026-10-20")
        self.okx("case", "attempt", "2", "--method", "家访", "--people", "王五",
                 "--result", "未同意", "--date", "2026-11-01", today="2026-11-01")
        # the 15th is the last day of November's period, the 16th the first of December's
        self.okx("case", "resolve", "1", "--outcome", "复学", "--school", "郑庄中心小学",
                 "--grade", "五年级", "--date", "2026-11-15", today="2026-11-15")
        self.okx("verify", "record", str(t["甲五"]), "--outcome", "出国", "--by", "孙六",
                 "--date", "2026-11-16", today="2026-11-16")
        self.okx("case", "follow-up", "1", "--in-school", "是", "--by", "赵老师",
                 "--date", "2026-12-15", today="2026-12-15")

    # -- 适龄儿童台账 ------------------------------------------------------------------------
    def test_school_age_ledger_equals_the_cross_check(self):
        summary = self.report("summary")["townships"]
        county = summary[-1]
        band = ("enrolled", "enrolled_elsewhere", "not_enrolled", "dropped_out", "suspended",
                "pending_review", "completed")
        want = sum(county[k] for k in band)
        led = self.report("ledger-school-age", "--mask")
        self.assertEqual(len(led["children"]), want)
        self.assertEqual(led["total"], want)
        self.assertEqual(sorted(c["name"] for c in led["children"]), sorted(IN_BAND))
        self.assertEqual(led["totals"]["township"], "合计")
        self.assertEqual(led["totals"]["name"], "%d 人" % want)
        self.assertEqual(led["caption"], "沁水县适龄儿童台账")
        self.assertIn("制表日期：2026年12月20日", led["subtitle"])
        self.assertIn("数据截至：2026年10月10日", led["subtitle"])
        by_status = {}
        for c in led["children"]:
            by_status[c["status"]] = by_status.get(c["status"], 0) + 1
        for k in band:
            self.assertEqual(by_status.get(k, 0), county[k], k)
        # per township, against the summary's rows
        for row in summary[:-1]:
            rows = self.report("ledger-school-age", "--township", row["township"], "--mask")
            self.assertEqual(len(rows["children"]), sum(row[k] for k in band), row["township"])
            self.assertEqual(rows["caption"], "沁水县%s适龄儿童台账" % row["township"])
        # --status
        out = self.report("ledger-school-age", "--status", "not_enrolled", "--mask")
        self.assertEqual(len(out["children"]), county["not_enrolled"])
        code, _, err = self.run_bx("report", "--db", self.db, "ledger-school-age",
                                   "--status", "beyond_age")
        self.assertCliError(code, err, 2, "不在适龄儿童台账的范围")

    def test_school_age_ledger_shows_school_and_casework(self):
        self.script()
        rows = {c["name"]: c for c in self.report("ledger-school-age", "--mask")["children"]}
        self.assertEqual(rows["乙一"]["status_label"], "本县在读")
        self.assertEqual(rows["乙一"]["school"], "郑庄中心小学")
        self.assertEqual(rows["乙一"]["grade"], "五年级")
        self.assertEqual(rows["丙一"]["status"], "suspended")
        self.assertIn("已返校", rows["甲一"]["case"])
        self.assertIn("已办结：确认失学辍学", rows["甲一"]["verification"])
        self.assertIn("劝返中", rows["甲二"]["case"])
        self.assertIn("外出打工", rows["甲二"]["case"])
        self.assertIn("已在校注册学籍", rows["甲四"]["verification"])
        self.assertIn("出国", rows["甲五"]["verification"])
        self.assertEqual(rows["甲六"]["verification"].split("（")[0], "待核查")
        self.assertEqual(rows["乙一"]["verification"], "")
        self.assertEqual(rows["甲一"]["id_number"], mask_id(self.ids["甲一"]))
        self.assertEqual(rows["甲一"]["phone"], "138****0000")

    # -- 疑似失学辍学台账 ---------------------------------------------------------------------
    def test_suspected_ledger_equals_the_tasks(self):
        self.script()
        led = self.report("ledger-suspected", "--mask", today="2026-11-20")
        tasks = led["tasks"]
        self.assertEqual(len(tasks), self.scalar("SELECT count(*) FROM verify_task"))
        self.assertEqual(sorted(t["name"] for t in tasks), sorted(SUSPECTED))
        by = {t["name"]: t for t in tasks}
        self.assertEqual(by["甲六"]["deadline"], "2026-10-20")
        self.assertEqual(by["甲六"]["days_left"], -31)
        self.assertEqual(by["甲六"]["state"], "待核查（逾期）")
        self.assertIsNone(by["甲一"]["days_left"])
        self.assertEqual(by["甲一"]["outcome"], "确认失学辍学")
        self.assertEqual(by["甲一"]["case_id"], 1)
        self.assertIn("王五（乡镇包保干部）", by["甲一"]["assignees"])
        self.assertEqual(by["甲四"]["school"], "阳城县某小学")
        self.assertEqual(by["丁一"]["suspected"], "辍学")
        self.assertEqual(by["甲一"]["suspected"], "适龄未入学")
        self.assertEqual(led["totals"]["name"], "7 人")
        self.assertIn("待核查 3 人（逾期 3 人）", led["notes"][0])
        self.assertIn("已办结 4 人（确认失学辍学并立案 2 人，核实在校或就读 1 人，其他情形 1 人）",
                      led["notes"][0])
        only = self.report("ledger-suspected", "--township", "龙港镇", "--mask")["tasks"]
        self.assertEqual(len(only), 3)

    # -- 失学辍学台账 -------------------------------------------------------------------------
    def test_dropout_ledger_equals_the_cases(self):
        self.script()
        led = self.report("ledger-dropout", "--mask")
        cases = led["cases"]
        self.assertEqual(len(cases), self.scalar("SELECT count(*) FROM case_file"))
        c1, c2 = cases
        self.assertEqual((c1["name"], c2["name"]), ("甲一", "甲二"))
        # the correction is not an attempt of its own
        self.assertEqual(c1["attempts"], 2)
        self.assertEqual(c2["attempts"], 1)
        self.assertEqual(led["totals"]["attempts"], 3)
        self.assertEqual(c1["reason"], "学习困难/厌学")
        self.assertEqual(c1["other_reasons"], "家庭经济困难")
        self.assertEqual(c1["state"], "已返校，巩固回访中")
        self.assertEqual(c1["outcome"], "复学，郑庄中心小学 五年级")
        self.assertEqual(c1["outcome_on"], "2026-11-15")
        self.assertEqual((c1["follow_ups_done"], c1["follow_ups_required"]), (1, 3))
        self.assertEqual(c1["township_official"], "王五")
        self.assertEqual(c1["village_cadre"], "李四")
        self.assertEqual(c1["teacher"], "赵老师")
        self.assertEqual(c1["opened_on"], "2026-10-12")
        self.assertEqual(c1["days_open"], 69)  # 2026-10-12 → 2026-12-20
        self.assertEqual(c1["last_attempt"], "2026-10-13")
        self.assertEqual(c2["state"], "劝返中")
        self.assertIsNone(c2["follow_ups_done"])
        self.assertEqual(c2["outcome"], "")
        self.assertIn("劝返中 1 人，已返校巩固回访中 1 人，已销号 0 人", led["notes"][0])

    # -- 月报 --------------------------------------------------------------------------------
    def monthly(self, month, *extra):
        rep = self.report("monthly", "--month", month, *extra)
        rows = {r["township"]: r for r in rep["townships"]}
        return rep, rows

    def test_monthly_numbers_of_scripted_months(self):
        self.script()
        KEYS = ("new_suspected", "verified", "pending", "new_cases", "returned", "closed",
                "still_out")
        want = {
            # 2026-09-16 … 2026-10-15: the run's tasks, one verified and a case opened
            "2026-10": {"郑庄镇": (4, 1, 3, 1, 0, 0, 1), "龙港镇": (3, 0, 3, 0, 0, 0, 0),
                        "全县合计": (7, 1, 6, 1, 0, 0, 1)},
            # 2026-10-16 … 2026-11-15: across the month end; the return on the 15th counts,
            # the verification on the 16th does not
            "2026-11": {"郑庄镇": (0, 1, 2, 1, 1, 0, 1), "龙港镇": (0, 1, 2, 0, 0, 0, 0),
                        "全县合计": (0, 2, 4, 1, 1, 0, 1)},
            "2026-12": {"郑庄镇": (0, 0, 2, 0, 0, 0, 1), "龙港镇": (0, 1, 1, 0, 0, 0, 0),
                        "全县合计": (0, 1, 3, 0, 0, 0, 1)},
        }
        for month, towns in want.items():
            rep, rows = self.monthly(month)
            rows["全县合计"] = rep["totals"]
            for town, nums in towns.items():
                with self.subTest(month=month, township=town):
                    self.assertEqual(tuple(rows[town][k] for k in KEYS), nums)
        rep, rows = self.monthly("2026-10")
        self.assertEqual(rep["report_date"], "2026-10-15")
        self.assertEqual(rep["period_start"], "2026-09-16")
        self.assertEqual(rows["郑庄镇"]["reason_learning"], 1)
        self.assertEqual(rep["caption"], "沁水县控辍保学工作月报（2026年10月）")
        self.assertIn("制表日期：2026年10月15日", rep["subtitle"])
        rep, rows = self.monthly("2026-11")
        self.assertEqual(rows["郑庄镇"]["reason_work"], 1)
        self.assertEqual(rows["郑庄镇"]["reason_learning"], 0)
        # enrolment rate from the run: 郑庄 3 of 7 (在读 2 + 休学 1), 龙港 2 of 5
        self.assertEqual((rows["郑庄镇"]["school_age"], rows["郑庄镇"]["enrolled"]), (7, 3))
        self.assertEqual(rows["郑庄镇"]["enrolment_rate"], "42.86%")
        self.assertEqual(rows["龙港镇"]["enrolment_rate"], "40.00%")
        self.assertEqual(rep["totals"]["enrolment_rate"], "41.67%")
        self.assertEqual(rep["totals"]["school_age"], len(IN_BAND))
        # every township of the county has its row, events or not
        self.assertIn("端氏镇", rows)
        self.assertEqual(rows["端氏镇"]["new_suspected"], 0)
        # before the run: no rate
        rep, rows = self.monthly("2026-09")
        self.assertIsNone(rows["郑庄镇"]["school_age"])
        self.assertEqual(rows["郑庄镇"]["enrolment_rate"], "")

    def test_monthly_defaults_and_dates(self):
        # by default the report being compiled: the first 15th on or after today
        rep = self.report("monthly", today="2026-11-20")
        self.assertEqual((rep["month"], rep["report_date"], rep["period_start"]),
                         ("2026-12", "2026-12-15", "2026-11-16"))
        for today, month in (("2026-11-15", "2026-11"), ("2026-11-01", "2026-11"),
                             ("2026-12-16", "2027-01")):
            self.assertEqual(self.report("monthly", today=today)["month"], month, today)
        rep = self.report("monthly", "--date", "2026-03-31", today="2026-11-20")
        self.assertEqual((rep["month"], rep["period_start"]), ("2026-03", "2026-03-01"))
        rep = self.report("monthly", "--township", "郑庄镇")
        self.assertEqual([r["township"] for r in rep["townships"]], ["郑庄镇"])
        self.assertEqual(rep["totals"]["township"], "合计")
        for bad, needle in ((("--month", "2026-13"), "--month"), (("--month", "11"), "--month"),
                            (("--date", "2026-02-30"), "--date"),
                            (("--month", "2026-11", "--date", "2026-12-01"), "不在"),
                            (("--township", "火星镇"), "不是本县")):
            code, _, err = self.run_bx("report", "--db", self.db, "monthly", *bad)
            self.assertCliError(code, err, 2, needle)
        code, _, err = self.run_bx("report", "--db", self.db, "ledger-dropout", "--month", "2026-11")
        self.assertCliError(code, err, 2, "只用于 monthly")

    # -- formats -----------------------------------------------------------------------------
    def xlsx_rows(self, path):
        """Cell texts of the first sheet, row by row (shared and inline strings, numbers)."""
        with zipfile.ZipFile(path) as z:
            self.assertIsNone(z.testzip())
            sst = []
            if "xl/sharedStrings.xml" in z.namelist():
                x = z.read("xl/sharedStrings.xml").decode("utf-8")
                sst = [re.sub(r"<[^>]+>", "", si) for si in re.findall(r"<si>(.*?)</si>", x, re.S)]
            sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
            wb = z.read("xl/workbook.xml").decode("utf-8")
        rows = []
        for r in re.findall(r"<row\b[^>]*>(.*?)</row>", sheet, re.S):
            cells = []
            for attrs, body in re.findall(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", r, re.S):
                v = re.search(r"<v>(.*?)</v>", body or "")
                if 't="s"' in attrs and v:
                    cells.append(sst[int(v.group(1))])
                elif v:
                    cells.append(v.group(1))
                else:
                    cells.append(re.sub(r"<[^>]+>", "", body or ""))
            rows.append(cells)
        return rows, sheet, wb

    def test_xlsx_is_ready_to_send_upward(self):
        self.script()
        for name, caption, first_header, n in (
                ("ledger-school-age", "沁水县适龄儿童台账", "序号", len(IN_BAND)),
                ("ledger-suspected", "沁水县疑似失学辍学台账", "序号", len(SUSPECTED)),
                ("ledger-dropout", "沁水县失学辍学台账（一人一案）", "序号", 2),
                ("monthly", "沁水县控辍保学工作月报（2026年11月）", "乡镇", None)):
            with self.subTest(report=name):
                p = self.path(name + ".xlsx")
                extra = ("--month", "2026-11") if name == "monthly" else ()
                code, out, err = self.run_bx("report", "--db", self.db, name, *extra, "-o", p,
                                             env={"BAOXUE_TODAY": "2026-12-20"})
                self.assertEqual(code, 0, err)
                rows, sheet, wb = self.xlsx_rows(p)
                self.assertEqual(rows[0][0], caption)
                self.assertRegex(rows[1][0], r"填报单位：沁水县教育局.*制表日期：\d{4}年\d+月\d+日")
                self.assertEqual(rows[2][0], first_header)
                self.assertIn("<mergeCell ", sheet)
                self.assertRegex(sheet, r'<pane\b[^>]*\bySplit="3"[^>]*state="frozen"')
                self.assertIn("<autoFilter", sheet)
                self.assertIn('orientation="landscape"', sheet)
                self.assertIn("_xlnm.Print_Titles", wb)
                data = [r for r in rows[3:] if r and r[0] != "" and not r[0].startswith(("其中", "按", "统计期",
                        "适龄", "劝返", "剩余", "填表人", "报表"))]
                # data rows, then the totals row
                totals = next(i for i, r in enumerate(rows) if "合计" in r or "全县合计" in r)
                if n is not None:
                    self.assertEqual(totals - 3, n)
                    self.assertIn("%d 人" % n, rows[totals])
                self.assertTrue(any(r and r[0].startswith("填表人") for r in rows[totals + 1:]))
                self.assertTrue(data)
                # what a person reads: Chinese, no code of a vocabulary (状态代码 is JSON's)
                self.assertNotIn("状态代码", rows[2])
                for r in rows:
                    for cell in r:
                        self.assertIsNone(re.fullmatch(r"[a-z_]{3,}", cell), (name, r))
                # masked in the file
                text = "".join("".join(r) for r in rows)
                for idn in self.ids.values():
                    self.assertNotIn(idn, text)
                self.assertIn("已写入", err)

    def test_table_csv_json_agree(self):
        self.script()
        for name in ("ledger-school-age", "ledger-suspected", "ledger-dropout", "monthly"):
            with self.subTest(report=name):
                js = self.report(name, "--mask")
                arr = js[{"ledger-school-age": "children", "ledger-suspected": "tasks",
                          "ledger-dropout": "cases", "monthly": "townships"}[name]]
                code, raw, err = self.run_bytes("report", "--db", self.db, name, "--format", "csv")
                self.assertEqual(code, 0, err)
                self.assertTrue(raw.startswith(codecs.BOM_UTF8))
                rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
                self.assertEqual(len(rows), 1 + len(arr) + 1)  # header, rows, totals
                self.assertIn("合计", rows[-1][0] + rows[-1][1] + rows[-1][2])
                table = self.okx("report", name, "--format", "table")
                self.assertIn(js["caption"], table)
                self.assertIn("填表人", table)

    # -- masking -----------------------------------------------------------------------------
    def test_masked_by_default_full_is_audited(self):
        self.script()
        for name in ("ledger-school-age", "ledger-suspected", "ledger-dropout"):
            with self.subTest(report=name):
                out = self.okx("report", name, "--format", "csv")
                self.assertNotIn(self.ids["甲一"], out)
                self.assertIn(mask_id(self.ids["甲一"]), out)
                self.assertNotIn("13812340000", out)
                before = self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'")
                out = self.okx("report", name, "--format", "csv", "--full")
                self.assertIn(self.ids["甲一"], out)
                self.assertIn("13812340000", out)
                rows = self.query("SELECT detail FROM audit WHERE action = 'export_full'"
                                  " ORDER BY id DESC LIMIT 1")
                self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'"),
                                 before + 1)
                # the audit says it in words: the report's title, no key=value
                self.assertIn({"ledger-school-age": "适龄儿童台账", "ledger-suspected": "疑似失学辍学台账",
                               "ledger-dropout": "失学辍学台账"}[name], rows[0]["detail"])
                self.assertNotRegex(re.sub("CSV|XLSX|JSON", "", rows[0]["detail"]), r"[A-Za-z]{3,}|=")
                # json carries full IDs for other systems, audited too
                self.okx("report", name, "--format", "json")
                self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'"),
                                 before + 2)
        # the monthly report has no personal data: nothing to audit
        before = self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'")
        self.okx("report", "monthly", "--format", "json")
        self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'export_full'"), before)
