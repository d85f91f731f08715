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

import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from harness import (BIN, PASSWORD, PG, Api, BaoxueTest, drain, env, http_call, psql,
                     start_server, stop_drained, user_add)

QINSHUI, YANGCHENG = "140521", "140522"


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


@unittest.skipUnless(PG, "PostgreSQL only: run as cli.test_province.pg")
class ProvinceTest(BaoxueTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="baoxue-province-")
        cls.dbname = "province_%d" % os.getpid()
        psql(PG, "CREATE DATABASE %s" % cls.dbname)
        cls.dsn = database_dsn(cls.dbname)
        for code in (QINSHUI, YANGCHENG):
            bx("province", "add", code, "--db", cls.dsn)
        # two demo counties of different sizes and seeds, each through its own connection string
        bx("demo", "--children", 1500, "--seed", 3, "--no-history", "--out",
           os.path.join(cls.tmp, "qinshui"), "--db", county_dsn(cls.dsn, QINSHUI))
        bx("demo", "--county", YANGCHENG, "--children", 1000, "--seed", 5, "--no-history",
           "--out", os.path.join(cls.tmp, "yangcheng"), "--db", county_dsn(cls.dsn, YANGCHENG))

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
    accounts read the counties' indicators of their area and nothing else."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="baoxue-province-srv-")
        cls.dbname = "province_srv_%d" % os.getpid()
        psql(PG, "CREATE DATABASE %s" % cls.dbname)
        cls.dsn = database_dsn(cls.dbname)
        for code in (QINSHUI, YANGCHENG, "140702"):  # 140702: 晋中市榆次区, another city
            bx("province", "add", code, "--db", cls.dsn)
        bx("demo", "--children", 1200, "--seed", 7, "--no-history", "--out",
           os.path.join(cls.tmp, "qinshui"), "--db", county_dsn(cls.dsn, QINSHUI))
        bx("demo", "--county", YANGCHENG, "--children", 800, "--seed", 9, "--no-history",
           "--out", os.path.join(cls.tmp, "yangcheng"), "--db", county_dsn(cls.dsn, YANGCHENG))
        cls.db = schema_dsn(cls.dsn, "province")
        user_add(cls.db, "shanxi", "--role", "province", "--area", "14")
        user_add(cls.db, "jincheng", "--role", "city", "--area", "1405")
        user_add(cls.db, "padmin", "--role", "admin")
        # a county's own account, in the county's schema
        user_add(county_dsn(cls.dsn, QINSHUI), "qs_county", "--role", "county")
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

    def test_province_account_reads_every_county_of_its_province(self):
        s = self.login("shanxi")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=s[0])
        self.assertEqual(j["user"]["role_label"], "省教育厅")
        self.assertEqual(j["user"]["area"], {"code": "14", "name": "山西省"})
        self.assertEqual(j["user"]["permissions"], ["session", "province"])
        r, j, _ = self.indicators(s)
        self.assertEqual(r.status, 200, j)
        codes = [c["code"] for c in j["counties"]]
        self.assertEqual(sorted(codes), sorted([QINSHUI, YANGCHENG, "140702"]))
        # the county without data yet keeps its row, unranked, and says why
        empty = [c for c in j["counties"] if c["code"] == "140702"][0]
        self.assertIn("还没有比对", empty["note"])
        self.assertEqual(j["totals"]["school_age"],
                         sum(c["school_age"] or 0 for c in j["counties"]))
        # one city of the province, and a download of it
        r, j, _ = self.indicators(s, "?area=1405")
        self.assertEqual(sorted(c["code"] for c in j["counties"]), [QINSHUI, YANGCHENG])
        r = self.call("GET", "/api/v1/province/indicators?area=1405&format=xlsx", cookie=s[0])[0]
        self.assertEqual(r.status, 200)
        self.assertIn("spreadsheetml", r.getheader("Content-Type"))

    def test_city_account_reads_its_city_only(self):
        s = self.login("jincheng")
        r, j, _ = self.indicators(s)
        self.assertEqual(r.status, 200, j)
        self.assertEqual(sorted(c["code"] for c in j["counties"]), [QINSHUI, YANGCHENG])
        self.assertEqual(j["caption"], "山西省晋城市各县控辍保学指标和排名")
        r, j, _ = self.indicators(s, "?area=%s" % QINSHUI)
        self.assertEqual([c["code"] for c in j["counties"]], [QINSHUI])
        for area in ("14", "1407", "140702"):
            r, j, _ = self.indicators(s, "?area=" + area)
            self.assertError(r, j, 403, "forbidden")
        r, j, _ = self.indicators(s, "?month=2099-01")
        self.assertError(r, j, 400)

    def test_accounts_above_the_county_read_no_child(self):
        for name in ("shanxi", "jincheng"):
            s = self.login(name)
            for path in ("/api/v1/children", "/api/v1/summary", "/api/v1/reports/indicators",
                         "/api/v1/tasks", "/api/v1/users", "/api/v1/audit"):
                r, j, _ = self.call("GET", path, cookie=s[0])
                self.assertError(r, j, 403)
        # the province's administrator manages accounts, and reads no county's indicators
        s = self.login("padmin")
        r, j, _ = self.indicators(s)
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
        r, j, _ = http_county(self, "POST", "/api/v1/session",
                              {"username": "shanxi", "password": PASSWORD})
        self.assertError(r, j, 401)
        # and a county account is refused the province's route on its county's server
        r, j, _ = http_county(self, "POST", "/api/v1/session",
                              {"username": "qs_county", "password": PASSWORD})
        self.assertEqual(r.status, 200, j)
        cookie = r.getheader("Set-Cookie").split(";")[0]
        r, j, _ = http_county(self, "GET", "/api/v1/province/indicators", cookie=cookie)
        self.assertError(r, j, 403)


def http_county(test, method, path, body=None, cookie=None):
    return http_call(test.county_port, method, path, body, cookie)


if __name__ == "__main__":
    unittest.main()
