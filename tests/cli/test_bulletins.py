"""The 通报 (issue 17), black box on the demo county: the demo issued last month's, 1号 of the
year; two more issued take 2号 and 3号 (沁教通〔2026〕2号, 3号); the PDF shows the 文号, the title and the ranking
table, the townships in their rank order; the stored 通报 prints the same text after the office
setting changed and a new cross-check ran (its content is frozen); a preview takes no number; a
township or a supervisor cannot issue one, a township reads the issued ones, a school none."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, Api, db_rows, db_scalar, demo_county, drain, env, start_server, stop_drained)


def pdf_text(path):
    return subprocess.run(["pdftotext", "-q", "-layout", "-enc", "UTF-8", path, "-"],
                          stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")


class Bulletins(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-bulletins-")
        cls.db = demo_county(cls.dir, 2000)
        # (codes as text: db_scalar reads integers)
        town = db_rows(cls.db, "SELECT township_code FROM verify_task"
                               " WHERE township_code IS NOT NULL LIMIT 1")[0][0]
        school = db_rows(cls.db, "SELECT school_code FROM record WHERE school_code <> ''"
                                 " LIMIT 1")[0][0]
        for name, args in [("xian", ["--role", "county"]),
                           ("tz", ["--role", "township", "--township", town]),
                           ("sch", ["--role", "school", "--school", school]),
                           ("du", ["--role", "supervisor"])]:
            cls.user_add(name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in log, log[-4000:]

    def cli(self, *args):
        p = subprocess.run([BIN, *args, "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env(), timeout=300)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def ok(self, *args):
        code, out, err = self.cli(*args)
        self.assertEqual(code, 0, err)
        return out

    def issued(self):
        return json.loads(self.ok("bulletins", "list", "--format", "json"))["bulletins"]

    def test_1_two_issued_are_numbered_1_and_2_and_the_pdf_shows_the_ranking(self):
        # the demo issued last month's: 1号 of the year; two more are 2号 and 3号
        demo = self.issued()
        self.assertEqual([b["doc_number"][-8:] for b in demo], ["〔2026〕1号"])
        before = db_scalar(self.db, "SELECT count(*) FROM audit WHERE action = 'bulletin_issue'")
        out = self.ok("bulletins", "issue", "--month", "2026-10")
        self.assertIn("〔2026〕2号", out)
        out = self.ok("bulletins", "issue", "--month", "2026-11", "--deadline", "2026-12-18")
        self.assertIn("〔2026〕3号", out)
        rows = self.issued()
        self.assertEqual([re.fullmatch(r".+教通〔(\d+)〕(\d+)号", b["doc_number"]).groups()
                          for b in rows], [("2026", "3"), ("2026", "2"), ("2026", "1")])
        self.assertEqual(rows[0]["title"], "关于2026年11月控辍保学工作情况的通报")
        self.assertEqual(rows[0]["deadline"], "2026-12-18")
        self.assertEqual(rows[1]["published_on"], "2026-11-20")
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action ="
                                            " 'bulletin_issue'"), before + 2)

        first = rows[1]
        show = json.loads(self.ok("bulletins", "show", str(first["id"])))
        table = next(p["table"] for s in show["content"]["sections"] for p in s["parts"]
                     if "table" in p)
        names = [r[1] for r in table["rows"]]
        self.assertGreater(len(names), 3)
        self.assertEqual([r[0] for r in table["rows"]],
                         [str(i + 1) for i in range(len(names))])

        pdf = os.path.join(self.dir, "first.pdf")
        self.assertIn("已生成", self.ok("bulletins", "pdf", str(first["id"]), "-o", pdf))
        text = pdf_text(pdf)
        self.assertIn(first["doc_number"], text)
        self.assertIn("关于2026年10月控辍保学工作情况的通报", text)
        self.assertIn("表1 各乡镇控辍保学工作排名", text)
        # each township on a line of the table after its rank, in the ranking's order
        lines = text[text.index("表1"):].splitlines()
        at = []
        for rank, name in enumerate(names, 1):
            i = next(i for i, ln in enumerate(lines)
                     if re.match(r"\s*%d\s+%s" % (rank, re.escape(name[:4])), ln))
            at.append(i)
        self.assertEqual(at, sorted(at))
        for head in ["一、基本情况", "二、各乡镇工作排名", "三、存在问题", "四、下一步要求",
                     "图1 各乡镇辍学率"]:
            self.assertIn(head, text)

        # frozen: the office renamed and a new cross-check do not change the issued text
        self.ok("settings", "set", "bulletin_office", "某某县教育和体育局")
        self.ok("match")
        again = os.path.join(self.dir, "again.pdf")
        self.ok("bulletins", "pdf", str(first["id"]), "-o", again)
        self.assertEqual(pdf_text(again), text)
        self.assertNotIn("某某县教育和体育局", text)
        # … while a new one says the new name
        cookie, csrf = self.login("xian")
        r, j, _ = self.call("POST", "/api/v1/bulletins", {"month": "2026-11", "preview": True},
                            cookie, csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["content"]["office"], "某某县教育和体育局")
        self.assertTrue(j["doc_number"].endswith("〔2026〕4号"))
        self.assertEqual(len(self.issued()), 3, "a preview issues nothing")
        self.ok("settings", "unset", "bulletin_office")

    def test_2_who_issues_and_who_reads(self):
        for name in ["tz", "du"]:
            cookie, csrf = self.login(name)
            r, j, _ = self.call("POST", "/api/v1/bulletins", {"month": "2026-10"}, cookie, csrf)
            self.assertError(r, j, 403)
        before = len(self.issued())
        cookie, csrf = self.login("xian")
        r, j, _ = self.call("POST", "/api/v1/bulletins", {"term": "2026秋"}, cookie, csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["title"], "关于2026年秋季学期控辍保学工作情况的通报")
        self.assertEqual(len(self.issued()), before + 1)
        bid = j["id"]
        r, j, _ = self.call("POST", "/api/v1/bulletins", {"month": "2027-01"}, cookie, csrf)
        self.assertError(r, j, 400)
        self.assertEqual(j["error"].get("field"), "month")
        r, j, _ = self.call("POST", "/api/v1/bulletins", {}, cookie, csrf)
        self.assertError(r, j, 400)

        for name in ["tz", "du", "xian"]:
            cookie, _ = self.login(name)
            r, j, _ = self.call("GET", "/api/v1/bulletins", cookie=cookie)
            self.assertEqual(r.status, 200, j)
            self.assertIn(bid, [b["id"] for b in j["bulletins"]])
            r, j, data = self.call("GET", "/api/v1/bulletins/%d.pdf" % bid, cookie=cookie)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("Content-Type"), "application/pdf")
            self.assertTrue(data.startswith(b"%PDF"))
        r, j, data = self.call("GET", "/api/v1/bulletins/%d?format=pdf" % bid, cookie=cookie)
        self.assertTrue(data.startswith(b"%PDF"))
        r, j, _ = self.call("GET", "/api/v1/bulletins/%d" % bid, cookie=cookie)
        self.assertEqual(j["content"]["title"], "关于2026年秋季学期控辍保学工作情况的通报")
        r, j, _ = self.call("GET", "/api/v1/bulletins/999999", cookie=cookie)
        self.assertError(r, j, 404)
        cookie, _ = self.login("sch")
        r, j, _ = self.call("GET", "/api/v1/bulletins", cookie=cookie)
        self.assertError(r, j, 403)

    def test_3_bad_arguments_are_refused(self):
        code, out, err = self.cli("bulletins", "pdf", "0", "-o", os.path.join(self.dir, "x.pdf"))
        self.assertEqual(code, 2, err)
        code, out, err = self.cli("bulletins", "issue", "--month", "2026-10", "--date",
                                  "2026-10-15")
        self.assertNotEqual(code, 0)
        self.assertIn("成文日期", err)


if __name__ == "__main__":
    unittest.main()
