"""督导检查 and 限期整改 (issue 17), black box over the API on the demo county: a supervisor records
an inspection and its findings; the responsible school and township see only their own items,
submit evidence (text and a photo), and the supervisor accepts or returns; another unit can
neither see nor submit an item that is not its own; a supervisor's only writes are the
inspection rows (every other action row of the OpenAPI document refused); overdue items are on
the township's 待办; the 结果公告 PDF names units and no child; the demo's inspection is there.
"""

import json
import os
import subprocess
import unittest

from harness import (BIN, OTHER, TOWN, DemoServerTest, db_rows, db_value, env, multipart)
from test_attachments import png

INSPECT_ROWS = {"inspections.create", "inspections.finding", "rectifications.accept",
                "rectifications.return"}


class InspectionsTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        enr = "(SELECT max(id) FROM batch WHERE kind = 'enrollment')"
        schools = [r[0] for r in db_rows(cls.db, "SELECT DISTINCT school_code FROM record"
                                                 " WHERE batch_id = %s AND school_code <> ''"
                                                 " ORDER BY school_code" % enr)]
        cls.school, cls.school2 = schools[0], schools[1]
        for name, args in [("tz2", ["--role", "township", "--township", OTHER]),
                           ("sch", ["--role", "school", "--school", cls.school]),
                           ("sch2", ["--role", "school", "--school", cls.school2])]:
            cls.user_add(name, *args)

    def post(self, who, path, body):
        cookie, csrf = self.login(who)
        return self.call("POST", path, body, cookie, csrf)

    def get(self, who, path):
        cookie, _ = self.login(who)
        return self.call("GET", path, None, cookie)

    def inspection(self, units, findings, who="sup"):
        """A new inspection of `units` with findings [(unit, text, deadline)]: (id, item ids)."""
        r, j, _ = self.post(who, "/api/v1/inspections",
                            {"on": "2026-11-02", "inspectors": "张督学、李督学",
                             "units": "\n".join(units), "summary": "查阅台账，抽查到校情况"})
        self.assertEqual(r.status, 201, j)
        iid = j["id"]
        items = []
        for unit, text, deadline in findings:
            r, j, _ = self.post(who, "/api/v1/inspections/%d/findings" % iid,
                                {"unit": unit, "text": text, "person": "王主任",
                                 "deadline": deadline})
            self.assertEqual(r.status, 201, j)
            items.append(j["id"])
        return iid, items

    def item(self, who, iid, rid):
        r, j, _ = self.get(who, "/api/v1/inspections/%d" % iid)
        self.assertEqual(r.status, 200, j)
        return next((f["item"] for f in j["findings"] if f["item"]["id"] == rid), None)

    def test_1_inspection_rectification_evidence_acceptance(self):
        iid, (s_item, t_item) = self.inspection(
            [TOWN, self.school],
            [(self.school, "辍学学生台账未按月更新", "2026-12-15"),
             (TOWN, "劝返记录缺少入户走访佐证", "2026-12-20")])
        # each unit reads the inspection with its own item only
        r, j, _ = self.get("sch", "/api/v1/inspections/%d" % iid)
        self.assertEqual(r.status, 200, j)
        self.assertEqual([f["item"]["id"] for f in j["findings"]], [s_item])
        self.assertTrue(j["findings"][0]["item"]["may"]["submit"])
        self.assertFalse(j["findings"][0]["item"]["may"]["accept"])
        r, j, _ = self.get("tz", "/api/v1/inspections/%d" % iid)
        self.assertEqual([f["item"]["id"] for f in j["findings"]], [t_item])
        # the school submits its evidence: text and a photo
        cookie, csrf = self.login("sch")
        body, ctype = multipart({"note": "补全后的台账"}, [("file", "台账.png", png())])
        r, j, _ = self.call("POST", "/api/v1/rectifications/%d/attachments" % s_item, body,
                            cookie, csrf, {"Content-Type": ctype})
        self.assertEqual(r.status, 201, j)
        photo = j["id"]
        r, j, _ = self.post("sch", "/api/v1/rectifications/%d/submit" % s_item,
                            {"text": "已补全各班台账，班主任签字"})
        self.assertEqual(r.status, 200, j)
        it = self.item("sup", iid, s_item)
        self.assertEqual(it["state"], "submitted")
        self.assertEqual(it["state_label"], "已提交整改")
        self.assertEqual([p["id"] for p in it["photos"]], [photo])
        self.assertTrue(it["may"]["accept"])
        # the supervisor downloads the photo (audited) and accepts
        r, _, data = self.get("sup", "/api/v1/rectifications/%d/attachments/%d" % (s_item, photo))
        self.assertEqual(r.status, 200)
        self.assertTrue(data.startswith(b"\x89PNG"))
        r, j, _ = self.post("sup", "/api/v1/rectifications/%d/accept" % s_item,
                            {"text": "经现场核实，已整改到位"})
        self.assertEqual(r.status, 200, j)
        self.assertRegex(j["message"], "验收通过")
        it = self.item("sch", iid, s_item)
        self.assertEqual(it["state"], "accepted")
        self.assertEqual([h["action"] for h in it["history"]], ["open", "submit", "accept"])
        # accepted: nothing more to submit or decide
        r, j, _ = self.post("sch", "/api/v1/rectifications/%d/submit" % s_item, {"text": "再交"})
        self.assertError(r, j, 400)
        # the township: progress, submit, returned, submitted again, accepted by the county
        r, j, _ = self.post("tz", "/api/v1/rectifications/%d/progress" % t_item,
                            {"text": "已安排包保干部补做入户走访"})
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.post("sup", "/api/v1/rectifications/%d/accept" % t_item, {})
        self.assertError(r, j, 400)  # not submitted yet
        r, j, _ = self.post("tz", "/api/v1/rectifications/%d/submit" % t_item,
                            {"text": "已补充走访照片"})
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.post("sup", "/api/v1/rectifications/%d/return" % t_item, {})
        self.assertError(r, j, 400)  # a return says why
        r, j, _ = self.post("sup", "/api/v1/rectifications/%d/return" % t_item,
                            {"text": "缺少家长签字"})
        self.assertEqual(r.status, 200, j)
        self.assertEqual(self.item("tz", iid, t_item)["state"], "returned")
        r, j, _ = self.post("tz", "/api/v1/rectifications/%d/submit" % t_item,
                            {"text": "已补家长签字"})
        self.assertEqual(r.status, 200, j)
        r, j, _ = self.post("county", "/api/v1/rectifications/%d/accept" % t_item, {})
        self.assertEqual(r.status, 200, j)
        it = self.item("county", iid, t_item)
        self.assertEqual([h["action"] for h in it["history"]],
                         ["open", "progress", "submit", "return", "submit", "accept"])
        # the history is append-only, every step audited
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM rectify_event WHERE"
                                               " rectify_id = %d" % t_item)), 6)
        actions = [e["action"] for e in self.audit(target="rectify:%d" % t_item)]
        self.assertEqual(sorted(set(actions)), ["rectify_decide", "rectify_update"])

    def test_2_units_see_and_touch_only_their_own(self):
        iid, (s_item, t_item) = self.inspection(
            [TOWN, self.school], [(self.school, "控辍保学工作制度未上墙", "2026-12-15"),
                                  (TOWN, "台账缺页", "2026-12-15")])
        # another township, another school: the inspection does not exist for them
        for who in ("tz2", "sch2"):
            r, j, _ = self.get(who, "/api/v1/inspections/%d" % iid)
            self.assertError(r, j, 404)
            r, j, _ = self.get(who, "/api/v1/inspections")
            self.assertNotIn(iid, [row["id"] for row in j["inspections"]])
            for rid in (s_item, t_item):
                r, j, _ = self.post(who, "/api/v1/rectifications/%d/submit" % rid, {"text": "x"})
                self.assertError(r, j, 404)
        # the township cannot submit the school's item, nor the school the township's
        r, j, _ = self.post("tz", "/api/v1/rectifications/%d/submit" % s_item, {"text": "代交"})
        self.assertError(r, j, 404)
        r, j, _ = self.post("sch", "/api/v1/rectifications/%d/submit" % t_item, {"text": "代交"})
        self.assertError(r, j, 404)
        # the county reads every item but submits for no unit; a unit decides nothing
        r, j, _ = self.post("county", "/api/v1/rectifications/%d/submit" % t_item, {"text": "代交"})
        self.assertError(r, j, 403)
        r, j, _ = self.post("tz", "/api/v1/rectifications/%d/submit" % t_item, {"text": "已整改"})
        self.assertEqual(r.status, 200, j)
        for who in ("tz", "sch"):
            r, j, _ = self.post(who, "/api/v1/rectifications/%d/accept" % t_item, {})
            self.assertError(r, j, 403)
            r, j, _ = self.post(who, "/api/v1/inspections", {"inspectors": "某", "units": TOWN})
            self.assertError(r, j, 403)
        self.assertEqual(self.item("county", iid, t_item)["state"], "submitted")
        # a village or department account reads no inspection
        r, j, _ = self.get("tz2", "/api/v1/inspections/%d/notice.pdf" % iid)
        self.assertError(r, j, 404)

    def test_3_a_supervisor_writes_only_inspections_and_acceptances(self):
        r, doc, _ = self.call("GET", "/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        cookie, csrf = self.login("sup")
        before = int(db_value(self.db, "SELECT coalesce(max(id), 0) FROM audit"))
        tried, allowed = 0, set()
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method not in ("post", "put", "patch", "delete") or path == "/api/v1/session":
                    continue
                real = (path.replace("{id}", "1").replace("{name}", "admin")
                        .replace("{key}", "casework_verify_days"))
                action = op.get("x-action")
                self.assertTrue(action, (method, path))  # every write is an action row
                r, j, _ = self.call(method.upper(), real, {}, cookie, csrf)
                tried += 1
                if action in INSPECT_ROWS:
                    # refused for what it lacks (fields), never for who asks
                    self.assertIn(r.status, (400, 404), (action, j))
                    allowed.add(action)
                else:
                    self.assertEqual(r.status, 403, (action, method, path, j))
        self.assertEqual(allowed, INSPECT_ROWS)
        self.assertGreater(tried, 40)
        # the refusals changed nothing (the audit trail holds only the logins)
        after = db_rows(self.db, "SELECT action FROM audit WHERE id > %d" % before)
        self.assertEqual({a[0] for a in after} - {"login"}, set())
        # and the supervisor's session says so, for the web UI
        r, j, _ = self.call("GET", "/api/v1/session", None, cookie)
        self.assertIn("inspect", j["user"]["permissions"])

    def test_4_no_child_in_the_public_notice(self):
        r, j, _ = self.post("sup", "/api/v1/inspections",
                            {"inspectors": "张督学", "units": TOWN})
        iid = j["id"]
        # an ID number in a finding is refused: the findings are published
        some_id = db_value(self.db, "SELECT id_number FROM record WHERE id_number <> ''"
                                    " AND length(id_number) = 18 LIMIT 1")
        r, j, _ = self.post("sup", "/api/v1/inspections/%d/findings" % iid,
                            {"unit": TOWN, "text": "学生 %s 未核查" % some_id, "person": "李乡长",
                             "deadline": "2026-12-01"})
        self.assertError(r, j, 400)
        self.assertRegex(j["error"]["message"], "身份证号")
        r, j, _ = self.post("sup", "/api/v1/inspections/%d/findings" % iid,
                            {"unit": TOWN, "text": "疑似辍学学生核查逾期", "person": "李乡长",
                             "deadline": "2026-11-10"})
        self.assertError(r, j, 400)  # a deadline before the inspection (today)
        r, j, _ = self.post("sup", "/api/v1/inspections/%d/findings" % iid,
                            {"unit": TOWN, "text": "疑似辍学学生核查逾期", "person": "李乡长",
                             "deadline": "2026-12-10"})
        self.assertEqual(r.status, 201, j)
        r, _, data = self.get("tz", "/api/v1/inspections/%d/notice.pdf" % iid)
        self.assertEqual(r.status, 200)
        self.assertTrue(data.startswith(b"%PDF"))
        pdf = os.path.join(self.dir, "notice-%d.pdf" % iid)
        with open(pdf, "wb") as f:
            f.write(data)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], stdout=subprocess.PIPE,
                              check=True).stdout.decode("utf-8")
        flat = "".join(text.split())
        self.assertIn("督导检查结果公告", flat)
        self.assertIn("疑似辍学学生核查逾期", flat)
        self.assertIn("整改中", flat)
        # no child's name or ID: the names of the register (3 characters and more, not the
        # people of the registry) and no run of 15 or more digits
        people = {r[0] for r in db_rows(self.db, "SELECT name FROM person")}
        names = {r[0] for r in db_rows(self.db, "SELECT DISTINCT name FROM record"
                                                " WHERE length(name) >= 3")} - people
        leaked = sorted(n for n in names if n in flat)
        self.assertEqual(leaked, [])
        self.assertNotRegex(flat, r"\d{15}")
        # the command line writes the same document
        out = os.path.join(self.dir, "cli-%d.pdf" % iid)
        p = subprocess.run([BIN, "inspections", "notice", str(iid), "-o", out, "--db", self.db],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        with open(out, "rb") as f:
            self.assertTrue(f.read().startswith(b"%PDF"))

    def test_5_overdue_items_on_the_worklist_and_the_demo(self):
        # the demo's inspection: one accepted, one awaiting acceptance, one overdue
        states = sorted(r[0] for r in db_rows(self.db, "SELECT state FROM rectify WHERE"
                                                       " inspection_id = 1"))
        self.assertEqual(states, ["accepted", "open", "submitted"])
        iid, (late,) = self.inspection([OTHER], [(OTHER, "控辍保学联席会议未召开", "2026-11-10")])
        r, j, _ = self.get("tz2", "/api/v1/tasks?overdue=1")
        self.assertEqual(r.status, 200, j)
        mine = [t for t in j["tasks"] if t["object"] == "rectify"]
        self.assertIn(late, [int(t["object_id"]) for t in mine])
        self.assertTrue(all(t["status"].startswith("逾期") for t in mine))
        # not on another township's list
        r, j, _ = self.get("tz", "/api/v1/tasks?overdue=1&per_page=500")
        self.assertNotIn(late, [int(t["object_id"]) for t in j["tasks"] if t["object"] == "rectify"])
        # the county's list has it, and the command line's
        p = subprocess.run([BIN, "tasks", "--overdue", "--format", "json", "--db", self.db],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        rows = json.loads(p.stdout.decode())["tasks"]
        self.assertIn(str(late), [str(t["object_id"]) for t in rows if t["object"] == "rectify"])
        # the list says it overdue too
        r, j, _ = self.get("sup", "/api/v1/inspections")
        row = next(x for x in j["inspections"] if x["id"] == iid)
        self.assertEqual(row["overdue"], 1)


if __name__ == "__main__":
    unittest.main()
