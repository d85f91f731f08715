"""baoxue import: every real-world mess in a real file, checked in the database.

Each test writes the file a department would send (xlsx, xls, csv in GB18030 / UTF-8 / UTF-8
BOM, comma or tab) and checks the normalised values that land in `record` and the counts in
`batch` and in the summary printed to stdout.
"""

import csv
import json
import unittest

from harness import (
    BaoxueTest,
    Inline,
    TextNum,
    XDate,
    excel_serial,
    flag_names,
    id15_to_18,
    make_id,
)

POP_HEADER = ["序号", "姓名", "性别", "民族", "公民身份号码", "出生日期", "户籍地址",
              "乡镇（街道）", "村（社区）", "监护人", "联系电话", "户籍状态"]
TITLE = "沁水县2026年适龄儿童花名册"


def pop_row(seq, name, gender, id_, birth, township="郑庄镇", village="郑庄村", status="正常",
            guardian="张父", phone="13912345678"):
    return [seq, name, gender, "汉族", id_, birth, "山西省沁水县" + township + village,
            township, village, guardian, phone, status]


class XlsxImport(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def test_title_row_date_cells_text_and_numbers_shared_strings(self):
        a = make_id("20150304", 11)
        b = make_id("20160229", 22)
        c = make_id("20140731", 33)
        rows = [
            [TITLE],                       # merged title row A1:L1
            None,                          # blank row
            POP_HEADER,
            # seq as a number, ID as a shared string, birth as a date cell (custom format)
            [1, "王小明", "男", "汉族", a, XDate("2015-03-04"), "山西省沁水县郑庄镇郑庄村",
             "郑庄镇", "郑庄村", "王大明", 13912345678, "正常"],
            # seq as text, ID and phone as text cells (numbers stored as text), built-in date
            [TextNum("2"), Inline("李 小 红"), "女", "汉族", TextNum(b), XDate("2016-02-29", builtin=True),
             "山西省沁水县端氏镇端氏村", "端氏镇", "端氏村", "李大红", TextNum("13812345678"), "正常"],
            # birth date as text in a text cell, ID inline
            [3, "赵 强", "男", "回族", Inline(c), "2014/7/31", "", "140521104", "嘉峰村", "", "", ""],
            None,
            ["制表人：张会计", None, None, None, None, None, None, None, "审核人：李主任"],
        ]
        p = self.xlsx("户籍.xlsx", [("适龄儿童", rows, "A1:L1")])
        out, s = self.import_file("population", p)
        self.assertEqual(
            (s["read"], s["imported"], s["flagged"], s["rejected"], s["skipped"]), (8, 3, 0, 0, 5), out
        )
        self.assertEqual((s["title"], s["blank"], s["notes"]), (3, 1, 1))
        self.assertSummaryAddsUp(s)

        b_ = self.batches()[-1]
        self.assertEqual(b_["format"], "xlsx")
        self.assertEqual(b_["sheet"], "适龄儿童")
        self.assertEqual(b_["header_row"], 3)
        self.assertEqual((b_["rows_read"], b_["rows_imported"], b_["rows_skipped"]), (8, 3, 5))
        self.assertEqual(json.loads(b_["flag_counts"]), {})

        r1 = self.record_by_name("王小明")
        self.assertEqual(
            (r1["row_no"], r1["id_number"], r1["gender"], r1["birth_date"], r1["township_code"],
             r1["township"], r1["village"], r1["phone"], r1["reg_status"], r1["ethnicity"], r1["flags"]),
            (4, a, 1, "2015-03-04", "140521102", "郑庄镇", "郑庄村", "13912345678", "normal", "汉族", 0),
        )
        r2 = self.record_by_name("李小红")  # stray spaces removed
        self.assertEqual(
            (r2["row_no"], r2["id_number"], r2["gender"], r2["birth_date"], r2["township_code"], r2["phone"], r2["flags"]),
            (5, b, 2, "2016-02-29", "140521103", "13812345678", 0),
        )
        r3 = self.record_by_name("赵强")
        self.assertEqual(
            (r3["id_number"], r3["birth_date"], r3["township_code"], r3["township"], r3["reg_status"], r3["flags"]),
            (c, "2014-07-31", "140521104", "嘉峰镇", "normal", 0),
        )

    def test_id_stored_as_number_loses_digits_and_is_flagged(self):
        good = make_id("20150304", 11)
        lost = make_id("20150505", 13)
        old15 = "140521910304123"
        rows = [
            ["姓名", "性别", "身份证号", "出生日期"],
            ["甲", "男", good, XDate("2015-03-04")],
            ["乙", "男", int(lost), XDate("2015-05-05")],  # Excel keeps 15 significant digits
            ["丙", "男", int(old15), None],                # a 15-digit ID fits in a number
            ["丁", "女", make_id("20150606", 12),
             excel_serial("2015-06-06") + 0.5],              # plain number (no date style)
        ]
        out, s = self.import_file("population", self.xlsx("num.xlsx", [("Sheet1", rows)]))
        self.assertEqual((s["imported"], s["flagged"]), (4, 1), out)
        self.assertEqual(s["flags"], {"身份证号被存成数字，后几位已丢失": 1})
        r = self.record_by_name("乙")
        # the fifteen significant digits the sheet kept (region, birth date, first sequence
        # digit, the last rounded) are kept for the linker
        kept = ("%.14e" % float(int(lost))).split("e")[0].replace(".", "")
        self.assertEqual(r["id_number"], kept + "000")
        self.assertEqual(flag_names(r["flags"]), ["id_precision_lost"])
        self.assertEqual(r["birth_date"], "2015-05-05")
        r = self.record_by_name("丙")
        self.assertEqual((r["id_number"], r["birth_date"]), (id15_to_18(old15), "1991-03-04"))
        # an unformatted serial with a time of day is still the date
        self.assertEqual(self.record_by_name("丁")["birth_date"], "2015-06-06")

    def _two_sheets(self):
        zz = [["姓名", "性别", "身份证号", "出生日期"],
              ["郑一", "男", make_id("20150101", 11), XDate("2015-01-01")],
              ["郑二", "女", make_id("20150102", 12), XDate("2015-01-02")]]
        ds = [["沁水县端氏镇适龄儿童"],
              ["姓名", "性别", "身份证号", "出生日期"],
              ["端一", "男", make_id("20160101", 11), XDate("2016-01-01")],
              ["端二", "女", make_id("20160102", 12), XDate("2016-01-02")],
              ["端三", "男", make_id("20160103", 13), XDate("2016-01-03")]]
        return self.xlsx("two.xlsx", [("郑庄镇", zz), ("端氏镇", ds, "A1:D1")])

    def test_two_sheets_default_is_first_with_header(self):
        out, s = self.import_file("population", self._two_sheets())
        self.assertEqual(s["imported"], 2)
        self.assertEqual(self.batches()[-1]["sheet"], "郑庄镇")
        self.assertEqual([r["name"] for r in self.records()], ["郑一", "郑二"])

    def test_sheet_by_name(self):
        out, s = self.import_file("population", self._two_sheets(), "--sheet", "端氏镇")
        self.assertEqual((s["read"], s["imported"], s["title"]), (5, 3, 2))
        b = self.batches()[-1]
        self.assertEqual((b["sheet"], b["header_row"]), ("端氏镇", 2))
        self.assertEqual([r["name"] for r in self.records()], ["端一", "端二", "端三"])

    def test_sheet_by_number(self):
        out, s = self.import_file("population", self._two_sheets(), "--sheet", "2")
        self.assertEqual(s["imported"], 3)
        self.assertEqual(self.batches()[-1]["sheet"], "端氏镇")

    def test_sheet_missing(self):
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "population",
                                     "--sheet", "3", self._two_sheets())
        self.assertCliError(code, err, 2, "two.xlsx", "3", "郑庄镇", "端氏镇")
        self.assertEqual(self.batches(), [])

    def test_first_sheet_without_header_is_passed_over(self):
        notes = [["填表说明"], ["1. 请勿修改表头"], ["2. 身份证号请设为文本格式"]]
        data = [["学生姓名", "学生身份证号", "学生性别"], ["钱一", make_id("20150101", 11), "男"]]
        out, s = self.import_file("population", self.xlsx("notes.xlsx", [("说明", notes), ("名单", data)]))
        self.assertEqual(s["imported"], 1)
        self.assertEqual(self.batches()[-1]["sheet"], "名单")

    def _big_rows(self, n):
        rows = [["沁水县适龄儿童花名册"],
                ["序号", "姓名", "身份证号", "性别", "出生日期", "乡镇", "村", "监护人", "联系电话"]]
        for i in range(1, n + 1):
            seq, day = i % 1000, i // 1000
            birth = "2015-03-%02d" % (1 + day)
            rows.append([i, "孩子%d" % i, make_id(birth.replace("-", ""), seq), "男" if seq % 2 else "女",
                         XDate(birth), "郑庄镇", "郑庄村", "家长%d" % i, 13900000000 + i])
        return rows

    def _check_big(self, n):
        recs = self.records()
        self.assertEqual(len(recs), n)
        for i, r in enumerate(recs, 1):
            seq, day = i % 1000, i // 1000
            birth = "2015-03-%02d" % (1 + day)
            want = (i + 2, "孩子%d" % i, make_id(birth.replace("-", ""), seq), birth, "140521102", "郑庄村",
                    "家长%d" % i, str(13900000000 + i), 0)
            got = (r["row_no"], r["name"], r["id_number"], r["birth_date"], r["township_code"], r["village"],
                   r["guardian"], r["phone"], r["flags"])
            self.assertEqual(got, want)

    def test_large_sheet_rows_cross_read_chunks(self):
        # ~2 MB of sheet XML: rows straddle every chunk the streaming reader reads
        n = 6000
        out, s = self.import_file("population", self.xlsx("big.xlsx", [("户籍", self._big_rows(n), "A1:I1")]))
        self.assertEqual((s["read"], s["imported"], s["flagged"], s["skipped"]), (n + 2, n, 0, 2), out)
        self._check_big(n)

    def test_large_sheet_inline_strings(self):
        n = 6000
        out, s = self.import_file("population", self.xlsx("big_inline.xlsx", [("户籍", self._big_rows(n))], shared=False))
        self.assertEqual((s["read"], s["imported"], s["flagged"]), (n + 2, n, 0), out)
        self._check_big(n)

    def test_long_cell_below_the_limit(self):
        # ~120 KB, under the cell limit, spans several read chunks; read whole, it is far longer
        # than any address: the row is refused with the reason and the --rejects file has the
        # cell as it was (the reject table keeps its first 200 characters)
        addr = "山西省沁水县郑庄镇" + "很长的地址" * 8000
        a = make_id("20150304", 11)
        rows = [["姓名", "身份证号", "户籍地址"], ["张三", a, addr], ["李四", make_id("20150304", 12), "端氏镇"]]
        for shared in (True, False):
            with self.subTest(shared=shared):
                p = self.xlsx("long%d.xlsx" % shared, [("户籍", rows)], shared=shared)
                rej = self.path("rej%d.csv" % shared)
                out, s = self.import_file("population", p, "--force", "--rejects", rej)
                self.assertEqual((s["imported"], s["rejected"]), (1, 1))
                with open(rej, encoding="utf-8-sig") as f:
                    table = list(csv.reader(f))
                self.assertEqual(table[1][:3], ["2", "拒绝", "字段过长：户籍地址超过 200 个字的上限（这一格有 40009 个字）"])
                self.assertEqual(table[1][3:], ["张三", a, addr])
                raw = json.loads(self.query("SELECT raw FROM reject ORDER BY batch_id DESC LIMIT 1")[0]["raw"])
                self.assertEqual(raw, ["张三", a, addr[:200] + "…"])
                self.assertEqual(self.record_by_name("李四")["township_code"], "140521103")


