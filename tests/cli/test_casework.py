"""Casework from the command line: a cross-check creates verification tasks, outcomes are
recorded (a claim of schooling contradicted by the next snapshot is flagged), a confirmed child
gets a case that runs through attempts, the legal ladder, an outcome, follow-ups and closing,
and a later snapshot without the child reopens it. Bad input to every write is refused with
exit 2, a Chinese message, and nothing written."""
import json
import os
import sqlite3
import subprocess
import unittest

from harness import BaoxueTest, make_id, mask_id

POP_HEADER = ["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "监护人",
              "联系电话", "户籍状态"]
ENR_HEADER = ["学校名称", "年级", "全国学籍号", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"]
NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵军", "黄勇", "周杰", "吴涛"]
OUT = 5  # the first five children have no 学籍 record


class Casework(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()
        self.ids = []
        pop, self.enr = [POP_HEADER], [ENR_HEADER]
        for i, name in enumerate(NAMES):
            birth = "2015%02d%02d" % (i + 1, i + 3)
            idn = make_id(birth, 100 + i)
            self.ids.append(idn)
            sex = "男" if (100 + i) % 2 else "女"
            date = "%s-%s-%s" % (birth[:4], birth[4:6], birth[6:])
            pop.append([name, sex, idn, date, "郑庄镇", "东村", "家长", "13812345678", "正常"])
            if i >= OUT:
                self.enr.append(["郑庄中心小学", "五年级", "G" + idn, name, sex, date, idn, "在读"])
        self.pop = pop
        self.import_file("population", self.csv("pop.csv", pop))
        self.import_file("enrollment", self.csv("enr.csv", self.enr))
        out, _ = self.ok("people", "--db", self.db, "import", self.csv("people.csv", [
            ["郑庄镇控辍保学责任人名册"],
            ["姓名", "联系电话", "工作单位", "职务", "乡镇"],
            ["王五", "13900001111", "郑庄镇人民政府", "包保干部", "郑庄镇"],
            ["李四", "13900002222", "东村村委会", "村干部", "郑庄镇"],
            ["赵老师", "13900003333", "郑庄中心小学", "结对教师", "郑庄镇"],
            ["钱局长", "13900004444", "沁水县教育局", "控辍保学办主任", ""],
            [],
            ["制表：县教育局"],
        ]))
        self.assertIn("新登记 4 人", out)

    def bx(self, *args, today=None):
        env = {"BAOXUE_TODAY": today} if today else None
        return self.run_bx(args[0], "--db", self.db, *args[1:], env=env)

    def okx(self, *args, today=None):
        code, out, err = self.bx(*args, today=today)
        self.assertEqual(code, 0, "baoxue %s: %s%s" % (" ".join(args), out, err))
        return out

    def match(self, today=None):
        return self.okx("match", today=today)

    def tasks_json(self):
        return json.loads(self.okx("verify", "list", "--state", "all", "--format", "json"))["tasks"]

    def task_of(self, idn):
        return next(t for t in self.tasks_json() if t["id_number"] == mask_id(idn))["task_id"]

    def counts(self):
        return {t: self.scalar("SELECT count(*) FROM %s" % t) for t in
                ("verify_task", "case_file", "attempt", "ladder_step", "follow_up", "event",
                 "assignment", "person")}

    def refused(self, *args, needle=None, today=None):
        before = self.counts()
        code, out, err = self.bx(*args, today=today)
        self.assertCliError(code, err, 2, *([needle] if needle else []))
        self.assertEqual(self.counts(), before, "a refused command wrote something: %r" % (args,))

    def pdf_text(self, path):
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        got = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True)
        return "".join(got.stdout.decode("utf-8").split())  # line breaks fall inside names

    def test_the_whole_loop(self):
        out = self.match()
        self.assertIn("新建核查任务 5 项", out)
        tasks = self.tasks_json()
        self.assertEqual(len(tasks), OUT)
        self.assertEqual({t["id_number"] for t in tasks}, {mask_id(i) for i in self.ids[:OUT]})
        self.assertTrue(all(t["deadline"] == "2026-11-30" for t in tasks))
        # the township official and the village cadre were assigned from the registry
        self.assertTrue(all("王五（乡镇包保干部）" in t["assignees"] and "李四（村干部）" in t["assignees"]
                            for t in tasks))
        # a second run creates nothing new
        self.assertIn("新建核查任务 0 项", self.match())

        t_case, t_claim, t_out, t_abroad, t_reg = (self.task_of(i) for i in self.ids[:OUT])
        self.okx("verify", "record", str(t_claim), "--outcome", "已在校注册学籍", "--by", "王五",
                 "--school", "郑庄中心小学", "--evidence", "在读证明 2026-118")
        out = self.okx("verify", "record", str(t_out), "--outcome", "随父母外出无法联系", "--by", "李四")
        self.assertIn("外联保学", out)
        self.okx("verify", "record", str(t_abroad), "--outcome", "abroad", "--by", "1",
                 "--note", "随父母在日本")
        self.okx("verify", "record", str(t_reg), "--outcome", "户籍问题", "--kind", "空挂户",
                 "--by", "王五")
        out = self.okx("verify", "record", str(t_case), "--outcome", "确认失学辍学", "--by", "王五",
                       "--reason", "厌学", "--other-reasons", "外出打工、家庭经济困难",
                       "--date", "2026-11-20")
        self.assertIn("已立案：案件 1", out)
        self.assertIn("2026-11-23", out)  # first visit within 3 days
        states = {t["task_id"]: t["state"] for t in self.tasks_json()}
        self.assertEqual(states[t_out], "外联保学")
        self.assertEqual(states[t_claim], "已办结")

        # the case: assign, attempts and a correction, the ladder in order
        out = self.okx("case", "assign", "1", "--teacher", "赵老师", "--reason", "结对帮扶")
        self.assertIn("赵老师（结对教师）", out)
        self.okx("case", "attempt", "1", "--method", "家访", "--people", "王五、李四、家长",
                 "--said", "讲明义务教育法", "--response", "家长犹豫", "--result", "未同意",
                 "--next", "约谈家长", "--date", "2026-11-20")
        self.okx("case", "attempt", "1", "--method", "home_visit", "--people", "王五、李四、家长、孩子",
                 "--result", "未同意返校", "--corrects", "1", "--date", "2026-11-20",
                 "--reason", "参加人员漏记孩子")
        self.refused("case", "escalate", "1", "--step", "行政处罚", "--authority", "郑庄镇人民政府",
                     needle="不能跳过步骤")
        # the notices: 劝返复学 at once; 责令限期改正 only with a deadline (step 2 or --deadline)
        ret = self.path("劝返复学通知书.pdf")
        self.okx("notice", "1", "--kind", "return", "-o", ret, "--date", "2026-11-21")
        text = self.pdf_text(ret)
        for needle in ("劝返复学通知书", "王伟", "家长", "沁水县", "郑庄镇人民政府", mask_id(self.ids[0]),
                       "2026年11月21日"):
            self.assertIn(needle, text)
        self.assertNotIn(self.ids[0], text)
        order = self.path("责令限期改正通知书.pdf")
        self.refused("notice", "1", "--kind", "order", "-o", order, needle="改正期限")
        self.assertFalse(os.path.exists(order))
        self.refused("notice", "1", "--kind", "警告信", "-o", order, needle="--kind")
        self.refused("notice", "99", "--kind", "return", "-o", order, needle="没有编号为 99 的案件")
        self.okx("case", "escalate", "1", "--step", "宣传教育", "--authority", "郑庄镇人民政府")
        out = self.okx("case", "escalate", "1", "--step", "书面通知", "--authority", "县教育局")
        self.assertIn("限期 2026-12-05", out)
        audits = self.scalar("SELECT count(*) FROM audit WHERE action = 'read_full'")
        self.okx("notice", "1", "--kind", "责令限期改正通知书", "-o", order, "--full")
        text = self.pdf_text(order)
        for needle in ("责令限期改正通知书", "王伟", "家长", "县教育局", "第五十八条", "2026年12月5日",
                       self.ids[0]):
            self.assertIn(needle, text)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'read_full'"),
                         audits + 1)
        self.assertEqual(self.scalar("SELECT count(*) FROM event WHERE kind = 'notice'"), 2)
        out = self.okx("case", "resolve", "1", "--outcome", "复学", "--school", "郑庄中心小学",
                       "--grade", "五年级")
        self.assertIn("2026-12-20", out)
        # 销号 is approved by a county account (issue 11), not by a name from the registry
        self.okx("user", "add", "qian", "--role", "county")
        self.refused("case", "close", "1", "--approver", "qian", "--reason", "已返校",
                     needle="还不能销号")
        for day in ("2026-12-21", "2027-01-20", "2027-02-20"):
            self.okx("case", "follow-up", "1", "--in-school", "是", "--by", "赵老师", "--date", day,
                     today=day)
        # who may not approve: a registry name, an unknown or disabled account, a township
        # account, and an account that handled the case (here the command line's own user
        # recorded every attempt and follow-up: an account of that name handled it)
        handler = self.scalar("SELECT actor FROM event WHERE kind = 'attempt' LIMIT 1")
        self.okx("user", "add", "tzz", "--role", "township", "--township", "140521102")
        self.okx("user", "add", handler, "--role", "county")
        self.okx("user", "add", "gone", "--role", "county")
        self.okx("user", "disable", "gone")
        before = self.scalar("SELECT count(*) FROM event")
        for approver, needle in [("钱局长", "不是本系统的账号"), ("gone", "已停用"),
                                 ("tzz", "乡镇账号，不能审批销号"), (handler, "经办过这个案件"),
                                 ("", "缺少审批人")]:
            with self.subTest(approver=approver):
                self.refused("case", "close", "1", "--approver", approver, "--reason", "巩固三个月",
                             needle=needle, today="2027-02-21")
        self.assertEqual(self.scalar("SELECT count(*) FROM event"), before)
        self.assertEqual(self.scalar("SELECT state FROM case_file WHERE id = 1"), "returned")
        out = self.okx("case", "close", "1", "--approver", "qian", "--reason", "巩固三个月",
                       today="2027-02-21")
        self.assertIn("已销号", out)
        qian = self.scalar("SELECT id FROM app_user WHERE name = 'qian'")
        self.assertEqual(self.scalar("SELECT closed_by_user FROM case_file WHERE id = 1"), qian)
        self.assertIsNone(self.scalar("SELECT closed_by FROM case_file WHERE id = 1"))
        self.assertIn("审批人 账号 qian（县教育局）",
                      self.okx("case", "show", "1", today="2027-02-21"))
        show = self.okx("case", "show", "1", today="2027-02-21")
        for needle in ("已销号", "通知书", "（已由 #2 更正）", "（更正 #1）", "第 2 步 书面通知/责令限期改正",
                       "劝返结果：复学", "经办时间线", "疑似失学", "立案", "销号", mask_id(self.ids[0])):
            self.assertIn(needle, show)
        self.assertNotIn(self.ids[0], show)
        # the timeline is in the order things happened
        lines = [l for l in show.splitlines() if l.startswith("  20")]
        self.assertEqual(lines, sorted(lines, key=lambda l: l[:12]))

        # a new 学籍 snapshot: the case child still missing, the claimed child too
        self.import_file("enrollment", self.csv("enr2.csv", self.enr + [
            ["郑庄中心小学", "一年级", "", "新生", "男", "2019-01-01", "", "在读"]]))
        out = self.match(today="2027-03-01")
        self.assertIn("重新打开案件 1 件", out)
        self.assertIn("核查结论存疑（仍不在校）1 项", out)
        self.assertIn("新建核查任务 0 项", out)
        case = json.loads(self.okx("case", "list", "--format", "json"))["cases"][0]
        self.assertEqual(case["state"], "劝返中")
        self.assertEqual(case["reopened"], 1)
        flagged = json.loads(self.okx("verify", "list", "--state", "flagged", "--format", "json"))
        self.assertEqual([t["task_id"] for t in flagged["tasks"]], [t_claim])
        # the flagged claim can be verified again
        self.okx("verify", "record", str(t_claim), "--outcome", "省外就读", "--by", "王五",
                 "--school", "北京某小学", "--evidence", "转学证明", today="2027-03-01")
        # identity across snapshots: one child row per child, tasks keep their record ids
        self.assertEqual(self.scalar("SELECT count(*) FROM child"), OUT)
        self.assertEqual(self.scalar("SELECT count(DISTINCT child_id) FROM verify_task"), OUT)
        # every write left an audit row; the history tables refuse changes
        self.assertGreater(self.scalar("SELECT count(*) FROM audit WHERE action LIKE 'case_%'"), 5)
        with self.assertRaisesRegex((sqlite3.DatabaseError, RuntimeError), "attempt is append-only"):
            self.execute("UPDATE attempt SET result = 'x'")

    def test_a_later_run_finds_children_at_school(self):
        self.match()
        t_open, t_out, t_case, t_ret, t_claim = (self.task_of(i) for i in self.ids[:OUT])
        self.okx("verify", "record", str(t_out), "--outcome", "随父母外出无法联系", "--by", "李四")
        self.okx("verify", "record", str(t_case), "--outcome", "确认失学辍学", "--by", "王五",
                 "--reason", "厌学")
        self.okx("verify", "record", str(t_ret), "--outcome", "确认失学辍学", "--by", "王五",
                 "--reason", "外出打工")
        # the claimed child stays out of school in run 2: on the same lists the fresh claim
        # stands (field work outranks a stale list); a newer 学籍 list without the child
        # flags it
        self.okx("verify", "record", str(t_claim), "--outcome", "已在校注册学籍", "--by", "王五",
                 "--school", "郑庄中心小学", "--evidence", "在读证明")
        out = self.match(today="2026-11-25")
        self.assertIn("自第 1 次比对以来没有导入新的名单", out)
        self.assertIn("核查结论存疑（仍不在校）0 项", out)
        self.assertIn("1 人的核查结论或劝返结果晚于本次所用的学籍和外出就读名单", out)
        self.import_file("enrollment", self.csv("enr2.csv", self.enr + [
            ["郑庄中心小学", "一年级", "", "新生", "男", "2019-01-01", "", "在读"]]))
        self.assertIn("核查结论存疑（仍不在校）1 项", self.match(today="2026-11-25"))
        self.okx("case", "attempt", "2", "--method", "家访", "--people", "王五", "--result", "同意返校",
                 today="2026-11-25")
        self.okx("case", "resolve", "2", "--outcome", "复学", "--school", "郑庄中心小学",
                 "--grade", "五年级", today="2026-11-25")
        # run 4: every one of the five is in the 学籍 export now
        enr = list(self.enr)
        for i in range(OUT):
            sex = "男" if (100 + i) % 2 else "女"
            birth = "2015-%02d-%02d" % (i + 1, i + 3)
            enr.append(["郑庄中心小学", "五年级", "G" + self.ids[i], NAMES[i], sex, birth,
                        self.ids[i], "在读"])
        self.import_file("enrollment", self.csv("enr3.csv", enr))
        before_followups = self.scalar("SELECT count(*) FROM follow_up")
        out = self.match(today="2026-12-01")
        self.assertIn("核查任务自动办结 2 项", out)
        self.assertIn("案件记入经办记录 2 件", out)
        self.assertIn("存疑结论解除 1 项", out)
        # the open and the outreach tasks are closed by the run
        tasks = {t["task_id"]: t for t in self.tasks_json()}
        for t in (t_open, t_out):
            self.assertEqual(tasks[t]["state"], "已办结")
            self.assertEqual(tasks[t]["outcome"], "已在校注册学籍")
        self.assertEqual(tasks[t_claim]["flag"], "")
        show = self.okx("verify", "show", str(t_open))
        self.assertIn("核查人 系统（第 4 次比对）", show)
        self.assertIn("就读学校：郑庄中心小学 五年级", show)
        self.assertIn("第 4 次比对发现已在校", show)
        row = self.query("SELECT verified_by, evidence, verified_on FROM verify_task WHERE id = ?",
                         (t_open,))[0]
        self.assertEqual((row["verified_by"], row["evidence"], row["verified_on"]),
                         (None, "第 4 次比对", "2026-12-01"))
        # cases are not closed by a run: an event, and no follow-up counted
        cases = {c["case_id"]: c for c in
                 json.loads(self.okx("case", "list", "--state", "all", "--format", "json"))["cases"]}
        self.assertEqual(cases[1]["state"], "劝返中")
        self.assertEqual(cases[2]["state"], "已返校，巩固回访中")
        self.assertEqual(self.scalar("SELECT count(*) FROM follow_up"), before_followups)
        self.assertIn("请核实后记录劝返结果", self.okx("case", "show", "1"))
        self.assertIn("不计入回访次数", self.okx("case", "show", "2"))
        self.assertEqual(self.scalar("SELECT count(*) FROM event WHERE kind = 'found_enrolled'"), 2)
        # nothing is due any more for the closed tasks
        due = json.loads(self.okx("tasks", "--format", "json"))["tasks"]
        self.assertFalse(any(str(t_open) == str(d.get("task_id", "")) for d in due))

    def test_fresh_field_work_outranks_a_stale_list(self):
        # Issue 13: an outcome recorded after the lists a run reads stands until a newer school
        # list contradicts it; the run says when no list changed since the previous run.
        self.match()
        t_case, t_claim = self.task_of(self.ids[0]), self.task_of(self.ids[1])
        self.okx("verify", "record", str(t_claim), "--outcome", "已在校注册学籍", "--by", "王五",
                 "--school", "郑庄中心小学", "--evidence", "在读证明")
        self.okx("verify", "record", str(t_case), "--outcome", "确认失学辍学", "--by", "王五",
                 "--reason", "厌学")
        self.okx("case", "attempt", "1", "--method", "家访", "--people", "王五", "--result", "同意返校")
        self.okx("case", "resolve", "1", "--outcome", "复学", "--school", "郑庄中心小学",
                 "--grade", "五年级")

        def flagged():
            return json.loads(self.okx("verify", "list", "--state", "flagged", "--format",
                                       "json"))["tasks"]

        def case_state():
            return json.loads(self.okx("case", "list", "--state", "all", "--format",
                                       "json"))["cases"][0]["state"]

        # the same lists again: both outcomes stand, and the run says nothing changed
        out = self.match()
        self.assertIn("注意：自第 1 次比对以来没有导入新的名单", out)
        self.assertIn("核查结论存疑（仍不在校）0 项", out)
        self.assertIn("重新打开案件 0 件", out)
        self.assertIn("2 人的核查结论或劝返结果晚于本次所用的学籍和外出就读名单", out)
        self.assertEqual(flagged(), [])
        self.assertEqual(case_state(), "已返校，巩固回访中")
        # a new register alone says nothing new about schooling: they still stand
        self.import_file("population", self.csv("pop2.csv", self.pop + [
            ["新生", "男", make_id("20190101", 201), "2019-01-01", "郑庄镇", "东村", "家长",
             "13812345678", "正常"]]))
        out = self.match()
        self.assertIn("与第 2 次比对相比，更新的名单：户籍名单（第 3 批）", out)
        self.assertNotIn("没有导入新的名单", out)
        self.assertIn("核查结论存疑（仍不在校）0 项", out)
        self.assertEqual(flagged(), [])
        self.assertEqual(case_state(), "已返校，巩固回访中")
        # a 学籍 list imported after the outcomes, still without both children, contradicts them
        self.import_file("enrollment", self.csv("enr2.csv", self.enr + [
            ["郑庄中心小学", "一年级", "", "新生", "男", "2019-01-01", "", "在读"]]))
        out = self.match()
        self.assertIn("更新的名单：学籍名单（第 4 批）", out)
        self.assertIn("核查结论存疑（仍不在校）1 项", out)
        self.assertIn("重新打开案件 1 件", out)
        self.assertEqual([t["task_id"] for t in flagged()], [t_claim])
        self.assertEqual(case_state(), "劝返中")
        # the claim verified again after that list stands on a rerun of the same lists
        self.okx("verify", "record", str(t_claim), "--outcome", "省外就读", "--by", "王五",
                 "--school", "北京某小学", "--evidence", "转学证明")
        out = self.match()
        self.assertIn("没有导入新的名单", out)
        self.assertEqual(flagged(), [])

    def test_deferred_entry_holds_for_one_school_year(self):
        self.match()
        t = self.task_of(self.ids[0])
        self.okx("verify", "record", str(t), "--outcome", "延缓入学", "--by", "王五",
                 "--evidence", "郑庄镇人民政府批准（2026）3号")
        # later in the same school year: still deferred
        out = self.match(today="2027-06-30")
        self.assertIn("新建核查任务 0 项", out)
        # the next school year: asked again, with a new task
        out = self.match(today="2027-09-15")
        self.assertIn("新建核查任务 1 项", out)
        self.assertIn("其中延缓入学已到期、仍未入学 1 人", out)
        tasks = [x for x in self.tasks_json() if x["id_number"] == mask_id(self.ids[0])]
        self.assertEqual(len(tasks), 2)
        new = max(x["task_id"] for x in tasks)
        self.assertEqual(next(x for x in tasks if x["task_id"] == new)["state"], "待核查")
        self.assertIn("延缓入学（核查任务 %d，批准 2026-2027 学年）已到期" % t,
                      self.okx("verify", "show", str(new), today="2027-09-15"))
        # and only once
        self.assertIn("新建核查任务 0 项", self.match(today="2027-09-20"))

    def test_a_child_without_a_usable_id_is_found_by_name_and_birth(self):
        # a register ID with a wrong check digit: the child is keyed by name, birth and sex
        from harness import bad_check
        pop = [POP_HEADER, ["孙悟", "男", bad_check(make_id("20150909", 301)), "2015-09-09",
                            "郑庄镇", "东村", "家长", "", "正常"]]
        self.import_file("population", self.csv("pop2.csv", pop), "--confirm-shrink")
        self.match()
        key = self.scalar("SELECT child_key FROM child")
        self.assertTrue(key.startswith("N:"), key)
        enr = self.enr + [["郑庄中心小学", "五年级", "", "孙悟", "男", "2015-09-09",
                           bad_check(make_id("20150909", 301)), "在读"]]
        self.import_file("enrollment", self.csv("enr2.csv", enr))
        out = self.match(today="2026-11-25")
        self.assertIn("核查任务自动办结 1 项", out)
        self.assertEqual(self.scalar("SELECT outcome FROM verify_task"), "registered")

    def test_bad_input_is_refused_and_writes_nothing(self):
        self.match()
        t = self.task_of(self.ids[0])
        r = [
            (("people", "add", "--name", "孙某", "--org", "郑庄镇人民政府", "--role", "包保干部"), "--township"),
            (("people", "add", "--name", "孙某", "--org", "某校", "--role", "x", "--phone", "12"), "电话号码"),
            (("people", "add", "--org", "某校", "--role", "校长"), "缺少姓名"),
            (("people", "add", "--name", "王五", "--org", "郑庄镇人民政府", "--role", "x",
              "--township", "郑庄镇"), "已有"),
            (("people", "edit", "99", "--role", "x"), "没有编号为 99"),
            (("people", "deactivate", "99"), "没有编号为 99"),
            (("people", "import", self.csv("bad.csv", [["姓名", "单位", "职务"], ["", "某村", "村干部"]])),
             "未导入任何人员"),
            (("verify", "record", str(t), "--outcome", "在家玩", "--by", "王五"), "不是有效的核查结论"),
            (("verify", "record", str(t), "--outcome", "确认失学辍学", "--by", "王五"), "主要原因"),
            (("verify", "record", str(t), "--outcome", "户籍问题", "--by", "王五"), "--kind"),
            (("verify", "record", str(t), "--outcome", "省外就读", "--by", "王五", "--school", "某校"),
             "证明材料"),
            (("verify", "record", str(t), "--outcome", "出国", "--by", "无名氏"), "人员名册中没有"),
            (("verify", "record", str(t), "--outcome", "出国", "--by", "王五", "--date", "2026-02-30"),
             "不是有效日期"),
            (("verify", "record", str(t), "--outcome", "出国", "--by", "王五", "--date", "2027-01-01"),
             "不能晚于今天"),
            (("verify", "record", "999", "--outcome", "出国", "--by", "王五"), "没有编号为 999"),
            (("verify", "assign", str(t), "--village", "无名氏"), "人员名册中没有"),
            (("case", "attempt", "1", "--method", "家访", "--people", "x", "--result", "y"), "没有编号为 1 的案件"),
            (("verify", "list", "--state", "whatever"), "--state"),
        ]
        for args, needle in r:
            with self.subTest(args=args):
                self.refused(*args, needle=needle)
        # a case and its own refusals
        self.okx("verify", "record", str(t), "--outcome", "辍学", "--by", "王五", "--reason", "外出打工")
        r = [
            (("verify", "record", str(t), "--outcome", "出国", "--by", "王五"), "已办结"),
            (("case", "attempt", "1", "--method", "飞鸽传书", "--people", "x", "--result", "y"), "劝返方式"),
            (("case", "attempt", "1", "--method", "家访", "--result", "y"), "参加人员"),
            (("case", "attempt", "1", "--method", "家访", "--people", "x"), "结果"),
            (("case", "attempt", "1", "--method", "家访", "--people", "x", "--result", "y",
              "--corrects", "42"), "无法更正"),
            (("case", "escalate", "1", "--step", "申请强制执行", "--authority", "法院"), "不能跳过步骤"),
            (("case", "escalate", "1", "--step", "宣传教育"), "实施机关"),
            (("case", "resolve", "1", "--outcome", "复学", "--school", "某校", "--grade", "五年级"),
             "还没有劝返记录"),
            (("case", "resolve", "1", "--outcome", "复学"), "学校"),
            (("case", "follow-up", "1", "--in-school", "是", "--by", "赵老师"), "还在劝返中"),
            (("case", "close", "1", "--approver", "qian", "--reason", "x"), "还在劝返中"),
            (("case", "reopen", "1", "--reason", "x"), "无需重新打开"),
        ]
        for args, needle in r:
            with self.subTest(args=args):
                self.refused(*args, needle=needle)
        self.okx("case", "attempt", "1", "--method", "电话", "--people", "王五", "--result", "同意返校")
        self.refused("case", "resolve", "1", "--outcome", "送教上门", "--school", "某校",
                     "--visits-per-week", "9", "--hours", "2", needle="每周送教次数")

    def test_overdue_across_a_month_end(self):
        self.match(today="2026-11-25")  # due 2026-12-05
        self.okx("people", "deactivate", "2")
        out = json.loads(self.okx("tasks", "--overdue", "--format", "json", today="2026-12-05"))
        self.assertEqual(out["tasks"], [])
        out = json.loads(self.okx("tasks", "--overdue", "--format", "json", today="2026-12-06"))
        # one row per task, with its people: the official and the cadre
        self.assertEqual(len(out["tasks"]), OUT)
        self.assertTrue(all(t["status"] == "逾期 1 天" and t["due"] == "2026-12-05"
                            for t in out["tasks"]))
        self.assertTrue(all(t["person"].startswith("王五（乡镇包保干部）、") for t in out["tasks"]))
        mine = json.loads(self.okx("tasks", "--person", "王五", "--format", "json", today="2026-12-06"))
        self.assertEqual([t["person"] for t in mine["tasks"]], [t["person"] for t in out["tasks"]])
        self.assertEqual(len(mine["tasks"]), OUT)
        code, out, err = self.bx("tasks", "--person", "李四")
        self.assertCliError(code, err, 2, "已停用")

    def test_holidays_setting_moves_deadlines(self):
        self.execute("INSERT INTO setting (key, value) VALUES ('school_holidays',"
                     " '2027-01-20..2027-02-25')")
        self.match(today="2027-01-15")
        self.assertEqual({t["deadline"] for t in self.tasks_json()}, {"2027-02-26"})

    def test_people_phones_masked_unless_full(self):
        out = self.okx("people", "list", "--format", "csv")
        self.assertIn("139****1111", out)
        self.assertNotIn("13900001111", out)
        out = self.okx("people", "list", "--format", "csv", "--full")
        self.assertIn("13900001111", out)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'read_full'"), 1)


if __name__ == "__main__":
    unittest.main()
