"""The casework API, black box: verification, cases, notices, tasks, people, reports and settings
over HTTP, scoped by role and region. The server runs on the demo county of 2,000 children (a
fresh PostgreSQL schema when BAOXUE_TEST_PG is set); the follow-ups and closing, which must be
dated months after the outcome, are recorded through a second server whose today is later.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from harness import (BIN, INJECTIONS, OTHER, PASSWORD, TOWN, DemoServerTest, db_rows,
                     db_value, env, http_call, start_server, stop_server)

# TOWN: the township of the "tz" account; OTHER: that of "tz2"
LATER = "2027-02-21"  # the second server's today: three monthly follow-ups after the outcome


def disposition_name(header):
    """The UTF-8 file name of an RFC 5987 filename* parameter."""
    _, _, enc = header.partition("filename*=UTF-8''")
    return urllib.parse.unquote(enc.split(";")[0])


class CaseworkApiTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="baoxue-tmp-")
        os.environ["TMPDIR"] = cls.scratch  # the server's temporary files, checked to be gone
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)
        cls.user_add("sup2", "--role", "supervisor")
        cls.user_add("county2", "--role", "county")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.environ.pop("TMPDIR", None)
        shutil.rmtree(cls.scratch, True)

    def counts(self):
        return {t: int(db_value(self.db, "SELECT count(*) FROM %s" % t)) for t in
                ("verify_task", "case_file", "attempt", "ladder_step", "follow_up", "event",
                 "assignment", "person")}

    def open_task(self, township):
        return int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE state = 'open'"
                                     " AND township_code = '%s'" % township))

    def person(self, township):
        return db_value(self.db, "SELECT min(id) FROM person WHERE township_code = '%s'" % township)

    def assertNoTempFiles(self):
        self.assertEqual(os.listdir(self.scratch), [])

    def post(self, path, body, who="tz"):
        cookie, csrf = self.login(who)
        return self.call("POST", path, body, cookie=cookie, csrf=csrf)

    # -- the whole loop -------------------------------------------------------------------------
    def test_the_loop_over_http(self):
        task = self.open_task(TOWN)
        name = db_value(self.db, "SELECT r.name FROM verify_task v JOIN record r ON r.id = v.record_id"
                                 " WHERE v.id = %d" % task)
        by = self.person(TOWN)
        cookie, csrf = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % task, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertIn(name, j["text"])
        r, j, _ = self.call("POST", "/api/v1/verify/%d/outcome" % task,
                            {"outcome": "确认失学辍学", "by": by, "reason": "厌学"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIn("立案", j["message"])
        case = int(db_value(self.db, "SELECT id FROM case_file WHERE task_id = %d" % task))
        base = "/api/v1/cases/%d" % case
        for path, body in [
            ("/attempts", {"method": "家访", "people": "包保干部、家长", "result": "未同意返校",
                           "said": "讲明义务教育法", "next_step": "约谈家长"}),
            ("/escalate", {"step": "宣传教育", "authority": "龙港镇人民政府"}),
            ("/escalate", {"step": "书面通知", "authority": "县教育局"}),
            ("/assign", {"village": by, "reason": "结对帮扶"}),
        ]:
            r, j, _ = self.call("POST", base + path, body, cookie=cookie, csrf=csrf)
            self.assertEqual(r.status, 200, (path, j))
        # the notice: a PDF with the child's name, nothing left in the temporary directory
        # (issuing one is a write: a GET is not allowed, and writes nothing)
        events = int(db_value(self.db, "SELECT count(*) FROM event"))
        r, j, _ = self.call("GET", base + "/notice?kind=order", cookie=cookie)
        self.assertError(r, j, 405, "method_not_allowed")
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM event")), events)
        r, _, pdf = self.call("POST", base + "/notice", {"kind": "order"}, cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, pdf[:300])
        self.assertEqual(r.getheader("Content-Type"), "application/pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(disposition_name(r.getheader("Content-Disposition")),
                         "责令限期改正通知书-案件%d.pdf" % case)
        path = os.path.join(self.dir, "notice.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
        self.assertIn(name, "".join(text.split()))
        self.assertNoTempFiles()
        # a full ID is not for a township account
        r, j, _ = self.call("POST", base + "/notice", {"kind": "return", "full": True},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("POST", base + "/resolve", {"outcome": "复学", "school": "龙港镇中心小学", "grade": "五年级"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        # 销号 is the county's: a township account is refused, saying who may (issue 11)
        before = self.counts()
        r, j, _ = self.call("POST", base + "/close", {"reason": "已返校"}, cookie=cookie, csrf=csrf)
        self.assertError(r, j, 403, "forbidden")
        self.assertIn("县教育局", j["error"]["message"])
        # the approver is the signed-in account, never a name in the body
        county, county_csrf = self.login("county")
        r, j, _ = self.call("POST", base + "/close", {"approver": "1", "reason": "已返校"},
                            cookie=county, csrf=county_csrf)
        self.assertError(r, j, 400, "invalid_request")
        # the key at fault beside the message, which a person reads and which names no key
        self.assertEqual(j["error"].get("field"), "approver")
        self.assertNotIn("approver", j["error"]["message"])
        # and closing needs the follow-ups first
        r, j, _ = self.call("POST", base + "/close", {"reason": "已返校"},
                            cookie=county, csrf=county_csrf)
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("还不能销号", j["error"]["message"])
        self.assertEqual(self.counts(), before)

        # three months later
        proc, port = start_server(self.db, environ=env({"BAOXUE_TODAY": LATER}))
        try:
            later = LaterServer(self, port)
            cookie, csrf = later.login("tz")
            for day in ("2026-12-21", "2027-01-20"):
                r, j, _ = later.call("POST", base + "/follow-ups",
                                     {"in_school": True, "by": by, "date": day},
                                     cookie=cookie, csrf=csrf)
                self.assertEqual(r.status, 200, j)
            # the last follow-up recorded by a county account: it handled the case
            handler, handler_csrf = later.login("county")
            r, j, _ = later.call("POST", base + "/follow-ups",
                                 {"in_school": True, "by": by, "date": "2027-02-20"},
                                 cookie=handler, csrf=handler_csrf)
            self.assertEqual(r.status, 200, j)
            before = self.counts()
            r, j, _ = later.call("POST", base + "/close", {"reason": "巩固三个月"},
                                 cookie=handler, csrf=handler_csrf)
            self.assertError(r, j, 400, "invalid_request")
            self.assertIn("经办过这个案件", j["error"]["message"])
            self.assertEqual(self.counts(), before)
            # another county account approves, and is recorded as the approver
            approver, approver_csrf = later.login("county2")
            r, j, _ = later.call("POST", base + "/close", {"reason": "巩固三个月"},
                                 cookie=approver, csrf=approver_csrf)
            self.assertEqual(r.status, 200, j)
            self.assertIn("已销号", j["message"])
            self.assertEqual(db_value(self.db, "SELECT u.name FROM case_file c JOIN app_user u"
                                               " ON u.id = c.closed_by_user WHERE c.id = %d" % case),
                             "county2")
            r, j, _ = later.call("GET", base, cookie=cookie)
            self.assertEqual(r.status, 200, j)
            for needle in ("已销号", "通知书", "劝返结果：复学", "经办时间线", name,
                           "审批人 账号 county2（县教育局）"):
                self.assertIn(needle, j["text"])
            self.assertEqual(j["closing"]["approver"]["account"], "county2")
        finally:
            log = stop_server(proc)
        self.assertNotIn("Sanitizer", log)
        # the library audited every step under the account's name
        self.assertGreaterEqual(int(db_value(self.db, "SELECT count(*) FROM audit WHERE actor = 'tz'"
                                                      " AND action <> 'login'")), 9)

    # -- scope ----------------------------------------------------------------------------------
    def test_another_townships_case_is_not_there(self):
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'"
                                     % TOWN))
        before = self.counts()
        cookie, csrf = self.login("tz2")
        for method, path, body in [
            ("GET", "/api/v1/cases/%d" % case, None),
            ("POST", "/api/v1/cases/%d/attempts" % case, {"method": "家访", "people": "x", "result": "x"}),
            ("POST", "/api/v1/cases/%d/reopen" % case, {"reason": "x"}),
            ("POST", "/api/v1/cases/%d/notice" % case, {"kind": "return"}),
            ("GET", "/api/v1/verify/%d" % self.open_task(TOWN), None),
            ("POST", "/api/v1/verify/%d/outcome" % self.open_task(TOWN), {"outcome": "出国"}),
            ("GET", "/api/v1/cases?township=" + TOWN, None),
            ("GET", "/api/v1/reports/out-of-school?township=" + TOWN, None),
        ]:
            r, j, _ = self.call(method, path, body, cookie=cookie, csrf=csrf)
            self.assertError(r, j, 404, "not_found")
        self.assertEqual(self.counts(), before)
        # lists are the township's own
        town_name = db_value(self.db, "SELECT township FROM verify_task WHERE township_code = '%s'"
                                      % OTHER)
        for path, key in [("/api/v1/cases?state=all", "cases"), ("/api/v1/verify?state=all", "tasks"),
                          ("/api/v1/tasks", "tasks")]:
            r, j, _ = self.call("GET", path, cookie=cookie)
            self.assertEqual(r.status, 200, j)
            self.assertTrue(all(t["township"] == town_name for t in j[key]), (path, j[key][:3]))
        r, j, _ = self.call("GET", "/api/v1/verify?state=all", cookie=cookie)
        self.assertGreater(len(j["tasks"]), 0)

    # -- school and department accounts --------------------------------------------------------
    def school_task(self):
        """An open task of a child whose deciding 学籍 record is at a school: (task, code, name)."""
        row = db_rows(self.db, "SELECT v.id, sr.school_code, sr.school_name FROM verify_task v"
                               " JOIN child_status cs ON cs.run_id = v.run_id AND cs.record_id = v.record_id"
                               " JOIN record sr ON sr.id = cs.school_record"
                               " WHERE v.state = 'open' AND sr.school_code <> ''"
                               " AND v.township_code = '%s' ORDER BY v.id LIMIT 1" % TOWN)[0]
        return int(row[0]), row[1], row[2]

    def tied_tasks(self, code):
        return {int(r[0]) for r in db_rows(
            self.db, "SELECT v.id FROM verify_task v JOIN child_status cs ON cs.run_id = v.run_id"
                     " AND cs.record_id = v.record_id JOIN record sr ON sr.id = cs.school_record"
                     " WHERE sr.school_code = '%s'" % code)}

    def test_school_account(self):
        task, code, school = self.school_task()
        self.user_add("school1", "--role", "school", "--school", code)
        sc, sc_csrf = self.login("school1")
        county, county_csrf = self.login("county")
        before = self.counts()
        # its tasks: the children whose 学籍 is at the school, and no other
        r, j, _ = self.call("GET", "/api/v1/verify?state=all", cookie=sc)
        self.assertEqual(r.status, 200, j)
        seen = {t["task_id"] for t in j["tasks"]}
        self.assertIn(task, seen)
        self.assertLessEqual(seen, self.tied_tasks(code))
        other = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE id NOT IN (%s)"
                                      % ",".join(map(str, self.tied_tasks(code)))))
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % task, cookie=sc)
        self.assertEqual(r.status, 200, j)
        for method, path, body in [("GET", "/api/v1/verify/%d" % other, None)]:
            r, j, _ = self.call(method, path, body, cookie=sc, csrf=sc_csrf)
            self.assertError(r, j, 404, "not_found")
        # reading is not verifying: the township records the outcome
        r, j, _ = self.call("POST", "/api/v1/verify/%d/outcome" % task, {"outcome": "出国"},
                            cookie=sc, csrf=sc_csrf)
        self.assertError(r, j, 403, "forbidden")
        for path in ["/api/v1/people", "/api/v1/summary", "/api/v1/runs",
                     "/api/v1/imports", "/api/v1/verify?full=1"]:
            r, j, _ = self.call("GET", path, cookie=sc)
            self.assertError(r, j, 403)
        # its 待办 holds only the commitments of its interviews (issue 17): none here
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=sc)
        self.assertEqual((r.status, j["tasks"]), (200, []), j)
        self.assertEqual(self.counts(), before)

        # the county confirms the child out of school: a case the school sees, read-only
        r, j, _ = self.call("POST", "/api/v1/verify/%d/outcome" % task,
                            {"outcome": "确认失学辍学", "by": self.person(TOWN), "reason": "厌学"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        case = int(db_value(self.db, "SELECT id FROM case_file WHERE task_id = %d" % task))
        base = "/api/v1/cases/%d" % case
        r, j, _ = self.call("GET", "/api/v1/cases?state=all", cookie=sc)
        self.assertEqual(r.status, 200, j)
        self.assertIn(case, [c["case_id"] for c in j["cases"]])
        r, j, _ = self.call("GET", base, cookie=sc)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({k for k, v in j["may"].items() if v}, set())
        full_id = db_value(self.db, "SELECT r.id_number FROM case_file c JOIN record r"
                                    " ON r.id = c.record_id WHERE c.id = %d" % case)
        if full_id and full_id != "None":
            self.assertNotIn(full_id, j["text"])
        attempt = {"method": "家访", "people": "班主任", "result": "未同意返校"}
        for method, path, body in [("GET", base + "?full=1", None),
                                   ("POST", base + "/attempts", attempt),
                                   ("POST", base + "/follow-ups", {"in_school": True, "by": "1"}),
                                   ("POST", base + "/escalate", {"step": "宣传教育", "authority": "x"}),
                                   ("POST", base + "/resolve", {"outcome": "复学"}),
                                   ("POST", base + "/assign", {"teacher": "1"}),
                                   ("POST", base + "/notice", {"kind": "return"})]:
            r, j, _ = self.call(method, path, body, cookie=sc, csrf=sc_csrf)
            self.assertError(r, j, 403, "forbidden")
        # a teacher of the school paired with the child: the school records its visits
        r, j, _ = self.call("POST", "/api/v1/people", {"name": "结对王老师", "org": school,
                                                       "org_kind": "学校", "role": "班主任"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 201, j)
        teacher = str(j["id"])
        r, j, _ = self.call("POST", base + "/assign", {"teacher": teacher, "reason": "结对帮扶"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(self.may("school1", "cases", case), {"attempt", "attach"})
        n = self.counts()["attempt"]
        r, j, _ = self.call("POST", base + "/attempts", attempt, cookie=sc, csrf=sc_csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(self.counts()["attempt"], n + 1)
        self.assertEqual(db_value(self.db, "SELECT recorded_by FROM attempt WHERE case_id = %d"
                                           " ORDER BY id DESC LIMIT 1" % case), "school1")
        # returned to the school: it records the follow-ups
        r, j, _ = self.call("POST", base + "/resolve", {"outcome": "复学", "school": school,
                                                        "grade": "五年级"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(self.may("school1", "cases", case), {"attempt", "follow-up", "attach"})
        r, j, _ = self.call("POST", base + "/follow-ups", {"in_school": True, "by": teacher},
                            cookie=sc, csrf=sc_csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIn("回访", j["message"])
        r, j, _ = self.call("POST", base + "/close", {"reason": "x"},
                            cookie=sc, csrf=sc_csrf)
        self.assertError(r, j, 403, "forbidden")
        # another school's or no school's case does not exist for it
        tied = self.tied_cases(code, school)
        self.assertEqual(tied & {case}, {case})
        other_case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE id NOT IN (%s)"
                                           % ",".join(map(str, tied))))
        for method, path, body in [("GET", "/api/v1/cases/%d" % other_case, None),
                                   ("POST", "/api/v1/cases/%d/attempts" % other_case, attempt),
                                   ("POST", "/api/v1/cases/%d/follow-ups" % other_case,
                                    {"in_school": True, "by": teacher}),
                                   ("POST", "/api/v1/cases/%d/notice" % other_case, {"kind": "return"})]:
            r, j, _ = self.call(method, path, body, cookie=sc, csrf=sc_csrf)
            self.assertError(r, j, 404, "not_found")
        r, j, _ = self.call("GET", "/api/v1/cases?state=all", cookie=sc)
        self.assertLessEqual({c["case_id"] for c in j["cases"]}, self.tied_cases(code, school))

    def test_contact_for_the_people_assigned(self):
        """Issue 14: the accounts of the people assigned to a task or case now (the account linked
        to its person of the registry) read the guardian's phone and the home address, each read
        audited; no one else: not the township's other accounts, not the school's unpaired
        account, the county only with full=1, the supervisor and another township never."""
        task, code, school = self.school_task()
        phone, address = db_rows(self.db, "SELECT r.phone, r.address FROM verify_task v"
                                          " JOIN record r ON r.id = v.record_id WHERE v.id = %d" % task)[0]
        self.assertTrue(phone and address)
        path = "/api/v1/verify/%d" % task
        county, county_csrf = self.login("county")
        # the township's 包保干部 of this task, and an account of the same township for it
        r, j, _ = self.call("POST", "/api/v1/people", {"name": "包保李干部", "org": "龙港镇人民政府",
                                                       "org_kind": "乡镇", "role": "包保干部",
                                                       "township": TOWN},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 201, j)
        cadre = str(j["id"])
        r, j, _ = self.call("POST", path + "/assign", {"township": cadre, "reason": "包村"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        self.user_add("tz-cadre", "--role", "township", "--township", TOWN)

        def reads(who, url=path, target="task:%d" % task):
            before = self.audit(action="read_full", target=target)
            cookie, _ = self.login(who)
            r, j, _ = self.call("GET", url, cookie=cookie)
            self.assertEqual(r.status, 200, (who, j))
            after = self.audit(action="read_full", target=target)
            return j, len(after) - len(before), after

        def masked(who, j, audited):
            self.assertEqual(j["child"]["phone"], phone[:3] + "****" + phone[-4:], who)
            self.assertIsNone(j["child"]["address"], who)
            self.assertFalse(j["child"]["contact"], who)
            self.assertEqual(audited, 0, who)

        # not linked to the person assigned: masked, whatever the township
        for who in ("tz-cadre", "tz", "county", "sup"):
            masked(who, *reads(who)[:2])
        p = subprocess.run([BIN, "user", "--db", self.db, "person", "tz-cadre", cadre], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        j, audited, rows = reads("tz-cadre")
        self.assertEqual((j["child"]["phone"], j["child"]["address"], j["child"]["contact"]),
                         (phone, address, True))
        self.assertEqual(audited, 1)
        self.assertEqual(rows[0]["actor"], "tz-cadre")
        self.assertIn("电话", rows[0]["detail"])
        # the ID stays masked: the phone is not the ID
        self.assertNotRegex(j["child"]["id_number"] or "", r"^\d{17}[\dX]$")
        # the township's other account still reads it masked; another township not at all
        masked("tz", *reads("tz")[:2])
        cookie, _ = self.login("tz2")
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertError(r, j, 404, "not_found")
        # reassigned to someone else: the cadre reads it masked again
        r, j, _ = self.call("POST", "/api/v1/people", {"name": "包保赵干部", "org": "龙港镇人民政府",
                                                       "org_kind": "乡镇", "role": "包保干部",
                                                       "township": TOWN},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 201, j)
        r, j, _ = self.call("POST", path + "/assign", {"township": str(j["id"]), "reason": "调岗"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        masked("tz-cadre", *reads("tz-cadre")[:2])
        # a case: the school's account of the teacher paired with the child reads it
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        cpath = "/api/v1/cases/%d" % case
        phone, address = db_rows(self.db, "SELECT r.phone, r.address FROM case_file c"
                                          " JOIN record r ON r.id = c.record_id WHERE c.id = %d" % case)[0]
        r, j, _ = self.call("POST", "/api/v1/people", {"name": "结对钱老师", "org": school,
                                                       "org_kind": "学校", "role": "班主任"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 201, j)
        teacher = str(j["id"])
        r, j, _ = self.call("POST", cpath + "/assign", {"teacher": teacher, "reason": "结对帮扶"},
                            cookie=county, csrf=county_csrf)
        self.assertEqual(r.status, 200, j)
        self.user_add("school-contact", "--role", "school", "--school", code, "--person", teacher)
        j, audited, _ = reads("school-contact", cpath, "case:%d" % case)
        self.assertEqual((j["child"]["phone"], j["child"]["address"], j["child"]["contact"]),
                         (phone, address, True))
        self.assertEqual(audited, 1)
        for who in ("tz", "county", "sup"):
            j, audited, _ = reads(who, cpath, "case:%d" % case)
            self.assertNotEqual(j["child"]["phone"], phone, who)
            self.assertIsNone(j["child"]["address"], who)
            self.assertEqual(audited, 0, who)

    def may(self, who, what, id_):
        """What `who` may do to a task (verify) or case, by the answer's `may`."""
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", "/api/v1/%s/%d" % (what, id_), cookie=cookie)
        self.assertEqual(r.status, 200, (who, j))
        return {k for k, v in j["may"].items() if v}

    def test_may_is_what_the_api_takes(self):
        """Issue 14: a task's or case's `may` names each action of its object the account may
        take — the server's own checks, so a screen offers exactly the forms that would pass."""
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'" % TOWN))
        task = self.open_task(TOWN)
        self.assertEqual(self.may("county", "cases", case),
                         {"assign", "attempt", "escalate", "resolve", "follow-up", "close", "reopen",
                          "notice", "attach"})
        self.assertEqual(self.may("tz", "cases", case),
                         {"assign", "attempt", "escalate", "resolve", "follow-up", "reopen", "notice",
                          "attach"})
        self.assertEqual(self.may("sup", "cases", case), set())
        self.assertEqual(self.may("tz", "verify", task), {"record", "assign", "attach"})
        self.assertEqual(self.may("sup", "verify", task), set())

    def tied_cases(self, code, school):
        return {int(r[0]) for r in db_rows(
            self.db, "SELECT c.id FROM case_file c WHERE c.outcome_school = '%s'"
                     " OR EXISTS (SELECT 1 FROM child_status cs JOIN record sr ON sr.id = cs.school_record"
                     "  WHERE cs.run_id = c.run_id AND cs.record_id = c.record_id AND sr.school_code = '%s')"
                     " OR EXISTS (SELECT 1 FROM assignment a JOIN person p ON p.id = a.person_id"
                     "  WHERE a.case_id = c.id AND a.role = 'teacher' AND p.org = '%s')"
                     % (school, code, school))}

    def test_department_account(self):
        # issue 11: a department reads what its duty needs, not the county's casework. The
        # police: the 户籍问题 outcomes (the demo records four), masked and without the story;
        # the children of the lists it uploaded (here the county imported the register: none)
        self.user_add("dept1", "--role", "department", "--department", "县公安局")
        cookie, csrf = self.login("dept1")
        case = int(db_value(self.db, "SELECT min(id) FROM case_file"))
        reg = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE outcome = 'registration'"))
        task = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE outcome IS NULL"
                                     " OR outcome <> 'registration'"))
        before = self.counts()
        r, j, _ = self.call("GET", "/api/v1/verify", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        regs = [int(r[0]) for r in db_rows(self.db, "SELECT id FROM verify_task"
                                                     " WHERE outcome = 'registration' ORDER BY id")]
        self.assertEqual(len(regs), 4)
        self.assertEqual(sorted(t["task_id"] for t in j["tasks"]), regs)
        self.assertTrue(all(t["outcome"].startswith("户籍问题") for t in j["tasks"]), j["tasks"])
        self.assertTrue(all("*" in t["id_number"] or not t["id_number"] for t in j["tasks"]))
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % reg, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["need_to_know"])
        self.assertEqual(j["outcome"]["subkind_label"], "空挂户")
        self.assertIn("户籍在本村", j["outcome"]["note"])
        for story in ("timeline", "assignees", "choices"):
            self.assertNotIn(story, j)
        self.assertNotIn("phone", j["child"])
        self.assertIn("*", j["child"]["id_number"])
        self.assertIn("户籍问题：空挂户", j["text"])
        # nothing else: no case, no other task, no full IDs, nothing to change
        for method, path, body, status in [
            ("GET", "/api/v1/cases?state=all", None, 403),
            ("GET", "/api/v1/cases/%d" % case, None, 404),
            ("POST", "/api/v1/cases/%d/attempts" % case, {"method": "家访", "people": "x", "result": "x"}, 404),
            ("POST", "/api/v1/cases/%d/follow-ups" % case, {"in_school": True, "by": "1"}, 404),
            ("POST", "/api/v1/cases/%d/close" % case, {"reason": "x"}, 403),
            ("POST", "/api/v1/cases/%d/notice" % case, {"kind": "return"}, 404),
            ("GET", "/api/v1/verify/%d" % task, None, 404),
            ("GET", "/api/v1/verify/%d?full=1" % reg, None, 403),
            ("POST", "/api/v1/verify/%d/outcome" % reg, {"outcome": "出国"}, 403),
            ("GET", "/api/v1/verify?full=1", None, 403),
            ("GET", "/api/v1/summary", None, 403),
            ("GET", "/api/v1/people", None, 403),
            ("POST", "/api/v1/runs", {}, 403),
            ("GET", "/api/v1/runs", None, 403),
            ("GET", "/api/v1/audit", None, 403),
            ("POST", "/api/v1/imports/1/accept", {}, 403),
        ]:
            r, j, _ = self.call(method, path, body, cookie=cookie, csrf=csrf)
            self.assertError(r, j, status)
        # its 待办 holds only the joint meetings' decisions it owns (issue 17)
        r, j, _ = self.call("GET", "/api/v1/tasks", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({t["object"] for t in j["tasks"]}, {"decision"}, j)
        # the children of its lists: the county imported this register, so none
        r, j, _ = self.call("GET", "/api/v1/children?status=all", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual((j["items"], j["total"]), ([], 0))
        child = int(db_value(self.db, "SELECT min(record_id) FROM child_status"))
        for path, status in [("/api/v1/children/%d" % child, 404),
                             ("/api/v1/children/%d/casework" % child, 403),
                             ("/api/v1/children/%d/links" % child, 403)]:
            r, j, _ = self.call("GET", path, cookie=cookie)
            self.assertError(r, j, status)
        # a department whose duty needs no casework (民政, no kinds yet) reads no task at all
        self.user_add("dept2", "--role", "department", "--department", "民政")
        c2, _ = self.login("dept2")
        r, j, _ = self.call("GET", "/api/v1/verify", cookie=c2)
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % reg, cookie=c2)
        self.assertError(r, j, 404, "not_found")
        self.assertEqual(self.counts(), before)
        # its uploads: none yet (test_jobs and test_duties upload)
        r, j, _ = self.call("GET", "/api/v1/imports", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["items"], [])

    def test_departments_over_every_route(self):
        # every operation of the OpenAPI document, as the police and as 民政: only the routes a
        # department's duty needs answer 2xx, and what they answer is within its reach
        self.user_add("dept3", "--role", "department", "--department", "公安")
        self.user_add("dept4", "--role", "department", "--department", "民政局")
        reg = int(db_value(self.db, "SELECT min(id) FROM verify_task WHERE outcome = 'registration'"))
        names = {r[0] for r in db_rows(self.db, "SELECT name FROM record WHERE name IS NOT NULL"
                                                " AND name <> ''")}
        reg_names = {r[0] for r in db_rows(self.db, "SELECT r.name FROM verify_task v JOIN record r"
                                                    " ON r.id = v.record_id"
                                                    " WHERE v.outcome = 'registration'")}
        # 民政 reads the children of its own priority groups (issue 15), masked
        civil = {r[0] for r in db_rows(self.db, "SELECT r.name FROM group_member gm JOIN record r"
                                               " ON r.id = gm.record_id WHERE gm.run_id ="
                                               " (SELECT max(id) FROM match_run) AND gm.grp IN"
                                               " ('dibao', 'tekun', 'orphan', 'de_facto', 'left_behind')")}
        # (the people of the registry are no children: a name like 黄薇龙 holds a child's 黄薇)
        people = sorted((r[0] for r in db_rows(self.db, "SELECT name FROM person")), key=len,
                        reverse=True)
        readable = {"/healthz", "/api/v1/openapi.json", "/api/v1/session", "/api/v1/settings",
                    "/api/v1/vocab",
                    # the login page's counties (public: a county's server lists none)
                    "/api/v1/counties",
                    "/api/v1/imports", "/api/v1/jobs", "/api/v1/children",
                    "/api/v1/children/filters",
                    # issue 17: its 待办 and the joint meetings' decisions it owns
                    "/api/v1/tasks", "/api/v1/meetings", "/api/v1/decisions"}
        before = self.counts()
        tried = 0
        for account, police in (("dept3", True), ("dept4", False)):
            cookie, csrf = self.login(account)
            ops = self.operations() + [("GET", "/api/v1/verify/%d" % reg, {})]
            for method, path, op in ops:
                if method == "DELETE" or (method == "POST" and path == "/api/v1/session"):
                    continue  # signing out or in is every account's
                r, j, data = self.call(method, path, {} if method != "GET" else None,
                                       cookie=cookie, csrf=csrf)
                tried += 1
                bare = path.split("?")[0]
                ok = bare in readable and method == "GET"
                ok = ok or (police and method == "GET" and bare in (
                    "/api/v1/verify", "/api/v1/verify/%d" % reg))
                if ok:
                    self.assertEqual(r.status, 200, (account, method, path, j))
                else:
                    self.assertIn(r.status, (400, 403, 404), (account, method, path, data[:200]))
                    continue
                # what it reads: no child's name but the 户籍问题 children's, no full ID
                text = data.decode("utf-8")
                for p in people + ([] if police else sorted(civil, key=len, reverse=True)):
                    text = text.replace(p, "")
                leaked = {n for n in names if n in text and len(n) >= 2} - reg_names
                self.assertFalse(leaked, (account, path, sorted(leaked)[:5]))
        self.assertGreater(tried, 2 * 40)
        self.assertEqual(self.counts(), before)

    # -- abuse, over every route the OpenAPI document names -------------------------------------
    def operations(self):
        """(method, path with real ids, operation) for every operation of the OpenAPI document."""
        r, doc, _ = self.call("GET", "/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        ids = {"/api/v1/verify/": self.open_task(TOWN),
               "/api/v1/cases/": int(db_value(self.db, "SELECT min(id) FROM case_file")),
               "/api/v1/people/": int(self.person(TOWN)),
               "/api/v1/children/": int(db_value(self.db, "SELECT min(record_id) FROM child_status")),
               "/api/v1/jobs/": 1}
        out = []
        for path, item in doc["paths"].items():
            real = path
            for prefix, v in ids.items():
                real = real.replace(prefix + "{id}", prefix + str(v))
            real = real.replace("{name}", "children").replace("{key}", "casework_verify_days")
            for method, op in item.items():
                out.append((method.upper(), real, op))
        return out

    def test_sql_injection_in_every_filter_of_every_route(self):
        # every query parameter of every GET in the OpenAPI document, every injection string:
        # an answer in the one error shape or an empty list, never a server error, nothing
        # changed, and no row matched by a text filter
        cookie, _ = self.login("admin")
        before = self.counts()
        records = int(db_value(self.db, "SELECT count(*) FROM record"))
        tried = 0
        for method, path, op in self.operations():
            if method != "GET":
                continue
            params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
            for name in params:
                for inj in INJECTIONS:
                    url = path + ("&" if "?" in path else "?") + name + "=" + urllib.parse.quote(inj)
                    r, j, data = self.call("GET", url, cookie=cookie)
                    tried += 1
                    self.assertLess(r.status, 500, (url, data[:300]))
                    if r.status >= 400:
                        self.assertError(r, j, r.status)
                    elif j is not None and name in ("township", "q", "person", "actor", "action",
                                                    "target"):
                        # a text filter no row has: nothing matched (the summary's totals row
                        # stays, with zero)
                        self.assertEqual(j.get("total", 0), 0, url)
                        for k, v in j.items():
                            # rows only: the notes under a table are not rows
                            # (the dashboard's groups: every priority group with its count)
                            if isinstance(v, list) and k not in ("townships", "notes", "groups"):
                                self.assertEqual(v, [], (url, k))
            # and in the path
            if "{" not in path and path.rstrip("/").split("/")[-1].isdigit():
                for inj in INJECTIONS:
                    url = path.rsplit("/", 1)[0] + "/" + urllib.parse.quote(inj, safe="")
                    r, j, _ = self.call("GET", url, cookie=cookie)
                    self.assertIn(r.status, (400, 404), url)
        self.assertGreater(tried, 150)
        # no GET writes anything (issuing a notice, which records an event, is a POST)
        after = self.counts()
        self.assertEqual(after, before)
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM record")), records)
        r, j, _ = self.call("GET", "/healthz")
        self.assertEqual(r.status, 200)

    def test_csrf_on_every_state_changing_route(self):
        # without the token, with a wrong one, and with another session's valid one: 403 before
        # anything is looked at or changed
        cookie, csrf = self.login("admin")
        _, other_csrf = self.login("county")
        before = self.counts()
        tried = 0
        for method, path, op in self.operations():
            if method in ("GET", "HEAD") or path == "/api/v1/session" and method == "POST":
                continue
            for token in (None, "0" * 64, csrf[:-1] + ("0" if csrf[-1] != "0" else "1"), other_csrf):
                r, j, _ = self.call(method, path, {}, cookie=cookie, csrf=token)
                self.assertError(r, j, 403, "csrf")
                tried += 1
        self.assertGreaterEqual(tried, 4 * 12)
        self.assertEqual(self.counts(), before)
        r, j, _ = self.call("GET", "/api/v1/session", cookie=cookie)
        self.assertEqual(r.status, 200)

    def test_unknown_ids(self):
        cookie, csrf = self.login("county")
        for method, path in [("GET", "/api/v1/cases/999999"), ("GET", "/api/v1/verify/999999"),
                             ("POST", "/api/v1/cases/999999/close"), ("GET", "/api/v1/cases/abc"),
                             ("PATCH", "/api/v1/people/999999"), ("GET", "/api/v1/reports/nothing"),
                             ("PUT", "/api/v1/settings/no_such_key")]:
            r, j, _ = self.call(method, path, {}, cookie=cookie, csrf=csrf)
            self.assertError(r, j, 404 if method != "PUT" else 403)
        cookie, csrf = self.login("admin")
        r, j, _ = self.call("PUT", "/api/v1/settings/no_such_key", {"value": "1"}, cookie=cookie,
                            csrf=csrf)
        self.assertError(r, j, 404, "not_found")

    def test_supervisor_reads_and_never_writes(self):
        case = int(db_value(self.db, "SELECT min(id) FROM case_file"))
        before = self.counts()
        cookie, csrf = self.login("sup2")
        for path in ["/api/v1/cases", "/api/v1/cases/%d" % case, "/api/v1/verify", "/api/v1/tasks",
                     "/api/v1/people", "/api/v1/reports/ledger-dropout?format=csv"]:
            r, j, data = self.call("GET", path, cookie=cookie)
            self.assertEqual(r.status, 200, (path, data[:200]))
        for method, path, body in [
            ("POST", "/api/v1/cases/%d/attempts" % case, {"method": "家访", "people": "x", "result": "x"}),
            ("POST", "/api/v1/cases/%d/reopen" % case, {"reason": "x"}),
            ("POST", "/api/v1/verify/%d/outcome" % self.open_task(OTHER), {"outcome": "出国"}),
            ("POST", "/api/v1/people", {"name": "孙某"}),
            ("PUT", "/api/v1/settings/casework_verify_days", {"value": "12"}),
            ("POST", "/api/v1/cases/%d/notice" % case, {"kind": "return"}),
            ("GET", "/api/v1/reports/out-of-school?full=1", None),
        ]:
            r, j, _ = self.call(method, path, body, cookie=cookie, csrf=csrf)
            self.assertError(r, j, 403, "forbidden")
        self.assertEqual(self.counts(), before)
        self.assertNoTempFiles()

    def test_missing_csrf_writes_nothing(self):
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'"
                                     % TOWN))
        before = self.counts()
        cookie, _ = self.login("tz")
        r, j, _ = self.call("POST", "/api/v1/cases/%d/attempts" % case,
                            {"method": "家访", "people": "x", "result": "x"}, cookie=cookie)
        self.assertError(r, j, 403, "csrf")
        r, j, _ = self.call("POST", "/api/v1/cases/%d/attempts" % case,
                            {"method": "家访", "people": "x", "result": "x"}, cookie=cookie,
                            csrf="0" * 64)
        self.assertError(r, j, 403, "csrf")
        self.assertEqual(self.counts(), before)

    def test_bad_input_is_400_in_chinese_and_writes_nothing(self):
        case = int(db_value(self.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'"
                                     " AND state = 'open'" % TOWN))
        task = self.open_task(TOWN)
        before = self.counts()
        for path, body, needle, field in [
            ("/api/v1/cases/%d/attempts" % case, {"method": "吃饭", "people": "x", "result": "x"},
             "劝返方式", "method"),
            ("/api/v1/cases/%d/attempts" % case, {"method": "家访", "colour": "red"}, "不接受",
             "colour"),
            ("/api/v1/cases/%d/attempts" % case, {"method": ["家访"]}, "文字或数字", "method"),
            ("/api/v1/cases/%d/escalate" % case, {"step": "申请强制执行", "authority": "法院"}, None,
             "step"),
            ("/api/v1/verify/%d/outcome" % task, {"outcome": "在家玩", "by": self.person(TOWN)},
             "不是有效的核查结论", "outcome"),
            ("/api/v1/verify/%d/outcome" % task, {"outcome": "出国", "by": "无名氏"}, "人员名册中没有",
             "by"),
        ]:
            r, j, _ = self.post(path, body)
            self.assertError(r, j, 400, "invalid_request")
            if needle:
                self.assertIn(needle, j["error"]["message"])
            self.assertEqual(j["error"].get("field"), field, j)
        r, j, _ = self.post("/api/v1/cases/%d/attempts" % case, b"{", who="tz")
        self.assertError(r, j, 400, "invalid_json")
        self.assertEqual(self.counts(), before)

    # -- people, settings -----------------------------------------------------------------------
    def test_people(self):
        r, j, _ = self.post("/api/v1/people", {"name": "孙接口", "org": "龙港镇人民政府",
                                               "role": "包保干部", "township": TOWN,
                                               "phone": "13900009999"}, who="county")
        self.assertEqual(r.status, 201, j)
        pid = j["id"]
        cookie, csrf = self.login("county")
        r, j, _ = self.call("PATCH", "/api/v1/people/%d" % pid, {"phone": "13900008888"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/people?township=" + TOWN, cookie=cookie)
        row = next(p for p in j["people"] if p["id"] == pid)
        self.assertEqual(row["phone"], "139****8888")
        r, j, _ = self.post("/api/v1/people", {"name": "孙某"}, who="tz")
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.post("/api/v1/people", {"org": "某校", "role": "校长"}, who="county")
        self.assertError(r, j, 400, "invalid_request")

    def test_audit_origin_says_api_and_ip(self):
        # a write over the API: the library's own audit record says where it came from
        r, j, _ = self.post("/api/v1/people", {"name": "孙来源", "org": "龙港镇人民政府",
                                               "role": "包保干部", "township": TOWN}, who="county")
        self.assertEqual(r.status, 201, j)
        api_target = "person:%d" % j["id"]
        rows = self.audit(action="person_add", target=api_target)
        self.assertEqual([(x["actor"], x["origin"]) for x in rows], [("county", "api 127.0.0.1")])
        # the same write at the command line says cli
        p = subprocess.run([BIN, "people", "--db", self.db, "add", "--name", "孙命令行",
                            "--org", "龙港镇人民政府", "--role", "包保干部", "--township", TOWN],
                           env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        cli_id = int(db_value(self.db, "SELECT max(id) FROM person WHERE name = '孙命令行'"))
        rows = self.audit(action="person_add", target="person:%d" % cli_id)
        self.assertEqual([x["origin"] for x in rows], ["cli"])
        # a login too
        rows = self.audit(action="login", actor="county")
        self.assertTrue(rows)
        self.assertTrue(all(x["origin"] == "api 127.0.0.1" for x in rows))
        # and baoxue audit at the command line shows the same trail
        p = subprocess.run([BIN, "audit", "--db", self.db, "--action", "person_add", "--json",
                            "--per-page", "1000"], env=env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        items = {x["target"]: x for x in json.loads(p.stdout)["items"]}
        self.assertEqual(items[api_target]["origin"], "api 127.0.0.1")
        self.assertEqual(items["person:%d" % cli_id]["origin"], "cli")
        p = subprocess.run([BIN, "audit", "--db", self.db, "--target", api_target], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        # …read as the web's audit view reads it: origin, action and object in Chinese
        out = p.stdout.decode()
        self.assertIn("网页或接口（127.0.0.1）\t登记人员\t人员 %s" % api_target.split(":")[1], out)
        self.assertNotIn("person_add", out)
        self.assertNotIn(api_target, out)
        p = subprocess.run([BIN, "audit", "--db", self.db, "--page", "0"], env=env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 2)

    def audit(self, **filters):
        admin, _ = self.login("admin")
        q = "&".join("%s=%s" % (k, urllib.parse.quote(v)) for k, v in filters.items())
        r, j, _ = self.call("GET", "/api/v1/audit?per_page=500&" + q, cookie=admin)
        self.assertEqual(r.status, 200, j)
        return j["items"]

    def test_settings(self):
        cookie, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/settings", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertIn("casework_verify_days", {s["key"] for s in j["settings"]})
        r, j, _ = self.post("/api/v1/settings/casework_verify_days", {"value": "12"}, who="county")
        self.assertError(r, j, 405)
        cookie, csrf = self.login("county")
        r, j, _ = self.call("PUT", "/api/v1/settings/casework_verify_days", {"value": "12"},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 403, "forbidden")
        cookie, csrf = self.login("admin")
        r, j, _ = self.call("PUT", "/api/v1/settings/casework_verify_days", {"value": "abc"},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 400, "invalid_request")
        r, j, _ = self.call("PUT", "/api/v1/settings/casework_verify_days", {"value": 12},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(db_value(self.db, "SELECT value FROM setting WHERE key ="
                                           " 'casework_verify_days'"), "12")
        r, j, _ = self.call("PUT", "/api/v1/settings/casework_verify_days", {"value": None},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIsNone(db_value(self.db, "SELECT value FROM setting WHERE key ="
                                            " 'casework_verify_days'"))

    # -- reports ----------------------------------------------------------------------------------
    def test_report_downloads(self):
        titles = {"out-of-school": "失学辍学儿童名单", "summary": "各乡镇状态汇总",
                  "children": "儿童状态清单", "ledger-school-age": "适龄儿童台账",
                  "ledger-suspected": "疑似失学辍学台账", "ledger-dropout": "失学辍学台账",
                  "monthly": "控辍保学工作月报", "unregistered-pupils": "有学籍无户籍学生核查名单",
                  "registration-feedback": "户籍核查反馈表"}
        types = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        cookie, _ = self.login("county")
        for name, title in titles.items():
            for fmt, ctype in types.items():
                r, _, data = self.call("GET", "/api/v1/reports/%s?format=%s" % (name, fmt),
                                       cookie=cookie)
                self.assertEqual(r.status, 200, (name, fmt, data[:300]))
                self.assertEqual(r.getheader("Content-Type"), ctype)
                cd = r.getheader("Content-Disposition")
                self.assertTrue(cd.startswith('attachment; filename="%s.%s"' % (name, fmt)), cd)
                self.assertEqual(disposition_name(cd), "%s.%s" % (title, fmt))
                if fmt == "csv":
                    self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
                elif fmt == "xlsx":
                    self.assertTrue(data.startswith(b"PK\x03\x04"))
                else:
                    json.loads(data)
        self.assertNoTempFiles()
        # masked unless asked, and asking is audited
        idn = db_value(self.db, "SELECT r.id_number FROM case_file c JOIN record r"
                                " ON r.id = c.record_id ORDER BY c.id LIMIT 1")
        r, _, data = self.call("GET", "/api/v1/reports/ledger-dropout?format=csv", cookie=cookie)
        self.assertNotIn(idn.encode(), data)
        audits = int(db_value(self.db, "SELECT count(*) FROM audit WHERE action = 'export_full'"))
        r, _, data = self.call("GET", "/api/v1/reports/ledger-dropout?format=csv&full=1",
                               cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertIn(idn.encode(), data)
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM audit"
                                               " WHERE action = 'export_full'")), audits + 1)
        # a township's own reports; bad parameters
        cookie, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/reports/children?format=json", cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual({c["township"] for c in j["children"]} - {""},
                         {db_value(self.db, "SELECT township FROM case_file WHERE township_code"
                                            " = '%s' LIMIT 1" % TOWN)})
        other = db_value(self.db, "SELECT township FROM verify_task WHERE township_code = '%s'"
                                  " LIMIT 1" % OTHER)
        for name in titles:
            r, _, data = self.call("GET", "/api/v1/reports/%s?format=json" % name, cookie=cookie)
            self.assertEqual(r.status, 200, (name, data[:300]))
            self.assertNotIn(other, data.decode("utf-8"), name)
        for q in ["format=pdf", "format=table", "status=happy", "full=1"]:
            r, j, _ = self.call("GET", "/api/v1/reports/children?" + q, cookie=cookie)
            self.assertError(r, j, 403 if q == "full=1" else 400)


class LaterServer:
    """Calls to a second server (another today), asserting with the first test."""

    def __init__(self, test, port):
        self.test, self.port = test, port

    def call(self, *args, **kw):
        return http_call(self.port, *args, **kw)

    def login(self, name, password=PASSWORD):
        r, j, _ = self.call("POST", "/api/v1/session", {"username": name, "password": password})
        self.test.assertEqual(r.status, 200, j)
        return r.getheader("Set-Cookie").split(";")[0], j["csrf_token"]


if __name__ == "__main__":
    unittest.main()
