"""baoxue import: broken, hostile and odd input, validation flags, --rejects, re-imports,
an import killed half-way, and command-line mistakes.

Every failure must exit 2 (unusable input) with a Chinese message on stderr that starts with
"错误：" and says where, and must leave the database exactly as it was.
"""

import codecs
import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest
import zipfile

from harness import (
    BIN,
    COUNTY,
    ID_WEIGHTS,
    ID_CHECK,
    PG,
    BaoxueTest,
    bad_check,
    flag_names,
    id15_to_18,
    make_id,
    xlsx_bytes,
)


def population_rows(n, start=1):
    rows = [["姓名", "身份证号", "性别", "出生日期"]]
    for i in range(n):
        k = start + i
        seq, day = k % 1000, k // 1000  # distinct IDs for up to 28,000 rows
        birth = "2015-03-%02d" % (1 + day)
        rows.append(["孩子%d" % k, make_id(birth.replace("-", ""), seq), "男" if seq % 2 else "女", birth])
    return rows


class ImportErrorTest(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def assertDbUnchanged(self, batches=0, records=0, rejects=0):
        self.assertEqual(self.scalar("SELECT count(*) FROM batch"), batches, "batch rows")
        self.assertEqual(self.scalar("SELECT count(*) FROM record"), records, "record rows")
        self.assertEqual(self.scalar("SELECT count(*) FROM reject"), rejects, "reject rows")

    def imp(self, path, *extra, kind="population"):
        return self.run_bx("import", "--db", self.db, "--kind", kind, *extra, path)


class BrokenFiles(ImportErrorTest):
    def test_truncated_xlsx(self):
        data = xlsx_bytes([("户籍", population_rows(300))])
        p = self.write_bytes("半截.xlsx", data[: len(data) // 2])
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "半截.xlsx", "xlsx", "损坏")
        self.assertEqual(out, "")
        self.assertDbUnchanged()

    def test_xlsx_corrupt_in_the_middle_of_the_sheet(self):
        # rows are read and inserted before the damage is met: the whole import must roll back
        rows = population_rows(3000)
        data = xlsx_bytes([("户籍", rows)])
        zin = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    at = body.index(b'<row r="2500"')
                    body = body[:at] + b"<row r=\"2500\"><c r=\"A2500\" t=\"s\"><v>0</v></c></ro<<w>" + body[at:]
                zout.writestr(item.filename, body, zipfile.ZIP_DEFLATED)
        p = self.write_bytes("坏了.xlsx", buf.getvalue())
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "坏了.xlsx", "第 2500 行", "数据库未作任何改动")
        self.assertDbUnchanged()

    def test_png_is_not_a_spreadsheet(self):
        png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
               b"\x1f\xf3\xffa" + bytes(range(256)) * 8 + b"\x00\x00\x00\x00IEND\xaeB`\x82")
        p = self.write_bytes("照片.csv", png)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "照片.csv", "不是可识别的电子表格")
        self.assertDbUnchanged()

    def test_zip_that_is_not_a_workbook(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("readme.txt", "hello")
        p = self.write_bytes("压缩包.xlsx", buf.getvalue())
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "压缩包.xlsx", "workbook.xml")
        self.assertDbUnchanged()

    def test_empty_file(self):
        p = self.write_bytes("空.csv", b"")
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "空.csv", "空")
        self.assertDbUnchanged()

    def test_header_only(self):
        p = self.csv("只有表头.csv", [["姓名", "身份证号", "性别"], ["", "", ""]])
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "只有表头.csv", "没有可导入的数据行")
        self.assertDbUnchanged()

    def test_missing_file(self):
        code, out, err = self.imp(self.path("没有这个文件.xlsx"))
        self.assertCliError(code, err, 2, "没有这个文件.xlsx")
        self.assertDbUnchanged()

    def test_unclosed_quote(self):
        a = make_id("20150304", 11)
        p = self.write_bytes("引号.csv", ("姓名,身份证号\r\n张三,%s\r\n\"李四,%s\r\n王五,x\r\n" % (a, a)).encode())
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "引号.csv", "引号", "第 3 行")
        self.assertDbUnchanged()

    def test_utf8_file_with_gbk_bytes_later(self):
        # the first megabyte is UTF-8, then someone pasted GBK text: no silent mojibake
        rows = population_rows(25000)
        text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
        data = text.encode("utf-8")
        self.assertGreater(len(data), 1 << 20)
        data += ("张三,%s,男,2015-03-04\r\n" % make_id("20150304", 999)).encode("gbk")
        p = self.write_bytes("混合编码.csv", data)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "混合编码.csv", "UTF-8", "第 25002 行")
        self.assertDbUnchanged()


