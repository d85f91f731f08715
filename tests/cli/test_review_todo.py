"""Children hidden behind review (issue 13): a child whose only candidate school record waits for
a clerk is on the out-of-school list (every format, and over HTTP) and the 疑似 ledger as
pending_review / 待复核, and each pair of the review queue is an item of the county's 待办, due
some working days (casework_review_days, default 5) after the run that first queued it, overdue
like every other item; only the roles that review see those items. A cross-check over HTTP says
when no list changed since the previous one."""
import csv
import io
import json
import random
import unittest
import zipfile

from harness import Api, BaoxueTest, make_id, mask_id, start_server, stop_server, user_add

POP_HEADER = ["序号", "姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）",
              "监护人", "户籍状态"]
ENR_HEADER = ["学校名称", "年级", "全国学籍号", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
         "明", "超", "秀英", "华", "慧", "建国", "子轩", "梓涵", "浩然", "雨桐", "一诺", "思远"]
ZHENGZHUANG = "140521102"  # 郑庄镇, where the two waiting children live
LONGGANG = "140521100"     # 龙港镇
# today (the harness's BAOXUE_TODAY) is Friday 2026-11-20: five working days on is Friday 11-27
DUE = "2026-11-27"


class ReviewTodo(Api, BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()
        rng = random.Random(13)
        pop, enr = [POP_HEADER], [ENR_HEADER]
        # ordinary children with clean records (the linkage model learns from them)
        for i in range(400):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            birth = f"{rng.randint(2011, 2019)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            idn = make_id(birth, 100 + i)
            sex = "男" if i % 2 else "女"
            date = f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"
            town = "郑庄镇" if i % 2 else "龙港镇"
            pop.append([str(i + 1), name, sex, idn, date, town, "东村", "家长", "正常"])
            enr.append(["郑庄中心小学", "三年级", "G" + idn, name, sex, date, idn, "在读"])
        # a child simply out of school
        self.out = make_id("20140404", 511)
        pop.append([str(len(pop)), "孙不在", "男", self.out, "2014-04-04", "郑庄镇", "东村", "家长",
                    "正常"])
        # two children nobody can tell apart from a record without an ID: both wait for review
        self.amb_a = make_id("20130909", 505)
        self.amb_b = make_id("20130909", 507)
        pop.append([str(len(pop)), "张伟", "男", self.amb_a, "2013-09-09", "郑庄镇", "西村", "家长",
                    "正常"])
        pop.append([str(len(pop)), "张伟", "男", self.amb_b, "2013-09-09", "郑庄镇", "北村", "家长",
                    "正常"])
        enr.append(["郑庄中心小学", "七年级", "J1405210002", "张伟", "男", "2013-09-09", "", "在读"])
        self.import_file("population", self.csv("pop.csv", pop))
        self.import_file("enrollment", self.csv("enr.csv", enr))
        self.ok("match", "--db", self.db)

    def bx_json(self, *args, today=None):
        out, _ = self.ok(args[0], "--db", self.db, *args[1:], "--format", "json",
                         env={"BAOXUE_TODAY": today} if today else None)
        return json.loads(out)

    def pairs(self):
        return {r["child_id_number"]: r["candidate_id"]
                for r in self.bx_json("review", "list")["pairs"]}

    def review_items(self, *extra, today=None):
        return [t for t in self.bx_json("tasks", *extra, today=today)["tasks"]
                if t["object"] == "candidate"]

    def test_the_out_of_school_list_keeps_its_shape_and_lists_them(self):
        report = self.bx_json("report", "out-of-school")
        self.assertEqual(report["pending_review"], 2)
        self.assertEqual(report["total"], 3)
        rows = {c["id_number"]: c for c in report["children"]}
        self.assertEqual(set(rows), {self.out, self.amb_a, self.amb_b})
        for idn in (self.amb_a, self.amb_b):
            self.assertEqual(rows[idn]["status"], "pending_review")
            self.assertEqual(rows[idn]["status_label"], "待复核")
            self.assertIn("等待人工复核", rows[idn]["detail"])
        # the same members for every child: only the new status value appears
        self.assertEqual(set(rows[self.amb_a]), set(rows[self.out]))
        self.assertEqual(rows[self.out]["status"], "not_enrolled")
        # CSV and XLSX carry them too
        out, _ = self.ok("report", "--db", self.db, "out-of-school", "--format", "csv")
        table = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
        label = table[0].index("状态说明")
        labels = [r[label] for r in table[1:] if len(r) > label]
        self.assertEqual(sorted(labels), ["待复核", "待复核", "适龄未入学"])
        xlsx = self.path("名单.xlsx")
        self.ok("report", "--db", self.db, "out-of-school", "-o", xlsx)
        with zipfile.ZipFile(xlsx) as z:
            strings = z.read("xl/sharedStrings.xml").decode("utf-8") \
                if "xl/sharedStrings.xml" in z.namelist() else \
                "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
        self.assertIn("待复核", strings)
        self.assertIn("pending_review", strings)

    def test_the_suspected_ledger_has_a_row_for_each(self):
        ledger = self.bx_json("report", "ledger-suspected")
        waiting = [r for r in ledger["tasks"] if r["status"] == "pending_review"]
        self.assertEqual(len(waiting), 2, ledger["tasks"])
        for r in waiting:
            self.assertEqual(r["suspected"], "待复核")
            self.assertIsNone(r["task_id"])
            self.assertEqual((r["opened_on"], r["deadline"], r["days_left"]), ("2026-11-20", DUE, 7))
            self.assertEqual(r["state"], "待人工复核")
            self.assertIn("候选记录对", r["flag"])
        self.assertEqual({r["status"] for r in ledger["tasks"]}, {"pending_review", "not_enrolled"})
        self.assertTrue(any("待人工复核的 2 人（逾期 0 人）" in n for n in ledger["notes"]))
        late = self.bx_json("report", "ledger-suspected", today="2026-12-01")
        self.assertTrue(any("待人工复核的 2 人（逾期 2 人）" in n for n in late["notes"]))
        self.assertEqual({r["state"] for r in late["tasks"] if r["status"] == "pending_review"},
                         {"待人工复核（逾期）"})
        # another township's ledger has none
        other = self.bx_json("report", "ledger-suspected", "--township", "龙港镇")
        self.assertFalse([r for r in other["tasks"] if r["status"] == "pending_review"])

    def test_each_pair_is_due_on_the_county_todo(self):
        pairs = self.pairs()
        self.assertEqual(len(pairs), 2)
        items = self.review_items()
        self.assertEqual(sorted(int(t["object_id"]) for t in items), sorted(pairs.values()))
        for t in items:
            self.assertEqual((t["due"], t["days"], t["status"]), (DUE, 7, "未到期"))
            self.assertEqual(t["township"], "郑庄镇")
            self.assertEqual(t["child"], "张伟")
            self.assertTrue(t["ref"].startswith("候选记录对 "))
            self.assertIn("人工复核", t["item"])
        # overdue like any other item, and on the overdue list
        late = self.review_items("--overdue", today="2026-12-01")
        self.assertEqual([(t["days"], t["status"]) for t in late], [(-4, "逾期 4 天")] * 2)
        self.assertEqual(self.review_items("--overdue"), [])
        # only in the township it concerns; nobody's of the registry
        self.assertEqual(len(self.review_items("--township", "郑庄镇")), 2)
        self.assertEqual(self.review_items("--township", "龙港镇"), [])
        # the deadline is a setting (working days)
        self.ok("settings", "--db", self.db, "set", "casework_review_days", "10")
        self.assertEqual({t["due"] for t in self.review_items()}, {"2026-12-04"})
        self.ok("settings", "--db", self.db, "unset", "casework_review_days")
        # a new run of the same lists does not move the day: it counts from the first run
        self.ok("match", "--db", self.db, env={"BAOXUE_TODAY": "2026-11-25"})
        self.assertEqual({t["due"] for t in self.review_items(today="2026-11-25")}, {DUE})
        # a decided pair leaves 待办 (the other still waits)
        decided = pairs[mask_id(self.amb_a)]
        self.ok("review", "--db", self.db, "reject", str(self.pairs()[mask_id(self.amb_a)]))
        left = self.review_items()
        self.assertEqual(len(left), 1)
        self.assertNotIn(decided, [int(t["object_id"]) for t in left])

    def test_over_http_only_reviewers_see_the_pairs(self):
        for name, role in [("county", ["--role", "county"]),
                           ("tzz", ["--role", "township", "--township", ZHENGZHUANG]),
                           ("tlg", ["--role", "township", "--township", LONGGANG]),
                           ("sup", ["--role", "supervisor"])]:
            user_add(self.db, name, *role)
        p, self.port = start_server(self.db)
        self.addCleanup(stop_server, p)

        def get(who, path):
            r, j, _ = self.call("GET", path, cookie=self.login(who)[0])
            self.assertEqual(r.status, 200, j)
            return j

        def review_items(who, query=""):
            return [t for t in get(who, "/api/v1/tasks" + query)["tasks"]
                    if t["object"] == "candidate"]

        pairs = sorted(self.pairs().values())
        self.assertEqual(sorted(int(t["object_id"]) for t in review_items("county")), pairs)
        self.assertEqual(sorted(int(t["object_id"]) for t in review_items("sup")), pairs)
        # a township has no review permission: not even the pairs of its own children, nor
        # anyone else's by asking for another township
        self.assertEqual(review_items("tzz"), [])
        self.assertEqual(review_items("tlg"), [])
        r, j, _ = self.call("GET", "/api/v1/tasks?township=" + ZHENGZHUANG,
                            cookie=self.login("tlg")[0])
        self.assertEqual(r.status, 404, j)
        # its ordinary items are still there
        self.assertTrue(get("tzz", "/api/v1/tasks")["tasks"])
        # the out-of-school report over HTTP, JSON and CSV, for the county and the township
        for who in ("county", "tzz"):
            j = get(who, "/api/v1/reports/out-of-school?format=json")
            self.assertEqual(sorted(c["status"] for c in j["children"]),
                             ["not_enrolled", "pending_review", "pending_review"])
        r, _, data = self.call("GET", "/api/v1/reports/out-of-school?format=csv",
                               cookie=self.login("county")[0])
        self.assertEqual(r.status, 200)
        table = list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff"))))
        label = table[0].index("状态说明")
        self.assertEqual(sorted(r[label] for r in table[1:] if len(r) > label),
                         ["待复核", "待复核", "适龄未入学"])
        # the web UI's labels
        statuses = {w["key"]: w["label"] for w in get("county", "/api/v1/vocab")["statuses"]}
        self.assertEqual(statuses["pending_review"], "待复核")

    def test_a_cross_check_over_http_says_when_no_list_changed(self):
        user_add(self.db, "county", "--role", "county")
        p, self.port = start_server(self.db)
        self.addCleanup(stop_server, p)
        s = self.login("county")
        r, j, _ = self.call("POST", "/api/v1/runs", cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 202, j)
        job = self.wait_job(s, j["id"])
        self.assertEqual(job["state"], "done", job)
        self.assertIn("自第 1 次比对以来没有导入新的名单", job["result"]["message"])
        self.assertTrue(job["result"]["lists_unchanged"])


if __name__ == "__main__":
    unittest.main()
