"""Issue 14, black box over HTTP: a village account (村（社区）) works only the tasks and cases of
its villages' children; an account is linked to its person of the registry, whose name the
timelines and the audit log show; a school account is made only for a school of the 学籍 list.
The server runs on the demo county (a fresh PostgreSQL schema when BAOXUE_TEST_PG is set).
"""

import unittest

from harness import OTHER, TOWN, DemoServerTest, db_rows, db_value, multipart


class VillageAndPeopleTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the two villages of TOWN with the most open tasks: the account's, and its neighbour
        rows = db_rows(cls.db, "SELECT r.village, count(*) FROM verify_task v"
                               " JOIN record r ON r.id = v.record_id"
                               " WHERE v.township_code = '%s' AND v.state = 'open'"
                               " GROUP BY r.village ORDER BY count(*) DESC, r.village" % TOWN)
        cls.village, cls.neighbour = rows[0][0], rows[1][0]
        cls.cadre = db_rows(cls.db, "SELECT id, name FROM person WHERE org_kind = 'village'"
                                    " AND township_code = '%s' ORDER BY id" % TOWN)[0]
        cls.user_add("cun", "--role", "village", "--township", TOWN, "--villages", cls.village,
                     "--person", str(cls.cadre[0]))

    def tasks_of(self, where):
        return {int(r[0]) for r in db_rows(
            self.db, "SELECT v.id FROM verify_task v JOIN record r ON r.id = v.record_id"
                     " WHERE " + where)}

    def own(self):
        return self.tasks_of("v.township_code = '%s' AND r.village = '%s'" % (TOWN, self.village))

    # -- a village account: its villages' tasks and cases, nothing else --------------------------
    def test_lists_hold_only_its_villages(self):
        cookie, _ = self.login("cun")
        r, j, _ = self.call("GET", "/api/v1/verify?state=all", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({t["task_id"] for t in j["tasks"]}, self.own())
        self.assertTrue(j["tasks"])
        self.assertEqual({t["village"] for t in j["tasks"]}, {self.village})
        r, j, _ = self.call("GET", "/api/v1/cases?state=all", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({c["village"] for c in j["cases"]} - {self.village}, set())
        # another township's list is no way round
        r, j, _ = self.call("GET", "/api/v1/verify?state=all&township=" + OTHER, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertEqual({t["village"] for t in j["tasks"]} - {self.village}, set())

    def test_others_do_not_exist_for_it(self):
        cookie, csrf = self.login("cun")
        neighbour = min(self.tasks_of("v.township_code = '%s' AND r.village = '%s'"
                                      % (TOWN, self.neighbour)))
        elsewhere = min(self.tasks_of("v.township_code = '%s'" % OTHER))
        for task in (neighbour, elsewhere):
            r, j, _ = self.call("GET", "/api/v1/verify/%d" % task, cookie=cookie)
            self.assertError(r, j, 404)
            r, j, _ = self.call("POST", "/api/v1/verify/%d/outcome" % task,
                                {"outcome": "确认失学辍学", "by": self.cadre[0], "reason": "厌学"},
                                cookie=cookie, csrf=csrf)
            self.assertError(r, j, 404)
        # nothing township-wide: no list of children, no counts, no registry, no 待办
        for path in ("/api/v1/children", "/api/v1/summary", "/api/v1/dashboard", "/api/v1/people",
                     "/api/v1/tasks", "/api/v1/children/1"):
            r, j, _ = self.call("GET", path, cookie=cookie)
            self.assertError(r, j, 403)
        # the township's account still reaches the village's tasks
        tz, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % min(self.own()), cookie=tz)
        self.assertEqual(r.status, 200, j)

    def test_records_an_outcome_and_visits(self):
        cookie, csrf = self.login("cun")
        task = min(self.tasks_of("v.township_code = '%s' AND r.village = '%s' AND v.state = 'open'"
                                 % (TOWN, self.village)))
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % task, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["may"]["record"], j["may"])
        r, j, _ = self.call("POST", "/api/v1/verify/%d/outcome" % task,
                            {"outcome": "确认失学辍学", "by": self.cadre[0], "reason": "厌学"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        # the timeline names the person, beside the account
        r, j, _ = self.call("GET", "/api/v1/verify/%d" % task, cookie=cookie)
        last = j["timeline"][-1]
        self.assertEqual(last["actor"], "cun")
        self.assertEqual(last["actor_name"], self.cadre[1])
        # …and photographs what it recorded (the photo follows the outcome's right)
        from test_attachments import png
        body, ctype = multipart({"note": "入户照片"}, [("file", "入户.png", png())])
        r, j, _ = self.call("POST", "/api/v1/verify/%d/attachments" % task, body, cookie, csrf,
                            {"Content-Type": ctype})
        self.assertEqual(r.status, 201, j)
        case = int(db_value(self.db, "SELECT id FROM case_file WHERE task_id = %d" % task))
        base = "/api/v1/cases/%d" % case
        r, j, _ = self.call("GET", base, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["may"]["attempt"])
        self.assertFalse(j["may"]["escalate"])
        r, j, _ = self.call("POST", base + "/attempts",
                            {"method": "家访", "people": "村干部、家长", "result": "未同意返校"},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        # the legal ladder stays the township's
        r, j, _ = self.call("POST", base + "/escalate",
                            {"step": "宣传教育", "authority": "龙港镇人民政府"},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 403)

    # -- accounts -------------------------------------------------------------------------------
    def test_village_account_needs_villages_of_its_township(self):
        cookie, csrf = self.login("admin")
        for body, field in [
            ({"township": TOWN, "villages": "没有这个村"}, "villages"),
            ({"township": TOWN}, "villages"),
            ({"villages": self.village}, "township"),
            # a village of the same name elsewhere is not one of this township's
            ({"township": OTHER, "villages": self.village}, "villages"),
        ]:
            before = db_value(self.db, "SELECT count(*) FROM app_user")
            r, j, _ = self.call("POST", "/api/v1/users",
                                dict(username="v-bad", role="village", password="long-enough-1",
                                     **body), cookie=cookie, csrf=csrf)
            self.assertError(r, j, 400)
            self.assertEqual(j["error"].get("field"), field, j)
            self.assertEqual(db_value(self.db, "SELECT count(*) FROM app_user"), before)
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "v-two", "role": "村", "password": "long-enough-1",
                             "township": TOWN, "villages": "%s、%s" % (self.village, self.neighbour)},
                            cookie=cookie, csrf=csrf)
        self.assertIn(r.status, (200, 201), j)
        r, j, _ = self.call("GET", "/api/v1/users", cookie=cookie)
        mine = [u for u in j["items"] if u["name"] == "v-two"][0]
        self.assertEqual(mine["role"], "village")
        self.assertEqual(sorted(mine["villages"]), sorted([self.village, self.neighbour]))

    def test_school_code_must_be_in_the_enrollment_list(self):
        cookie, csrf = self.login("admin")
        r, j, _ = self.call("GET", "/api/v1/schools", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertTrue(j["list"])
        school = j["schools"][0]
        self.assertTrue(school["name"])
        self.assertEqual(school["name"], db_value(
            self.db, "SELECT max(school_name) FROM record WHERE school_code = '%s'"
            " AND batch_id = (SELECT max(id) FROM batch WHERE kind = 'enrollment')"
            % school["code"]))
        before = db_value(self.db, "SELECT count(*) FROM app_user")
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "s-bad", "role": "school", "school": "abc",
                             "password": "long-enough-1"}, cookie=cookie, csrf=csrf)
        self.assertError(r, j, 400)
        self.assertEqual(j["error"].get("field"), "school")
        self.assertIn("学籍名单", j["error"]["message"])
        self.assertEqual(db_value(self.db, "SELECT count(*) FROM app_user"), before)
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "s-good", "role": "school", "school": school["code"],
                             "password": "long-enough-1"}, cookie=cookie, csrf=csrf)
        self.assertIn(r.status, (200, 201), j)
        r, j, _ = self.call("GET", "/api/v1/users", cookie=cookie)
        mine = [u for u in j["items"] if u["name"] == "s-good"][0]
        self.assertEqual(mine["school_name"], school["name"])
        # the list of schools is the admin's
        tz, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/schools", cookie=tz)
        self.assertError(r, j, 403)

    def test_account_is_a_person(self):
        cookie, csrf = self.login("admin")
        person = db_rows(self.db, "SELECT id, name, org FROM person WHERE org_kind = 'township'"
                                  " AND township_code = '%s' ORDER BY id" % TOWN)[0]
        # created for a person: linked at once
        r, j, _ = self.call("POST", "/api/v1/users",
                            {"username": "tz-person", "role": "township", "township": TOWN,
                             "person": person[1], "password": "long-enough-1"},
                            cookie=cookie, csrf=csrf)
        self.assertIn(r.status, (200, 201), j)
        me, _ = self.login("tz-person", "long-enough-1")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=me)
        self.assertEqual(j["user"]["person"], {"id": int(person[0]), "name": person[1],
                                               "org": person[2]})
        # unlinked, then linked again by number; each change audited
        r, j, _ = self.call("POST", "/api/v1/users/tz-person/person", {"person": None},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.call("GET", "/api/v1/session", cookie=me)
        self.assertIsNone(j["user"]["person"])
        r, j, _ = self.call("POST", "/api/v1/users/tz-person/person", {"person": "999999"},
                            cookie=cookie, csrf=csrf)
        self.assertError(r, j, 400)
        r, j, _ = self.call("POST", "/api/v1/users/tz-person/person", {"person": str(person[0])},
                            cookie=cookie, csrf=csrf)
        self.assertEqual(r.status, 200, j)
        self.assertIn(person[1], j["message"])
        r, j, _ = self.call("GET", "/api/v1/session", cookie=me)
        self.assertEqual(j["user"]["person"]["name"], person[1])
        r, j, _ = self.call("GET", "/api/v1/audit?action=user_person", cookie=cookie)
        self.assertEqual(r.status, 200, j)
        self.assertGreaterEqual(j["total"], 2)
        self.assertIn(person[1], j["items"][0]["detail"])
        # the audit log names the person who signed in
        r, j, _ = self.call("GET", "/api/v1/audit?actor=tz-person", cookie=cookie)
        self.assertTrue(j["items"])
        self.assertEqual({a["actor_name"] for a in j["items"]}, {person[1]})
        # only the admin links accounts
        tz, tz_csrf = self.login("tz")
        r, j, _ = self.call("POST", "/api/v1/users/tz/person", {"person": str(person[0])},
                            cookie=tz, csrf=tz_csrf)
        self.assertError(r, j, 403)


if __name__ == "__main__":
    unittest.main()