class HeaderAndMap(ImportErrorTest):
    def test_no_recognisable_header(self):
        p = self.csv("怪表.csv", [["学生名字", "证件编码", "男女"], ["张三", make_id("20150304", 11), "男"]])
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "怪表.csv", "表头", "--map")
        self.assertDbUnchanged()

    def test_map_makes_strange_header_work(self):
        a, b = make_id("20150304", 11), make_id("20160405", 22)
        p = self.csv("怪表.csv", [["学生名字", "证件编码", "男女"], ["张三", a, "男"], ["李四", b, "女"]])
        out, s = self.import_file("population", p, "--map", "学生名字=name", "--map", "证件编码=身份证号",
                                  "--map", "男女=gender")
        self.assertEqual((s["read"], s["imported"], s["flagged"]), (3, 2, 0), out)
        self.assertEqual(json.loads(self.batches()[-1]["columns"]),
                         {"name": "学生名字", "id_number": "证件编码", "gender": "男女"})
        r = self.record_by_name("李四")
        self.assertEqual((r["id_number"], r["gender"], r["birth_date"]), (b, 2, "2016-04-05"))

    def test_map_overrides_a_known_spelling(self):
        # 家长 is normally the guardian; here it is mapped to phone
        a = make_id("20150304", 11)
        p = self.csv("map2.csv", [["姓名", "身份证号", "家长"], ["张三", a, "13900001111"]])
        out, s = self.import_file("population", p, "--map", "家长=phone")
        r = self.record_by_name("张三")
        self.assertEqual((r["phone"], r["guardian"] or ""), ("13900001111", ""))

    def test_map_naming_a_missing_header(self):
        p = self.csv("表.csv", population_rows(2))
        code, out, err = self.imp(p, "--map", "学生名字=name")
        self.assertCliError(code, err, 2, "表.csv", "学生名字", "--map")
        self.assertDbUnchanged()

    def test_map_with_unknown_field(self):
        p = self.csv("表.csv", population_rows(2))
        code, out, err = self.imp(p, "--map", "姓名=shoe_size")
        self.assertCliError(code, err, 2, "--map", "shoe_size")
        code, out, err = self.imp(p, "--map", "姓名")
        self.assertCliError(code, err, 2, "--map")
        self.assertDbUnchanged()

    def test_header_without_id_column(self):
        p = self.csv("无身份证.csv", [["姓名", "性别", "出生日期"], ["张三", "男", "2015-03-04"]])
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "无身份证.csv", "第 1 行", "身份证号")
        self.assertDbUnchanged()


