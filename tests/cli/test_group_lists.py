"""The priority groups' lists and the aid payments (issue 15), black box: each of the five kinds
imported as it arrives — an xlsx with a title row, a GB18030 CSV, a certificate number in place
of an ID, year-and-month births, amounts written as people write them — through the command
line, the county's upload and each department's own account; a list of the wrong kind refused in
Chinese with nothing stored; a department refused the lists that are not its own.
"""

import json
import os
import shutil
import tempfile
import unittest

from harness import (Api, BaoxueTest, csv_text, init_county, make_id, multipart, new_db,
                     start_server, stop_server, write_xlsx)

HEAD = make_id("19800101", 123)
CHILD = make_id("20150303", 22)
ORPHAN = make_id("20160707", 42)
GUARDIAN = make_id("19550505", 17)
DISABLED = make_id("20140909", 55)


def poverty_sheet():
    return [["沁水县防返贫监测对象家庭成员信息表"],
            ["户编号", "乡镇", "行政村", "户主姓名", "户主证件号码", "姓名", "证件号码", "与户主关系",
             "性别", "出生日期", "在校生状况", "脱贫属性"],
            ["H001", "郑庄镇", "东村", "王大山", HEAD, "王大山", HEAD, "户主", "男", "1980-01-01",
             "非在校生", "脱贫户"],
            ["H001", "郑庄镇", "东村", "王大山", HEAD, "王小明", "", "之子", "男", "2014年5月",
             "小学四年级", "脱贫户"],
            ["H001", "郑庄镇", "东村", "王大山", HEAD, "王花", CHILD, "之女", "女", "2015-03-03",
             "小学三年级", "突发严重困难户"]]


def welfare_rows():
    return [["户主姓名", "户主身份证号", "保障类别", "成员姓名", "成员身份证号", "与户主关系",
             "月保障金额", "监护人身份证号", "乡镇", "村"],
            ["张强", HEAD, "农村低保", "张小草", "", "之女", "1,250.50", "", "郑庄镇", "东村"],
            ["", "", "散居孤儿", "刘一", ORPHAN, "", "1200元", GUARDIAN, "郑庄镇", "南村"]]


def disability_sheet():
    return [["姓名", "残疾人证号", "残疾类别", "残疾等级", "监护人", "联系电话", "住址"],
            ["陈一", DISABLED + "42", "肢体", "二级", "陈父", "13900000001", "郑庄镇东村"]]


def left_behind_sheet():
    return [["农村留守儿童信息管理台账"],
            ["姓名", "身份证号", "性别", "出生日期", "就读学校", "父亲外出务工地点", "母亲外出务工地点",
             "监护类型", "受委托监护人姓名", "受委托监护人身份证号", "受委托监护人联系电话",
             "村（居）委会联系人"],
            ["王花", CHILD, "女", "2015-03-03", "郑庄镇中心小学", "广东省东莞市", "广东省东莞市",
             "祖辈监护", "王奶奶", GUARDIAN, "13800000002", "村主任李明"]]


def aid_rows():
    return [["学校", "全国学籍号", "身份证号", "姓名", "资助项目", "金额（元）", "学期", "发放日期"],
            ["郑庄镇中心小学", "G" + CHILD, CHILD, "王花", "家庭经济困难寄宿生生活补助", "500",
             "2026年春季学期", "2026-04-10"],
            ["郑庄镇中心小学", "G" + CHILD, CHILD, "王花", "农村义务教育学生营养改善计划", "400.00",
             "2026年春季学期", "2026/5/20"]]


