"""走访清单 (issue 14), black box: the children a cadre takes to the village, per village, as PDF
and xlsx, from the command line and the API.

The PDF's text (pdftotext) holds every open task's and 劝返 case's child of the township, the
blank boxes for the outcome, date and signature, the due date and the overdue mark; a township
account has only its own villages and reads the guardian's phone whole where its person of the
registry is assigned to the child (each read audited against its task or case, as on the task
page), masked elsewhere; the county reads it masked unless full=1 (audited as a full export);
the supervisor never whole.
"""

import io
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from harness import BIN, OTHER, TOWN, DemoServerTest, db_execute, db_rows, env, urlq


def pdf_text(data):
    d = tempfile.mkdtemp(prefix="baoxue-sheet-")
    try:
        path = os.path.join(d, "s.pdf")
        with open(path, "wb") as f:
            f.write(data)
        return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True,
                              timeout=60).stdout.decode()
    finally:
        shutil.rmtree(d, True)


def xlsx_text(data):
    """The shared strings and inline strings of every sheet of an xlsx: what it says."""
    z = zipfile.ZipFile(io.BytesIO(data))
    return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


class VisitSheetTest(DemoServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the children to visit, as the tables hold them: open tasks without an open case, and
        # the cases in 劝返, by township
        cls.visits = db_rows(
            cls.db,
            "SELECT 'task', v.id, v.township_code, coalesce(r.village, ''), r.name, coalesce(r.phone, ''),"
            " v.deadline FROM verify_task v JOIN record r ON r.id = v.record_id WHERE v.state <> 'closed'"
            " AND NOT EXISTS (SELECT 1 FROM case_file c WHERE c.task_id = v.id AND c.state = 'open')"
            " UNION ALL SELECT 'case', c.id, c.township_code, coalesce(r.village, ''), r.name,"
            " coalesce(r.phone, ''), c.first_visit_due FROM case_file c JOIN record r ON r.id = c.record_id"
            " WHERE c.state = 'open'")
        cls.town = [v for v in cls.visits if v[2] == TOWN]
        cls.other = [v for v in cls.visits if v[2] != TOWN]
        assert cls.town and cls.other, cls.visits
        # one task of the township overdue, to see it marked
        cls.late = next(v for v in cls.town if v[0] == "task")
        db_execute(cls.db, "UPDATE verify_task SET deadline = '2020-01-02' WHERE id = %s" % cls.late[1])
        # the township's account is a cadre of the registry, assigned now to some of the
        # children (the late task and, when there is one, a case): those are "his"
        cls.cadre = db_rows(cls.db, "SELECT min(id) FROM person WHERE township_code = '%s' AND id NOT"
                                    " IN (SELECT person_id FROM assignment)" % TOWN)[0][0]
        assert cls.cadre, "a cadre of the township assigned to nothing yet"
        p = subprocess.run([BIN, "user", "--db", cls.db, "person", "tz", str(cls.cadre)], env=env(),
                           capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr.decode()
        cls.mine = [cls.late] + [v for v in cls.town if v[0] == "case"][:1]
        for kind, oid, *_ in cls.mine:
            db_execute(cls.db, "INSERT INTO assignment (%s_id, role, person_id, assigned_on,"
                               " assigned_by, reason) VALUES (%s, 'township', %s, '2026-11-20',"
                               " 'county', '包村')" % (kind, oid, cls.cadre))

    def get(self, user, path):
        cookie, _ = self.login(user)
        r, j, data = self.call("GET", path, cookie=cookie)
        return r, j, data

    def sheet(self, user, query="format=pdf"):
        r, j, data = self.get(user, "/api/v1/reports/visit-sheet?" + query)
        self.assertEqual(r.status, 200, j)
        return r, data

    def test_township_pdf_lists_its_villages_with_blank_boxes(self):
        r, data = self.sheet("tz")
        self.assertEqual(r.getheader("Content-Type"), "application/pdf")
        self.assertIn("filename*=UTF-8''", r.getheader("Content-Disposition"))
        self.assertIn(urlq("走访清单.pdf"), r.getheader("Content-Disposition"))
        text = pdf_text(data)
        for kind, oid, code, village, name, phone, due in self.town:
            self.assertIn(name, text)
            self.assertIn(village, text)
            if (kind, oid) in {(m[0], m[1]) for m in self.mine}:
                self.assertIn(phone, text, "the cadre assigned reads the phone whole")
            else:
                self.assertNotIn(phone, text, "a child the cadre is not assigned to")
                self.assertIn(phone[:3] + "****" + phone[-4:], text)
        for kind, oid, code, village, name, phone, due in self.other:
            self.assertNotIn(phone, text)
            self.assertNotIn(phone[:3] + "****" + phone[-4:], text)
        for word in ("走访结果", "走访日期", "走访人签名", "走访人（签名）", "监护人", "家庭住址",
                     "截止日期", "待核查", "2020-01-02", "（已逾期）"):
            self.assertIn(word, text)
        # a page (or more) per village, titled with it
        villages = {v[3] for v in self.town}
        for village in villages:
            self.assertIn("走访清单（%s" % village, text)
        self.assertGreaterEqual(text.count("\f"), len(villages))

    def test_each_contact_read_is_audited(self):
        before = {v[1]: len(self.audit(action="read_full", target="%s:%s" % (v[0], v[1])))
                  for v in self.town}
        self.sheet("tz", "format=xlsx")
        mine = {(m[0], m[1]) for m in self.mine}
        for kind, oid, *_ in self.town:
            entries = self.audit(action="read_full", target="%s:%s" % (kind, oid))
            if (kind, oid) not in mine:
                self.assertEqual(len(entries), before[oid], (kind, oid))
                continue
            self.assertEqual(len(entries), before[oid] + 1, (kind, oid))
            self.assertEqual(entries[0]["actor"], "tz")
            self.assertIn("走访清单", entries[0]["detail"])

    def test_township_cannot_ask_for_another(self):
        r, j, _ = self.get("tz", "/api/v1/reports/visit-sheet?format=pdf&township=" + OTHER)
        self.assertError(r, j, 404)
        r, j, _ = self.get("tz", "/api/v1/reports/visit-sheet?format=json")
        self.assertEqual(r.status, 200, j)
        self.assertEqual({v["township"] for v in j["visits"]}, {j["visits"][0]["township"]})
        self.assertEqual(len(j["visits"]), len(self.town))

    def test_one_village(self):
        village = self.town[0][3]
        r, data = self.sheet("tz", "format=pdf&village=" + urlq(village))
        text = pdf_text(data)
        for v in self.visits:
            if v[3] == village and v[2] == TOWN:
                self.assertIn(v[4], text)
            elif v[2] == TOWN:
                self.assertNotIn(v[5], text)

    def test_xlsx_opens(self):
        r, data = self.sheet("tz", "format=xlsx")
        self.assertTrue(r.getheader("Content-Type").startswith("application/vnd.openxmlformats"))
        text = xlsx_text(data)
        for v in self.town:
            self.assertIn(v[4], text)
        self.assertIn("走访结果（手填）", text)

    def test_county_masked_unless_full_supervisor_always(self):
        kind, oid, code, village, name, phone, due = self.visits[0]
        masked = phone[:3] + "****" + phone[-4:]
        for user in ("county", "sup"):
            text = pdf_text(self.sheet(user)[1])
            self.assertIn(name, text)
            self.assertNotIn(phone, text)
            self.assertIn(masked, text)
        before = len(self.audit(action="export_full"))
        text = pdf_text(self.sheet("county", "format=pdf&full=1")[1])
        self.assertIn(phone, text)
        self.assertEqual(len(self.audit(action="export_full")), before + 1)
        r, j, _ = self.get("sup", "/api/v1/reports/visit-sheet?format=pdf&full=1")
        self.assertError(r, j, 403)

    def test_pdf_only_for_the_sheet(self):
        r, j, _ = self.get("county", "/api/v1/reports/ledger-dropout?format=pdf")
        self.assertError(r, j, 400)

    def test_cli(self):
        d = tempfile.mkdtemp(prefix="baoxue-sheet-cli-")
        self.addCleanup(shutil.rmtree, d, True)
        out = os.path.join(d, "走访清单.pdf")
        p = subprocess.run([BIN, "report", "visit-sheet", "--db", self.db, "--township", TOWN, "-o", out],
                           capture_output=True, env=env(), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        with open(out, "rb") as f:
            text = pdf_text(f.read())
        for v in self.town:
            self.assertIn(v[4], text)
            self.assertNotIn(v[5], text, "masked without --full")
        for v in self.other:
            self.assertNotIn(v[5][:3] + "****" + v[5][-4:], text)
        # pdf belongs to the sheet; --village to the sheet
        p = subprocess.run([BIN, "report", "ledger-dropout", "--db", self.db, "--format", "pdf", "-o", out],
                           capture_output=True, env=env(), timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("visit-sheet", p.stderr.decode())
        p = subprocess.run([BIN, "report", "summary", "--db", self.db, "--village", "x"],
                           capture_output=True, env=env(), timeout=60)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