class HugeAndWide(ImportErrorTest):
    def test_50mb_single_column(self):
        p = self.path("一列.csv")
        line = "张三李四王五赵六\r\n".encode("utf-8")  # 26 bytes
        n = (50 << 20) // len(line) + 1
        with open(p, "wb") as f:
            f.write("姓名\r\n".encode())
            chunk = line * 10000
            for _ in range(n // 10000 + 1):
                f.write(chunk)
        self.assertGreaterEqual(os.path.getsize(p), 50 << 20)
        t0 = time.monotonic()
        code, out, err = self.imp(p)
        self.assertLess(time.monotonic() - t0, 60)
        self.assertIn(code, (0, 2), "no crash: exit 0 or 2, got %d; stderr %s" % (code, err[:500]))
        if code == 2:
            self.assertCliError(code, err, 2, "一列.csv")
            self.assertDbUnchanged()
        else:
            b = self.batches()
            self.assertEqual(len(b), 1)
            self.assertEqual(b[0]["rows_read"], b[0]["rows_imported"] + b[0]["rows_rejected"] + b[0]["rows_skipped"])
            self.assertEqual(self.scalar("SELECT count(*) FROM record"), b[0]["rows_imported"])

    def test_50mb_single_line(self):
        p = self.path("一行.csv")
        with open(p, "wb") as f:
            f.write(b"x" * (50 << 20))
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "一行.csv", "第 1 行", "128 KiB")
        self.assertDbUnchanged()

    def test_10000_columns(self):
        ncol = 10000
        header = ["列%d" % i for i in range(ncol)]
        header[4999], header[9997], header[9998] = "姓名", "身份证号", "性别"
        rows = [header]
        ids = [make_id("20150304", 11), make_id("20150305", 22), make_id("20150306", 33)]
        for k, (name, g) in enumerate([("张三", "男"), ("李四", "女"), ("王五", "男")]):
            r = [""] * ncol
            r[0] = str(k + 1)
            r[4999], r[9997], r[9998] = name, ids[k], g
            rows.append(r)
        p = self.csv("宽表.csv", rows)
        out, s = self.import_file("population", p)
        self.assertEqual((s["read"], s["imported"], s["flagged"], s["rejected"]), (4, 3, 0, 0))
        self.assertEqual([(r["name"], r["id_number"], r["gender"]) for r in self.records()],
                         [("张三", ids[0], 1), ("李四", ids[1], 2), ("王五", ids[2], 1)])

    def test_too_many_columns(self):
        ncol = 20000
        header = ["列%d" % i for i in range(ncol)]
        header[0], header[1] = "姓名", "身份证号"
        p = self.csv("太宽.csv", [header, ["张三", make_id("20150304", 11)] + [""] * (ncol - 2)])
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "太宽.csv", "第 1 行", "16384")
        self.assertDbUnchanged()

    def test_over_long_cell(self):
        rows = population_rows(3)
        rows[2][0] = "长" * 50000  # 150,000 bytes in row 3, column 1: more than Excel holds
        p = self.csv("长单元格.csv", rows)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "长单元格.csv", "第 3 行", "第 1 列", "128 KiB")
        self.assertDbUnchanged()

    def test_over_long_cell_xlsx(self):
        rows = population_rows(3)
        rows[3][0] = "长" * 50000
        p = self.xlsx("长.xlsx", [("户籍", rows)], shared=False)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "长.xlsx", "户籍", "第 4 行", "A 列", "128 KiB", "Excel")
        self.assertDbUnchanged()

    def test_over_long_line(self):
        rows = population_rows(3)
        rows[2] += ["x" * 100000] * 20  # 2 MB in row 3
        p = self.csv("长行.csv", rows)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "长行.csv", "第 3 行", "1 MiB")
        self.assertDbUnchanged()


