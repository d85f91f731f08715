"""Issue 15, priority children first in the casework, black box on the demo county's own files:
its 户籍, 学籍 and 防返贫监测 lists imported and the cross-check run, the verification tasks of
the children the poverty list names come first — in 待办 (`baoxue tasks`, GET /api/v1/tasks), in
the verification list (`baoxue verify list`, GET /api/v1/verify) and within each village of the
走访清单 — and say why: each carries the child's groups [{key, label}] as `report groups` names
them, and the task's page does too. 待办 by due date alone on request (--by-due, order=due).
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import (BIN, Api, db_execute, db_value, env, init_county, new_db, start_server, stop_server,
                     user_add)

AS_OF = "2026-11-20"


def run(*args):
    p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                       timeout=300)
    assert p.returncode == 0, (args, p.stderr.decode())
    return p.stdout.decode()


def labels(groups):
    return [g["label"] for g in groups]


class PriorityTasks(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-priority-")
        files = os.path.join(cls.dir, "demo")
        run("demo", "--children", "2000", "--as-of", AS_OF, "--files-only", "--out", files)
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        for kind, name in [("population", "户籍适龄儿童花名册.csv"), ("enrollment", "学籍数据.xlsx"),
                           ("poverty", "防返贫监测对象家庭成员信息.xlsx")]:
            run("import", "--db", cls.db, "--kind", kind, os.path.join(files, name))
        run("match", "--db", cls.db, "--as-of", AS_OF)
        # the groups as report groups says them, by ID (every school-age child of a group)
        cls.truth = {c["id_number"]: c["groups"] for c in
                     json.loads(run("report", "--db", cls.db, "groups", "--format", "json"))["children"]}
        # the township cadre of the first priority child's task
        tasks = json.loads(run("verify", "--db", cls.db, "list", "--format", "json", "--full"))["tasks"]
        first = [t for t in tasks if t["groups"]]
        assert first, "the demo county has no task of a priority child"
        cls.town = first[0]["township"]
        code = db_value(cls.db, "SELECT township_code FROM verify_task WHERE id = %d"
                        % int(first[0]["task_id"]))
        user_add(cls.db, "county", "--role", "county")
        user_add(cls.db, "tz", "--role", "township", "--township", code)
        user_add(cls.db, "police", "--role", "department", "--department", "公安")
        cls.proc, cls.port = start_server(cls.db)

    @classmethod
    def tearDownClass(cls):
        err = stop_server(cls.proc)
        shutil.rmtree(cls.dir, True)
        assert "Sanitizer" not in err, err[-4000:]

    def cli(self, *args):
        return json.loads(run(*args[:1], "--db", self.db, *args[1:], "--format", "json"))

    def get(self, who, path, status=200):
        cookie, _ = self.login(who)
        r, j, _ = self.call("GET", path, cookie=cookie)
        self.assertEqual(r.status, status, j)
        return j

    def assertPriorityFirst(self, rows, what):
        flags = [bool(r["groups"]) for r in rows]
        self.assertIn(True, flags, what)
        self.assertIn(False, flags, what)
        self.assertEqual(flags, sorted(flags, reverse=True), what)

    def test_verify_list_priority_first_with_groups(self):
        tasks = self.cli("verify", "list", "--full")
        self.assertPriorityFirst(tasks["tasks"], "verify list")
        self.assertEqual(tasks["priority"], sum(1 for t in tasks["tasks"] if t["groups"]))
        for t in tasks["tasks"]:
            # every task says its child's groups, the same as report groups
            self.assertEqual(labels(t["groups"]), self.truth.get(t["id_number"], []), t)
            for g in t["groups"]:
                self.assertIn(g["key"], ("poverty", "monitored"))  # only the poverty list here
        # the township cadre's list over HTTP: the same order for its township's tasks
        j = self.get("tz", "/api/v1/verify?per_page=100")
        self.assertTrue(j["tasks"] and all(t["township"] == self.town for t in j["tasks"]))
        self.assertTrue(j["tasks"][0]["groups"])
        self.assertEqual(j["tasks"][0]["groups"][0]["label"],
                         self.truth[next(t["id_number"] for t in tasks["tasks"]
                                         if t["task_id"] == j["tasks"][0]["task_id"])][0])
        self.assertEqual([t["task_id"] for t in j["tasks"]],
                         [t["task_id"] for t in tasks["tasks"] if t["township"] == self.town])
        # the task's page says why; the text of `verify show` too
        first = j["tasks"][0]
        page = self.get("tz", "/api/v1/verify/%s" % first["task_id"])
        self.assertEqual(page["groups"], first["groups"])
        text = run("verify", "--db", self.db, "show", str(first["task_id"]))
        self.assertIn("重点群体：" + first["groups"][0]["label"], text)

    def test_todo_priority_first_and_by_due(self):
        todo = self.cli("tasks")
        rows = todo["tasks"]
        self.assertPriorityFirst(rows, "tasks")
        self.assertEqual(todo["priority"], sum(1 for t in rows if t["groups"]))
        # by due date alone: the same items, the worklist's order of due dates
        by_due = self.cli("tasks", "--by-due")["tasks"]
        self.assertEqual(sorted(json.dumps(r, sort_keys=True) for r in rows),
                         sorted(json.dumps(r, sort_keys=True) for r in by_due))
        self.assertEqual([r["due"] for r in by_due], sorted(r["due"] for r in by_due))
        # each part of the default order is by due date too
        for part in (True, False):
            due = [r["due"] for r in rows if bool(r["groups"]) == part]
            self.assertEqual(due, sorted(due))
        # a task's groups are its verification task's
        verify = {str(t["task_id"]): t["groups"] for t in self.cli("verify", "list")["tasks"]}
        for r in rows:
            if r["object"] == "task":
                self.assertEqual(r["groups"], verify[r["object_id"]], r)
        # the township cadre's 待办 over HTTP: its own township's, priority first
        j = self.get("tz", "/api/v1/tasks")
        self.assertEqual([(r["object"], r["object_id"], r["item"]) for r in j["tasks"]],
                         [(r["object"], r["object_id"], r["item"]) for r in rows
                          if r["township"] == self.town and r["object"] != "candidate"])
        self.assertTrue(j["tasks"][0]["groups"])
        self.assertGreaterEqual(j["priority"], 1)
        d = self.get("county", "/api/v1/tasks?order=due")
        self.assertEqual([(r["object"], r["object_id"], r["item"]) for r in d["tasks"]],
                         [(r["object"], r["object_id"], r["item"]) for r in by_due])
        err = self.get("county", "/api/v1/tasks?order=groups", 400)
        self.assertIn("排序方式", err["error"]["message"])

    def test_visit_sheet_priority_first_in_each_village(self):
        rows = self.cli("report", "visit-sheet", "--full")["visits"]
        self.assertTrue(any(r["groups"] for r in rows))
        villages = {}
        for r in rows:
            villages.setdefault((r["township"], r["village"]), []).append(bool(r["groups"]))
        for v, flags in villages.items():
            self.assertEqual(flags, sorted(flags, reverse=True), v)

    def test_department_reads_no_group_on_a_task(self):
        """The police read the 户籍问题 outcomes (closed tasks), masked: never the child's
        groups, on the list or on the task; the county reads them on the same task."""
        task = next(t for t in self.cli("verify", "list")["tasks"] if t["groups"])
        db_execute(self.db, "UPDATE verify_task SET state = 'closed', outcome = 'registration',"
                   " outcome_sub = 'hollow', verified_on = '%s' WHERE id = %d"
                   % (AS_OF, task["task_id"]))
        try:
            j = self.get("police", "/api/v1/verify?per_page=100")
            self.assertEqual([t["task_id"] for t in j["tasks"]], [task["task_id"]])
            self.assertEqual(j["tasks"][0]["groups"], [])
            page = self.get("police", "/api/v1/verify/%d" % task["task_id"])
            self.assertNotIn("groups", page)
            self.assertEqual(page["outcome"]["key"], "registration")
            county = self.get("county", "/api/v1/verify?state=closed&per_page=100")
            self.assertEqual(county["tasks"][0]["groups"], task["groups"])
        finally:
            db_execute(self.db, "UPDATE verify_task SET state = 'open', outcome = NULL,"
                       " outcome_sub = NULL, verified_on = NULL WHERE id = %d" % task["task_id"])

if __name__ == "__main__":
    unittest.main()
