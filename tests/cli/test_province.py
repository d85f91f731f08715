"""Black-box tests of many counties in one PostgreSQL database (issue 18, `baoxue province`, and
the province's server: its province and city accounts).

Each test class gets a database of its own in the throwaway cluster (the province's registry is
the schema `province` of a database, so two suites must not share one). Two demo counties,
沁水县 140521 and 阳城县 140522, each in its own schema: a county's connection sees its own
children only, the province's indicators are each county's own, a county that cannot be read
keeps its row with the reason, and the registry refuses what it must (a county twice, a code
that is no county, a schema holding another county, an SQLite file). PostgreSQL only: run as
cli.test_province.pg.
"""

import datetime
import getpass
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import (BIN, PASSWORD, PG, TODAY, Api, BaoxueTest, _Psql, drain, env, http_call,
                     psql, start_server, stop_drained, user_add)

QINSHUI, YANGCHENG = "140521", "140522"


def this_month():
    """The month of the binary's today (harness.TODAY)."""
    return TODAY[:7]


def last_month():
    first = datetime.date.fromisoformat(TODAY[:8] + "01")
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def database_dsn(name):
    """The DSN of database `name` in the cluster PG points at (PG's query kept)."""
    base, _, query = PG.partition("?")
    return "%s/%s%s" % (base.rsplit("/", 1)[0], name, "?" + query if query else "")


def schema_dsn(dsn, schema):
    return "%s%soptions=-csearch_path%%3D%s" % (dsn, "&" if "?" in dsn else "?", schema)


def county_dsn(dsn, code):
    return schema_dsn(dsn, "c" + code)