class Validation(ImportErrorTest):
    def test_flags_and_rejects_csv(self):
        ok = make_id("20150304", 11)
        badck = bad_check(make_id("20150404", 13))
        mism = make_id("20150505", 15)
        sexm = make_id("20150606", 17)  # odd sequence: male
        impossible = make_id("20150707", 19)
        dup = make_id("20150808", 21)
        rows = [
            ["沁水县郑庄镇适龄儿童"],
            ["序号", "姓名", "性别", "身份证号", "出生日期", "乡镇"],
            ["1", "正常", "男", ok, "2015-03-04", "郑庄镇"],
            ["2", "校验错", "男", badck, "2015-04-04", "郑庄镇"],
            ["3", "生日不符", "男", mism, "2015-05-06", "郑庄镇"],
            ["4", "性别不符", "女", sexm, "2015-06-06", "郑庄镇"],
            ["5", "日期不存在", "男", impossible, "2015-02-30", "郑庄镇"],
            ["6", "重复甲", "男", dup, "2015-08-08", "郑庄镇"],
            ["7", "重复乙", "男", dup, "2015-08-08", "郑庄镇"],
            ["8", "", "男", "", "2015-09-09", "郑庄镇"],
            ["9", "外乡", "男", make_id("20150909", 23), "2015-09-09", "太原市"],
        ]
        p = self.csv("校验.csv", rows)
        rej = self.path("rejects.csv")
        out, s = self.import_file("population", p, "--rejects", rej)
        self.assertEqual((s["read"], s["imported"], s["flagged"], s["rejected"], s["skipped"]), (11, 8, 6, 1, 2), out)
        self.assertEqual(s["flags"], {
            "身份证号校验位错误（疑似录入错误）": 1,
            "出生日期与身份证号不一致": 1,
            "性别与身份证号不一致": 1,
            "出生日期无法识别或不存在": 1,
            "身份证号在本文件中重复": 1,
            "乡镇不属于本县": 1,
        })
        bt = self.batches()[-1]
        self.assertEqual(json.loads(bt["flag_counts"]), {
            "id_bad_check": 1, "birth_mismatch": 1, "sex_mismatch": 1, "date_invalid": 1,
            "dup_in_file": 1, "township_unknown": 1})
        self.assertEqual((bt["rows_flagged"], bt["rows_rejected"]), (6, 1))

        # flagged rows are imported with their flags
        self.assertEqual(flag_names(self.record_by_name("正常")["flags"]), [])
        r = self.record_by_name("校验错")
        self.assertEqual((r["id_number"], flag_names(r["flags"])), (badck, ["id_bad_check"]))
        r = self.record_by_name("生日不符")
        self.assertEqual((r["birth_date"], flag_names(r["flags"])), ("2015-05-06", ["birth_mismatch"]))
        r = self.record_by_name("性别不符")
        self.assertEqual((r["gender"], flag_names(r["flags"])), (2, ["sex_mismatch"]))
        r = self.record_by_name("日期不存在")  # the ID's birth date stands in
        self.assertEqual((r["birth_date"], flag_names(r["flags"])), ("2015-07-07", ["date_invalid"]))
        self.assertEqual(flag_names(self.record_by_name("重复甲")["flags"]), [])
        self.assertEqual(flag_names(self.record_by_name("重复乙")["flags"]), ["dup_in_file"])
        self.assertEqual(flag_names(self.record_by_name("外乡")["flags"]), ["township_unknown"])

        # the rejected row is kept with its reason and raw cells
        rj = self.query("SELECT * FROM reject")
        self.assertEqual(len(rj), 1)
        self.assertEqual((rj[0]["batch_id"], rj[0]["row_no"]), (bt["id"], 10))
        self.assertIn("身份证号和姓名均为空", rj[0]["reason"])
        self.assertEqual(json.loads(rj[0]["raw"]), ["8", "", "男", "", "2015-09-09", "郑庄镇"])

        # --rejects: UTF-8 BOM, 行号,处理,原因 then the original columns
        with open(rej, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(codecs.BOM_UTF8), raw[:10])
        table = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
        self.assertEqual(table[0], ["行号", "处理", "原因", "序号", "姓名", "性别", "身份证号", "出生日期", "乡镇"])
        body = {r[0]: r for r in table[1:]}
        self.assertEqual(sorted(body, key=int), ["4", "5", "6", "7", "9", "10", "11"])
        self.assertEqual(body["4"][1:3], ["标记", "身份证号校验位错误（疑似录入错误）"])
        self.assertEqual(body["4"][3:], ["2", "校验错", "男", badck, "2015-04-04", "郑庄镇"])
        self.assertEqual(body["5"][1:3], ["标记", "出生日期与身份证号不一致"])
        self.assertEqual(body["6"][1:3], ["标记", "性别与身份证号不一致"])
        self.assertEqual(body["7"][1:3], ["标记", "出生日期无法识别或不存在"])
        self.assertEqual(body["9"][1:3], ["标记", "身份证号在本文件中重复"])
        self.assertEqual(body["10"][1], "拒绝")
        self.assertIn("身份证号和姓名均为空", body["10"][2])
        self.assertEqual(body["10"][3:], ["8", "", "男", "", "2015-09-09", "郑庄镇"])
        self.assertEqual(body["11"][1:3], ["标记", "乡镇不属于本县"])

    def test_several_flags_on_one_row(self):
        idn = bad_check(make_id("20150304", 11))
        rows = [["姓名", "身份证号", "性别", "出生日期"], ["多处错", idn, "女", "2015-03-05"]]
        rej = self.path("r.csv")
        out, s = self.import_file("population", self.csv("多.csv", rows), "--rejects", rej)
        self.assertEqual((s["imported"], s["flagged"]), (1, 1))
        self.assertEqual(flag_names(self.record_by_name("多处错")["flags"]),
                         ["birth_mismatch", "id_bad_check", "sex_mismatch"])
        with open(rej, encoding="utf-8-sig") as f:
            t = list(csv.reader(f))
        self.assertEqual(t[1][:2], ["2", "标记"])
        self.assertEqual(set(t[1][2].split("；")), {"身份证号校验位错误（疑似录入错误）", "出生日期与身份证号不一致",
                                                  "性别与身份证号不一致"})

    def test_duplicate_across_15_and_18_digit_forms(self):
        # the same person as a 15-digit ID, an 18-digit ID in lower case and as typed properly
        id15 = "140521910304123"
        id18 = id15_to_18(id15)
        rows = [["姓名", "身份证号"], ["老号", id15], ["新号", id18.lower()], ["同号", id18]]
        out, s = self.import_file("population", self.csv("dup.csv", rows))
        self.assertEqual(s["flags"], {"身份证号在本文件中重复": 2})
        self.assertEqual([flag_names(r["flags"]) for r in self.records()], [[], ["dup_in_file"], ["dup_in_file"]])
        self.assertEqual({r["id_number"] for r in self.records()}, {id18})

    def test_only_rejected_rows(self):
        rows = [["姓名", "身份证号", "性别"], ["", "", "男"], ["", "", "女"]]
        code, out, err = self.imp(self.csv("全拒.csv", rows))
        self.assertCliError(code, err, 2, "全拒.csv")
        self.assertDbUnchanged()

    def test_id_without_name_is_imported(self):
        a = make_id("20150304", 11)
        rows = [["姓名", "身份证号", "性别"], ["", a, "男"], ["有名", make_id("20150304", 13), "男"]]
        out, s = self.import_file("population", self.csv("无名.csv", rows))
        self.assertEqual((s["imported"], s["flagged"], s["rejected"]), (2, 1, 0))
        r = self.query("SELECT * FROM record WHERE id_number = ?", (a,))[0]
        self.assertEqual(flag_names(r["flags"]), ["name_missing"])

    def test_rejects_file_unwritable(self):
        code, out, err = self.imp(self.csv("a.csv", population_rows(2)), "--rejects",
                                  self.path("no/such/dir/r.csv"))
        self.assertIn(code, (1, 2))
        self.assertTrue(err.startswith("错误："), err)
        self.assertIn("被拒绝和有标记的行的清单", err)
        self.assertIn("no/such/dir/r.csv", err)
        self.assertDbUnchanged()