class XlsImport(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def test_title_row_date_cell_chinese_text(self):
        a = make_id("20150304", 11)
        b = make_id("20160808", 22)
        rows = [
            [TITLE],
            POP_HEADER,
            [1, "欧阳娜娜", "女", "汉族", make_id("20131111", 24), XDate("2013-11-11"), "山西省沁水县龙港镇",
             "龙港镇", "杏峪村", "欧阳父", "13500000000", "正常"],
            [2, "王小明", "男", "汉族", a, XDate("2015-03-04"), None, "郑庄镇", "郑庄村", None, None, "正常"],
            [3, "古丽·买买提", "女", "维吾尔族", b, "2016年8月8日", None, "端氏镇", None, None, None, "迁出"],
            ["合计：3 人"],
        ]
        p = self.xls("户籍.xls", [("花名册", rows, (0, 0, 0, 11))])
        out, s = self.import_file("population", p)
        self.assertEqual((s["read"], s["imported"], s["flagged"], s["skipped"], s["notes"]), (6, 3, 0, 3, 1), out)
        self.assertSummaryAddsUp(s)
        bt = self.batches()[-1]
        self.assertEqual((bt["format"], bt["sheet"], bt["header_row"]), ("xls", "花名册", 2))
        r = self.record_by_name("欧阳娜娜")
        self.assertEqual((r["gender"], r["birth_date"], r["township_code"], r["village"], r["phone"]),
                         (2, "2013-11-11", "140521100", "杏峪村", "13500000000"))
        r = self.record_by_name("王小明")
        self.assertEqual((r["id_number"], r["birth_date"], r["township"]), (a, "2015-03-04", "郑庄镇"))
        r = self.record_by_name("古丽·买买提")
        self.assertEqual((r["id_number"], r["birth_date"], r["reg_status"], r["ethnicity"]),
                         (b, "2016-08-08", "moved_out", "维吾尔族"))

    def test_two_sheets_and_sheet_number(self):
        s1 = [["姓名", "身份证号"], ["一号表", make_id("20150101", 11)]]
        s2 = [["沁水县端氏镇"], ["姓名", "身份证号", "出生日期"],
              ["二号表甲", make_id("20150102", 13), XDate("2015-01-02")],
              ["二号表乙", make_id("20150103", 15), XDate("2015-01-03")]]
        p = self.xls("两表.xls", [("郑庄镇", s1), ("端氏镇", s2, (0, 0, 0, 2))])
        out, s = self.import_file("population", p, "--sheet", "2")
        self.assertEqual((s["read"], s["imported"], s["title"]), (4, 2, 2))
        self.assertEqual(self.batches()[-1]["sheet"], "端氏镇")
        self.assertEqual([(r["name"], r["birth_date"]) for r in self.records()],
                         [("二号表甲", "2015-01-02"), ("二号表乙", "2015-01-03")])
        out, s = self.import_file("population", p, "--force", "--sheet", "郑庄镇", "--confirm-shrink")
        self.assertEqual([r["name"] for r in self.records()], ["一号表"])

    def test_empty_text_cell(self):
        # Spreadsheet::WriteExcel (and other generators) store an empty text cell as a
        # zero-length shared string; Excel and LibreOffice open such files, but FreeXL 1.0.6
        # answers "OK" without a workbook. baoxue must say so plainly (and how to get around
        # it), not claim the workbook has no sheets, and must write nothing.
        a = make_id("20150304", 11)
        rows = [["姓名", "身份证号", "联系电话"], ["王小明", a, ""]]
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "population",
                                     self.xls("empty_text.xls", [("Sheet1", rows)]))
        self.assertEqual(code, 2, err)
        self.assertIn("另存为 xlsx", err)
        self.assertNotIn("没有工作表", err)
        self.assertEqual(self.scalar("SELECT count(*) FROM batch"), 0)


