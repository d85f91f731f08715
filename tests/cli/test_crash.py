"""kill -9 at random points: `baoxue import` and `baoxue match` on a generated county, each
killed at least 20 times at seeded random moments of its run. After every kill the database
must be intact (PRAGMA integrity_check on SQLite), hold the import's batch or the run whole or
not at all, and nothing may be left in the database's directory or in TMPDIR (a private one);
then the command runs again to its end.

On PostgreSQL (the .pg variant) the client is what is killed: the server must roll its
transaction back just the same.
"""

import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

from harness import BIN, COUNTY, PG, BaoxueTest

CHILDREN = 4000  # an import or a match of this county takes well under a second on SQLite
KILLS = 20
SEED = 11


class Crash(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.tmp = self.path("tmp")
        self.out = self.path("out")
        os.makedirs(self.tmp)
        os.makedirs(self.out)
        self.files = self.path("files")
        self.ok("demo", "--out", self.files, "--children", CHILDREN, "--seed", 7, "--files-only",
                env={"TMPDIR": self.tmp})
        self.pop = os.path.join(self.files, "户籍适龄儿童花名册.csv")
        self.enr = os.path.join(self.files, "学籍数据.xlsx")
        self.outside = os.path.join(self.files, "外出就读学生名单.xlsx")
        for p in (self.pop, self.enr, self.outside):
            self.assertTrue(os.path.exists(p), p)
        self.init_db(county=COUNTY)
        self.rng = random.Random(SEED)

    # -- running and killing -----------------------------------------------------------------
    def start(self, *args):
        return subprocess.Popen([BIN, *map(str, args)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=self.env({"TMPDIR": self.tmp}), cwd=self.dir)

    def timed(self, *args):
        """Run to the end; its duration."""
        t0 = time.monotonic()
        p = self.start(*args)
        _, err = p.communicate(timeout=300)
        self.assertEqual(p.returncode, 0, err.decode("utf-8", "replace"))
        return time.monotonic() - t0

    def killed(self, args, duration):
        """Start, kill -9 at a random moment of a run that lasts `duration`; whether it was
        killed (False: it had finished)."""
        delay = self.rng.uniform(0, duration * 1.15)
        p = self.start(*args)
        try:
            time.sleep(delay)
            alive = p.poll() is None
            if alive:
                os.kill(p.pid, signal.SIGKILL)
            _, err = p.communicate(timeout=120)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        # it may have ended between the look and the kill: then it finished
        self.assertIn(p.returncode, (0, -signal.SIGKILL) if alive else (0,), err.decode("utf-8", "replace"))
        return p.returncode == -signal.SIGKILL

    # -- what must hold after each kill --------------------------------------------------------
    def assertIntact(self):
        if PG:
            return  # the server's own business; the checks below read through it
        con = sqlite3.connect(self.db, timeout=30)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
        finally:
            con.close()

    def assertNothingLeft(self, rejects_allowed, journal_allowed=True):
        """Nothing of ours in TMPDIR, beside the database or in the output directory. SQLite's
        own rollback journal may stay after a kill when it is stale (killed before the journal
        was synced: empty or its header still zero, nothing to roll back, the database
        untouched): the next open removes it. A hot one would have been rolled back by the
        check's read."""
        self.assertEqual(os.listdir(self.tmp), [], "left in TMPDIR")
        want = {"tmp", "out", "files"} | ({"baoxue.db"} if not PG else set())
        found = set(os.listdir(self.dir))
        journal = self.db + "-journal"
        if journal_allowed and not PG and os.path.exists(journal):
            with open(journal, "rb") as f:  # empty, or its header still zero: not hot
                self.assertFalse(any(f.read(8)), "a hot journal left after the database was read")
            found.discard("baoxue.db-journal")
        self.assertEqual(found, want, "left beside the database")
        left = os.listdir(self.out)
        self.assertEqual(left, ["拒绝.csv"] if rejects_allowed and left else [], "left in the output directory")

    def batches_whole(self, rows, rejected):
        """Every population batch holds the file's rows, its rejects and its keys; no record or
        reject belongs to a batch that is not there. (One query each: on PostgreSQL every
        query is a psql.)"""
        for b in self.query(
                "SELECT b.id, b.rows_imported, b.rows_rejected,"
                " (SELECT count(*) FROM record r WHERE r.batch_id = b.id) AS records,"
                " (SELECT count(*) FROM reject j WHERE j.batch_id = b.id) AS rejects,"
                " (SELECT count(*) FROM batch_keys k WHERE k.batch_id = b.id) AS keys"
                " FROM batch b WHERE b.kind = 'population'"):
            self.assertEqual((b["rows_imported"], b["records"], b["rows_rejected"], b["rejects"], b["keys"]),
                             (rows, rows, rejected, rejected, 1), b)
        strays = self.query(
            "SELECT (SELECT count(*) FROM record WHERE batch_id NOT IN (SELECT id FROM batch)) AS records,"
            " (SELECT count(*) FROM reject WHERE batch_id NOT IN (SELECT id FROM batch)) AS rejects,"
            " (SELECT count(*) FROM audit WHERE action = 'import') - (SELECT count(*) FROM batch) AS audits")[0]
        self.assertEqual(strays, {"records": 0, "rejects": 0, "audits": 0})

    RUN_SHAPE = (
        " (SELECT coalesce(sum(n), 0) FROM run_status x WHERE x.run_id = m.id) AS statuses,"
        " (SELECT coalesce(sum(n), 0) FROM run_count x WHERE x.run_id = m.id) AS counted,"
        " (SELECT count(*) FROM link x WHERE x.run_id = m.id) AS links,"
        " (SELECT count(*) FROM candidate x WHERE x.run_id = m.id) AS candidates,"
        " CASE WHEN m.finished_at IS NULL THEN 0 ELSE 1 END AS finished,"
        " (SELECT count(*) FROM audit a WHERE a.action = 'casework' AND a.target = 'run:' || m.id)"
        "  AS casework,"
        " (SELECT count(*) FROM verify_task x WHERE x.run_id = m.id) AS tasks")

    def runs(self):
        return self.query("SELECT m.id," + self.RUN_SHAPE + " FROM match_run m ORDER BY m.id")

    @staticmethod
    def shape_of(run):
        return tuple(run[k] for k in ("statuses", "counted", "links", "candidates", "finished"))

    def runs_whole(self, shape):
        """Every run stored whole, the same as the first; the casework after a run is a
        transaction of its own: all of it, or no task of that run."""
        for r in self.runs():
            self.assertEqual(self.shape_of(r), shape, r)
            if not r["casework"]:
                self.assertEqual(r["tasks"], 0, r)
        strays = self.query("SELECT " + ", ".join(
            "(SELECT count(*) FROM %s WHERE run_id NOT IN (SELECT id FROM match_run)) AS %s" % (t, t)
            for t in ("run_status", "run_count", "link", "candidate", "child_status")))[0]
        self.assertEqual(set(strays.values()), {0}, strays)

    # -- the tests ----------------------------------------------------------------------------
    def test_import_killed_at_random_points(self):
        rejects = os.path.join(self.out, "拒绝.csv")
        args = ["import", "--db", self.db, "--kind", "population", "--force", "--no-progress",
                "--rejects", rejects, self.pop]
        duration = self.timed(*args)
        first = self.query("SELECT rows_imported, rows_rejected FROM batch")[0]
        rows, rejected = first["rows_imported"], first["rows_rejected"]
        self.assertGreater(rows, CHILDREN // 2)
        kills = 0
        while kills < KILLS:
            os.unlink(rejects) if os.path.exists(rejects) else None
            before = self.scalar("SELECT count(*) FROM batch")
            kills += self.killed(args, duration)
            self.assertIntact()
            after = self.scalar("SELECT count(*) FROM batch")
            self.assertIn(after, (before, before + 1))
            self.batches_whole(rows, rejected)
            # the list of rejected rows is there only for an import that is
            if os.path.exists(rejects):
                self.assertEqual(after, before + 1)
            self.assertNothingLeft(rejects_allowed=True)
        # and it still works, leaving nothing but the database
        self.timed(*args)
        self.assertIntact()
        self.batches_whole(rows, rejected)
        self.assertTrue(os.path.exists(rejects))
        self.assertNothingLeft(rejects_allowed=True, journal_allowed=False)

    def test_match_killed_at_random_points(self):
        for kind, path in (("population", self.pop), ("enrollment", self.enr), ("outside", self.outside)):
            self.ok("import", "--db", self.db, "--kind", kind, "--no-progress", path, env={"TMPDIR": self.tmp})
        args = ["match", "--db", self.db]
        duration = self.timed(*args)
        shape = self.shape_of(self.runs()[-1])
        self.assertGreater(shape[0], CHILDREN // 2)
        kills = 0
        while kills < KILLS:
            before = self.scalar("SELECT count(*) FROM match_run")
            kills += self.killed(args, duration)
            self.assertIntact()
            self.assertIn(self.scalar("SELECT count(*) FROM match_run"), (before, before + 1))
            self.runs_whole(shape)
            self.assertNothingLeft(rejects_allowed=False)
        self.timed(*args)
        self.assertIntact()
        self.runs_whole(shape)
        self.assertNothingLeft(rejects_allowed=False, journal_allowed=False)


if __name__ == "__main__":
    unittest.main()