class RefusedByTheDatabase(ImportErrorTest):
    def test_row_the_database_refuses_in_a_large_file(self):
        # A rule only the database checks (added behind the program's back, as a damaged or
        # newer schema might have): row 12,346 of a 20,000-row list breaks it. PostgreSQL gets
        # the rows by COPY, thousands a statement; the message must still name the row, and
        # nothing of the import may stay.
        bad = "孩子12345"
        if PG:
            self.execute("ALTER TABLE record ADD CONSTRAINT no_bad_row CHECK (name IS DISTINCT FROM '%s')" % bad)
        else:
            self.execute("CREATE TRIGGER no_bad_row BEFORE INSERT ON record WHEN NEW.name = '%s'"
                         " BEGIN SELECT RAISE(ABORT, 'no_bad_row'); END" % bad)
        p = self.csv("两万.csv", population_rows(20000))
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 1, "第 12346 行", "no_bad_row")
        self.assertDbUnchanged()
        # the rule gone, the same file goes in whole
        self.execute("ALTER TABLE record DROP CONSTRAINT no_bad_row" if PG else "DROP TRIGGER no_bad_row")
        out, s = self.import_file("population", p)
        self.assertEqual(s["imported"], 20000)
        self.assertEqual(self.scalar("SELECT count(*) FROM record WHERE name = '%s'" % bad), 1)


class ReImport(ImportErrorTest):
    def test_same_file_twice_refused_then_forced(self):
        p = self.csv("户籍.csv", population_rows(3))
        self.import_file("population", p)
        code, out, err = self.imp(p)
        self.assertCliError(code, err, 2, "户籍.csv", "--force", "第 1 批")
        self.assertDbUnchanged(batches=1, records=3)
        # the same bytes under another name are the same file
        q = self.path("副本.csv")
        with open(p, "rb") as a, open(q, "wb") as b:
            b.write(a.read())
        code, out, err = self.imp(q)
        self.assertCliError(code, err, 2, "--force")
        out, s = self.import_file("population", p, "--force")
        self.assertEqual(s["imported"], 3)
        b = self.batches()
        self.assertEqual([(x["id"], x["forced"]) for x in b], [(1, 0), (2, 1)])
        self.assertEqual(b[0]["file_sha256"], b[1]["file_sha256"])
        self.assertEqual(self.scalar("SELECT count(*) FROM record"), 6)
        # the first import hashed the file on a thread of its own (no earlier batch of its
        # size), the forced one before reading: both stored the file's true SHA-256
        with open(p, "rb") as f:
            want = hashlib.sha256(f.read()).hexdigest()
        self.assertEqual([x["file_sha256"] for x in b], [want, want])
        self.assertEqual([x["file_size"] for x in b], [os.path.getsize(p)] * 2)

    def test_same_file_as_another_kind_is_allowed(self):
        rows = population_rows(2)
        rows[0].append("就读学校")
        rows[1].append("太原市第一实验小学")
        rows[2].append("晋城市实验小学")
        p = self.csv("名单.csv", rows)
        self.import_file("population", p)
        out, s = self.import_file("outside", p)
        self.assertEqual([x["kind"] for x in self.batches()], ["population", "outside"])