class GroupListsCliTest(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def stored(self, sql):
        return self.query(sql)

    def test_each_kind_from_the_command_line(self):
        out, s = self.import_file("poverty", self.xlsx("脱贫户.xlsx", [("Sheet1", poverty_sheet())]))
        self.assertEqual((s["imported"], s["rejected"], s["title"]), (3, 0, 2), out)
        self.assertIn("证件号码→身份证号", out)
        self.assertNotIn("id_number", out)
        rows = self.stored("SELECT r.name, r.head_id, r.relation, r.birth_date, g.category"
                           " FROM record r JOIN group_detail g USING (batch_id, row_no)"
                           " ORDER BY r.row_no")
        self.assertEqual([tuple(r.values()) for r in rows],
                         [("王大山", HEAD, "户主", "1980-01-01", "poverty"),
                          ("王小明", HEAD, "之子", "2014-05", "poverty"),
                          ("王花", HEAD, "之女", "2015-03-03", "sudden")])
        # 民政 sends GB18030
        path = self.csv("低保.csv", welfare_rows(), encoding="gb18030")
        out, s = self.import_file("welfare", path)
        self.assertEqual((s["imported"], s["rejected"]), (2, 0), out)
        got = self.stored("SELECT g.category, g.amount_fen, r.guardian_id FROM record r"
                          " JOIN group_detail g USING (batch_id, row_no)"
                          " WHERE r.batch_id = (SELECT max(id) FROM batch) ORDER BY r.row_no")
        self.assertEqual([tuple(r.values()) for r in got],
                         [("rural_dibao", 125050, None), ("orphan_scattered", 120000, GUARDIAN)])
        # the certificate gives the ID
        out, s = self.import_file("disability", self.xlsx("残联.xlsx",
                                                          [("Sheet1", disability_sheet())]))
        self.assertEqual((s["imported"], s["flagged"]), (1, 0), out)
        self.assertEqual(self.scalar("SELECT id_number FROM record WHERE name = '陈一'"), DISABLED)
        out, s = self.import_file("left_behind", self.xlsx("留守.xlsx",
                                                           [("Sheet1", left_behind_sheet())]))
        self.assertEqual((s["imported"], s["title"]), (1, 2), out)
        self.assertEqual(self.scalar("SELECT father_work FROM group_detail g JOIN batch b"
                                     " ON b.id = g.batch_id WHERE b.kind = 'left_behind'"),
                         "广东省东莞市")
        # a child paid twice is no duplicate
        out, s = self.import_file("aid", self.csv("资助.csv", aid_rows()))
        self.assertEqual((s["imported"], s["flagged"]), (2, 0), out)
        self.assertEqual(self.scalar("SELECT sum(amount_fen) FROM group_detail g JOIN batch b"
                                     " ON b.id = g.batch_id WHERE b.kind = 'aid'"), 90000)

    def test_the_disability_register_names_the_certificate_holders(self):
        reg = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"],
               ["陈一", "男", DISABLED, "2014-09-09", "郑庄镇", "正常"],
               ["王花", "女", CHILD, "2015-03-03", "郑庄镇", "正常"]]
        self.import_file("population", self.csv("户籍.csv", reg))
        enr = [["学校名称", "姓名", "身份证件号", "学籍状态"], ["郑庄镇中心小学", "王花", CHILD, "在读"]]
        self.import_file("enrollment", self.csv("学籍.csv", enr))
        self.import_file("disability", self.xlsx("残联.xlsx", [("Sheet1", disability_sheet())]))
        self.ok("match", "--db", self.db, "--as-of", "2026-11-20")
        out, _ = self.ok("report", "--db", self.db, "disability", "--format", "json")
        by = {c["name"]: c for c in json.loads(out)["children"]}
        self.assertEqual(set(by), {"陈一"})
        self.assertEqual(by["陈一"]["source"], "残联持证名单")
        self.assertEqual(by["陈一"]["placement"], "（未登记安置方式）")

    def test_a_list_of_another_kind_is_refused(self):
        path = self.csv("户籍.csv", [["姓名", "身份证号", "性别"], ["张三", CHILD, "女"]])
        for kind, missing in [("aid", "资助项目"), ("poverty", "与户主关系"), ("welfare", "类别")]:
            code, out, err = self.run_bx("import", "--db", self.db, "--kind", kind, path)
            self.assertCliError(code, err, 2, missing)
        self.assertEqual(self.scalar("SELECT count(*) FROM batch"), 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM group_detail"), 0)
        # an unknown kind names the five new ones
        code, out, err = self.run_bx("import", "--db", self.db, "--kind", "poor", path)
        self.assertCliError(code, err, 2, "留守儿童")

    def test_a_hostile_cell_is_refused_with_its_reason(self):
        rows = aid_rows()
        rows[1][4] = "补助" * 40
        out, s = self.import_file("aid", self.csv("资助.csv", rows))
        self.assertEqual((s["imported"], s["rejected"]), (1, 1), out)
        reason = self.scalar("SELECT reason FROM reject")
        self.assertIn("资助项目超过 50 个字的上限", reason)


class GroupListsApiTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-groups-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        for name, args in [("county", ["--role", "county"]),
                           ("rural", ["--role", "department", "--department", "乡村振兴局"]),
                           ("disabled", ["--role", "department", "--department", "残联"]),
                           ("aid", ["--role", "department", "--department", "学生资助中心"])]:
            cls.user_add(name, *args)
        cls.data = os.path.join(cls.dir, "data")
        os.makedirs(cls.data)
        cls.proc, cls.port = start_server(cls.db, "--data-dir", cls.data)

    @classmethod
    def tearDownClass(cls):
        err = stop_server(cls.proc)
        assert "Sanitizer" not in err, err[-4000:]
        shutil.rmtree(cls.dir, True)

    def post_upload(self, session, kind, name, data):
        body, ctype = multipart({"kind": kind}, [("file", name, data)])
        return self.call("POST", "/api/v1/imports", body, cookie=session[0], csrf=session[1],
                         headers={"Content-Type": ctype})

    def upload(self, session, kind, name, data):
        r, j, _ = self.post_upload(session, kind, name, data)
        self.assertEqual(r.status, 202, j)
        job = self.wait_job(session, j["id"])
        self.assertEqual(job["state"], "done", job)
        return job["result"]

    def xlsx(self, name, sheet):
        path = os.path.join(self.dir, name)
        write_xlsx(path, [("Sheet1", sheet)])
        with open(path, "rb") as f:
            return f.read()

    def test_the_county_uploads_each_kind(self):
        county = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/vocab", cookie=county[0])
        kinds = {w["key"]: w for w in j["kinds"]}
        for key in ("poverty", "welfare", "disability", "left_behind", "aid"):
            self.assertIn(key, kinds)
            self.assertTrue(kinds[key]["title"])
        for kind, name, data in [
                ("poverty", "脱贫户.xlsx", self.xlsx("p.xlsx", poverty_sheet())),
                ("welfare", "低保.csv", csv_text(welfare_rows()).encode("gb18030")),
                ("disability", "残联.xlsx", self.xlsx("d.xlsx", disability_sheet())),
                ("left_behind", "留守.xlsx", self.xlsx("l.xlsx", left_behind_sheet())),
                ("aid", "资助.csv", csv_text(aid_rows()).encode("utf-8"))]:
            res = self.upload(county, kind, name, data)
            self.assertFalse(res.get("pending"), res)
            self.assertGreater(res["rows_imported"], 0, res)

    def test_departments_upload_their_own(self):
        rural, disabled, aid = self.login("rural"), self.login("disabled"), self.login("aid")
        sheet = poverty_sheet()
        sheet[2][0] = "H002"
        res = self.upload(rural, "poverty", "脱贫户.xlsx", self.xlsx("p2.xlsx", sheet))
        self.assertTrue(res["pending"], res)
        sheet = disability_sheet()
        sheet[1][6] = "郑庄镇西村"
        res = self.upload(disabled, "disability", "残联.xlsx", self.xlsx("d2.xlsx", sheet))
        self.assertTrue(res["pending"], res)
        # (not the county's file: the same content twice is refused as a repeated import)
        rows = aid_rows()
        rows[1][5] = "600"
        res = self.upload(aid, "aid", "资助.csv", csv_text(rows).encode("utf-8"))
        self.assertTrue(res["pending"], res)
        # and nothing else
        for session, kind, may in [(rural, "disability", "脱贫户和监测对象"),
                                   (disabled, "poverty", "残疾人"),
                                   (aid, "population", "学生资助")]:
            r, j, _ = self.post_upload(session, kind, "x.csv", csv_text(aid_rows()).encode())
            self.assertEqual(r.status, 403, j)
            self.assertIn("本部门可上传：" + may, j["error"]["message"])

    def test_aid_and_care_are_not_the_departments(self):
        # 乡村振兴 reads neither; the aid centre reads the aid findings (its payments), not care
        for name, aid in (("rural", False), ("aid", True)):
            session = self.login(name)
            for report in ("aid-gaps", "left-behind-care"):
                r, j, _ = self.call("GET", "/api/v1/reports/" + report, cookie=session[0])
                if aid and report == "aid-gaps":
                    # admitted: it fails only for want of a cross-check in this database
                    self.assertEqual(j["error"]["code"], "no_run", j)
                else:
                    self.assertIn(r.status, (403, 404), j)
            # and their screens are offered so
            r, j, _ = self.call("GET", "/api/v1/session", cookie=session[0])
            perms = j["user"]["permissions"]
            self.assertEqual("aid_read" in perms, aid, name)
            self.assertNotIn("care_read", perms)
        county = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=county[0])
        self.assertIn("aid_read", j["user"]["permissions"])

if __name__ == "__main__":
    unittest.main()
