"""Who may change what (issue 11), black box over the API and the command line: a department
uploads only its own kinds of list, and its upload waits for the county to accept it (or to
reject it, with a reason the department reads); an import that would shrink a snapshot sharply
needs a confirmation naming both numbers; the police then read the children of the list they
uploaded; weak passwords, control characters and overlong text are refused in Chinese; a
township cannot hand its work to another township's cadre; the audit trail cannot be changed,
and a change made behind its triggers' back shows.

A fresh county of a few children (a SQLite file, or a PostgreSQL schema when BAOXUE_TEST_PG is
set) and a server with its own data directory.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, COUNTY, JOB_CHILDREN, PASSWORD, Api, csv_text, db_execute, db_scalar,
                     db_value, drain, enrollment_csv, env, init_county, is_pg, job_child_id,
                     make_id, multipart, new_db, population_csv, start_server, stop_drained)

TOWN, OTHER = "140521102", "140521103"  # 郑庄镇, 端氏镇


def register_csv(extra=0, only=None):
    """The household register of JOB_CHILDREN (or the first `only` of them) and `extra` more."""
    rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
    for name, (birth, seq, town, _) in list(JOB_CHILDREN.items())[:only]:
        rows.append([name, "男" if seq % 2 else "女", job_child_id(name), birth, town, "正常"])
    for i in range(extra):
        rows.append(["新增%d" % i, "男", make_id("20160101", 201 + 2 * i), "2016-01-01", "郑庄镇",
                     "正常"])
    return csv_text(rows).encode("utf-8")


class DutiesTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-duties-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        for name, args in [("admin", ["--role", "admin"]), ("county", ["--role", "county"]),
                           ("police", ["--role", "department", "--department", "公安"]),
                           ("civil", ["--role", "department", "--department", "民政局"]),
                           ("tz", ["--role", "township", "--township", TOWN])]:
            cls.user_add(name, *args)
        cls.data = os.path.join(cls.dir, "data")
        os.makedirs(cls.data)
        # the county's own register and 学籍 list, and a first cross-check
        for kind, name, data in [("population", "户籍.csv", population_csv()),
                                 ("enrollment", "学籍.csv", enrollment_csv())]:
            path = os.path.join(cls.dir, name)
            with open(path, "wb") as f:
                f.write(data)
            subprocess.run([BIN, "import", "--db", cls.db, "--kind", kind, path], check=True,
                           capture_output=True, env=env(), timeout=120)
        subprocess.run([BIN, "match", "--db", cls.db], check=True, capture_output=True, env=env(),
                       timeout=120)
        cls.proc, cls.port = start_server(cls.db, "--data-dir", cls.data)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    # -- helpers --------------------------------------------------------------------------------
    def post_upload(self, session, fields, name, data):
        body, ctype = multipart(fields, [("file", name, data)])
        return self.call("POST", "/api/v1/imports", body, cookie=session[0], csrf=session[1],
                         headers={"Content-Type": ctype})

    def upload(self, session, fields, name, data):
        r, j, _ = self.post_upload(session, fields, name, data)
        assert r.status == 202, j
        return self.wait_job(session, j["id"])

    def run_match(self, session):
        r, j, _ = self.call("POST", "/api/v1/runs", {}, cookie=session[0], csrf=session[1])
        assert r.status == 202, j
        job = self.wait_job(session, j["id"])
        assert job["state"] == "done", job
        return job["result"]

    def batches(self, session):
        r, j, _ = self.call("GET", "/api/v1/imports", cookie=session[0])
        self.assertEqual(r.status, 200, j)
        return {b["id"]: b for b in j["items"]}

    def scalar(self, sql):
        return db_scalar(self.db, sql)

    def text(self, sql):
        return db_value(self.db, sql)

    def bx(self, *args, stdin=None):
        p = subprocess.run([BIN, args[0], "--db", self.db, *args[1:]], input=stdin,
                           capture_output=True, env=env(), timeout=120)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def counts(self):
        return {t: self.scalar("SELECT count(*) FROM %s" % t)
                for t in ("batch", "record", "audit", "person", "assignment", "app_user")}

    # -- a department's upload ------------------------------------------------------------------
    def test_police_upload_waits_for_the_county(self):
        county, police = self.login("county"), self.login("police")
        current, rows = next((b["id"], b["rows_imported"]) for b in self.batches(county).values()
                             if b["kind"] == "population" and b["current"])
        # the police: only their own kind of list
        r, j, _ = self.post_upload(police, {"kind": "enrollment"}, "学籍.csv", enrollment_csv())
        self.assertError(r, j, 403, "forbidden")
        self.assertIn("县公安局（户籍）的账号不能上传学籍名单；本部门可上传：户籍", j["error"]["message"])
        # a junk register of one child: it lands pending, and nothing uses it
        junk = self.upload(police, {"kind": "population"}, "公安-错的.csv", register_csv(only=1))
        self.assertEqual(junk["state"], "done", junk)
        self.assertTrue(junk["result"]["pending"])
        junk_id = junk["result"]["batch_id"]
        mine = self.batches(police)
        self.assertEqual(mine[junk_id]["state"], "pending")
        self.assertEqual(mine[junk_id]["state_label"], "待县教育局确认")
        self.assertTrue(all(b["department"] == "police" for b in mine.values()), mine)
        seen = self.batches(county)[junk_id]
        self.assertEqual(seen["department"], "police")
        self.assertEqual((seen["compare"]["batch"], seen["compare"]["rows"]), (current, rows))
        self.assertTrue(seen["compare"]["shrinks"])
        self.assertAlmostEqual(seen["compare"]["percent"], 100.0 / rows)
        self.assertEqual(self.run_match(county)["population_batch"], current)
        # acceptance would shrink the register to a quarter: refused until confirmed
        before = self.counts()
        r, j, _ = self.call("POST", "/api/v1/imports/%d/accept" % junk_id, {},
                            cookie=county[0], csrf=county[1])
        self.assertError(r, j, 400, "invalid_request")
        for needle in ("本次户籍名单 1 人", "第 %d 批，%d 人" % (current, rows), "低于 80%"):
            self.assertIn(needle, j["error"]["message"])
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.batches(county)[junk_id]["state"], "pending")
        # the county sends it back with a reason the police read
        r, j, _ = self.call("POST", "/api/v1/imports/%d/reject" % junk_id, {"reason": ""},
                            cookie=county[0], csrf=county[1])
        self.assertError(r, j, 400, "invalid_request")
        r, j, _ = self.call("POST", "/api/v1/imports/%d/reject" % junk_id,
                            {"reason": "只有 1 人，请导出全县名单"}, cookie=county[0], csrf=county[1])
        self.assertEqual(r.status, 200, j)
        b = self.batches(police)[junk_id]
        self.assertEqual((b["state"], b["decision_note"], b["decided_by"]),
                         ("rejected", "只有 1 人，请导出全县名单", "county"))
        r, j, _ = self.call("POST", "/api/v1/imports/%d/accept" % junk_id, {},
                            cookie=county[0], csrf=county[1])
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("已被退回", j["error"]["message"])
        # the whole register, and one more child: pending; meanwhile the county imports its own
        good = self.upload(police, {"kind": "population"}, "公安-全县.csv", register_csv(extra=2))
        good_id = good["result"]["batch_id"]
        self.assertFalse(good["result"]["shrinks"])
        own = self.upload(county, {"kind": "population", "force": "1"}, "户籍-又一份.csv",
                          register_csv(extra=1))
        self.assertEqual(own["state"], "done", own)
        self.assertGreater(own["result"]["batch_id"], good_id)
        # police cannot decide; the county accepts: the police's list is now the register,
        # though the county's own import came later
        r, j, _ = self.call("POST", "/api/v1/imports/%d/accept" % good_id, {},
                            cookie=police[0], csrf=police[1])
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("POST", "/api/v1/imports/%d/accept" % good_id, {},
                            cookie=county[0], csrf=county[1])
        self.assertEqual(r.status, 200, j)
        self.assertIn("当前名单", j["message"])
        self.assertTrue(self.batches(county)[good_id]["current"])
        self.assertEqual(self.run_match(county)["population_batch"], good_id)
        for action, target in (("import_accept", good_id), ("import_reject", junk_id)):
            self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = '%s' AND"
                                         " target = 'batch:%d' AND actor = 'county'"
                                         % (action, target)), 1)
        # the police read the children of their list, masked, and no child's history
        r, j, _ = self.call("GET", "/api/v1/children?status=all&per_page=50", cookie=police[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["total"], len(JOB_CHILDREN) + 2)
        one = j["items"][0]
        for name in JOB_CHILDREN:
            self.assertNotIn(job_child_id(name), str(j))
        r, j, _ = self.call("GET", "/api/v1/children/%d" % one["id"], cookie=police[0])
        self.assertEqual(r.status, 200, j)
        self.assertIn("*", j["person"]["id_number"])
        for sub in ("casework", "links"):
            r, j, _ = self.call("GET", "/api/v1/children/%d/%s" % (one["id"], sub),
                                cookie=police[0])
            self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("GET", "/api/v1/children/%d?full=1" % one["id"], cookie=police[0])
        self.assertError(r, j, 403, "forbidden")
        # 民政 uploaded nothing: it reads no child
        r, j, _ = self.call("GET", "/api/v1/children?status=all", cookie=self.login("civil")[0])
        self.assertEqual((r.status, j["total"]), (200, 0))

    def test_pending_from_the_command_line(self):
        police, county = self.login("police"), self.login("county")
        small = self.upload(police, {"kind": "population"}, "公安-小.csv", register_csv(only=2))
        bid = small["result"]["batch_id"]
        code, out, err = self.bx("import", "pending")
        self.assertEqual(code, 0, err)
        self.assertIn("第 %d 批" % bid, out)
        self.assertIn("公安-小.csv", out)
        self.assertIn("确认时须加 --confirm-shrink", out)
        before = self.counts()
        code, out, err = self.bx("import", "accept", str(bid))
        self.assertEqual(code, 2, err)
        self.assertTrue(err.startswith("错误："), err)
        self.assertIn("本次户籍名单 2 人", err)
        self.assertIn("--confirm-shrink", err)
        self.assertEqual(self.counts(), before)
        for args, needle in [(("import", "reject", str(bid)), "退回的理由"),
                             (("import", "accept", "abc"), "批次号"),
                             (("import", "accept", "999999"), "没有第 999999 批"),
                             (("import", "reject", str(bid), "--reason", "x\x07"), "控制字符")]:
            code, out, err = self.bx(*args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn(needle, err)
        code, out, err = self.bx("import", "accept", str(bid), "--confirm-shrink")
        self.assertEqual(code, 0, err)
        self.assertIn("已确认第 %d 批" % bid, out)
        self.assertTrue(self.batches(county)[bid]["current"])
        # put the whole register back for the other tests (confirmed: it grows)
        whole = self.upload(county, {"kind": "population", "force": "1"}, "户籍-回.csv",
                            register_csv(extra=1))
        self.assertEqual(whole["state"], "done", whole)

    def test_a_county_import_that_shrinks_is_refused_whole(self):
        county = self.login("county")
        before = self.counts()
        job = self.upload(county, {"kind": "population"}, "少了.csv", register_csv(only=1))
        self.assertEqual(job["state"], "failed", job)
        self.assertIn("本次户籍名单 1 人", job["error"])
        self.assertEqual(self.counts(), before)
        # from the command line too: exit 2, nothing stored
        path = os.path.join(self.dir, "少了.csv")
        with open(path, "wb") as f:
            f.write(register_csv(only=1))
        code, out, err = self.bx("import", "--kind", "population", path)
        self.assertEqual(code, 2, err)
        self.assertIn("--confirm-shrink", err)
        self.assertEqual(self.counts(), before)
        # the setting moves the line; 0 checks nothing
        code, out, err = self.bx("settings", "set", "import_shrink_percent", "101")
        self.assertEqual(code, 2, err)
        code, out, err = self.bx("settings", "set", "import_shrink_percent", "30")
        self.assertEqual(code, 0, err)
        before = self.counts()  # (the setting's change is in the audit trail)
        try:
            code, out, err = self.bx("import", "--kind", "population", path)
            self.assertEqual(code, 2, err)
            self.assertIn("低于 30%", err)
            self.assertEqual(self.counts(), before)
        finally:
            self.bx("settings", "unset", "import_shrink_percent")

    def test_departments_upload_only_what_they_may(self):
        civil = self.login("civil")
        r, j, _ = self.post_upload(civil, {"kind": "population"}, "民政.csv", register_csv())
        self.assertError(r, j, 403, "forbidden")
        self.assertIn("县民政局的账号不能上传户籍名单；本部门可上传：低保特困孤儿、留守儿童",
                      j["error"]["message"])
        # its own list, 低保 members: it lands pending, for the county to accept
        welfare = ("户主姓名,户主身份证号,保障类别,成员姓名,成员身份证号,与户主关系\n"
                   "张强,,农村低保,张小草,,之女\n").encode("utf-8")
        mine = self.upload(civil, {"kind": "welfare"}, "低保.csv", welfare)
        self.assertEqual(mine["state"], "done", mine)
        self.assertTrue(mine["result"]["pending"])
        self.assertEqual(self.batches(civil)[mine["result"]["batch_id"]]["kind"], "welfare")
        # an older account whose free-text department names none: nothing until an admin picks
        self.user_add("old", "--role", "department", "--department", "公安")
        db_execute(self.db, "UPDATE app_user SET department = '县局户政科' WHERE name = 'old'")
        old = self.login("old")
        r, j, _ = self.post_upload(old, {"kind": "population"}, "户政.csv", register_csv())
        self.assertError(r, j, 403, "forbidden")
        self.assertIn("还没有指定所属部门", j["error"]["message"])
        admin = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/users", cookie=admin[0])
        self.assertIn("police", [d["key"] for d in j["departments"]])
        u = next(x for x in j["items"] if x["name"] == "old")
        self.assertEqual((u["department"], u["upload_kinds"]), ("县局户政科", []))
        for body, status in [({"department": "交警"}, 400), ({}, 400), ({"department": 3}, 400)]:
            r, j, _ = self.call("POST", "/api/v1/users/old/department", body, cookie=admin[0],
                                csrf=admin[1])
            self.assertError(r, j, status)
        r, j, _ = self.call("POST", "/api/v1/users/tz/department", {"department": "公安"},
                            cookie=admin[0], csrf=admin[1])
        self.assertError(r, j, 400, "invalid_request")
        r, j, _ = self.call("POST", "/api/v1/users/old/department", {"department": "公安"},
                            cookie=admin[0], csrf=admin[1])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(self.text("SELECT department FROM app_user WHERE name = 'old'"), "police")
        old = self.login("old")
        job = self.upload(old, {"kind": "population"}, "户政.csv", register_csv(extra=2))
        self.assertEqual(job["state"], "done", job)
        self.assertTrue(job["result"]["pending"])
        r, j, _ = self.call("POST", "/api/v1/imports/%d/reject" % job["result"]["batch_id"],
                            {"reason": "测试"}, cookie=admin[0], csrf=admin[1])
        self.assertEqual(r.status, 200, j)
        # the same from the command line, and a new account must name a known department
        code, out, err = self.bx("user", "department", "old", "民政")
        self.assertEqual(code, 0, err)
        self.assertIn("县民政局", out)
        code, out, err = self.bx("user", "add", "x9", "--role", "department", "--department", "交警")
        self.assertEqual(code, 2, err)
        self.assertIn("公安、民政", err)
        r, j, _ = self.call("POST", "/api/v1/users", {"username": "x10", "role": "department",
                                                      "department": "交警", "password": PASSWORD},
                            cookie=admin[0], csrf=admin[1])
        self.assertError(r, j, 400, "invalid_request")
        r, j, _ = self.call("POST", "/api/v1/users", {"username": "x11", "role": "department",
                                                      "department": "公安局", "password": PASSWORD},
                            cookie=admin[0], csrf=admin[1])
        self.assertEqual(r.status, 201, j)
        self.assertEqual((j["department"], j["department_label"], j["upload_kinds"]),
                         ("police", "县公安局（户籍）", ["population"]))

    # -- passwords and typed text ---------------------------------------------------------------
    def test_weak_passwords_are_refused(self):
        admin = self.login("admin")
        before = self.counts()
        for pw, needle in [("12345678", "连续"), (" " * 8, "同一个字符"), ("aaaaaaaa", "同一个字符"),
                           ("88888888", "同一个字符"), ("woaini1314", "最常见"),
                           ("a1234567", "最常见"), ("qwertyui", "最常见"), ("Password1", "最常见"),
                           ("weakling", "用户名"), ("short", "太短"), ("七个汉字的密码", "太短"),
                           ("tab\there-ok", "控制字符")]:
            with self.subTest(pw=pw):
                r, j, _ = self.call("POST", "/api/v1/users",
                                    {"username": "weakling", "role": "county", "password": pw},
                                    cookie=admin[0], csrf=admin[1])
                self.assertError(r, j, 400, "invalid_request")
                self.assertIn(needle, j["error"]["message"])
                if pw != "weakling":  # (that one is refused as the account's own name only)
                    r, j, _ = self.call("POST", "/api/v1/users/tz/password", {"password": pw},
                                        cookie=admin[0], csrf=admin[1])
                    self.assertError(r, j, 400, "invalid_request")
        code, out, err = self.bx("user", "add", "weak2", "--role", "county", "--password-stdin",
                                 stdin=b"88888888\n")
        self.assertEqual(code, 2, err)
        self.assertIn("同一个字符", err)
        code, out, err = self.bx("user", "reset-password", "tz", "--password-stdin",
                                 stdin=b"woaini1314\n")
        self.assertEqual(code, 2, err)
        self.assertEqual(self.counts(), before)
        self.login("tz")  # the old password still works
        # a good one (a long Chinese phrase counts its characters)
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "strong", "role": "county", "password": "春天的教室二〇二六"},
                            cookie=admin[0], csrf=admin[1])
        self.assertEqual(r.status, 201, j)
        self.login("strong", "春天的教室二〇二六")

    def test_names_and_prose_are_checked(self):
        county = self.login("county")
        before = self.counts()
        for body, needle in [
            ({"name": "王\x07五", "org": "郑庄镇人民政府", "role": "包保干部", "township": TOWN}, "“姓名”含有控制字符"),
            ({"name": "王" * 51, "org": "郑庄镇人民政府", "role": "包保干部", "township": TOWN}, "“姓名”太长：51 个字"),
            ({"name": "x" * 100000, "org": "郑庄镇人民政府", "role": "包保干部", "township": TOWN}, "“姓名”太长"),
            ({"name": "王五", "org": "郑庄镇\n人民政府", "role": "包保干部", "township": TOWN}, "“工作单位”含有控制字符"),
            ({"name": "王\u202e五", "org": "郑庄镇人民政府", "role": "包保干部", "township": TOWN}, "看不见的特殊字符"),
            ({"name": "王五", "org": "郑庄镇人民政府", "role": "包\x1b保干部", "township": TOWN}, "“职务”"),
        ]:
            with self.subTest(needle=needle):
                r, j, data = self.call("POST", "/api/v1/people", body, cookie=county[0],
                                       csrf=county[1])
                self.assertError(r, j, 400, "invalid_request")
                self.assertIn(needle, j["error"]["message"])
                self.assertLess(len(data), 2000)  # the 100 KB name is not echoed back
        code, out, err = self.bx("people", "add", "--name", "李\x01四", "--org", "东村村委会",
                                 "--role", "村干部", "--township", TOWN)
        self.assertEqual(code, 2, err)
        self.assertIn("“姓名”含有控制字符", err)
        self.assertEqual(self.counts(), before)

    def test_a_township_assigns_only_its_own_cadres(self):
        county, tz = self.login("county"), self.login("tz")
        people = {}
        for name, org, town in [("本镇干部", "郑庄镇人民政府", TOWN), ("外镇干部", "端氏镇人民政府", OTHER),
                                ("县局干部", "沁水县教育局", None)]:
            body = {"name": name, "org": org, "role": "包保干部"}
            if town:
                body["township"] = town
            else:
                body["org_kind"] = "县教育局"
            r, j, _ = self.call("POST", "/api/v1/people", body, cookie=county[0], csrf=county[1])
            self.assertEqual(r.status, 201, j)
            people[name] = j["id"]
        task = self.scalar("SELECT min(id) FROM verify_task WHERE township_code = '%s'" % TOWN)
        self.assertTrue(task)
        before = self.counts()
        for who in (tz, county):
            r, j, _ = self.call("POST", "/api/v1/verify/%d/assign" % task,
                                {"township": str(people["外镇干部"])}, cookie=who[0], csrf=who[1])
            self.assertError(r, j, 400, "invalid_request")
            self.assertIn("另一个乡镇的人员", j["error"]["message"])
        code, out, err = self.bx("verify", "assign", str(task), "--village", str(people["外镇干部"]))
        self.assertEqual(code, 2, err)
        self.assertIn("另一个乡镇的人员", err)
        r, j, _ = self.call("POST", "/api/v1/verify/%d/assign" % task,
                            {"township": str(people["县局干部"]), "reason": "原因\x01"},
                            cookie=tz[0], csrf=tz[1])
        self.assertError(r, j, 400, "invalid_request")
        self.assertEqual(self.counts(), before)
        for name in ("本镇干部", "县局干部"):
            r, j, _ = self.call("POST", "/api/v1/verify/%d/assign" % task,
                                {"township": str(people[name])}, cookie=tz[0], csrf=tz[1])
            self.assertEqual(r.status, 200, j)

    # -- the audit trail ------------------------------------------------------------------------
    def test_the_audit_trail_is_append_only_and_chained(self):
        code, out, err = self.bx("audit", "verify")
        self.assertEqual(code, 0, out + err)
        self.assertIn("审计日志完整", out)
        n = self.scalar("SELECT count(*) FROM audit")
        self.assertEqual(self.scalar("SELECT max(seq) FROM audit"), n)
        for sql in ("UPDATE audit SET actor = 'nobody' WHERE seq = 2",
                    "DELETE FROM audit WHERE seq = 2", "DELETE FROM audit"):
            with self.assertRaises(Exception) as cm:
                db_execute(self.db, sql)
            self.assertIn("append-only", str(cm.exception))
        self.assertEqual(self.scalar("SELECT count(*) FROM audit"), n)
        # the head, for an administrator to note down
        admin = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/audit?per_page=1", cookie=admin[0])
        self.assertEqual(r.status, 200, j)
        self.assertGreaterEqual(j["head"]["seq"], n)
        self.assertRegex(j["head"]["hash"], "^[0-9a-f]{64}$")

    def test_concurrent_writers_keep_one_chain(self):
        # logins from many connections at once (PostgreSQL: concurrent transactions, chained
        # under the advisory lock): no fork, no gap. Successful ones: failed logins from one
        # address would lock that address out of the names the later tests sign in with.
        import threading
        errors = []

        def one(i):
            try:
                for k in range(8):
                    self.call("POST", "/api/v1/session",
                              {"username": "county" if k % 2 else "admin",
                               "password": PASSWORD})
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        code, out, err = self.bx("audit", "verify")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.scalar("SELECT count(DISTINCT seq) FROM audit"),
                         self.scalar("SELECT count(*) FROM audit"))

    def test_a_change_behind_the_triggers_back_shows(self):
        # a copy of the trail in a database of its own, so that the others keep theirs
        db = new_db(self.dir, "tamper.db")
        subprocess.run([BIN, "init", "--db", db, "--county", COUNTY], check=True,
                       capture_output=True, env=env(), timeout=60)
        for i in range(5):
            subprocess.run([BIN, "settings", "--db", db, "set", "casework_verify_days", str(10 + i)],
                           check=True, capture_output=True, env=env(), timeout=60)
        verify = lambda: subprocess.run([BIN, "audit", "--db", db, "verify"], capture_output=True,
                                        env=env(), timeout=60)
        p = verify()
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        drop = ("DROP TRIGGER audit_append_only ON audit" if is_pg(db) else
                "DROP TRIGGER audit_append_only")
        db_execute(db, drop)
        db_execute(db, "UPDATE audit SET detail = '10 → 99' WHERE seq = 3")
        p = verify()
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("第 3 条记录的内容或它之前的记录已被改动", p.stdout.decode("utf-8"))
        if not is_pg(db):
            db_execute(db, "DROP TRIGGER audit_no_delete")
        db_execute(db, "UPDATE audit SET detail = (SELECT detail FROM audit WHERE seq = 4)"
                       " WHERE seq = 3")  # no way back to the original, whatever is written
        db_execute(db, "DELETE FROM audit WHERE seq = 2")
        p = verify()
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("第 3 条之前缺少 1 条记录", p.stdout.decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