def bx(*args, check=True):
    p = subprocess.run([BIN] + [str(a) for a in args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env(), timeout=600)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if check and p.returncode:
        raise AssertionError("baoxue %s: exit %d\n%s%s" % (" ".join(map(str, args)), p.returncode,
                                                          out, err))
    return p.returncode, out, err


def shared_database(cls, prefix, counties, sizes):
    """A database of its own for a test class (cls.tmp, cls.dbname, cls.dsn), the counties added
    to it, and a demo county of each size (children, seed) in the first counties' schemas."""
    cls.tmp = tempfile.mkdtemp(prefix="baoxue-%s-" % prefix.replace("_", "-"))
    cls.dbname = "%s_%d" % (prefix, os.getpid())
    psql(PG, "CREATE DATABASE %s" % cls.dbname)
    cls.dsn = database_dsn(cls.dbname)
    for code in counties:
        bx("province", "add", code, "--db", cls.dsn)
    for code, (children, seed) in zip(counties, sizes):
        bx("demo", "--county", code, "--children", children, "--seed", seed, "--no-history",
           "--out", os.path.join(cls.tmp, code), "--db", county_dsn(cls.dsn, code))


@unittest.skipUnless(PG, "PostgreSQL only: run as cli.test_province.pg")
class ProvinceTest(BaoxueTest):
    @classmethod
    def setUpClass(cls):
        # two demo counties of different sizes and seeds, each through its own connection string
        shared_database(cls, "province", (QINSHUI, YANGCHENG), ((1500, 3), (1000, 5)))

    @classmethod
    def tearDownClass(cls):
        from harness import _close_psql_sessions
        _close_psql_sessions()  # the sessions on the test's database hold it open
        psql(PG, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % cls.dbname)
        shutil.rmtree(cls.tmp, True)

    def counties_json(self, *extra):
        _, out, _ = bx("province", "indicators", "--db", self.dsn, "--format", "json", *extra)
        return json.loads(out)

    def test_list_names_each_county_and_its_connection(self):
        _, out, _ = bx("province", "list", "--db", self.dsn, "--format", "json")
        rows = json.loads(out)["counties"]
        # and where the province's own accounts and server go
        self.assertTrue(any("省级连接串" in n and "csearch_path%3Dprovince" in n
                            for n in json.loads(out)["notes"]), json.loads(out)["notes"])
        self.assertEqual([r["code"] for r in rows], [QINSHUI, YANGCHENG])
        self.assertEqual(rows[0]["name"], "山西省晋城市沁水县")
        self.assertEqual(rows[1]["schema"], "c140522")
        q = urllib.parse.urlparse(rows[1]["dsn"]).query
        self.assertIn("options=-csearch_path%3Dc140522", q)
        # the connection string it prints is the county's: a command run on it reads 阳城县
        code, out, _ = bx("settings", "get", "county", "--db", rows[1]["dsn"])
        self.assertEqual(out.strip(), YANGCHENG)
        _, out, _ = bx("province", "list", "--db", self.dsn, "--area", "1406", "--format", "json")
        self.assertEqual(json.loads(out)["counties"], [])

    def test_a_county_sees_only_its_own_children(self):
        def ids(code):
            return set(psql(county_dsn(self.dsn, code),
                            "SELECT DISTINCT id_number FROM record WHERE id_number IS NOT NULL"
                            ).split())
        qinshui, yangcheng = ids(QINSHUI), ids(YANGCHENG)
        self.assertGreater(len(qinshui), 1000)
        self.assertGreater(len(yangcheng), 600)
        self.assertFalse(qinshui & yangcheng, "the two counties' records share ID numbers")
        # the out-of-school list of a county, through its own connection, names its children only
        _, out, _ = bx("report", "out-of-school", "--db", county_dsn(self.dsn, YANGCHENG),
                       "--format", "json")
        listed = {c["id_number"] for c in json.loads(out)["children"] if c.get("id_number")}
        self.assertTrue(listed)
        self.assertTrue(listed <= yangcheng)
        self.assertFalse(listed & qinshui)

    def test_indicators_are_each_countys_own(self):
        data = self.counties_json()
        rows = {r["code"]: r for r in data["counties"] if r.get("code")}
        self.assertEqual(set(rows), {QINSHUI, YANGCHENG})
        for code in (QINSHUI, YANGCHENG):
            _, out, _ = bx("report", "indicators", "--db", county_dsn(self.dsn, code),
                           "--format", "json")
            own = json.loads(out)["county"]
            row = rows[code]
            for key in ("school_age", "enrolled", "out_of_school", "dropped", "year_start",
                        "group_out"):
                self.assertEqual(row[key], own[key], "%s %s" % (code, key))
            for key in ("enrollment_rate", "retention_rate", "dropout_rate"):
                self.assertAlmostEqual(row[key], own[key], places=2, msg="%s %s" % (code, key))
            self.assertIn(row["order"], (1, 2))
        self.assertEqual(sorted(r["order"] for r in rows.values()), [1, 2])
        total = data["totals"]
        self.assertEqual(total["school_age"], sum(r["school_age"] for r in rows.values()))
        self.assertEqual(total["out_of_school"], sum(r["out_of_school"] for r in rows.values()))
        # a city's view: 晋城市 (1405) has both; 朔州市 (1406) none, said in Chinese
        self.assertEqual(len([r for r in self.counties_json("--area", "1405")["counties"]
                              if r.get("code")]), 2)
        code, out, err = bx("province", "indicators", "--db", self.dsn, "--area", "1406",
                            check=False)
        self.assertEqual(code, 2)
        self.assertIn("山西省朔州市没有登记到本库的县", err)
        code, _, err = bx("province", "indicators", "--db", self.dsn, "--area", "14x", check=False)
        self.assertEqual(code, 2)
        self.assertIn("地区代码“14x”无效", err)

    def test_the_command_line_keeps_its_table(self):
        # every county of the database, one province's: kept as the province's table of a month
        data = self.counties_json("--month", last_month())
        rows = psql(self.dsn, "SELECT area, month, computed_by, job_id IS NULL, content FROM"
                    " province.province_table WHERE month = '%s'" % last_month()).splitlines()
        self.assertEqual(len(rows), 1, rows)
        area, month, by, no_job, content = rows[0].split("|", 4)
        self.assertEqual((area, month, by, no_job), ("14", last_month(), getpass.getuser(), "t"))
        kept = json.loads(content)
        self.assertEqual([r[kept["columns"].index("code")] for r in kept["rows"][:-1]],
                         [r["code"] for r in data["counties"]])
        self.assertEqual(data["caption"], "山西省各县控辍保学指标和排名")
        # computing it again replaces it (the latest per area and month), and says so in the
        # audit trail of the province's schema
        self.counties_json("--month", last_month())
        self.assertEqual(psql(self.dsn, "SELECT count(*) FROM province.province_table WHERE"
                              " month = '%s'" % last_month()).strip(), "1")
        audit = psql(self.dsn, "SELECT actor, origin, detail FROM province.audit WHERE"
                     " action = 'province_indicators' ORDER BY seq DESC LIMIT 1").strip()
        self.assertEqual(audit.split("|")[:2], [getpass.getuser(), "cli"])
        self.assertIn("山西省", audit)
        # a day is shown, not kept
        day = last_month() + "-28"
        code, out, err = bx("province", "indicators", "--db", self.dsn, "--month", day,
                            "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertIn("只显示，不保存", err)
        self.assertEqual(json.loads(out)["as_of"], day)
        self.assertEqual(psql(self.dsn, "SELECT count(*) FROM province.province_table WHERE"
                              " as_of = '%s'" % day).strip(), "0")

    def test_a_county_that_cannot_be_read_keeps_its_row(self):
        bx("province", "add", "140524", "--db", self.dsn)
        self.addCleanup(psql, self.dsn, "DELETE FROM province.county WHERE code = '140524';"
                        "DROP SCHEMA IF EXISTS c140524 CASCADE")
        psql(self.dsn, "DROP TABLE c140524.schema_version")
        rows = self.counties_json()["counties"]
        broken = [r for r in rows if r.get("code") == "140524"]
        self.assertEqual(len(broken), 1)
        self.assertIsNone(broken[0]["order"])
        self.assertIn("无法读取", broken[0]["note"])
        self.assertEqual(sorted(r["order"] for r in rows if r.get("order")), [1, 2])

    def test_the_registry_refuses_what_it_must(self):
        code, _, err = bx("province", "add", QINSHUI, "--db", self.dsn, check=False)
        self.assertEqual(code, 2)
        self.assertIn("山西省晋城市沁水县（140521）已在本库的县名单中", err)
        code, _, err = bx("province", "add", "999999", "--db", self.dsn, check=False)
        self.assertEqual(code, 2)
        self.assertIn("不是已知的县级区划代码", err)
        code, _, err = bx("province", "add", QINSHUI, "--db", os.path.join(self.tmp, "x.db"),
                          check=False)
        self.assertEqual(code, 2)
        self.assertIn("只用于 PostgreSQL", err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.db")))
        code, _, err = bx("province", "add", QINSHUI, "--db", county_dsn(self.dsn, QINSHUI),
                          check=False)
        self.assertEqual(code, 2)
        self.assertIn("已带有 options 参数", err)
        # the accounts above the county are refused in a county's schema, and a county's
        # accounts in the province's
        p = subprocess.run([BIN, "user", "add", "--db", county_dsn(self.dsn, QINSHUI), "sx",
                            "--role", "province", "--area", "14", "--password-stdin"],
                           input=b"long-enough-pass\n", capture_output=True, env=env())
        self.assertEqual(p.returncode, 2)
        self.assertIn("只能建在多个县共用的数据库的省级模式里", p.stderr.decode())
        p = subprocess.run([BIN, "user", "add", "--db", schema_dsn(self.dsn, "province"), "tz",
                            "--role", "township", "--township", "140521100", "--password-stdin"],
                           input=b"long-enough-pass\n", capture_output=True, env=env())
        self.assertEqual(p.returncode, 2)
        self.assertIn("省级模式里只能建省教育厅、市教育局和系统管理员账号", p.stderr.decode())
        # a schema c140525 that holds another county's data is not taken over
        psql(self.dsn, "CREATE SCHEMA c140525")
        self.addCleanup(psql, self.dsn, "DROP SCHEMA IF EXISTS c140525 CASCADE")
        bx("init", "--county", QINSHUI, "--db", county_dsn(self.dsn, "140525"))
        code, _, err = bx("province", "add", "140525", "--db", self.dsn, check=False)
        self.assertEqual(code, 2)
        self.assertIn("模式 c140525 里已是县 140521 的数据", err)
        # an empty schema of the name (an addition cut short) is taken over
        psql(self.dsn, "CREATE SCHEMA c140581")
        self.addCleanup(psql, self.dsn, "DELETE FROM province.county WHERE code = '140581';"
                        "DROP SCHEMA IF EXISTS c140581 CASCADE")
        bx("province", "add", "140581", "--db", self.dsn)
        _, out, _ = bx("province", "list", "--db", self.dsn, "--format", "json")
        self.assertIn("140581", [r["code"] for r in json.loads(out)["counties"]])
        self.assertNotIn("140525", [r["code"] for r in json.loads(out)["counties"]])

    def test_demo_of_another_county(self):
        code, _, err = bx("demo", "--county", "123", "--files-only", "--out",
                          os.path.join(self.tmp, "bad"), check=False)
        self.assertEqual(code, 2)
        self.assertIn("--county 的值“123”", err)
        _, out, _ = bx("settings", "get", "county", "--db", county_dsn(self.dsn, YANGCHENG))
        self.assertEqual(out.strip(), YANGCHENG)
        # the 阳城县 demo's townships are 阳城县's own
        towns = psql(county_dsn(self.dsn, YANGCHENG),
                     "SELECT DISTINCT township_code FROM record WHERE township_code IS NOT NULL")
        self.assertTrue(towns.split())
        self.assertTrue(all(t.startswith(YANGCHENG) for t in towns.split()), towns)


@unittest.skipUnless(PG, "PostgreSQL only: run as cli.test_province.pg")
class ProvinceServerTest(Api, unittest.TestCase):
    """The province's server (`baoxue serve` on the schema province): its province and city
    accounts compute the counties' indicators of their area as a background job, read the table
    kept, and nothing else."""

    @classmethod
    def setUpClass(cls):
        # 140702: 晋中市榆次区, another city (no demo)
        shared_database(cls, "province_srv", (QINSHUI, YANGCHENG, "140702"),
                        ((1200, 7), (800, 9)))
        cls.db = schema_dsn(cls.dsn, "province")
        user_add(cls.db, "shanxi", "--role", "province", "--area", "14")
        user_add(cls.db, "jincheng", "--role", "city", "--area", "1405")
        user_add(cls.db, "padmin", "--role", "admin")
        # a county's own account, in the county's schema
        user_add(county_dsn(cls.dsn, QINSHUI), "qs_county", "--role", "county")
        # and the province's account copied into a county's schema, as no command would put it
        # there: the province's routes are not a county server's whoever asks
        cols = psql(cls.dsn, "SELECT string_agg(column_name, ', ') FROM"
                    " information_schema.columns WHERE table_schema = 'province' AND"
                    " table_name = 'app_user' AND column_name <> 'id'").strip()
        psql(cls.dsn, "INSERT INTO c%s.app_user (%s) SELECT %s FROM province.app_user WHERE"
             " name = 'shanxi'" % (QINSHUI, cols, cols))
        cls.proc, cls.port = start_server(cls.db)
        cls.county_proc, cls.county_port = start_server(county_dsn(cls.dsn, QINSHUI))
        cls.logs = [drain(p) for p in (cls.proc, cls.county_proc)]  # the access logs, read

    @classmethod
    def tearDownClass(cls):
        for p, (lines, t) in zip((cls.proc, cls.county_proc), cls.logs):
            stop_drained(p, lines, t)
        from harness import _close_psql_sessions
        _close_psql_sessions()
        psql(PG, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % cls.dbname)
        shutil.rmtree(cls.tmp, True)

    def indicators(self, session, query=""):
        return self.call("GET", "/api/v1/province/indicators" + query, cookie=session[0])

    def hold_runs(self, county):
        """Hold the county's match_run in another transaction (a computation of its indicators
        waits there): the function that lets it go, which the test's cleanup also calls."""
        lock = _Psql(self.dsn)
        self.addCleanup(lock.close)
        out, errors = lock.run("BEGIN; LOCK TABLE c%s.match_run IN ACCESS EXCLUSIVE MODE" % county)
        self.assertEqual(errors, [])
        released = [False]

        def release():
            if not released[0]:
                lock.run("COMMIT")
                released[0] = True
        self.addCleanup(release)
        return release

    def start(self, session, body=None, csrf=True):
        return self.call("POST", "/api/v1/province/indicators", body, cookie=session[0],
                         csrf=session[1] if csrf else None)

    def computed(self, session, body=None):
        """POST, the job followed to its end: the job."""
        r, j, _ = self.start(session, body)
        self.assertIn(r.status, (200, 202), j)
        self.assertEqual(j["kind"], "province_indicators")
        job = self.wait_job(session, j["id"])
        self.assertEqual(job["state"], "done", job)
        return job

    def test_province_account_computes_and_reads_its_province(self):
        s = self.login("shanxi")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=s[0])
        self.assertEqual(j["user"]["role_label"], "省教育厅")
        self.assertEqual(j["user"]["area"], {"code": "14", "name": "山西省"})
        self.assertEqual(j["user"]["permissions"], ["session", "province"])
        # a job of the province's own area, this month
        r, j, _ = self.start(s)
        self.assertIn(r.status, (200, 202), j)
        self.assertEqual((j["kind"], j["area"], j["topic"]), ("province_indicators", "14",
                                                             this_month()))
        before = int(time.time())
        job = self.wait_job(s, j["id"])
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(job["result"]["counties"], 3)
        self.assertEqual(job["result"]["area"], "14")
        self.assertEqual(job["result"]["message"],
                         "山西省各县控辍保学指标和排名已保存（3 个县，截至 2026年11月20日）")
        # the kept table, with when, by whom and which job computed it
        r, j, _ = self.indicators(s)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["month"], this_month())
        self.assertEqual(j["computed_by"], "shanxi")
        self.assertEqual(j["job"], job["id"])
        self.assertLessEqual(abs(j["computed_at"] - before), 120)
        codes = [c["code"] for c in j["counties"]]
        self.assertEqual(sorted(codes), sorted([QINSHUI, YANGCHENG, "140702"]))
        # the county without data yet keeps its row, unranked, and says why
        empty = [c for c in j["counties"] if c["code"] == "140702"][0]
        self.assertIn("还没有比对", empty["note"])
        self.assertEqual(j["totals"]["school_age"],
                         sum(c["school_age"] or 0 for c in j["counties"]))
        # one city of the province, and a download of it
        self.computed(s, {"area": "1405"})
        r, j, _ = self.indicators(s, "?area=1405")
        self.assertEqual(sorted(c["code"] for c in j["counties"]), [QINSHUI, YANGCHENG])
        r = self.call("GET", "/api/v1/province/indicators?area=1405&format=xlsx", cookie=s[0])[0]
        self.assertEqual(r.status, 200)
        self.assertIn("spreadsheetml", r.getheader("Content-Type"))
        r, _, raw = self.call("GET", "/api/v1/province/indicators?area=1405&format=csv",
                              cookie=s[0])
        self.assertEqual(r.status, 200)
        self.assertIn("阳城县", raw.decode("utf-8-sig"))
        # the job is the province's to see, not the county administrator's of another server
        r, j, _ = self.call("GET", "/api/v1/jobs", cookie=s[0])
        self.assertIn(job["id"], [x["id"] for x in j["items"]])

    def test_city_account_reads_its_city_only(self):
        s = self.login("jincheng")
        job = self.computed(s)
        self.assertEqual(job["area"], "1405")
        r, j, _ = self.indicators(s)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(sorted(c["code"] for c in j["counties"]), [QINSHUI, YANGCHENG])
        self.assertEqual(j["caption"], "山西省晋城市各县控辍保学指标和排名")
        self.assertEqual(j["computed_by"], "jincheng")
        self.computed(s, {"area": QINSHUI})
        r, j, _ = self.indicators(s, "?area=%s" % QINSHUI)
        self.assertEqual([c["code"] for c in j["counties"]], [QINSHUI])
        # beyond its city: refused to read and to compute, and no job is made
        jobs = len(self.call("GET", "/api/v1/jobs", cookie=s[0])[1]["items"])
        for area in ("14", "1407", "140702"):
            r, j, _ = self.indicators(s, "?area=" + area)
            self.assertError(r, j, 403, "forbidden")
            r, j, _ = self.start(s, {"area": area})
            self.assertError(r, j, 403, "forbidden")
        self.assertEqual(len(self.call("GET", "/api/v1/jobs", cookie=s[0])[1]["items"]), jobs)

    def test_nothing_kept_yet_says_to_compute_it(self):
        s = self.login("jincheng")
        r, j, _ = self.indicators(s, "?month=2025-01")
        self.assertError(r, j, 404, "not_computed")
        self.assertIn("山西省晋城市2025年1月的各县指标还没有计算", j["error"]["message"])
        self.assertIn("请先计算", j["error"]["message"])

    def test_the_command_lines_table_is_the_screens(self):
        code, out, err = bx("province", "indicators", "--db", self.dsn, "--area", "1405",
                            "--month", last_month(), "--format", "json")
        self.assertEqual(code, 0, err)
        cli = json.loads(out)
        s = self.login("jincheng")
        r, j, _ = self.indicators(s, "?month=" + last_month())
        self.assertEqual(r.status, 200, j)
        self.assertEqual(j["computed_by"], getpass.getuser())
        self.assertNotIn("job", j)  # the command line's, not a job's
        self.assertEqual(j["counties"], cli["counties"])
        self.assertEqual(j["totals"], cli["totals"])
        self.assertEqual(j["subtitle"], cli["subtitle"])

    def test_bad_input_is_refused_in_chinese(self):
        s = self.login("shanxi")
        for query, field in (("?area=14x", "area"), ("?area=1499", "area"),
                             ("?month=2099-01", "month"), ("?month=2026-13", "month"),
                             ("?month=2026-11-15", "month"), ("?format=pdf", "format")):
            r, j, _ = self.indicators(s, query)
            self.assertError(r, j, 400, "invalid_request")
            self.assertEqual(j["error"].get("field"), field, query)
        for body, field in (({"area": "14x"}, "area"), ({"area": "1499"}, "area"),
                            ({"month": "2099-01"}, "month"), ({"month": "2026-11-15"}, "month"),
                            ({"month": "x" * 40}, "month")):
            r, j, _ = self.start(s, body)
            self.assertError(r, j, 400, "invalid_request")
            self.assertEqual(j["error"].get("field"), field, body)
            self.assertNotRegex(j["error"]["message"], r"\b(area|month)\b")
        r, j, _ = self.start(s, {"county": "140521"})
        self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/province/indicators", b"{", cookie=s[0], csrf=s[1])
        self.assertError(r, j, 400, "invalid_json")

    def test_a_post_without_the_csrf_token_is_refused(self):
        s = self.login("shanxi")
        r, j, _ = self.start(s, {"area": "1405"}, csrf=False)
        self.assertError(r, j, 403, "csrf")
        r, j, _ = self.call("POST", "/api/v1/province/indicators", {}, cookie=s[0],
                            csrf="0" * 64)
        self.assertError(r, j, 403, "csrf")

    def test_a_second_ask_while_it_runs_gets_the_same_job(self):
        # 榆次区's table of cross-checks held by another transaction: the job waits at the third
        # county (a table read after the county's connection is open, not its schema_version,
        # which its migration check reads as the connection opens)
        release = self.hold_runs("140702")
        s = self.login("shanxi")
        r, first, _ = self.start(s, {"month": this_month()})
        self.assertEqual(r.status, 202, first)
        job = self.wait_job(s, first["id"], states=("running",))
        deadline = time.time() + 60

        def waiting(j):  # at the third county, the other two done
            return j["phase"] == "正在计算 第 3/3 个县：榆次区" and abs(j["progress"] - 2 / 3) < 0.01
        while not waiting(job) and time.time() < deadline:
            time.sleep(0.1)
            job = self.job(s, first["id"])
        self.assertTrue(waiting(job), job)
        self.assertEqual(job["state"], "running")
        # asked again, by the same account or another of the area: the running job
        r, again, _ = self.start(s, {})
        self.assertEqual(r.status, 200, again)
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(again["state"], "running")
        # another month is another computation
        r, other, _ = self.start(s, {"month": last_month()})
        self.assertEqual(r.status, 202, other)
        self.assertNotEqual(other["id"], first["id"])
        release()
        for jid in (first["id"], other["id"]):
            self.assertEqual(self.wait_job(s, jid)["state"], "done")
        # once it ended, a new ask starts a new job
        r, third, _ = self.start(s, {})
        self.assertEqual(r.status, 202, third)
        self.assertNotEqual(third["id"], first["id"])
        self.assertEqual(self.wait_job(s, third["id"])["state"], "done")

    def test_a_city_sees_the_provinces_job_of_its_city(self):
        # the province computes 晋城市; the city asking for the same then gets that job
        release = self.hold_runs(YANGCHENG)
        province, city = self.login("shanxi"), self.login("jincheng")
        r, first, _ = self.start(province, {"area": "1405", "month": last_month()})
        self.assertEqual(r.status, 202, first)
        r, again, _ = self.start(city, {"month": last_month()})
        self.assertEqual(r.status, 200, again)
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(self.job(city, first["id"])["who"], "shanxi")
        release()
        self.assertEqual(self.wait_job(city, first["id"])["state"], "done")
        r, j, _ = self.indicators(city, "?month=" + last_month())
        self.assertEqual((r.status, j.get("computed_by")), (200, "shanxi"), j)

    def test_accounts_above_the_county_read_no_child(self):
        for name in ("shanxi", "jincheng"):
            s = self.login(name)
            for path in ("/api/v1/children", "/api/v1/summary", "/api/v1/reports/indicators",
                         "/api/v1/tasks", "/api/v1/users", "/api/v1/audit"):
                r, j, _ = self.call("GET", path, cookie=s[0])
                self.assertError(r, j, 403)
            # nor start a county's jobs
            r, j, _ = self.call("POST", "/api/v1/runs", {}, cookie=s[0], csrf=s[1])
            self.assertError(r, j, 403)
        # the province's administrator manages accounts, and reads no county's indicators
        s = self.login("padmin")
        r, j, _ = self.indicators(s)
        self.assertError(r, j, 403)
        r, j, _ = self.start(s)
        self.assertError(r, j, 403)
        r, j, _ = self.call("POST", "/api/v1/users", {"username": "tz2", "role": "township",
                                                      "township": "140521100",
                                                      "password": "another-pass-1"},
                            cookie=s[0], csrf=s[1])
        self.assertError(r, j, 400)
        self.assertIn("省级模式里只能建", j["error"]["message"])
        r, j, _ = self.call("POST", "/api/v1/users", {"username": "yc", "role": "city",
                                                      "area": "1405",
                                                      "password": "another-pass-1"},
                            cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 201, j)
        self.assertEqual(j["area"]["name"], "山西省晋城市")

    def test_county_server_has_no_province_screen(self):
        # a county's account does not exist on the province's server, nor the other way
        r, j, _ = self.call("POST", "/api/v1/session", {"username": "qs_county",
                                                       "password": PASSWORD})
        self.assertError(r, j, 401)
        # and a county account is refused the province's route on its county's server
        r, j, _ = http_county(self, "POST", "/api/v1/session",
                              {"username": "qs_county", "password": PASSWORD})
        self.assertEqual(r.status, 200, j)
        cookie = r.getheader("Set-Cookie").split(";")[0]
        r, j, _ = http_county(self, "GET", "/api/v1/province/indicators", cookie=cookie)
        self.assertError(r, j, 403)
        # a province's account there (copied in by hand: no command makes one) finds no
        # province's table, to read or to compute: 404
        r, j, _ = http_county(self, "POST", "/api/v1/session",
                              {"username": "shanxi", "password": PASSWORD})
        self.assertEqual(r.status, 200, j)
        cookie, csrf = r.getheader("Set-Cookie").split(";")[0], j["csrf_token"]
        r, j, _ = http_county(self, "GET", "/api/v1/province/indicators", cookie=cookie)
        self.assertError(r, j, 404, "not_found")
        self.assertIn("这里是一个县的服务", j["error"]["message"])
        r, j, _ = http_call(self.county_port, "POST", "/api/v1/province/indicators", {},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 404, "not_found")
        self.assertEqual(psql(county_dsn(self.dsn, QINSHUI),
                              "SELECT count(*) FROM job WHERE kind = 'province_indicators'"
                              ).strip(), "0")


def http_county(test, method, path, body=None, cookie=None):
    return http_call(test.county_port, method, path, body, cookie)


if __name__ == "__main__":
    unittest.main()
