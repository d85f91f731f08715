"""The action rows on the command line (verb/, cli/verbs.c, cli/sub.c): every option and every
usage line comes from a row, a missing field is named by its label with the option that sets it,
the older spellings of options still work, and options may come before the subcommand."""
import unittest

from harness import BaoxueTest, make_id

POP = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "村（社区）", "户籍状态"],
       ["王伟", "男", make_id("20150304", 101), "2015-03-04", "郑庄镇", "东村", "正常"]]


class Verbs(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()
        self.import_file("population", self.csv("pop.csv", POP))
        self.ok("people", "--db", self.db, "add", "--name", "王五", "--org", "郑庄镇人民政府",
                "--role", "包保干部", "--township", "郑庄镇")

    def bx(self, *args, **kw):
        return self.run_bx(*args, **kw)

    def test_help_comes_from_the_rows(self):
        code, out, err = self.bx("case", "attempt", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("用法：baoxue case attempt 案件编号 --method 劝返方式 --people 参加人员 "
                      "--result 结果 [选项]", out)
        self.assertIn("记录一次劝返", out)
        self.assertIn("--method 劝返方式", out)
        self.assertRegex(out, r"--method 劝返方式 +必填；入户走访、当面约谈家长")  # the vocabulary's words
        self.assertIn("--next-step 下一步", out)
        self.assertNotIn("--next ", out)  # the older spelling is accepted, not advertised
        # the command's subcommands: its reading ones and every action row of it
        for args in (("help", "case"), ("case", "--help")):
            code, out, err = self.bx(*args)
            self.assertEqual(code, 0, err)
            for sub, summary in (("list", "列出案件"), ("attempt", "记录一次劝返"),
                                 ("close", "销号"), ("notice", "出具通知书")):
                self.assertRegex(out, r"\n  %s +%s" % (sub, summary))

    def test_a_missing_field_is_named_with_its_option(self):
        code, out, err = self.bx("case", "attempt", "1", "--db", self.db, "--people", "王五",
                                 "--result", "未同意")
        self.assertCliError(code, err, 2, "缺少劝返方式（--method）")
        code, out, err = self.bx("verify", "record", "1", "--db", self.db, "--outcome", "出国")
        self.assertCliError(code, err, 2, "缺少核查人（--by）")

    def test_refusals_of_the_command_line_itself(self):
        code, _, err = self.bx("case", "attempt", "1", "--db", self.db, "--methd", "家访")
        self.assertCliError(code, err, 2, "未知选项 --methd")
        code, _, err = self.bx("case", "attempt", "一", "--db", self.db)
        self.assertCliError(code, err, 2, "案件编号“一”无效")
        code, _, err = self.bx("case", "attempt", "--db", self.db)
        self.assertCliError(code, err, 2, "缺少案件编号")
        code, _, err = self.bx("case", "attempt", "1", "2", "--db", self.db)
        self.assertCliError(code, err, 2, "多余的参数“2”")
        code, _, err = self.bx("case", "attemp", "1", "--db", self.db)
        self.assertCliError(code, err, 2, "未知子命令“attemp”")
        code, _, err = self.bx("case", "--db", self.db)
        self.assertCliError(code, err, 2, "缺少子命令")
        code, _, err = self.bx("case", "attempt", "1", "--db")
        self.assertCliError(code, err, 2, "选项 --db 需要一个值")

    def test_options_before_the_subcommand_and_older_spellings(self):
        out, _ = self.ok("people", "--db", self.db, "list", "--format", "csv")
        self.assertIn("王五", out)
        # a row's field with an older option name: --kind for 户籍问题类型
        code, out, err = self.bx("verify", "--db", self.db, "record", "99", "--outcome", "户籍问题",
                                 "--kind", "空挂户", "--by", "王五")
        self.assertCliError(code, err, 2)
        self.assertNotIn("未知选项", err)

    def test_secrets_are_read_or_made(self):
        out, _ = self.ok("user", "--db", self.db, "add", "liu", "--role", "county")
        self.assertRegex(out, r"已创建用户 liu，初始密码：[0-9a-f]{16}（只显示这一次")
        code, out, err = self.bx("user", "add", "--db", self.db, "zhao", "--role", "county",
                                 "--password-stdin")
        # stdin is empty: an empty password is refused by the password rules, nothing written
        self.assertCliError(code, err, 2)
        self.assertEqual(self.scalar("SELECT count(*) FROM app_user WHERE name = 'zhao'"), 0)
        code, _, err = self.bx("user", "add", "--db", self.db, "--role", "county")
        self.assertCliError(code, err, 2, "缺少用户名")

    def test_the_notice_command_is_the_case_notice_row(self):
        code, out, err = self.bx("notice", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("出具通知书（PDF）", out)
        self.assertIn("-o, --output 文件", out)
        code, _, err = self.bx("notice", "1", "--db", self.db, "--kind", "return")
        self.assertCliError(code, err, 2, "缺少输出文件")


if __name__ == "__main__":
    unittest.main()
