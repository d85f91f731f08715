"""The endpoints the web UI added (issue 6), black box: the session's permissions, the scoped
dashboard, the children list's filters, sets, sort and its download of exactly what the list
shows, and one cross-check run with what changed since the run before it. The server runs on the
demo county of 2,000 children (a fresh PostgreSQL schema when BAOXUE_TEST_PG is set).
"""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import time
import urllib.parse

from harness import (BIN, INJECTIONS, OTHER, PASSWORD, TOWN, bad_check, csv_text, db_execute,
                     db_rows, demo_county, env, http_call, make_id, multipart, start_server,
                     stop_server, user_add)

SCHOOL = "2114052101"
SCHOOL_AGE = {"enrolled", "enrolled_elsewhere", "not_enrolled", "dropped_out", "suspended",
              "pending_review", "completed"}


def q(params):
    return urllib.parse.urlencode(params)


class WebApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-webapi-")
        cls.db = demo_county(cls.dir)
        cls.demo = os.path.join(cls.dir, "demo")  # the demo's files
        for name, args in [
            ("admin", ["--role", "admin"]),
            ("county", ["--role", "county"]),
            ("tz", ["--role", "township", "--township", TOWN]),
            ("school", ["--role", "school", "--school", SCHOOL]),
            ("dept", ["--role", "department", "--department", "公安局"]),
            ("sup", ["--role", "supervisor"]),
        ]:
            user_add(cls.db, name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.cookies = {}

    @classmethod
    def tearDownClass(cls):
        log = stop_server(cls.proc)
        shutil.rmtree(cls.dir, True)
        # a clean exit (under AddressSanitizer: no leak, no error)
        assert cls.proc.returncode == 0, "baoxue serve exited with %s:\n%s" % (cls.proc.returncode, log[-4000:])

    # -- HTTP ---------------------------------------------------------------------------------
    def call(self, method, path, user=None, body=None):
        """A request as `user` (its session made once), a body sent as JSON."""
        cookie, csrf = self.session(user) if user else (None, None)
        if body is not None:
            body = json.dumps(body).encode()
        return http_call(self.port, method, path, body, cookie, csrf,
                         {"Content-Type": "application/json"} if body is not None else None,
                         timeout=60)

    def session(self, user):
        if user not in self.cookies:
            r, j, _ = self.call("POST", "/api/v1/session", body={"username": user, "password": PASSWORD})
            assert r.status == 200, j
            self.cookies[user] = (r.getheader("Set-Cookie").split(";")[0], j["csrf_token"])
        return self.cookies[user]

    def get(self, path, user="county", status=200):
        r, j, data = self.call("GET", path, user)
        self.assertEqual(r.status, status, (path, j))
        return j if j is not None else data

    # -- the session ----------------------------------------------------------------------------
    def test_session_lists_permissions(self):
        perms = {u: set(self.get("/api/v1/session", u)["user"]["permissions"])
                 for u in ["admin", "county", "tz", "school", "dept", "sup"]}
        self.assertLessEqual({"summary", "children", "audit", "settings", "import", "full_id"},
                             perms["admin"])
        self.assertNotIn("audit", perms["county"])
        self.assertIn("import", perms["county"])
        self.assertIn("casework", perms["tz"])
        self.assertNotIn("import", perms["tz"])
        self.assertNotIn("full_id", perms["tz"])
        self.assertNotIn("summary", perms["school"])
        # the police (dept) read the children of their own lists and the 户籍问题 outcomes
        self.assertLessEqual({"children", "registration", "upload"}, perms["dept"])
        self.assertNotIn("child_file", perms["dept"])
        self.assertNotIn("casework", perms["dept"])
        self.assertNotIn("approve", perms["tz"])
        # issue 14: the task and case screens for the roles that read them with their story —
        # a school its pupils', not a department (the police read 户籍问题 outcomes only)
        for u in ["admin", "county", "tz", "school", "sup"]:
            self.assertLessEqual({"tasks_read", "cases_read"}, perms[u], u)
        self.assertFalse({"tasks_read", "cases_read"} & perms["dept"])
        self.assertIn("approve", perms["county"])
        # issue 17: 招生入学 — read by the county's roles, a township and a school; a school and
        # the county record applications; the county alone draws the 学区
        for u in ["admin", "county", "tz", "school", "sup"]:
            self.assertIn("entrants_read", perms[u], u)
        self.assertNotIn("entrants_read", perms["dept"])
        self.assertEqual({u for u in perms if "entrants_record" in perms[u]},
                         {"admin", "county", "school"})
        self.assertEqual({u for u in perms if "catchment_edit" in perms[u]}, {"admin", "county"})
        self.assertNotIn("write", perms["sup"])
        self.assertNotIn("full_id", perms["sup"])
        tz = self.get("/api/v1/session", "tz")["user"]
        self.assertEqual((tz["township"], tz["township_name"]), (TOWN, "龙港镇"))
        self.assertIsNone(self.get("/api/v1/session", "county")["user"]["township_name"])
        for p in perms.values():
            self.assertIn("session", p)
            self.assertNotIn("public", p)

    # -- the dashboard --------------------------------------------------------------------------
    def test_dashboard_county(self):
        d = self.get("/api/v1/dashboard")
        summary = self.get("/api/v1/summary")
        self.assertEqual(d["as_of"], summary["as_of"])
        towns = [t for t in summary["townships"] if t["township"] != "全县合计"]
        self.assertEqual([t["township_code"] for t in d["townships"]], [t["township_code"] for t in towns])
        school_age = sum(t[s] for t in towns for s in SCHOOL_AGE)
        self.assertEqual(d["ledgers"]["school_age"], school_age)
        suspected = sum(t["not_enrolled"] + t["dropped_out"] for t in towns)
        self.assertEqual(d["ledgers"]["suspected"], suspected)
        self.assertEqual(d["population"], summary["total"])
        cases = int(db_rows(self.db, "SELECT count(*) FROM case_file")[0][0])
        self.assertEqual(d["ledgers"]["dropout"], cases)
        self.assertEqual(d["cases"]["total"], cases)
        tasks = int(db_rows(self.db, "SELECT count(*) FROM verify_task WHERE state <> 'closed'")[0][0])
        self.assertEqual(d["verify"]["open"] + d["verify"]["outreach"], tasks)
        self.assertEqual([s["label"] for s in d["cases"]["ladder"]],
                         ["宣传教育", "书面通知/责令限期改正", "行政处罚", "申请强制执行或诉讼"])
        self.assertGreaterEqual(len(d["trend"]), 1)
        self.assertEqual(d["trend"][-1]["school_age"], school_age)
        self.assertTrue(0 < len(d["events"]) <= 10)
        ids = [e["id"] for e in d["events"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        # the children list behind each ledger number has that many children
        self.assertEqual(self.get("/api/v1/children?status=school_age&per_page=1")["total"], school_age)
        self.assertEqual(self.get("/api/v1/children?status=suspected&per_page=1")["total"], suspected)

    def test_dashboard_scope(self):
        d = self.get("/api/v1/dashboard", "tz")
        self.assertEqual(d["township"], TOWN)
        self.assertEqual([t["township_code"] for t in d["townships"]], [TOWN])
        for e in d["events"]:
            self.assertEqual(e["township"], "龙港镇")
        self.get("/api/v1/dashboard?township=" + OTHER, "tz", 404)
        self.assertEqual(self.get("/api/v1/dashboard?township=" + OTHER)["township"], OTHER)
        self.get("/api/v1/dashboard", "school", 403)
        self.get("/api/v1/dashboard", "dept", 403)
        self.assertIn("ledgers", self.get("/api/v1/dashboard", "sup"))
        r, j, _ = self.call("GET", "/api/v1/dashboard")
        self.assertEqual(r.status, 401)

    # -- the children list ----------------------------------------------------------------------
    def test_filters_choices(self):
        f = self.get("/api/v1/children/filters")
        codes = [t["code"] for t in f["townships"]]
        self.assertIn(TOWN, codes)
        self.assertTrue(all(t["villages"] for t in f["townships"]))
        self.assertIn(SCHOOL, [s["code"] for s in f["schools"]])
        self.assertEqual([t["code"] for t in self.get("/api/v1/children/filters", "tz")["townships"]],
                         [TOWN])
        self.assertEqual([s["code"] for s in self.get("/api/v1/children/filters", "school")["schools"]],
                         [SCHOOL])
        # a department reads the children of the lists it uploaded: the county imported these
        self.assertEqual(self.get("/api/v1/children/filters", "dept"),
                         {"townships": [], "schools": [], "groups": []})

    def test_sets_village_school_and_sort(self):
        sus = self.get("/api/v1/children?status=suspected&per_page=200")
        self.assertTrue(sus["sortable"])
        self.assertTrue(sus["items"])
        self.assertEqual({c["status"] for c in sus["items"]}, {"not_enrolled", "dropped_out"})
        self.assertEqual(len(sus["items"]), sus["total"])
        asc = self.get("/api/v1/children?status=suspected&per_page=200&sort=name")["items"]
        desc = self.get("/api/v1/children?status=suspected&per_page=200&sort=-name")["items"]
        self.assertEqual([c["name"] for c in desc], [c["name"] for c in reversed(asc)])
        self.assertEqual(sorted(c["id"] for c in asc), sorted(c["id"] for c in sus["items"]))
        ages = [c["age"] for c in self.get("/api/v1/children?status=suspected&per_page=200&sort=-age")["items"]]
        self.assertEqual(ages, sorted(ages, reverse=True))

        f = self.get("/api/v1/children/filters")
        town = next(t for t in f["townships"] if t["code"] == TOWN)
        village = town["villages"][0]
        v = self.get("/api/v1/children?" + q({"township": TOWN, "village": village, "per_page": 200}))
        self.assertTrue(v["items"])
        self.assertTrue(all(c["village"] == village for c in v["items"]))
        n = int(db_rows(self.db, "SELECT count(*) FROM record r JOIN batch b ON b.id = r.batch_id"
                        " WHERE b.id = (SELECT population_batch FROM match_run ORDER BY id DESC LIMIT 1)"
                        " AND r.township_code = '%s' AND r.village = '%s'" % (TOWN, village))[0][0])
        self.assertEqual(v["total"], n)
        sa = self.get("/api/v1/children?status=school_age&per_page=200")
        self.assertFalse(sa["sortable"])
        self.assertTrue(all(c["status"] in SCHOOL_AGE for c in sa["items"]))
        school = self.get("/api/v1/children?" + q({"school": SCHOOL, "per_page": 200}))
        own = self.get("/api/v1/children?per_page=200", "school")
        self.assertEqual(school["total"], own["total"])
        self.assertGreater(school["total"], 0)

        self.assertEqual(self.get("/api/v1/children?status=enrolled&sort=name", status=400)["error"]["code"],
                         "invalid_request")
        self.get("/api/v1/children?status=suspected&sort=id_number", status=400)
        for s in INJECTIONS:
            for key in ["village", "school", "sort"]:
                r, j, _ = self.call("GET", "/api/v1/children?" + q({key: s, "status": "suspected"}), "county")
                self.assertIn(r.status, (200, 400), (key, s, j))
                if r.status == 200:
                    self.assertEqual(j["total"], 0)

    def test_casework_filters(self):
        # the suspected children by their casework, counted the way the tables hold it
        def ids(**params):
            j = self.get("/api/v1/children?" + q(dict(params, status="suspected", per_page=200)))
            self.assertEqual(len(j["items"]), j["total"])
            return sorted(c["id"] for c in j["items"])
        run = db_rows(self.db, "SELECT max(id) FROM match_run")[0][0]
        last = "SELECT ch.last_record FROM child ch WHERE ch.last_run = %s" % run
        def expect(sql):
            return sorted(int(r[0]) for r in db_rows(self.db, sql))
        # (not the pupils the attendance warnings sent for verification: the run found them at
        # school, so they are no suspected child of its list)
        open_tasks = expect(last + " AND (SELECT t.state FROM verify_task t WHERE t.child_id = ch.id"
                            " ORDER BY t.id DESC LIMIT 1) = 'open' AND ch.id NOT IN (SELECT"
                            " t.child_id FROM verify_task t JOIN warning w ON w.task_id = t.id)")
        self.assertTrue(open_tasks)
        self.assertEqual(ids(stage="verify_open"), open_tasks)
        cases = expect(last + " AND EXISTS (SELECT 1 FROM case_file c WHERE c.child_id = ch.id"
                       " AND c.state = 'open')")
        self.assertTrue(cases)
        self.assertEqual(ids(stage="case_open"), cases)
        self.assertEqual(ids(stage="case_closed"), [])
        reason = db_rows(self.db, "SELECT reason FROM case_file WHERE reason IS NOT NULL LIMIT 1")[0][0]
        with_reason = expect(last + " AND EXISTS (SELECT 1 FROM case_file c WHERE c.child_id = ch.id"
                             " AND c.reason = '%s')" % reason)
        self.assertEqual(ids(reason=reason), with_reason)
        self.assertEqual(ids(reason="外出打工" if reason == "work" else reason), with_reason)
        self.assertEqual(ids(overdue=1), [])  # the demo's deadlines are ahead of its today
        # a task past its deadline is overdue
        task = db_rows(self.db, "SELECT t.id, ch.last_record FROM verify_task t JOIN child ch"
                       " ON ch.id = t.child_id WHERE t.state = 'open' AND ch.last_run = %s"
                       " ORDER BY t.id LIMIT 1" % run)[0]
        db_execute(self.db, "UPDATE verify_task SET deadline = '2026-11-01' WHERE id = %s" % task[0])
        self.assertIn(int(task[1]), ids(overdue=1))
        export = self.get("/api/v1/reports/children-list?format=json&status=suspected&overdue=1")
        self.assertIn("逾期", export["subtitle"])
        self.assertEqual([c["id"] for c in export["children"]], ids(overdue=1))
        for bad in [{"stage": "open"}, {"reason": "不想上学"}]:
            self.get("/api/v1/children?" + q(dict(bad, status="suspected")), status=400)
        self.get("/api/v1/children?stage=verify_open&status=enrolled", status=400)

    def test_township_sees_only_its_own(self):
        j = self.get("/api/v1/children?status=suspected&per_page=200&township=" + OTHER, "tz")
        self.assertEqual(j["total"], 0)
        j = self.get("/api/v1/children?status=suspected&per_page=200", "tz")
        self.assertTrue(all(c["township_code"] == TOWN for c in j["items"]))

    def test_export_is_the_list(self):
        params = {"status": "suspected", "sort": "-age"}
        shown = self.get("/api/v1/children?" + q(dict(params, per_page=200)))
        exported = self.get("/api/v1/reports/children-list?" + q(dict(params, format="json")))
        self.assertEqual([c["id"] for c in exported["children"]], [c["id"] for c in shown["items"]])
        self.assertEqual([c["id_number"] for c in exported["children"]],
                         [c["id_number"] for c in shown["items"]])
        self.assertIn("疑似失学辍学", exported["subtitle"])
        r, _, data = self.call("GET", "/api/v1/reports/children-list?" + q(dict(params, format="xlsx")), "county")
        self.assertEqual(r.status, 200)
        self.assertTrue(data.startswith(b"PK"))
        self.assertIn("filename*=UTF-8''", r.getheader("Content-Disposition"))
        r, _, data = self.call("GET", "/api/v1/reports/children-list?" + q(dict(params, format="csv")), "county")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["序号", "姓名", "性别"])
        self.assertEqual(len(rows) - 1, shown["total"])
        # the township account's download is its township's list
        tz = self.get("/api/v1/reports/children-list?format=json&status=suspected", "tz")
        self.assertTrue(all(c["township"] == "龙港镇" for c in tz["children"]))
        self.get("/api/v1/reports/children-list?format=json&full=1", "admin", 400)

    # -- the import wizard: dry run, preview, mapping --------------------------------------------
    def upload(self, fields, name, data, user="county"):
        import http.client
        body, ctype = multipart(fields, [("file", name, data)])
        cookie, csrf = self.session(user)
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        c.request("POST", "/api/v1/imports", body=body,
                  headers={"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": ctype})
        r = c.getresponse()
        j = json.loads(r.read())
        c.close()
        self.assertEqual(r.status, 202, j)
        for _ in range(600):
            job = self.get("/api/v1/jobs/%d" % j["id"], user)
            if job["state"] in ("done", "failed"):
                return job
            time.sleep(0.1)
        self.fail("the job did not end")

    def test_import_dry_run_preview_and_map(self):
        good, other = make_id("20150304", 11), make_id("20160405", 22)
        rows = [["沁水县2026年适龄儿童花名册（补充）"],
                ["序号", "小孩名字", "性别", "民族", "公民身份号码", "出生日期", "乡镇（街道）", "联系电话"],
                ["1", "测试甲", "男", "汉族", good, "2015-03-04", "龙港镇", "13912345678"],
                ["2", "测试乙", "女", "汉族", bad_check(other), "2016-04-05", "龙港镇", ""],
                ["3", "", "男", "汉族", "", "2015-01-01", "龙港镇", ""]]
        data = csv_text(rows).encode("utf-8")
        batches = lambda: int(db_rows(self.db, "SELECT count(*) FROM batch")[0][0])
        before = batches()
        # the name column is not recognised: the dry run shows the header to be mapped
        job = self.upload([("kind", "population"), ("dry_run", "1")], "补充.csv", data)
        self.assertEqual(job["state"], "done", job)
        r = job["result"]
        self.assertTrue(r["dry_run"])
        self.assertIn("缺少户籍名单必需的列：姓名", r["error"])
        self.assertEqual(r["preview"]["missing"], [{"label": "姓名", "fields": ["name"]}])
        self.assertEqual(r["preview"]["header_row"], 2)
        self.assertEqual(r["header_row"], 2)
        self.assertEqual(r["preview"]["header"][1], "小孩名字")
        self.assertIsNone(r["preview"]["fields"][1])
        self.assertEqual(r["preview"]["fields"][4], "id_number")
        self.assertIn({"key": "name", "label": "姓名"}, r["preview"]["choices"])
        # mapped: every row checked, nothing stored
        job = self.upload([("kind", "population"), ("dry_run", "1"), ("map", "小孩名字=name"),
                           ("map", "民族=ignore")], "补充.csv", data)
        r = job["result"]
        self.assertNotIn("error", r)
        self.assertEqual(r["preview"]["missing"], [])
        self.assertEqual((r["rows_imported"], r["rows_flagged"], r["rows_rejected"]), (2, 1, 1))
        self.assertIsNone(r["batch_id"])
        self.assertEqual(r["preview"]["fields"][1], "name")
        self.assertIsNone(r["preview"]["fields"][3])
        self.assertEqual([p["action"] for p in r["preview"]["problems"]], ["标记", "拒绝"])
        self.assertEqual([p["row"] for p in r["preview"]["problems"]], [4, 5])
        text = json.dumps(r, ensure_ascii=False)
        self.assertNotIn(good, text)
        self.assertNotIn("13912345678", text)
        self.assertIn(good[:6] + "********" + good[-4:], text)
        # and no birth date beside the masked ID (it would give the ID back to whoever reads
        # the job): the date's shape for the mapping, none of its digits
        for birth in ("2015-03-04", "2016-04-05", "2015-01-01"):
            self.assertNotIn(birth, text)
        self.assertIn("****-**-**", text)
        self.assertIn("id_bad_check", r["flags"])
        self.assertEqual(batches(), before)
        self.assertEqual(int(db_rows(self.db, "SELECT count(*) FROM audit WHERE action = 'import'"
                                     " AND detail LIKE '%，2 行'")[0][0]), 0)
        # a field that does not exist
        job = self.upload([("kind", "population"), ("dry_run", "1"), ("map", "小孩名字=不知道")],
                          "补充.csv", data)
        self.assertEqual(job["state"], "failed")
        self.assertIn("不是已知的字段", job["error"])
        # 2 children after a register of 2,000: the dry run says so, with both numbers
        self.assertTrue(r["shrinks"])
        self.assertEqual((r["previous_rows"], r["shrink_threshold"]), (2000, 80))
        # confirmed without confirming the shrink: refused, nothing stored
        job = self.upload([("kind", "population"), ("map", "小孩名字=name")], "补充.csv", data)
        self.assertEqual(job["state"], "failed", job)
        for needle in ("本次户籍名单 2 人", "2,000 人", "低于 80%"):
            self.assertIn(needle, job["error"])
        self.assertEqual(batches(), before)
        # confirmed: the same mapping imports for real
        job = self.upload([("kind", "population"), ("map", "小孩名字=name"), ("confirm_shrink", "1")],
                          "补充.csv", data)
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(job["result"]["rows_imported"], 2)
        self.assertEqual(batches(), before + 1)
        # the same file again: the dry run says so instead of refusing
        job = self.upload([("kind", "population"), ("dry_run", "1"), ("map", "小孩名字=name")],
                          "补充.csv", data)
        self.assertGreater(job["result"]["same_as_batch"], 0)
        self.get("/api/v1/imports", "tz", 403)

    # -- one child's record ---------------------------------------------------------------------
    def test_child_links_and_casework(self):
        case = db_rows(self.db, "SELECT c.id, c.record_id, c.township_code FROM case_file c ORDER BY c.id LIMIT 1")[0]
        rid = int(case[1])
        w = self.get("/api/v1/children/%d/casework" % rid)
        self.assertEqual(w["case"]["id"], int(case[0]))
        self.assertEqual(w["case"]["state"], "open")
        self.assertTrue(w["tasks"])
        self.assertEqual(w["tasks"][-1]["outcome_label"], "确认失学辍学")
        self.assertGreaterEqual(len(w["timeline"]), 3)
        self.assertEqual([h["run_id"] for h in w["history"]][:1], [1])
        self.assertIn(w["history"][0]["status"], ("not_enrolled", "dropped_out"))
        l = self.get("/api/v1/children/%d/links" % rid)
        self.assertEqual(l["accept"], 12.0)
        for c in l["candidates"]:
            self.assertEqual([f["field"] for f in c["fields"]], ["id", "name", "birth", "sex"])
            self.assertAlmostEqual(sum(f["weight"] for f in c["fields"]), c["total"], delta=0.25)
            self.assertRegex(c["id_number"], r"^(\d{6}\*{8}\d{3}[\dX]|（无）)$")
        # an enrolled child: its school record is a candidate, accepted
        en = self.get("/api/v1/children?status=enrolled&per_page=1")["items"][0]
        l = self.get("/api/v1/children/%d/links" % en["id"])
        self.assertIn("采纳", [c["verdict"] for c in l["candidates"]])
        self.assertEqual(self.get("/api/v1/children/%d/casework" % en["id"])["case"], None)
        # sources carry their snapshot
        rec = self.get("/api/v1/children/%d" % en["id"])
        self.assertTrue(all(s["batch_id"] >= 1 and s["imported_at"] for s in rec["sources"]))
        # scope and masking
        other = self.get("/api/v1/children?township=%s&per_page=1" % OTHER)["items"][0]["id"]
        self.get("/api/v1/children/%d/links" % other, "tz", 404)
        self.get("/api/v1/children/%d/casework" % other, "tz", 404)
        self.get("/api/v1/children/%d/links?full=1" % en["id"], "sup", 403)
        n = int(db_rows(self.db, "SELECT count(*) FROM audit WHERE action = 'read_full'")[0][0])
        full = self.get("/api/v1/children/%d/links?full=1" % en["id"], "admin")
        self.assertRegex(full["candidates"][0]["id_number"], r"^\d{17}[\dX]$")
        self.assertEqual(int(db_rows(self.db, "SELECT count(*) FROM audit WHERE action = 'read_full'")[0][0]), n + 1)
        self.get("/api/v1/children/99999999/links", status=404)

    # -- one run and what changed ---------------------------------------------------------------
    def test_run_and_changes(self):
        first = self.get("/api/v1/runs/1")
        self.assertIsNone(first["previous"])
        self.assertIsNone(first["changes"])
        self.assertEqual(first["run"]["id"], 1)
        self.get("/api/v1/runs/999", status=404)
        self.get("/api/v1/runs/1", "tz", 403)

        # a new register without three enrolled children, and a new outside list that now has
        # one of the suspected children
        src = os.path.join(self.demo, "户籍适龄儿童花名册.csv")
        with open(src, encoding="gb18030", newline="") as f:
            rows = list(csv.reader(f))
        header = next(i for i, r in enumerate(rows) if "姓名" in r)
        idcol = rows[header].index("公民身份号码") if "公民身份号码" in rows[header] else \
            next(i for i, h in enumerate(rows[header]) if "身份" in h)
        enrolled = {r[0] for r in db_rows(self.db, "SELECT r.id_number FROM record r"
                                          " WHERE r.batch_id = 2 AND r.id_number IS NOT NULL")}
        gone = [r for r in rows[header + 1:] if len(r) > idcol and r[idcol] in enrolled][:3]
        kept = [r for r in rows if r not in gone]
        newpop = os.path.join(self.dir, "户籍-第二次.csv")
        with open(newpop, "w", encoding="gb18030", newline="") as f:
            csv.writer(f).writerows(kept)
        sus = self.get("/api/v1/children?status=not_enrolled&per_page=200")["items"]
        back = next(c for c in sus if not c["id_number"].startswith("（"))
        full = self.get("/api/v1/children/%d?full=1" % back["id"], "admin")["person"]
        outside = db_rows(self.db, "SELECT coalesce(name, ''), coalesce(id_number, ''),"
                          " coalesce(school_name, ''), coalesce(grade_text, '') FROM record"
                          " WHERE batch_id = 3")
        newout = os.path.join(self.dir, "外出就读-第二次.csv")
        with open(newout, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["姓名", "身份证号", "就读学校", "年级"])
            w.writerows(outside)
            w.writerow([full["name"], full["id_number"], "太原市第一实验小学", "三年级"])
        for kind, path in [("population", newpop), ("outside", newout)]:
            p = subprocess.run([BIN, "import", "--db", self.db, "--kind", kind, path],
                               capture_output=True, env=env(), timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
        p = subprocess.run([BIN, "match", "--db", self.db], capture_output=True, env=env(), timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

        d = self.get("/api/v1/runs/2")
        self.assertEqual(d["previous"]["id"], 1)
        ch = d["changes"]
        self.assertEqual(ch["left_register"]["total"], 3)
        self.assertEqual(sorted(c["name"] for c in ch["left_register"]["items"]),
                         sorted(r[rows[header].index("姓名")] for r in gone))
        self.assertEqual(ch["arrived"]["total"], 0)
        self.assertIn(back["name"], [c["name"] for c in ch["returned"]["items"]])
        ret = next(c for c in ch["returned"]["items"] if c["name"] == back["name"])
        self.assertEqual(ret["status"], "enrolled_elsewhere")
        self.assertEqual(ret["id_number"], back["id_number"])  # masked
        self.assertEqual(ch["new_suspected"]["total"], 0)
        self.assertEqual(d["run"]["counts"]["not_enrolled"], d["previous"]["counts"]["not_enrolled"] - 1)
        latest = self.get("/api/v1/runs/" + str(d["run"]["id"]))
        self.assertEqual(latest["run"]["id"], 2)
        dash = self.get("/api/v1/dashboard")
        # both runs are of the demo's day: the trend is a point a month, the month's newest run
        self.assertEqual([(t["month"], t["run_id"]) for t in dash["trend"]], [("2026-11", 2)])


if __name__ == "__main__":
    unittest.main()
