"""Background jobs over the API, black box: uploads (multipart built by hand) streamed to disk
and imported by a job, cross-checks started as jobs, polled at /api/v1/jobs/{id}; failures,
permissions, and a restart that finds a job still marked running.

A fresh database of a few children (SQLite file, or a PostgreSQL schema when BAOXUE_TEST_PG is
set), a server on a free port with its own data directory.
"""

import datetime
import json
import os
import socket
import subprocess
import shutil
import tempfile
import time
import unittest

from harness import (JOB_CHILDREN, http_call, SLOW, Api, csv_text, db_execute, db_scalar, drain, enrollment_csv,
                     init_county, make_id, multipart, new_db, population_csv, start_server,
                     stop_drained, stop_server)

# long enough to read that progress is reported several times (every 0.25 s), on either
# store: the PostgreSQL store now copies rows as fast as SQLite inserts them, and 30,000 rows
# were read in under 0.25 s on CI
N_LARGE = 100000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂文华建国红玉"



def http_job_state(port, session, jid):
    r, j, _ = http_call(port, "GET", "/api/v1/jobs/%d" % jid, cookie=session[0])
    assert r.status == 200, j
    return j["state"]


class JobsTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-jobs-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        for name, args in [("admin", ["--role", "admin"]), ("county", ["--role", "county"]),
                           ("tz", ["--role", "township", "--township", "140521100"])]:
            cls.user_add(name, *args)
        cls.data = os.path.join(cls.dir, "data")
        os.makedirs(cls.data)
        cls.proc, cls.port = start_server(cls.db, "--data-dir", cls.data, "--max-body", "65536")
        # the access log read as it comes: the progress test polls hundreds of times
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    def upload(self, session, fields, files, csrf=True):
        cookie, token = session
        body, ctype = multipart(fields, files)
        return self.call("POST", "/api/v1/imports", body, cookie=cookie, csrf=token if csrf else None,
                         headers={"Content-Type": ctype})

    def import_ok(self, session, kind, filename, data, confirm_shrink=False):
        fields = {"kind": kind}
        if confirm_shrink:
            fields["confirm_shrink"] = "1"
        r, j, _ = self.upload(session, fields, [("file", filename, data)])
        self.assertEqual(r.status, 202, j)
        self.assertIn(j["state"], ("queued", "running", "done"))
        self.assertEqual(j["kind"], "import")
        done = self.wait_job(session, j["id"])
        self.assertEqual(done["state"], "done", done)
        return done

    def test_upload_import_match_children(self):
        s = self.login("county")
        # (another test of the class may have imported a larger register: the shrink is meant)
        pop = self.import_ok(s, "population", "户籍.csv", population_csv(), confirm_shrink=True)
        self.assertEqual(pop["result"]["rows_imported"], len(JOB_CHILDREN))
        self.assertEqual(pop["result"]["file_name"], "户籍.csv")
        self.assertEqual(pop["progress"], 1)
        enr = self.import_ok(s, "enrollment", "学籍.csv", enrollment_csv(), confirm_shrink=True)
        self.assertEqual(enr["result"]["rows_imported"], 2)
        # the temporary files are gone once imported
        self.assertEqual(os.listdir(os.path.join(self.data, "uploads")), [])

        r, j, _ = self.call("GET", "/api/v1/imports", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        names = [b["file_name"] for b in j["items"]]
        self.assertIn("户籍.csv", names)
        self.assertIn("学籍.csv", names)

        r, j, _ = self.call("POST", "/api/v1/runs", cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 202, j)
        self.assertEqual(j["kind"], "match")
        run = self.wait_job(s, j["id"])
        self.assertEqual(run["state"], "done", run)
        self.assertEqual(run["result"]["out_of_school"], 2)
        run_id = run["result"]["run_id"]

        r, j, _ = self.call("GET", "/api/v1/runs", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["items"][0]["id"], run_id)
        self.assertEqual(j["items"][0]["counts"]["not_enrolled"], 2)

        r, j, _ = self.call("GET", "/api/v1/children?status=not_enrolled", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(sorted(c["name"] for c in j["items"]), sorted(["未入学", "八月末"]))

        # the job threads' audit records say the request that started the job came over the API
        admin = self.login("admin")[0]
        for action in ("import", "match", "casework"):
            r, j, _ = self.call("GET", "/api/v1/audit?action=" + action, cookie=admin)
            self.assertTrue(j["items"], action)
            self.assertEqual({x["origin"] for x in j["items"]}, {"api 127.0.0.1"}, action)
            self.assertIn("county", {x["actor"] for x in j["items"]}, action)
        # a reload: a new session of the same account still sees the job, in the list too
        s2 = self.login("county")
        r, j, _ = self.call("GET", "/api/v1/jobs/%d" % run["id"], cookie=s2[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["state"], "done")
        r, j, _ = self.call("GET", "/api/v1/jobs", cookie=s2[0])
        self.assertIn(run["id"], [x["id"] for x in j["items"]])
        # admin sees it; a township account does not (someone else's job does not exist)
        r, j, _ = self.call("GET", "/api/v1/jobs/%d" % run["id"], cookie=self.login("admin")[0])
        self.assertEqual(r.status, 200, j)
        tz = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/jobs/%d" % run["id"], cookie=tz[0])
        self.assertError(r, j, 404, "not_found")
        r, j, _ = self.call("GET", "/api/v1/jobs", cookie=tz[0])
        self.assertEqual(j["items"], [])

    def test_progress_of_a_large_import_and_match(self):
        # a register large enough to take longer than a progress interval (0.25 s) to read:
        # the job reports the rows read as it goes, fractions only grow, and the end is 1
        s = self.login("admin")
        rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
        school = [["学校标识码", "学校名称", "年级", "姓名", "出生日期", "身份证件号", "学籍状态"]]
        # distinct people: an ID of its own each (a birth date per 1,000 children) and a name
        # of Chinese characters; otherwise the register repeats IDs and every pupil's record
        # goes to review, and the run opens a task for every child instead of one in 50
        for i in range(N_LARGE):
            birth = (datetime.date(2013, 9, 1) + datetime.timedelta(days=i // 1000)).strftime("%Y%m%d")
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i // len(SURNAMES) % len(GIVEN)] + \
                GIVEN[i // len(SURNAMES) // len(GIVEN) % len(GIVEN)]
            gender = "男" if i % 2 else "女"
            rows.append([name, gender, make_id(birth, i % 1000), birth, "郑庄镇", "正常"])
            if i % 50:  # a few out of school: the casework after the run stays short
                school.append(["2114052101", "沁水县实验小学", "三年级", name, birth,
                               make_id(birth, i % 1000), "在读"])
        r, j, _ = self.upload(s, {"kind": "population", "force": "1"},
                              [("file", "大名单.csv", csv_text(rows).encode("utf-8"))])
        self.assertEqual(r.status, 202, j)
        seen = self.poll_all(s, j["id"])
        self.assertEqual(seen[-1][0], "done", seen)
        reading = [(p, ph) for st, p, ph in seen if st == "running" and ph.startswith("读取第 ")]
        self.assertTrue(reading, "no row count among the phases: %r" % seen)
        self.assertTrue(all(0 < p < 1 for p, _ in reading), reading)
        self.assertRegex(reading[0][1], r"^读取第 \d+ 行$")
        fractions = [p for st, p, _ in seen if st == "running"]
        self.assertEqual(fractions, sorted(fractions), "progress went back")
        self.assertEqual(seen[-1][1], 1)
        # the cross-check's phases: at least the first, and in order
        r, j, _ = self.upload(s, {"kind": "enrollment", "force": "1"},
                              [("file", "大学籍.csv", csv_text(school).encode("utf-8"))])
        self.assertEqual(r.status, 202, j)
        self.assertEqual(self.poll_all(s, j["id"])[-1][0], "done")
        r, j, _ = self.call("POST", "/api/v1/runs", cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 202, j)
        seen = self.poll_all(s, j["id"])
        self.assertEqual(seen[-1][0], "done", seen)
        phases = [ph for st, _, ph in seen if st == "running"]
        order = ["正在比对", "读取户籍和学籍名单", "关联记录", "写入比对结果", "判定并写入", "提交比对结果",
                 "生成核查任务"]
        ranks = [next(i for i, o in enumerate(order) if ph.startswith(o)) for ph in phases]
        self.assertEqual(ranks, sorted(ranks), phases)
        self.assertTrue(any(ph.startswith("关联记录（%d 名儿童" % N_LARGE) or
                            ph.startswith("判定并写入") for ph in phases), phases)
        # the pupils were linked to their register records: one child in 50 is out of school
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM child_status WHERE status = "
                                   "'not_enrolled' AND run_id = (SELECT max(id) FROM match_run)"),
                         N_LARGE // 50)

    def poll_all(self, session, job_id, timeout=300):
        """Every distinct (state, progress, phase) the job shows, polled as fast as it answers."""
        seen = []
        deadline = time.time() + timeout * SLOW
        while True:
            r, j, _ = self.call("GET", "/api/v1/jobs/%d" % job_id, cookie=session[0])
            self.assertEqual(r.status, 200, j)
            now = (j["state"], j["progress"], j["phase"] if j["state"] != "failed" else j["error"])
            if not seen or seen[-1] != now:
                seen.append(now)
            if j["state"] in ("done", "failed"):
                return seen
            self.assertLess(time.time(), deadline, "job %d did not finish: %r" % (job_id, seen))
            time.sleep(0.025)

    def test_department_uploads_its_own_lists(self):
        self.user_add("dept", "--role", "department", "--department", "县公安局")
        d = self.login("dept")
        # the police upload the household register, and only that (issue 11)
        rows = [["姓名", "身份证号", "就读学校", "学校所在地区", "年级"],
                ["外出丙", make_id("20150707", 41), "太原市实验小学", "山西省太原市", "五年级"]]
        r, j, _ = self.upload(d, {"kind": "outside"},
                              [("file", "公安外出.csv", csv_text(rows).encode("utf-8"))])
        self.assertError(r, j, 403, "forbidden")
        self.assertIn("户籍", j["error"]["message"])
        r, j, _ = self.upload(d, {"kind": "population"},
                              [("file", "公安户籍.csv", population_csv())])
        self.assertEqual(r.status, 202, j)
        done = self.wait_job(d, j["id"])
        self.assertEqual(done["state"], "done", done)
        self.assertTrue(done["result"]["pending"], done)
        # its own uploads only, waiting for the county; the county sees them all
        r, j, _ = self.call("GET", "/api/v1/imports", cookie=d[0])
        self.assertEqual(r.status, 200, j)
        self.assertEqual([(b["file_name"], b["imported_by"], b["state"]) for b in j["items"]],
                         [("公安户籍.csv", "dept", "pending")])
        admin = self.login("admin")
        r, all_, _ = self.call("GET", "/api/v1/imports", cookie=admin[0])
        self.assertIn("公安户籍.csv", [b["file_name"] for b in all_["items"]])
        # (the county's decision on it is test_duties'; leave nothing pending behind)
        pending = next(b["id"] for b in all_["items"] if b["file_name"] == "公安户籍.csv")
        r, j, _ = self.call("POST", "/api/v1/imports/%d/reject" % pending, {"reason": "测试"},
                            cookie=admin[0], csrf=admin[1])
        self.assertEqual(r.status, 200, j)
        # its jobs, not the county's; no cross-check of its own
        r, j, _ = self.call("GET", "/api/v1/jobs", cookie=d[0])
        self.assertEqual({x["who"] for x in j["items"]}, {"dept"})
        r, j, _ = self.call("POST", "/api/v1/runs", cookie=d[0], csrf=d[1])
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("GET", "/api/v1/runs", cookie=d[0])
        self.assertError(r, j, 403, "forbidden")

    def test_malformed_multipart(self):
        s = self.login("admin")
        cookie, token = s
        for body, ctype in [
            (b"this is not multipart at all", "multipart/form-data; boundary=xyz"),
            (b"kind=population", "application/x-www-form-urlencoded"),
            (b"{}", "application/json"),
        ]:
            r, j, _ = self.call("POST", "/api/v1/imports", body, cookie=cookie, csrf=token,
                                headers={"Content-Type": ctype})
            self.assertError(r, j, 400, "invalid_request")
        # the end boundary missing
        body, ctype = multipart({"kind": "population"}, [("file", "a.csv", population_csv())])
        r, j, _ = self.call("POST", "/api/v1/imports", body[:-30], cookie=cookie, csrf=token,
                            headers={"Content-Type": ctype})
        self.assertError(r, j, 400, "invalid_request")
        # a missing part, an unknown kind
        r, j, _ = self.upload(s, {"kind": "population"}, [])
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("文件", j["error"]["message"])
        self.assertEqual(j["error"].get("field"), "file")
        r, j, _ = self.upload(s, {}, [("file", "a.csv", population_csv())])
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("名单类型", j["error"]["message"])
        self.assertEqual(j["error"].get("field"), "kind")
        r, j, _ = self.upload(s, {"kind": "students"}, [("file", "a.csv", population_csv())])
        self.assertError(r, j, 400, "invalid_request")
        self.assertIn("户籍、学籍或外出就读", j["error"]["message"])  # the kinds by their names
        self.assertEqual(os.listdir(os.path.join(self.data, "uploads"))
                         if os.path.isdir(os.path.join(self.data, "uploads")) else [], [])

    def test_failed_job_reports_in_chinese(self):
        s = self.login("admin")
        r, j, _ = self.upload(s, {"kind": "population"},
                              [("file", "坏表.xlsx", b"PK\x03\x04 this is not a workbook" * 4000)])
        self.assertEqual(r.status, 202, j)
        done = self.wait_job(s, j["id"])
        self.assertEqual(done["state"], "failed", done)
        self.assertRegex(done["error"], "[\u4e00-\u9fff]")
        # the file as the user named it, not where the server kept it
        self.assertIn("坏表.xlsx", done["error"])
        self.assertNotIn("up-", done["error"])
        self.assertNotIn(self.data, done["error"])
        self.assertIsNone(done["result"])

    def test_permissions_and_csrf(self):
        tz = self.login("tz")
        r, j, _ = self.upload(tz, {"kind": "population"}, [("file", "a.csv", population_csv())])
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("POST", "/api/v1/runs", cookie=tz[0], csrf=tz[1])
        self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.call("GET", "/api/v1/imports", cookie=tz[0])
        self.assertError(r, j, 403, "forbidden")
        s = self.login("county")
        r, j, _ = self.upload(s, {"kind": "population"}, [("file", "a.csv", population_csv())],
                              csrf=False)
        self.assertError(r, j, 403, "csrf")
        r, j, _ = self.call("POST", "/api/v1/imports", b"x")
        self.assertError(r, j, 401, "unauthenticated")

    def test_other_routes_keep_the_small_body_limit(self):
        # (the upload route takes more: test_failed_job_reports_in_chinese sends 120 KB)
        s = self.login("admin")
        c = self.conn()
        c.putrequest("POST", "/api/v1/runs")
        c.putheader("Cookie", s[0])
        c.putheader("X-CSRF-Token", s[1])
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(65536 * 4))
        c.endheaders()
        r = c.getresponse()
        j = json.loads(r.read())
        c.close()
        self.assertError(r, j, 413, "payload_too_large")

    def test_restart_marks_running_jobs_failed(self):
        # a job left running by a version before leases (no owner), and one whose server was a
        # process of this host that no longer exists: a starting server fails both at once,
        # saying that the run was not saved
        db_execute(self.db, "INSERT INTO job (kind, state, who, created_at, started_at, progress, phase)"
                            " VALUES ('match', 'running', 'county', 1, 1, 0.5, '正在比对')")
        legacy = db_scalar(self.db, "SELECT max(id) FROM job")
        dead = subprocess.Popen(["true"])
        dead.wait()
        db_execute(self.db, "INSERT INTO job (kind, state, who, created_at, started_at, progress, phase,"
                            " owner, lease_until) VALUES ('match', 'running', 'county', 1, 1, 0.5,"
                            " '正在比对', '%s:%d:1', 4000000000)" % (socket.gethostname(), dead.pid))
        killed = db_scalar(self.db, "SELECT max(id) FROM job")
        p, port = start_server(self.db, "--data-dir", self.data)
        try:
            for jid in (legacy, killed):
                self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM job WHERE id = %d AND state = 'failed'"
                                           " AND error = '处理该任务的服务器已停止，任务中断：本次比对未保存，请重新比对'"
                                           % jid), 1)
        finally:
            log = stop_server(p)
        # said by whichever server failed them: the new one at its start, or the class's server,
        # whose keeper looks at the others' jobs every 10 s (on a slow machine — the sanitizer
        # build — it can come first)
        said = log + b"".join(self.log_lines).decode("utf-8", "replace")
        self.assertIn("已标记为失败", said)

    def test_a_live_servers_job_is_left_alone(self):
        # a job of another server whose lease has not expired: a starting server leaves it
        db_execute(self.db, "INSERT INTO job (kind, state, who, created_at, started_at, progress, phase,"
                            " owner, lease_until) VALUES ('match', 'running', 'county', 1, 1, 0.5,"
                            " '正在比对', 'elsewhere:1:1', 4000000000)")
        jid = db_scalar(self.db, "SELECT max(id) FROM job")
        p, port = start_server(self.db, "--data-dir", self.data)
        try:
            s = self.login("county")
            self.assertEqual(http_job_state(port, s, jid), "running")
        finally:
            stop_server(p)
            db_execute(self.db, "UPDATE job SET state = 'failed' WHERE id = %d" % jid)

if __name__ == "__main__":
    unittest.main()
