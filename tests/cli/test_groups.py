"""baoxue match links the priority groups' rows to the register's children; baoxue report groups
lists the school-age children in a group and groups-unmatched the rows that matched nobody.

One poverty list against a small register: a child by its own ID, one by a mistyped ID, one by
the household head's ID with a year-and-month birth, twins of one household (each row to its own
child), one by name + birth + township, a row two children fit (kept, uncertain), a row nobody
fits (kept, a finding) and the household head (an adult: skipped).
"""

import json
import unittest

from harness import BaoxueTest, bad_check, make_id, mask_id

AS_OF = "2026-11-20"
HEAD = make_id("19800101", 101)  # 王大山, the head of household H1
HEAD_LI = make_id("19820202", 103)  # 李四, head of H2 (the twins)

# name: (birth, seq, township, village, head ID)
REGISTER = {
    "王一": ("2015-03-04", 11, "郑庄镇", "东村", HEAD),
    "王二": ("2016-05-10", 13, "郑庄镇", "东村", HEAD),
    "李明": ("2017-02-02", 15, "郑庄镇", "西村", HEAD_LI),
    "李亮": ("2017-02-02", 17, "郑庄镇", "西村", HEAD_LI),
    "赵丽": ("2014-06-06", 19, "端氏镇", "端氏村", ""),
    "陈红": ("2013-01-01", 21, "端氏镇", "端氏村", ""),
    "张伟": ("2015-09-09", 23, "郑庄镇", "东村", ""),
}


def cid(name, seq=None):
    b, s = REGISTER[name][0], REGISTER[name][1]
    return make_id(b.replace("-", ""), seq or s)


