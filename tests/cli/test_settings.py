"""baoxue settings: every setting the program reads is listed with its current value, default and
valid values; set refuses unknown keys and invalid values (exit 2, a Chinese message, nothing
written); every change is audited with the old and the new value, and takes effect where the
setting is used (a deadline, the age band)."""
import json
import unittest

from harness import BaoxueTest, make_id

KEYS = ["county", "year_start_mmdd", "cutoff_mmdd", "min_age", "max_age", "link_accept",
        "link_review", "link_margin", "casework_verify_days", "casework_review_days",
        "casework_first_visit_days", "casework_ladder_days", "casework_followup_months",
        "casework_followup_count", "school_holidays", "school_makeup_days", "term_autumn_start",
        "term_autumn_end", "term_spring_start", "term_spring_end", "import_shrink_percent",
        "attachment_max_mb", "send_teach_visits", "send_teach_hours", "atrisk_threshold",
        "atrisk_overage_years", "atrisk_weight_case", "atrisk_weight_group",
        "atrisk_weight_overage", "atrisk_weight_away", "atrisk_weight_illness",
        "atrisk_weight_absence", "atrisk_absence_cap",
        "warning_streak_days", "warning_task_days", "warning_dropout_days", "warning_month_days",
        "warning_sick_days", "warning_head_days", "warning_township_days", "monthly_confirm_day",
        "high_dropout_rate", "high_dropout_min",
        "bulletin_office", "bulletin_prefix", "bulletin_rectify_days", "demo"]


class Settings(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def bx(self, *args):
        return self.run_bx("settings", "--db", self.db, *args)

    def listed(self):
        code, out, err = self.bx("list", "--format", "json")
        self.assertEqual(code, 0, err)
        return {r["key"]: r for r in json.loads(out)["settings"]}

    def state(self):
        return (self.query("SELECT key, value FROM setting ORDER BY key"),
                self.scalar("SELECT count(*) FROM audit"))

    def test_list_shows_every_setting_with_its_default(self):
        rows = self.listed()
        self.assertEqual(list(rows), KEYS)
        self.assertEqual(rows["county"]["value"], "140521")
        self.assertEqual(rows["county"]["source"], "已设置")
        self.assertEqual(rows["casework_verify_days"]["value"], "10")
        self.assertEqual(rows["casework_review_days"]["value"], "5")
        self.assertEqual(rows["casework_verify_days"]["default"], "10")
        self.assertEqual(rows["casework_verify_days"]["source"], "默认")
        self.assertEqual(rows["cutoff_mmdd"]["default"], "831")
        self.assertEqual(rows["link_accept"]["default"], "12.0")
        self.assertTrue(all(r["label"] and r["range"] for r in rows.values()))
        code, out, err = self.bx("list", "--format", "table")
        self.assertEqual(code, 0, err)
        self.assertIn("核查期限（天）", out)

    def test_bad_values_are_refused_and_nothing_is_written(self):
        before = self.state()
        for args, needle in [
            (("set", "nonsense", "1"), "没有名为“nonsense”的设置项"),
            (("set", "casework_verify_days", "0"), "超出有效范围"),
            (("set", "casework_verify_days", "十天"), "不是有效的整数"),
            (("set", "cutoff_mmdd", "0231"), "不是有效的月日"),
            (("set", "link_review", "12"), "人工复核分数线须低于自动关联分数线"),
            (("set", "link_accept", "5"), "人工复核分数线须低于自动关联分数线"),
            (("set", "school_holidays", "2027-02-25..2027-01-20"), "开始日期..结束日期"),
            (("set", "demo", "0"), "由程序维护"),
            (("set", "county", "123456"), "不是已知的县级区划代码"),
            (("get", "nonsense"), "没有名为"),
            (("unset", "nonsense"), "没有名为"),
        ]:
            with self.subTest(args=args):
                code, out, err = self.bx(*args)
                self.assertCliError(code, err, 2, needle)
                self.assertEqual(self.state(), before)
        code, _, err = self.bx("set", "casework_verify_days")
        self.assertCliError(code, err, 2, "缺少值")

    def test_changes_are_audited_and_take_effect(self):
        out, _ = self.ok("settings", "--db", self.db, "set", "casework_verify_days", "7")
        self.assertIn("10 → 7", out)
        out, _ = self.ok("settings", "--db", self.db, "get", "casework_verify_days")
        self.assertEqual(out.strip(), "7")
        self.ok("settings", "--db", self.db, "set", "school_holidays", "2026-11-25..2026-11-28")
        row = self.query("SELECT actor, action, target, detail FROM audit"
                         " WHERE target = 'setting:casework_verify_days'")[0]
        self.assertEqual((row["action"], row["detail"]), ("setting_set", "10 → 7（原为默认）"))
        self.assertTrue(row["actor"])
        # the new deadline is used by the next cross-check: 2026-11-20 + 7 = 11-27, in the holiday
        pop = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"],
               ["王伟", "男", make_id("20150304", 101), "2015-03-04", "郑庄镇", "正常"]]
        enr = [["学校名称", "年级", "姓名", "性别", "出生日期", "身份证件号", "学籍状态"],
               ["郑庄中心小学", "五年级", "李娜", "女", "2015-05-06", make_id("20150506", 102), "在读"]]
        self.import_file("population", self.csv("pop.csv", pop))
        self.import_file("enrollment", self.csv("enr.csv", enr))
        self.ok("match", "--db", self.db)
        self.assertEqual(self.scalar("SELECT deadline FROM verify_task"), "2026-11-29")
        # the county is frozen once data is imported
        code, _, err = self.bx("set", "county", "140522")
        self.assertCliError(code, err, 2, "不能更改")
        out, _ = self.ok("settings", "--db", self.db, "unset", "casework_verify_days")
        self.assertIn("恢复默认", out)
        self.assertEqual(self.listed()["casework_verify_days"]["source"], "默认")
        self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action LIKE 'setting_%'"), 3)

    def test_a_value_stored_around_baoxue_is_named_when_it_is_used(self):
        self.execute("INSERT INTO setting (key, value) VALUES ('casework_verify_days', 'abc')")
        code, out, err = self.run_bx("tasks", "--db", self.db)
        self.assertNotEqual(code, 0)
        # named by its label, with where to put it right
        self.assertIn("核查期限（天）", err)
        self.assertIn("系统设置", err)
        self.assertNotIn("casework_verify_days", err)


if __name__ == "__main__":
    unittest.main()
