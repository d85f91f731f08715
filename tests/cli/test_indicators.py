"""The indicators, their trend and the ranking (issue 17, report/indicators.h; docs/reports.md):
the JSON's shape, a township account's own township only, and the figures against counts read
from the database behind the program's back. The demo county carries two earlier 学籍 exports
(spring term, start of the school year), each cross-checked on its day."""

import json
import subprocess
import unittest

from harness import BIN, OTHER, TODAY, TOWN, DemoServerTest, db_rows, db_scalar, env

SCHOOL_AGE = "('enrolled', 'enrolled_elsewhere', 'not_enrolled', 'dropped_out', 'suspended'," \
             " 'pending_review', 'completed')"
ENROLLED = "('enrolled', 'enrolled_elsewhere', 'suspended', 'completed')"


class IndicatorsTest(DemoServerTest):
    HISTORY = True

    def report(self, session, name, query=""):
        r, j, raw = self.call("GET", "/api/v1/reports/%s?format=json%s" % (name, query),
                              cookie=session[0])
        self.assertEqual(r.status, 200, j)
        # a rate kept to two decimals reads as two decimals (98.53, not 98.530000000000001)
        self.assertNotRegex(raw.decode(), r"\d\.\d*(0{6,}|9{6,})\d")
        return j

    def cli(self, *args):
        p = subprocess.run([BIN, "report", "--db", self.db, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env(), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout.decode()

    # -- what the database says, read independently ----------------------------------------
    def latest_run(self):
        return db_scalar(self.db, "SELECT max(id) FROM match_run WHERE as_of <= '%s'" % TODAY)

    def home_ids(self):
        return {r[0] for r in db_rows(self.db, (
            "SELECT r.id_number FROM verify_task t JOIN record r ON r.id = t.record_id"
            " WHERE t.outcome = 'home_teaching' UNION SELECT r.id_number FROM case_file f"
            " JOIN record r ON r.id = f.record_id WHERE f.outcome = 'home_teaching'"
            " UNION SELECT r.id_number FROM placement p JOIN record r ON r.id = p.record_id"
            " WHERE p.kind = 'home_teaching'")) if r[0]}

    def enrolment(self, township=None):
        run = self.latest_run()
        where = " AND township_code = '%s'" % township if township else ""
        age = db_scalar(self.db, "SELECT coalesce(sum(n), 0) FROM run_count WHERE run_id = %d"
                        " AND status IN %s%s" % (run, SCHOOL_AGE, where))
        enrolled = db_scalar(self.db, "SELECT coalesce(sum(n), 0) FROM run_count WHERE run_id = %d"
                             " AND status IN %s%s" % (run, ENROLLED, where))
        home = self.home_ids()
        where = " AND r.township_code = '%s'" % township if township else ""
        rows = db_rows(self.db, "SELECT r.id_number FROM child_status cs JOIN record r"
                       " ON r.id = cs.record_id WHERE cs.run_id = %d AND cs.status IN"
                       " ('not_enrolled', 'dropped_out', 'pending_review')%s" % (run, where))
        enrolled += sum(1 for r in rows if r[0] in home)
        return int(age), int(enrolled)

    def batch_of_run(self, as_of):
        return db_scalar(self.db, "SELECT enrollment_batch FROM match_run WHERE as_of = '%s'"
                         % as_of)

    def dropout_county(self):
        """Pupils of the start-of-year list (the run of 15 September) and who of them the newest
        list shows 辍学 or a case opened this school year names."""
        start = self.batch_of_run("2026-09-15")
        latest = db_scalar(self.db, "SELECT max(id) FROM batch WHERE kind = 'enrollment'")
        pupils = db_rows(self.db, "SELECT id_number FROM record WHERE batch_id = %d"
                         " AND grade BETWEEN 1 AND 9 AND coalesce(enroll_status, 'active')"
                         " IN ('active', 'suspended')" % start)
        dropped_now = {r[0] for r in db_rows(self.db, "SELECT id_number FROM record"
                       " WHERE batch_id = %d AND enroll_status = 'dropped_out'" % latest)}
        cased = {r[0] for r in db_rows(self.db, "SELECT r.id_number FROM case_file c JOIN record r"
                 " ON r.id = c.record_id WHERE c.opened_on >= '2026-09-01'"
                 " AND c.opened_on <= '%s'" % TODAY)}
        dropped = sum(1 for (i,) in pupils if i and (i in dropped_now or i in cased))
        return len(pupils), dropped

    # -- the tests --------------------------------------------------------------------------
    def test_shape_and_county_figures(self):
        county = self.login("county")
        j = self.report(county, "indicators")
        for key in ("as_of", "county", "townships", "schools", "groups"):
            self.assertIn(key, j)
        self.assertEqual(j["as_of"], TODAY)
        self.assertGreaterEqual(len(j["townships"]), 5)
        for t in j["townships"]:
            for key in ("code", "name", "enrollment_rate", "retention_rate", "dropout_rate",
                        "verified_on_time", "overdue_tasks"):
                self.assertIn(key, t)
            self.assertRegex(t["name"], "[\u4e00-\u9fff]")
        c = j["county"]
        age, enrolled = self.enrolment()
        self.assertEqual((c["school_age"], c["enrolled"]), (age, enrolled))
        self.assertAlmostEqual(c["enrollment_rate"], round(100.0 * enrolled / age, 2), places=2)
        start, dropped = self.dropout_county()
        self.assertEqual((c["year_start"], c["dropped"]), (start, dropped))
        self.assertGreater(dropped, 0, "the demo's autumn term has dropouts")
        self.assertAlmostEqual(c["dropout_rate"], round(100.0 * dropped / start, 2), places=2)
        overdue = db_scalar(self.db, "SELECT count(*) FROM verify_task WHERE opened_on <= '%s'"
                            " AND deadline < '%s' AND (verified_on IS NULL OR verified_on > '%s')"
                            % (TODAY, TODAY, TODAY))
        self.assertEqual(c["overdue_tasks"], overdue)
        due = db_rows(self.db, "SELECT deadline, verified_on FROM verify_task"
                      " WHERE opened_on <= '%s' AND (deadline <= '%s' OR verified_on <= '%s')"
                      % (TODAY, TODAY, TODAY))
        self.assertEqual(c["tasks_due"], len(due))
        on_time = sum(1 for d, v in due if v and v <= d and v <= TODAY)
        self.assertEqual(c["verified_in_time"], on_time)
        # the retention cohort: the spring list followed to the newest; the rates are in 0..100
        self.assertGreater(c["cohort_base"], 0)
        self.assertIsNotNone(c["retention_rate"])
        self.assertLessEqual(c["cohort_kept"], c["cohort_base"])
        self.assertEqual(j["base_snapshot"], "2026-04-15")
        # the townships add up to the county
        for key in ("school_age", "enrolled", "year_start", "dropped", "cohort_base",
                    "overdue_tasks", "confirmed"):
            self.assertEqual(sum(t[key] for t in j["townships"]), c[key], key)
        # one township against the database too
        t = next(t for t in j["townships"] if t["code"] == OTHER)
        self.assertEqual((t["school_age"], t["enrolled"]), self.enrolment(OTHER))
        # the rates differ between townships (the demo's history makes them)
        self.assertGreater(len({t["dropout_rate"] for t in j["townships"]}), 1)

    def test_township_account_sees_its_own(self):
        tz = self.login("tz")
        j = self.report(tz, "indicators")
        self.assertEqual([t["code"] for t in j["townships"]], [TOWN])
        self.assertEqual(j["county"]["school_age"], self.enrolment(TOWN)[0])
        self.assertEqual(j["county"]["enrolled"], self.enrolment(TOWN)[1])
        self.assertTrue(j["schools"])
        self.assertEqual({s["township_code"] for s in j["schools"]}, {TOWN})
        # asking for another township gives nothing of it
        r, j2, _ = self.call("GET", "/api/v1/reports/indicators?format=json&township=" + OTHER,
                             cookie=tz[0])
        if r.status == 200:
            self.assertNotIn(OTHER, [t["code"] for t in j2["townships"]])
        else:
            self.assertIn(r.status, (403, 404))
        r = self.report(tz, "ranking")
        self.assertEqual([u["code"] for u in r["townships"]], [TOWN])

    def test_month_and_trend(self):
        out = json.loads(self.cli("indicators", "--month", "2026-10", "--format", "json"))
        self.assertEqual(out["as_of"], "2026-10-31")
        # on 31 October the newest run was September's
        sept = db_scalar(self.db, "SELECT id FROM match_run WHERE as_of = '2026-09-15'")
        self.assertEqual(out["run_id"], sept)
        trend = json.loads(self.cli("indicators-trend", "--format", "json"))
        months = [m["month"] for m in trend["months"]]
        self.assertEqual(months[-1], TODAY[:7])
        self.assertEqual(months[0], "2026-04", "the trend starts with the first run")
        self.assertEqual(trend["months"][-1]["as_of"], TODAY)
        self.assertIsNone(trend["months"][0]["retention_rate"], "one list: no cohort yet")
        now = json.loads(self.cli("indicators", "--format", "json"))
        self.assertEqual(trend["months"][-1]["enrollment_rate"], now["county"]["enrollment_rate"])
        self.assertTrue(trend["townships"] and trend["townships"][0]["points"])
        p = subprocess.run([BIN, "report", "--db", self.db, "indicators", "--month", "2027-03"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("月份", p.stderr.decode())

    def test_ranking_and_rule(self):
        sup = self.login("sup")
        j = self.report(sup, "ranking")
        orders = [u["order"] for u in j["townships"]]
        self.assertEqual(orders, list(range(1, len(orders) + 1)))
        means = [u["mean_rank"] for u in j["townships"] if u["mean_rank"] is not None]
        self.assertEqual(means, sorted(means))
        rate, least = float(j["high_dropout_rate"]), j["high_dropout_min"]
        for u in j["townships"]:
            flagged = (u["dropout_rate"] is not None and u["dropout_rate"] >= rate
                       and u["dropped"] >= least and u["dropped"] > 0)
            self.assertEqual(u["high_dropout"], flagged, u)
            self.assertEqual(u["high_dropout_text"], "辍学高发" if flagged else "")
        # 逾期整改 beside the ranking (issue 17's inspections): each township's items past their
        # deadline and not submitted, and those not accepted, as the database holds them
        late = {r[0]: (int(r[1]), int(r[2])) for r in db_rows(
            self.db, "SELECT unit_code, sum(CASE WHEN state IN ('open', 'returned') AND deadline"
                     " < '2026-11-20' THEN 1 ELSE 0 END), sum(CASE WHEN state <> 'accepted' THEN 1"
                     " ELSE 0 END) FROM rectify WHERE unit_kind = 'township' GROUP BY unit_code")}
        self.assertTrue(any(v[0] for v in late.values()), "the demo has an overdue item")
        for u in j["townships"]:
            self.assertEqual((u["rectify_overdue"], u["rectify_open"]), late.get(u["code"], (0, 0)), u)
        # a lower threshold flags every unit with at least that many dropped out
        p = subprocess.run([BIN, "settings", "--db", self.db, "set", "high_dropout_rate", "0.01"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        try:
            j = json.loads(self.cli("ranking", "--format", "json"))
            flagged = {u["code"] for u in j["townships"] if u["high_dropout"]}
            self.assertEqual(flagged, {u["code"] for u in j["townships"] if u["dropped"] >= least})
        finally:
            subprocess.run([BIN, "settings", "--db", self.db, "unset", "high_dropout_rate"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
        schools = json.loads(self.cli("ranking", "--by", "school", "--format", "json"))
        self.assertTrue(schools["schools"])
        self.assertEqual(schools["by"], "school")
        table = self.cli("ranking", "--format", "csv")
        self.assertIn("综合排名", table)
        p = subprocess.run([BIN, "report", "--db", self.db, "ranking", "--by", "village"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        self.assertEqual(p.returncode, 2)
        self.assertIn("排名对象", p.stderr.decode())

    def test_xlsx_and_groups(self):
        county = self.login("county")
        r, body, _ = self.call("GET", "/api/v1/reports/indicators?format=xlsx", cookie=county[0])
        self.assertEqual(r.status, 200)
        j = self.report(county, "indicators", "&group=all")
        self.assertEqual(len(j["groups"]), 8)
        self.assertTrue(any(g["school_age"] for g in j["groups"]))
        out = json.loads(self.cli("indicators", "--group", "脱贫户", "--format", "json"))
        self.assertEqual([g["code"] for g in out["groups"]], ["poverty"])


if __name__ == "__main__":
    unittest.main()