class Groups(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()
        pop = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "监护人", "户主身份证号", "户籍状态"]]
        for name, (birth, seq, town, village, head) in REGISTER.items():
            pop.append([name, "男" if seq % 2 else "女", cid(name), birth, town, village, name + "家长", head, "正常"])
        # a second 张伟 born the same day in the same township: a row naming 张伟 fits both
        pop.append(["张伟", "男", make_id("20150909", 25), "2015-09-09", "郑庄镇", "南村", "张父", "", "正常"])
        self.import_file("population", self.csv("户籍.csv", pop))
        enr = [["学校名称", "年级", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"],
               ["郑庄镇中心小学", "六年级", "王一", "男", "2015-03-04", cid("王一"), "在读"]]
        self.import_file("enrollment", self.csv("学籍.csv", enr))
        h = ["户编号", "乡镇", "行政村", "户主姓名", "户主证件号码", "姓名", "证件号码", "与户主关系", "出生日期",
             "在校生状况", "脱贫属性"]
        rows = [h,
                ["H1", "郑庄镇", "东村", "王大山", HEAD, "王大山", HEAD, "户主", "1980-01-01", "", "脱贫户"],
                ["H1", "郑庄镇", "东村", "王大山", HEAD, "王一", cid("王一"), "之子", "2015-03-04", "", "脱贫户"],
                ["H1", "郑庄镇", "东村", "王大山", HEAD, "王二", "", "之子", "2016年5月", "", "脱贫户"],
                ["H2", "郑庄镇", "西村", "李四", HEAD_LI, "李亮", "", "之子", "2017-02", "", "边缘易致贫户"],
                ["H2", "郑庄镇", "西村", "李四", HEAD_LI, "李明", "", "之子", "2017-02", "", "边缘易致贫户"],
                ["H3", "端氏镇", "端氏村", "赵五", make_id("19790303", 105), "赵丽", "", "之女", "2014-06-06", "", "脱贫户"],
                ["H4", "端氏镇", "端氏村", "陈六", make_id("19780404", 107), "陈红", bad_check(cid("陈红")), "之女",
                 "2013-01-01", "", "脱贫户"],
                ["H5", "郑庄镇", "东村", "张七", make_id("19770505", 109), "张伟", "", "之子", "2015-09-09", "", "脱贫户"],
                ["H6", "郑庄镇", "北村", "孙八", make_id("19760606", 111), "孙无", "", "之子", "2016-01-01", "", "脱贫户"]]
        self.import_file("poverty", self.csv("脱贫户.csv", rows))
        self.ok("match", "--db", self.db, "--as-of", AS_OF)

    def report(self, name, *extra):
        out, _ = self.ok("report", "--db", self.db, name, "--format", "json", *extra)
        return json.loads(out)

    def test_children_and_paths(self):
        j = self.report("groups")
        self.assertEqual(j["as_of"], AS_OF)
        by = {c["name"]: c for c in j["children"]}
        self.assertEqual(by["王一"]["matched_by"], "id")
        self.assertEqual(by["陈红"]["matched_by"], "id")  # one slip in the ID, the name agrees
        self.assertEqual(by["王二"]["matched_by"], "household")  # head's ID, 2016年5月
        self.assertEqual(by["李明"]["matched_by"], "household")
        self.assertEqual(by["李亮"]["matched_by"], "household")
        self.assertEqual(by["赵丽"]["matched_by"], "name_birth")
        self.assertEqual(by["王一"]["groups"], ["脱贫户"])
        self.assertEqual(by["李明"]["groups"], ["防返贫监测对象"])
        self.assertEqual(by["赵丽"]["matched_by_label"], "姓名、出生日期和乡镇")
        # people read words, never the keys (the CSV a clerk opens in Excel)
        code, out, err = self.run_bx("report", "--db", self.db, "groups", "--format", "csv")
        self.assertEqual(code, 0, err)
        header = out.lstrip("\ufeff").splitlines()[0]
        self.assertIn("关联方式", header)
        self.assertNotIn("状态代码", header)
        self.assertNotIn("household", out)
        self.assertNotIn("enrolled", out)
        self.assertEqual(by["王一"]["status"], "enrolled")
        self.assertEqual(by["王二"]["status"], "not_enrolled")
        self.assertNotIn("张伟", by)  # two children fit: not linked
        self.assertNotIn("王大山", by)  # the head: an adult
        self.assertEqual(len(j["children"]), 6)
        # the twins' own IDs: each row went to its own child
        self.assertEqual(by["李亮"]["id_number"], cid("李亮"))
        self.assertEqual(by["李明"]["id_number"], cid("李明"))
        masked = {c["name"]: c for c in self.report("groups", "--mask")["children"]}
        self.assertEqual(masked["王一"]["id_number"], mask_id(cid("王一")))

    def test_twins_each_to_their_own(self):
        rows = self.query("SELECT r.name AS child, g.name AS row FROM group_member m JOIN record r ON r.id = m.record_id"
                          " JOIN record g ON g.id = m.group_record WHERE m.matched_by = 'household'")
        pairs = sorted((r["child"], r["row"]) for r in rows)
        self.assertIn(("李明", "李明"), pairs)
        self.assertIn(("李亮", "李亮"), pairs)
        for a, b in pairs:
            self.assertEqual(a, b)

    def test_explain_shows_the_group_records(self):
        out, _ = self.ok("explain", "--db", self.db, cid("王二"))
        self.assertIn("重点群体名单", out)
        self.assertIn("脱贫户", out)
        self.assertIn("按同户（户主或监护人）关联", out)
        self.assertIn("脱贫户.csv 第", out)
        out, _ = self.ok("explain", "--db", self.db, cid("赵丽"))
        self.assertIn("按姓名和出生日期关联", out)
        # a child on no list says so
        out, _ = self.ok("explain", "--db", self.db, make_id("20150909", 25))
        self.assertIn("没有任何重点群体名单关联到这名儿童", out)

    def test_welfare_member_without_birth_by_household(self):
        # the 低保 list has no birth column; 王二 has no ID of its own: the head's ID and the name
        rows = [["户主姓名", "户主身份证号", "保障类别", "成员姓名", "成员身份证号", "与户主关系", "月保障金额", "乡镇", "村"],
                ["王大山", HEAD, "农村低保", "王大山", HEAD, "本人", "900", "郑庄镇", "东村"],
                ["王大山", HEAD, "农村低保", "王二", "", "子女", "900", "郑庄镇", "东村"],
                # a 小名 with the exact ID: 王小一 for 王一
                ["王大山", HEAD, "农村低保", "王小一", cid("王一"), "子女", "900", "郑庄镇", "东村"]]
        self.import_file("welfare", self.csv("低保.csv", rows))
        self.ok("match", "--db", self.db, "--as-of", AS_OF)
        by = {c["name"]: c for c in self.report("groups")["children"]}
        self.assertIn("低保", by["王二"]["groups"])
        self.assertIn("低保", by["王一"]["groups"])
        out, _ = self.ok("explain", "--db", self.db, cid("王一"))
        self.assertIn("可能是小名", out)

    def test_uncertain_row_goes_to_review_and_the_pick_links_it(self):
        out, _ = self.ok("review", "list", "--db", self.db, "--format", "json")
        pairs = [p for p in json.loads(out)["pairs"] if p["record_name"] == "张伟"]
        self.assertEqual(len(pairs), 2, pairs)
        self.assertTrue(all("待人工确认" in p["reason"] for p in pairs), pairs)
        pick = next(p for p in pairs if p["child_id_number"] in (make_id("20150909", 25), mask_id(make_id("20150909", 25))))
        # the pair names the list the row is of and its household, not a 学籍 status
        out, _ = self.ok("review", "show", "--db", self.db, str(pick["candidate_id"]))
        self.assertIn("脱贫户和监测对象", out)
        self.assertIn("户主 张七", out)
        self.assertNotIn("学籍状态", out)
        self.assertNotIn("学籍/外出就读", out)
        self.ok("review", "accept", "--db", self.db, str(pick["candidate_id"]))
        self.ok("match", "--db", self.db, "--as-of", AS_OF)
        by = {c["name"]: c for c in self.report("groups")["children"]}
        self.assertEqual(by["张伟"]["id_number"], make_id("20150909", 25))
        self.assertNotIn("张伟", {r["name"] for r in self.report("groups-unmatched")["unmatched"]})
        out, _ = self.ok("review", "list", "--db", self.db, "--format", "json")
        self.assertEqual([p for p in json.loads(out)["pairs"] if p["record_name"] == "张伟"], [])
        out, _ = self.ok("explain", "--db", self.db, make_id("20150909", 25))
        self.assertIn("人工复核确认", out)

    def test_unmatched_and_uncertain_listed(self):
        j = self.report("groups-unmatched")
        by = {r["name"]: r for r in j["unmatched"]}
        self.assertEqual(set(by), {"张伟", "孙无"})
        self.assertEqual(by["张伟"]["uncertain"], "是")
        self.assertIn("2 名户籍儿童符合", by["张伟"]["detail"])
        self.assertEqual(by["孙无"]["uncertain"], "否")
        self.assertIn("找不到", by["孙无"]["detail"])
        # a masked reader sees no birth date beside the masked ID
        masked = self.report("groups-unmatched", "--mask")["unmatched"]
        self.assertTrue(all("birth_date" not in r for r in masked), masked)
        self.assertEqual(by["孙无"]["birth_date"], "2016-01-01")
        # the adult is not kept at all
        self.assertEqual(self.scalar("SELECT count(*) FROM group_member g JOIN record r ON r.id = g.group_record"
                                     " WHERE r.name = '王大山'"), 0)


if __name__ == "__main__":
    unittest.main()