class KilledImport(ImportErrorTest):
    def _big_csv(self, path, target):
        # unique IDs with correct check digits, cheaply: the weighted sum of the fixed part
        # is computed once per birth date
        base = sum(int(c) * w for c, w in zip(COUNTY, ID_WEIGHTS[:6]))
        header = "序号,姓名,性别,公民身份号码,出生日期,乡镇（街道）,村（社区）,户籍状态\r\n"
        size = 0
        n = 0
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(header)
            day = 0
            while size < target:
                y, m, d = 2010 + day // 336, 1 + day // 28 % 12, 1 + day % 28
                birth = "%04d%02d%02d" % (y, m, d)
                s8 = base + sum(int(c) * w for c, w in zip(birth, ID_WEIGHTS[6:14]))
                lines = []
                for seq in range(1, 1000):
                    a, b, c = seq // 100, seq // 10 % 10, seq % 10
                    idn = "%s%s%03d%s" % (COUNTY, birth, seq, ID_CHECK[(s8 + a * ID_WEIGHTS[14] + b * ID_WEIGHTS[15] + c * ID_WEIGHTS[16]) % 11])
                    if seq == 1 and day == 0:
                        assert idn == make_id(birth, seq), idn
                    n += 1
                    lines.append("%d,孩子%d,%s,%s,%04d-%02d-%02d,郑庄镇,郑庄村,正常\r\n"
                                 % (n, n, "男" if seq % 2 else "女", idn, y, m, d))
                chunk = "".join(lines)
                f.write(chunk)
                size += len(chunk.encode("utf-8"))
                day += 1
        return n

    def test_sigkill_leaves_database_unchanged(self):
        # something in the database first
        self.import_file("population", self.csv("小.csv", population_rows(5)))
        before = (self.scalar("SELECT count(*) FROM batch"), self.scalar("SELECT count(*) FROM record"),
                  self.scalar("SELECT count(*) FROM reject"), self.scalar("SELECT count(*) FROM audit"))
        self.assertEqual(before[:2], (1, 5))

        big = self.path("大.csv")
        n = self._big_csv(big, 60 << 20)
        self.assertGreater(n, 500000)
        proc = subprocess.Popen([BIN, "import", "--db", self.db, "--kind", "population", big],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env(), cwd=self.dir)
        try:
            copying = False
            if PG:
                # killed once the records are on their way by COPY: the server holds part of
                # them in the open transaction
                deadline = time.time() + 30
                while not copying and proc.poll() is None and time.time() < deadline:
                    copying = self.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                          " AND query LIKE 'COPY record %'") > 0
                    time.sleep(0.02)
            else:
                time.sleep(1.0)
            still_running = proc.poll() is None
            if still_running:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertTrue(still_running, "the 60 MB import finished in 1 s; cannot test the kill")
        if PG:
            self.assertTrue(copying, "no COPY of records seen before the import ended")
        self.assertEqual(proc.returncode, -signal.SIGKILL)

        if PG:
            after = tuple(self.scalar("SELECT count(*) FROM %s" % t) for t in ("batch", "record", "reject", "audit"))
        else:
            con = sqlite3.connect(self.db)
            try:
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
                after = tuple(con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                              for t in ("batch", "record", "reject", "audit"))
            finally:
                con.close()
        self.assertEqual(after, before)
        # and the database is still usable
        # (a list of 2 after one of 5: the shrink is confirmed, as a person who meant it would)
        out, s = self.import_file("population", self.csv("再来.csv", population_rows(2, start=50)),
                                  "--confirm-shrink")
        self.assertEqual(s["imported"], 2)
        self.assertEqual(self.scalar("SELECT count(*) FROM batch"), 2)


