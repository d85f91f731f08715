"""Issue 14, the dashboard's charts, black box on the demo county: the trend is one point a
month (the month's last finished cross-check), not one a run, so that several runs of a day
are not several points; each township carries its work (verification tasks and cases: all,
done, in hand, overdue) for the rates the dashboard compares the townships by.
"""
import subprocess

from harness import BIN, TOWN, BaoxueTest, DemoServerTest, db_rows


class DashboardCharts(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo's run (2026-11-20), one in October, and two more on the demo's day
        for as_of in ["2026-10-15", "2026-11-20", "2026-11-20"]:
            p = subprocess.run([BIN, "match", "--db", cls.db, "--as-of", as_of, "--no-progress"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=BaoxueTest.env(), timeout=300)
            assert p.returncode == 0, p.stderr.decode("utf-8", "replace")

    def dashboard(self, who, query=""):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", "/api/v1/dashboard" + query, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return j

    def test_trend_is_one_point_a_month(self):
        runs = {int(i): a for i, a in db_rows(self.db, "SELECT id, as_of FROM match_run")}
        self.assertEqual(len(runs), 4)
        d = self.dashboard("county")
        self.assertEqual([p["month"] for p in d["trend"]], ["2026-10", "2026-11"])
        # each month's point is its newest run: October's one, November's last of three
        october = max(i for i, a in runs.items() if a.startswith("2026-10"))
        self.assertEqual([p["run_id"] for p in d["trend"]], [october, max(runs)])
        self.assertEqual(d["trend"][-1]["run_id"], d["run_id"])
        self.assertEqual(d["trend"][-1]["school_age"], d["ledgers"]["school_age"])
        # a township's account: the same months, its own counts
        t = self.dashboard("tz")
        self.assertEqual([p["month"] for p in t["trend"]], ["2026-10", "2026-11"])
        own = sum(t["townships"][0]["counts"].get(k, 0) for k in ("not_enrolled", "dropped_out"))
        last = t["trend"][-1]["counts"]
        self.assertEqual(last.get("not_enrolled", 0) + last.get("dropped_out", 0), own)

    def test_townships_carry_their_work(self):
        d = self.dashboard("county")
        today = d["today"]
        for t in d["townships"]:
            code, w = t["township_code"], t["work"]
            tasks = db_rows(self.db, "SELECT state, deadline FROM verify_task WHERE township_code = '%s'" % code)
            self.assertEqual(w["tasks"], len(tasks), code)
            self.assertEqual(w["verified"], sum(1 for s, _ in tasks if s != "open"), code)
            self.assertEqual(w["tasks_open"], sum(1 for s, _ in tasks if s != "closed"), code)
            self.assertEqual(w["tasks_overdue"], sum(1 for s, dl in tasks if s != "closed" and dl < today), code)
            cases = db_rows(self.db, "SELECT state FROM case_file WHERE township_code = '%s'" % code)
            self.assertEqual(w["cases"], len(cases), code)
            self.assertEqual(w["returned"], sum(1 for (s,) in cases if s != "open"), code)
            self.assertEqual(w["cases_open"], sum(1 for (s,) in cases if s == "open"), code)
            self.assertLessEqual(w["cases_overdue"], w["cases_open"])
        self.assertGreater(sum(t["work"]["tasks"] for t in d["townships"]), 0)
        # a township's account reads its own township's work only
        own = self.dashboard("tz")["townships"]
        self.assertEqual([x["township_code"] for x in own], [TOWN])
        self.assertEqual(own[0]["work"], next(x["work"] for x in d["townships"] if x["township_code"] == TOWN))
