"""The read commands' options as data (src/cli/opt.c): the usage --help prints is written from the
same rows that parse the command line, so it lists every option; `baoxue help COMMAND` prints that
same text; a bad command line gets "错误：…" and the usage (forms and options) on stderr and exit 2;
options are taken as --name value, --name=value, -ovalue, before or after the positional
arguments.
"""

import csv
import json
import os
import unittest

from harness import BaoxueTest

# command: every option its rows define (the shared --db included)
OPTIONS = {
    "init": ["--county", "--db"],
    "import": ["--kind", "--sheet", "--map", "--rejects", "--force", "--confirm-shrink", "--no-progress",
               "--db"],
    "match": ["--as-of", "--db"],
    "report": ["--township", "--by", "--status", "--format", "-o, --output", "--full", "--mask", "--run",
               "--month", "--date", "--db"],
    "explain": ["--run", "--full", "--db"],
    "tasks": ["--township", "--person", "--overdue", "--format", "-o, --output", "--db"],
    "audit": ["--actor", "--action", "--target", "--since", "--until", "--page", "--per-page",
              "--json", "--db"],
    "demo": ["--children", "--seed", "--out", "--as-of", "--errors", "--family", "--files-only",
             "--no-history", "--db"],
    "serve": ["--listen", "--web", "--threads", "--max-body", "--timeout", "--max-connections",
              "--reserved-connections", "--per-address-limit", "--header-timeout", "--min-body-rate",
              "--secure-cookie", "--data-dir", "--max-upload", "--job-threads", "--job-lease",
              "--trusted-proxy", "--db"],
}

# command: an option that takes a value, given last without one
NEEDS_VALUE = {"init": "--county", "import": "--kind", "match": "--as-of", "report": "-o",
               "explain": "--run", "tasks": "--township", "audit": "--actor", "demo": "--children",
               "serve": "--listen"}


def option_lines(text):
    """The lines of the options list ("选项：" to the end)."""
    self_start = text.index("\n选项：\n")
    return text[self_start:].splitlines()