class CommandLine(ImportErrorTest):
    def test_unknown_option(self):
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "population", "--bogus", "x.csv")
        self.assertCliError(code, err, 2, "--bogus")

    def test_unknown_command(self):
        code, out, err = self.run_bx("frobnicate")
        self.assertCliError(code, err, 2, "frobnicate")

    def test_missing_kind(self):
        p = self.csv("a.csv", population_rows(1))
        code, out, err = self.run_bx("import", "--db", self.db, p)
        self.assertCliError(code, err, 2, "--kind")
        self.assertDbUnchanged()

    def test_bad_kind(self):
        p = self.csv("a.csv", population_rows(1))
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "students", p)
        self.assertCliError(code, err, 2, "students", "户籍", "--kind")
        self.assertDbUnchanged()

    def test_missing_file_argument(self):
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "population")
        self.assertCliError(code, err, 2, "文件")

    def test_two_files(self):
        p = self.csv("a.csv", population_rows(1))
        q = self.csv("b.csv", population_rows(1, start=3))
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "population", p, q)
        self.assertCliError(code, err, 2, "b.csv")
        self.assertDbUnchanged()

    def test_option_missing_its_value(self):
        # `--kind` given as the last word: the message must say the option needs a value,
        # not that the (perfectly known) option is unknown
        code, out, err = self.run_bx("import", "--db", self.db, "--kind")
        self.assertCliError(code, err, 2, "--kind", "需要")
        self.assertNotIn("未知选项", err)
        code, out, err = self.run_bx("match", "--db")
        self.assertCliError(code, err, 2, "--db", "需要")
        self.assertNotIn("未知选项", err)

    def test_report_output_missing_value(self):
        code, out, err = self.run_bx("report", "--db", self.db, "summary", "-o")
        self.assertCliError(code, err, 2, "-o", "需要")

    def test_bad_dates_and_numbers(self):
        code, out, err = self.run_bx("match", "--db", self.db, "--as-of", "2026-13-01")
        self.assertCliError(code, err, 2, "--as-of", "2026-13-01")
        code, out, err = self.run_bx("report", "--db", self.db, "summary", "--format", "pdf")
        self.assertCliError(code, err, 2, "pdf")
        code, out, err = self.run_bx("report", "--db", self.db, "nonsense")
        self.assertCliError(code, err, 2, "nonsense")
        code, out, err = self.run_bx("report", "--db", self.db)
        self.assertCliError(code, err, 2, "out-of-school")
        code, out, err = self.run_bx("init", "--db", self.path("x.db"), "--county", "999999")
        self.assertCliError(code, err, 2, "999999")
        self.assertFalse(os.path.exists(self.path("x.db")))

    def test_missing_database(self):
        p = self.csv("a.csv", population_rows(1))
        nodb = self.path("nowhere.db")
        for args in (["import", "--db", nodb, "--kind", "population", p], ["match", "--db", nodb],
                     ["report", "--db", nodb, "summary"]):
            code, out, err = self.run_bx(*args)
            self.assertCliError(code, err, 2, "nowhere.db", "baoxue init")
            self.assertFalse(os.path.exists(nodb), "a missing database must not be created by " + args[0])

    def test_init_cannot_change_county_after_import(self):
        self.import_file("population", self.csv("a.csv", population_rows(2)))
        code, out, err = self.run_bx("init", "--db", self.db, "--county", "140522")
        self.assertCliError(code, err, 2, "140521", "140522")
        self.assertEqual(self.scalar("SELECT value FROM setting WHERE key = 'county'"), "140521")

    def test_database_from_environment(self):
        p = self.csv("a.csv", population_rows(2))
        code, out, err = self.run_bx("import", "--kind", "population", p, env={"BAOXUE_DB": self.db})
        self.assertEqual(code, 0, err)
        self.assertEqual(self.scalar("SELECT count(*) FROM record"), 2)

    def test_help_exits_zero(self):
        for cmd in ("import", "match", "report", "init", "demo"):
            code, out, err = self.run_bx(cmd, "--help")
            self.assertEqual(code, 0, cmd)
            self.assertIn("用法", out)


if __name__ == "__main__":
    unittest.main()
