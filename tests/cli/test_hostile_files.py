"""Hostile files (hostile.py: shared-string and zip bombs, DTDs, deep XML, damaged encodings,
a million rows of one column, 100 KB names, a 户籍 file offered as 学籍…), each refused by
`baoxue import` with its Chinese reason and nothing stored; and the shared-string bomb over the
upload API, as a department would send it, refused by the job in the same words.
"""

import os
import re
import shutil
import tempfile
import time
import unittest

from harness import (Api, BaoxueTest, db_scalar, drain, init_county, multipart, new_db,
                     start_server, stop_drained)
from hostile import CATALOGUE

# what the libraries say in English (expat, libzip, FreeXL, iconv): never shown to a clerk
ENGLISH = re.compile(r"\b(error|invalid|token|well-formed|archive|entry|failed|not a zip)\b", re.I)


class HostileFiles(BaoxueTest):
    def setUp(self):
        super().setUp()
        self.init_db()

    def stored(self):
        return tuple(self.scalar("SELECT count(*) FROM %s" % t) for t in ("batch", "record", "reject"))

    def test_each_file_is_refused_with_its_reason(self):
        before = sorted(os.listdir(self.dir))
        for name, (file_name, kind, make, needles) in CATALOGUE.items():
            with self.subTest(name):
                p = self.write_bytes(file_name, make())
                try:
                    t0 = time.monotonic()
                    code, out, err = self.run_bx("import", "--db", self.db, "--kind", kind, p)
                    took = time.monotonic() - t0
                finally:
                    os.unlink(p)
                self.assertCliError(code, err, 2, file_name, *needles)
                self.assertNotRegex(err.split("（用 --map")[0], ENGLISH)
                self.assertEqual(out, "")
                self.assertEqual(self.stored(), (0, 0, 0))
                self.assertEqual(self.scalar("SELECT count(*) FROM audit WHERE action = 'import'"), 0)
                # refused while reading, not after hours of it (a generous bound: no timing test)
                self.assertLess(took, 60, name)
        # and nothing left beside the database
        self.assertEqual(sorted(os.listdir(self.dir)), before)


class HostileUpload(Api, unittest.TestCase):
    """The department's 3.4 KB file that added 1.6 GB came through the upload API."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-hostile-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.user_add("county", "--role", "county")
        cls.data = os.path.join(cls.dir, "data")
        os.makedirs(cls.data)
        cls.proc, cls.port = start_server(cls.db, "--data-dir", cls.data)
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    def upload(self, session, kind, file_name, data, dry_run):
        body, ctype = multipart({"kind": kind, **({"dry_run": "1"} if dry_run else {})},
                                [("file", file_name, data)])
        r, j, _ = self.call("POST", "/api/v1/imports", body, cookie=session[0], csrf=session[1],
                            headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        return self.wait_job(session, j["id"])

    def test_bomb_upload_is_refused(self):
        s = self.login("county")
        file_name, kind, make, needles = CATALOGUE["shared_string_100k"]
        data = make()
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                j = self.upload(s, kind, file_name, data, dry_run)
                self.assertEqual(j["state"], "failed", j)
                for n in needles:
                    self.assertIn(n, j["error"])
                self.assertIn(file_name, j["error"])
                self.assertNotIn(self.data, j["error"])  # the upload's place on the server is not said
                self.assertNotIn("--", j["error"])
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM batch"), 0)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM record"), 0)
        self.assertEqual(os.listdir(os.path.join(self.data, "uploads")), [])

    def test_wrong_kind_check_names_the_missing_columns(self):
        s = self.login("county")
        file_name, kind, make, needles = CATALOGUE["population_as_enrollment"]
        j = self.upload(s, kind, file_name, make(), True)
        # the check ends with the preview and the refusal, for the wizard to show
        self.assertEqual(j["state"], "done", j)
        r = j["result"]
        self.assertTrue(r["dry_run"])
        for n in needles:
            self.assertIn(n, r["error"])
        self.assertNotIn("--", r["error"])
        self.assertEqual(r["preview"]["missing"], [
            {"label": "学校名称（或学校标识码）", "fields": ["school_name", "school_code"]},
            {"label": "学籍状态", "fields": ["enroll_status"]},
        ])
        # the real import is refused in the same words
        j = self.upload(s, kind, file_name, make(), False)
        self.assertEqual(j["state"], "failed", j)
        self.assertIn(needles[0], j["error"])
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM batch"), 0)


if __name__ == "__main__":
    unittest.main()