class HelpTest(BaoxueTest):
    def assertListsOptions(self, cmd, text):
        self.assertTrue(text.startswith("用法：baoxue " + cmd), text)
        lines = option_lines(text)
        for opt in OPTIONS[cmd]:
            # each option on a line of its own, with a Chinese help after it
            line = [l for l in lines if l.strip().startswith(opt + " ") or l.strip() == opt]
            self.assertEqual(len(line), 1, "%s %s in %r" % (cmd, opt, text))
            self.assertRegex(line[0], "[\u4e00-\u9fff]", "%s %s has no Chinese help" % (cmd, opt))

    def test_help_lists_every_option_and_help_command_says_the_same(self):
        for cmd in OPTIONS:
            code, out, err = self.run_bx(cmd, "--help")
            self.assertEqual((code, err), (0, ""), cmd)
            self.assertListsOptions(cmd, out)
            self.assertEqual(self.run_bx(cmd, "-h"), (0, out, ""), cmd)
            self.assertEqual(self.run_bx("help", cmd), (0, out, ""), cmd)

    def test_help_of_an_unknown_command(self):
        code, out, err = self.run_bx("help", "nonsense")
        self.assertCliError(code, err, 2, "nonsense")
        code, out, err = self.run_bx("help")
        self.assertEqual(code, 0)
        self.assertIn("report", out)

    def test_unknown_option_gets_the_usage(self):
        for cmd in OPTIONS:
            code, out, err = self.run_bx(cmd, "--db", self.db, "--nonsense")
            self.assertCliError(code, err, 2, "未知选项 --nonsense")
            self.assertIn("用法：baoxue " + cmd, err)
            self.assertListsOptions(cmd, err[err.index("用法："):])
            self.assertEqual(out, "")

    def test_missing_value(self):
        for cmd, opt in NEEDS_VALUE.items():
            code, out, err = self.run_bx(cmd, "--db", self.db, opt)
            self.assertCliError(code, err, 2, opt, "需要")
            self.assertNotIn("未知选项", err)
            self.assertIn("用法：baoxue " + cmd, err)

    def test_a_flag_takes_no_value(self):
        code, out, err = self.run_bx("tasks", "--db", self.db, "--overdue=yes")
        self.assertCliError(code, err, 2, "--overdue", "不带值")

    def test_values_are_checked_by_the_rows(self):
        code, out, err = self.run_bx("serve", "--threads=0")
        self.assertCliError(code, err, 2, "--threads", "“0”", "1 到 256")
        # a data directory that is not there fails at the start, not at the first upload
        code, out, err = self.run_bx("serve", "--db", self.db, "--listen", "127.0.0.1:0",
                                     "--data-dir", self.path("nowhere"))
        self.assertCliError(code, err, 2, "--data-dir", "数据目录", "不存在或不可写")
        code, out, err = self.run_bx("audit", "--db", self.db, "--per-page", "many")
        self.assertCliError(code, err, 2, "--per-page", "many")
        code, out, err = self.run_bx("demo", "--as-of=2026-02-30", "--files-only")
        self.assertCliError(code, err, 2, "--as-of", "2026-02-30")
        self.assertFalse(os.path.exists(self.path("demo")))

    def test_equals_forms_and_options_after_the_arguments(self):
        """The whole round on --name=value forms, options after positional arguments."""
        db = self.db
        code, out, err = self.run_bx("demo", "--files-only", "--children=80", "--out=files",
                                     "--as-of=2026-11-20")
        self.assertEqual(code, 0, err)
        code, out, err = self.run_bx("init", "--county=140521", "--db=" + db)
        self.assertEqual(code, 0, err)
        self.assertIn("140521", out)
        files = self.path("files")
        for name, kind in (("户籍适龄儿童花名册.csv", "population"), ("学籍数据.xlsx", "enrollment")):
            code, out, err = self.run_bx("import", os.path.join(files, name), "--kind=" + kind,
                                         "--no-progress", "--db=" + db)
            self.assertEqual(code, 0, err)
        code, out, err = self.run_bx("match", "--as-of=2026-11-20", "--db=" + db)
        self.assertEqual(code, 0, err)
        self.assertIn("比对完成", out)
        # report: the name first, options after it; -ovalue attached
        code, out, err = self.run_bx("report", "summary", "--db=" + db, "-osummary.csv")
        self.assertEqual(code, 0, err)
        with open(self.path("summary.csv"), encoding="utf-8-sig") as f:
            self.assertGreater(len(list(csv.reader(f))), 1)
        code, out, err = self.run_bx("report", "children", "--format=json", "--status=enrolled",
                                     "--db=" + db)
        self.assertEqual(code, 0, err)
        children = json.loads(out)["children"]
        self.assertTrue(children)
        self.assertEqual({c["status"] for c in children}, {"enrolled"})
        # explain: the ID first, --db after it
        child_id = children[0]["id_number"]
        code, out, err = self.run_bx("explain", child_id, "--run=1", "--db=" + db)
        self.assertEqual(code, 0, err)
        code, out, err = self.run_bx("tasks", "--format=csv", "--db=" + db)
        self.assertEqual(code, 0, err)
        # audit: verify first, --db after it; --per-page=1 shows one row
        code, out, err = self.run_bx("audit", "verify", "--db=" + db)
        self.assertEqual(code, 0, err)
        code, out, err = self.run_bx("audit", "--json", "--per-page=1", "--db=" + db)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(json.loads(out)["items"]), 1)
        # "--" ends the options: what follows is an argument, however it looks
        code, out, err = self.run_bx("report", "--db=" + db, "--", "--summary")
        self.assertCliError(code, err, 2, "未知报表“--summary”")


if __name__ == "__main__":
    unittest.main()