class CsvImport(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def test_gb18030_title_and_footer(self):
        a, b = make_id("20150304", 11), make_id("20140102", 22)
        rows = [
            [TITLE, "", "", "", "", "", "", "", "", "", "", ""],
            POP_HEADER,
            pop_row("1", "张三", "男", a, "2015-03-04"),
            pop_row("2", "李四", "女", b, "2014-01-02", township="端氏镇", village="端氏村"),
            ["", "", "", "", "", "", "", "", "", "", "", ""],
            ["合计", "2人", "", "", "", "", "", "", "", "", "", ""],
            ["制表人：王五", "", "", "", "联系电话：0356-7021234", "", "", "", "", "", "", ""],
            ["", "", "", "", "", "", "", "", "", "", "", "填报日期：2026年11月1日"],
        ]
        p = self.csv("户籍_gbk.csv", rows, encoding="gb18030")
        out, s = self.import_file("population", p)
        self.assertIn("GB18030", out)
        self.assertEqual(
            (s["read"], s["imported"], s["flagged"], s["rejected"], s["skipped"], s["title"], s["blank"], s["notes"]),
            (8, 2, 0, 0, 6, 2, 1, 3), out)
        bt = self.batches()[-1]
        self.assertEqual((bt["format"], bt["encoding"], bt["header_row"], bt["rows_read"], bt["rows_skipped"]),
                         ("csv", "GB18030", 2, 8, 6))
        r = self.record_by_name("张三")
        self.assertEqual((r["id_number"], r["gender"], r["township_code"], r["village"], r["guardian"]),
                         (a, 1, "140521102", "郑庄村", "张父"))
        r = self.record_by_name("李四")
        self.assertEqual((r["township_code"], r["township"]), ("140521103", "端氏镇"))

    def test_utf8_bom(self):
        a = make_id("20150304", 11)
        p = self.csv("bom.csv", [["姓名", "身份证号", "性别"], ["张三", a, "男"]], bom=True)
        out, s = self.import_file("population", p)
        self.assertEqual((s["read"], s["imported"], s["skipped"]), (2, 1, 1))
        bt = self.batches()[-1]
        self.assertEqual((bt["encoding"], bt["header_row"]), ("UTF-8 (BOM)", 1))
        # the BOM must not stick to the first header cell
        self.assertEqual(json.loads(bt["columns"]), {"gender": "性别", "id_number": "身份证号", "name": "姓名"})
        self.assertEqual(self.record_by_name("张三")["id_number"], a)

    def test_plain_utf8_lf(self):
        a = make_id("20150304", 11)
        p = self.csv("lf.csv", [["姓名", "身份证号"], ["张三", a]], newline="\n")
        out, s = self.import_file("population", p)
        self.assertEqual(self.batches()[-1]["encoding"], "UTF-8")
        self.assertEqual(s["imported"], 1)

    def test_tab_separated_txt(self):
        a, b = make_id("20150304", 11), make_id("20150305", 22)
        rows = [["姓名", "公民身份号码", "性别", "出生日期", "乡镇"],
                ["张三", a, "男", "2015-03-04", "郑庄"],
                ["李四", b, "女", "2015-03-05", "端氏镇"]]
        p = self.csv("名单.txt", rows, delimiter="\t", encoding="gb18030")
        out, s = self.import_file("population", p)
        self.assertEqual(s["imported"], 2)
        r = self.record_by_name("张三")
        self.assertEqual((r["id_number"], r["birth_date"], r["township_code"], r["township"]),
                         (a, "2015-03-04", "140521102", "郑庄镇"))
        self.assertEqual(self.record_by_name("李四")["gender"], 2)

    def test_utf16_unicode_text(self):
        # Excel's "Unicode 文本" export: UTF-16LE with a BOM, tab-separated
        a, b = make_id("20150304", 11), make_id("20150305", 22)
        rows = [["姓名", "身份证号", "性别", "出生日期"], ["张三", a, "男", "2015/3/4"], ["李四", b, "女", "2015/3/5"]]
        p = self.csv("unicode.txt", rows, delimiter="\t", encoding="utf-16")
        out, s = self.import_file("population", p)
        self.assertEqual(s["imported"], 2)
        self.assertEqual(self.batches()[-1]["encoding"], "UTF-16LE")
        r = self.record_by_name("李四")
        self.assertEqual((r["id_number"], r["birth_date"], r["gender"]), (b, "2015-03-05", 2))

    def test_format_from_content_not_extension(self):
        # a CSV saved as .xlsx (or .xls) is still read as CSV
        a = make_id("20150304", 11)
        p = self.csv("really_csv.xlsx", [["姓名", "身份证号"], ["张三", a]])
        out, s = self.import_file("population", p)
        self.assertEqual(self.batches()[-1]["format"], "csv")
        self.assertEqual(s["imported"], 1)

    def test_quoted_field_with_embedded_newline(self):
        a, b, c = make_id("20150304", 11), make_id("20150305", 22), make_id("20150306", 33)
        rows = [["姓名", "身份证号", "户籍地址", "备注"],
                ["张三", a, "山西省沁水县\n郑庄镇郑庄村", '他说"在外地"'],
                ["李四", b, "端氏镇, 端氏村", ""],
                ["王五", c, "嘉峰镇", ""]]
        p = self.csv("quoted.csv", rows)
        with open(p, encoding="utf-8") as f:
            self.assertIn('"山西省沁水县\n郑庄镇郑庄村"', f.read())
        out, s = self.import_file("population", p)
        self.assertEqual((s["read"], s["imported"], s["skipped"]), (4, 3, 1), out)
        r = self.record_by_name("张三")
        self.assertIn("山西省沁水县", r["address"])
        self.assertIn("郑庄镇郑庄村", r["address"])
        # the row after the quoted newline keeps its own fields
        r = self.record_by_name("李四")
        self.assertEqual((r["id_number"], r["address"]), (b, "端氏镇, 端氏村"))
        # the township is found in the address when there is no township column
        self.assertEqual(self.record_by_name("张三")["township_code"], "140521102")

    def test_id_full_width_digits_lower_x_spaces_quotes(self):
        x_id = None
        for seq in range(1, 999):
            cand = make_id("20150304", seq)
            if cand.endswith("X"):
                x_id = cand
                break
        plain = make_id("20160101", 12)
        fw = plain.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        spaced = make_id("20170202", 14)
        spaced_raw = " %s %s %s " % (spaced[:6], spaced[6:14], spaced[14:])
        quoted = make_id("20140404", 16)
        rows = [["姓名", "身份证号", "性别"],
                ["小写", x_id.lower(), ""],
                ["全角", fw, ""],
                ["空格", spaced_raw, ""],
                ["引号", "'" + quoted, ""]]
        out, s = self.import_file("population", self.csv("ids.csv", rows))
        self.assertEqual((s["imported"], s["flagged"]), (4, 0), out)
        self.assertEqual(self.record_by_name("小写")["id_number"], x_id)
        self.assertEqual(self.record_by_name("全角")["id_number"], plain)
        self.assertEqual(self.record_by_name("空格")["id_number"], spaced)
        self.assertEqual(self.record_by_name("引号")["id_number"], quoted)
        # birth date and sex come from the ID when the sheet has none
        r = self.record_by_name("全角")
        self.assertEqual((r["birth_date"], r["gender"]), ("2016-01-01", 2))

    def test_stray_spaces_in_names(self):
        rows = [["姓名", "身份证号"],
                ["张 三", make_id("20150101", 11)],
                ["　李四　", make_id("20150102", 13)],          # ideographic spaces
                [" 阿依古丽 · 买买提 ", make_id("20150103", 22)],
                ["ＡＢ王", make_id("20150104", 24)]]
        out, s = self.import_file("population", self.csv("names.csv", rows))
        names = [r["name"] for r in self.records()]
        self.assertEqual(names, ["张三", "李四", "阿依古丽·买买提", "AB王"])

    def test_name_beginning_with_note_word(self):
        # 单 (Shan) is a common surname; a child named 单… is not a "单位：…" note line
        a, b = make_id("20150101", 11), make_id("20150102", 22)
        rows = [["姓名", "身份证号", "性别"],
                ["单晓雯", b, "女"],
                ["张三", a, "男"],
                ["单位：沁水县公安局", "", ""]]
        out, s = self.import_file("population", self.csv("shan.csv", rows))
        self.assertEqual((s["imported"], s["notes"]), (2, 1), out)
        self.assertEqual(self.record_by_name("单晓雯")["id_number"], b)

    def test_fifteen_digit_id_converted(self):
        id15 = "140521910304123"
        id18 = id15_to_18(id15)
        self.assertEqual(id18[:17], "14052119910304123")
        rows = [["姓名", "身份证号", "出生日期"],
                ["老身份证", id15, ""],
                ["标准例", "110105491231002", "1949-12-31"]]
        out, s = self.import_file("population", self.csv("id15.csv", rows))
        self.assertEqual((s["imported"], s["flagged"]), (2, 0), out)
        r = self.record_by_name("老身份证")
        self.assertEqual((r["id_number"], r["birth_date"], r["gender"]), (id18, "1991-03-04", 1))
        self.assertEqual(self.record_by_name("标准例")["id_number"], "11010519491231002X")

    def test_every_date_form(self):
        forms = ["2015-03-04", "2015/3/4", "2015.03.04", "20150304", "2015年3月4日",
                 str(excel_serial("2015-03-04")), "2015-3-4", "2015年03月04日", "２０１５－０３－０４",
                 "2015/03/04 00:00:00"]
        rows = [["姓名", "身份证号", "出生日期"]]
        for i, f in enumerate(forms):
            rows.append(["孩子%d" % i, make_id("20150304", 11 + 2 * i), f])
        out, s = self.import_file("population", self.csv("dates.csv", rows))
        self.assertEqual((s["imported"], s["flagged"]), (len(forms), 0), out)
        for i, f in enumerate(forms):
            r = self.record_by_name("孩子%d" % i)
            self.assertEqual(r["birth_date"], "2015-03-04", "form %r" % f)
            self.assertEqual(r["flags"], 0, "form %r" % f)

    def test_gender_forms(self):
        forms = [("男", 1), ("女", 2), ("1", 1), ("2", 2), ("M", 1), ("F", 2), ("m", 1), ("f", 2),
                 ("男性", 1), ("女性", 2), (" 男 ", 1), ("", 1)]
        rows = [["姓名", "身份证号", "性别"]]
        for i, (g, want) in enumerate(forms):
            seq = 100 + 2 * i + (1 if want == 1 else 0)
            rows.append(["孩子%d" % i, make_id("20150304", seq), g])
        out, s = self.import_file("population", self.csv("gender.csv", rows))
        self.assertEqual((s["imported"], s["flagged"]), (len(forms), 0), out)
        for i, (g, want) in enumerate(forms):
            self.assertEqual(self.record_by_name("孩子%d" % i)["gender"], want, "form %r" % g)

    def test_gender_unrecognised_is_flagged(self):
        rows = [["姓名", "身份证号", "性别"], ["甲", make_id("20150304", 11), "未知"]]
        out, s = self.import_file("population", self.csv("g.csv", rows))
        self.assertEqual((s["imported"], s["flagged"]), (1, 1))
        self.assertEqual(s["flags"], {"性别无法识别": 1})
        self.assertEqual(self.record_by_name("甲")["gender"], 1)  # taken from the ID

    def test_reg_status_forms(self):
        rows = [["姓名", "身份证号", "户籍状态"],
                ["甲", make_id("20150101", 11), "正常"],
                ["乙", make_id("20150102", 13), "迁出"],
                ["丙", make_id("20150103", 15), "死亡"],
                ["丁", make_id("20150104", 17), "注销"],
                ["戊", make_id("20150105", 19), ""],
                ["己", make_id("20150106", 21), "出国"]]
        out, s = self.import_file("population", self.csv("reg.csv", rows))
        got = {r["name"]: r["reg_status"] for r in self.records()}
        self.assertEqual(got, {"甲": "normal", "乙": "moved_out", "丙": "deceased", "丁": "cancelled",
                               "戊": "normal", "己": "normal"})
        self.assertEqual(s["flags"], {"状态无法识别": 1})

    def test_summary_counts_add_up_with_rejects_and_notes(self):
        rows = [["沁水县郑庄镇适龄儿童名单"],
                [""],
                ["姓名", "身份证号", "性别"],
                ["甲", make_id("20150101", 11), "男"],
                ["", "", "男"],                      # rejected: no ID, no name
                [""],
                ["乙", make_id("20150102", 12), "女"],
                ["姓名", "身份证号", "性别"],           # header repeated on a printed page
                ["丙", make_id("20150103", 13), "男"],
                ["合计：3人"],
                ["制表人：张三   审核人：李四"]]
        out, s = self.import_file("population", self.csv("counts.csv", rows))
        self.assertEqual(
            (s["read"], s["imported"], s["flagged"], s["rejected"], s["skipped"], s["title"], s["blank"], s["notes"]),
            (11, 3, 0, 1, 7, 3, 1, 3), out)
        self.assertSummaryAddsUp(s)
        bt = self.batches()[-1]
        self.assertEqual((bt["rows_read"], bt["rows_imported"], bt["rows_flagged"], bt["rows_rejected"], bt["rows_skipped"]),
                         (11, 3, 0, 1, 7))
        self.assertEqual(bt["rows_read"], bt["rows_imported"] + bt["rows_rejected"] + bt["rows_skipped"])
        self.assertEqual(self.scalar("SELECT count(*) FROM record WHERE batch_id = ?", (bt["id"],)), 3)


class EnrollmentImport(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def test_student_number_used_when_id_missing(self):
        a, b, c = make_id("20150304", 11), make_id("20140506", 22), make_id("20130708", 33)
        rows = [["学校标识码", "学校名称", "年级", "班级", "全国学籍号", "姓名", "性别", "出生日期",
                 "身份证件类型", "身份证件号", "学籍状态"],
                ["2114052101", "沁水县实验小学", "二年级", "1班", "G" + a, "王小明", "男", "2015-03-04",
                 "居民身份证", "", "在读"],
                ["2114052101", "沁水县实验小学", "三年级", "2班", "g" + b.lower(), "李小红", "女", "2014-05-06",
                 "居民身份证", "", "在读"],
                ["2114052102", "郑庄镇中心学校", "初一", "1班", "G" + c, "赵强", "男", "2013-07-08",
                 "居民身份证", c, "休学"],
                ["2114052102", "郑庄镇中心学校", "四年级", "1班", "L14052120150304", "无号", "男", "2015-01-01",
                 "其他", "", "在读"]]
        out, s = self.import_file("enrollment", self.csv("学籍.csv", rows))
        self.assertEqual((s["imported"], s["rejected"]), (4, 0), out)
        r = self.record_by_name("王小明")
        self.assertEqual((r["id_number"], r["student_no"], r["grade"], r["school_name"], r["enroll_status"]),
                         (a, "G" + a, 2, "沁水县实验小学", "active"))
        r = self.record_by_name("李小红")
        self.assertEqual((r["id_number"], r["grade"]), (b, 3))
        r = self.record_by_name("赵强")
        self.assertEqual((r["id_number"], r["grade"], r["enroll_status"]), (c, 7, "suspended"))
        r = self.record_by_name("无号")
        self.assertFalse(r["id_number"])
        self.assertEqual(flag_names(r["flags"]), ["id_missing"])


if __name__ == "__main__":
    unittest.main()
