"""Masking holds across everything a role reads together (issue 11), black box.

A masked ID (140521********024X) hides exactly the 8 birth-date digits; the last 4 keep the
sequence number and the check digit. Whoever also learns the birth date, or narrows it to one
of the dates the check digit allows, has the whole ID. So each role that may not see full IDs
(supervisor, township, school, department, and county without full=1) signs in on a small demo
county and reads everything it may read: every GET of the OpenAPI document (lists paged
through, each child's record, links and casework, tasks and cases, the review pairs, every
report in csv, xlsx and json, notices as PDF through pdftotext). An attacker then collects,
per child (name and masked ID), every value seen with it, enumerates the birth dates that agree
with the ID's check digit, the age on the cutoff and any date in the text, and fails the test
when one child's ID comes out uniquely. No birth date of any record and no full ID may appear
anywhere in what a masked role reads. The same holds for the CLI without --full. A search by a
whole ID number is an oracle (try the ~33 dates the check digit allows): refused for roles
without full-ID permission, which search by the last 4 characters instead.
"""

import csv
import datetime
import functools
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from harness import (BIN, HERE, ID_CHECK, ID_WEIGHTS, PASSWORD, TODAY, db_execute, db_rows,
                     demo_county, drain, env, id_check_char, served_openapi, start_server, stop_drained,
                     user_add)

MASK_RE = re.compile(r"(?<![0-9X*])([0-9]{6})\*{8}([0-9]{3}[0-9X])(?![0-9X])")
FULL_ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9X](?![0-9A-Za-z])")
DATE_RES = [
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])"),
    re.compile(r"((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日"),
    re.compile(r"(?<![0-9A-Za-z])((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9A-Za-z])"),
]
AGE_TEXT_RE = re.compile(r"(?<![0-9])([0-9]{1,2})周?岁")
GRADES = {"一年级": 1, "二年级": 2, "三年级": 3, "四年级": 4, "五年级": 5, "六年级": 6,
          "七年级": 7, "八年级": 8, "九年级": 9}
CUTOFF = datetime.date(2026, 8, 31)  # the school year of TODAY (2026-11-20): 31 August
EARLIEST = datetime.date(1995, 1, 1)


def full_ids_in(text):
    """Whole ID numbers in the text: 18 characters, a real birth date of these two centuries,
    the right check digit (a file's hash may hold 18 digits in a row — one demo's sha256 held
    028163771712158808, born "7717-12-15" with a right check digit; an ID has all three)."""
    out = []
    for m in FULL_ID_RE.findall(text):
        try:
            born = datetime.date(int(m[6:10]), int(m[10:12]), int(m[12:14]))
        except ValueError:
            continue
        if not 1900 <= born.year <= 2100:
            continue
        if id_check_char(m[:17]) == m[17]:
            out.append(m)
    return out


@functools.lru_cache(maxsize=None)
def dates_in(text, flat=True):
    """Every real date written in the text, in any form a person or a sheet writes one (a
    PDF's text may be broken anywhere by spaces and lines: flat takes them out). Remembered:
    one text (a list, a report) is evidence for every child in it, and is read once."""
    if flat:
        text = re.sub(r"\s+", "", text)
    out = set()
    for rx in DATE_RES:
        for y, m, d in rx.findall(text):
            try:
                out.add(datetime.date(int(y), int(m), int(d)))
            except ValueError:
                pass
    return frozenset(out)


def age_on(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def mask(id18):
    return id18[:6] + "*" * 8 + id18[-4:]


def scalars(d):
    return {k: v for k, v in d.items() if not isinstance(v, (dict, list))}


def strings(v):
    """Every scalar in a JSON value, as text."""
    if isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif v is not None:
        yield str(v)


class Evidence:
    """What an attacker has gathered about one child: the keys are (name, masked ID)."""

    def __init__(self):
        self.ages = {}   # key -> set of ages on the cutoff read in a field next to the ID
        self.texts = {}  # key -> list of texts read with it (dates in them are candidates)
        self.seen = set()

    def add(self, key, ages=(), text=""):
        self.seen.add(key)
        self.ages.setdefault(key, set()).update(ages)
        if text:
            self.texts.setdefault(key, []).append(text)


def field_ages(fields):
    """Ages in fields named age/年龄 (…_age, 户籍年龄), and expected grades (应读年级)."""
    ages = set()
    for k, v in fields.items():
        k = str(k)
        if v is None or v == "":
            continue
        if k == "age" or k.endswith("_age") or k.endswith("年龄"):
            try:
                ages.add(int(v))
            except (TypeError, ValueError):
                pass
        if k in ("expected_grade", "应读年级") and v in GRADES:
            ages.add(GRADES[v] + 5)
    return ages


def keys_in_dict(d):
    """(prefix, name, masked ID) for every masked ID field of a row: id_number, child_id_number,
    record_id_number, or the Chinese labels 身份证号, 户籍身份证号, 记录身份证号."""
    out = []
    for k, v in d.items():
        if not isinstance(v, str) or not MASK_RE.fullmatch(v):
            continue
        k = str(k)
        for suffix, name in (("id_number", "name"), ("身份证号", "姓名")):
            if k.endswith(suffix):
                prefix = k[: -len(suffix)]
                out.append((prefix, str(d.get(prefix + name) or d.get(name) or ""), v))
    return out


def gather_json(ev, doc, whole=False):
    """Rows of a JSON answer: each masked ID with the fields beside it and above it. A document
    about one child (whole=True) gives all its text to every ID in it."""
    all_text = " ".join(strings(doc)) if whole else ""

    def walk(v, above):
        if isinstance(v, dict):
            here = {**above, **scalars(v)}
            for prefix, name, m in keys_in_dict(v):
                own = {k: x for k, x in here.items() if str(k).startswith(prefix)} if prefix else here
                ev.add((name, m), field_ages(own), " ".join(map(str, own.values())) + " " + all_text)
            for x in v.values():
                if isinstance(x, (dict, list)):
                    walk(x, here)
        elif isinstance(v, list):
            for x in v:
                walk(x, above)

    walk(doc, {})


def rows_to_dicts(rows):
    """A sheet's rows as dicts under its header row (the first row naming 身份证号)."""
    for i, r in enumerate(rows):
        if any("身份证号" in c for c in r):
            head = r
            return [dict(zip(head, x)) for x in rows[i + 1:]]
    return []


def xlsx_rows(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    rows = []
    for name in sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet")):
        for row in ET.fromstring(z.read(name)).iter("{%s}row" % ns["m"]):
            cells = []
            for c in row.findall("m:c", ns):
                col = "".join(ch for ch in c.get("r") if ch.isalpha())
                idx = 0
                for ch in col:
                    idx = idx * 26 + ord(ch) - 64
                while len(cells) < idx - 1:
                    cells.append("")
                v = c.find("m:v", ns)
                t = c.find("m:is", ns)
                if c.get("t") == "s" and v is not None:
                    cells.append(shared[int(v.text)])
                elif t is not None:
                    cells.append("".join(x.text or "" for x in t.iter("{%s}t" % ns["m"])))
                else:
                    text = v.text if v is not None else ""
                    cells.append(text[:-2] if text.endswith(".0") else text)
            rows.append(cells)
    return rows


def pdf_text(data, scratch):
    path = os.path.join(scratch, "notice.pdf")
    with open(path, "wb") as f:
        f.write(data)
    try:
        return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", path, "-"], capture_output=True,
                              check=True, timeout=60).stdout.decode("utf-8", "replace")
    finally:
        os.unlink(path)


def gather_text(ev, text):
    """A text about one child (a notice, a CLI show): every ID in it gets the text, and the
    ages written in it when there is one child."""
    flat = re.sub(r"\s+", "", text)
    keys = set()
    for m in MASK_RE.finditer(flat):
        # the name is what the text says before the ID; the attacker tries every name of the text
        keys.add(m.group(0))
    ages = {int(a) for a in AGE_TEXT_RE.findall(flat)}
    for m in keys:
        ev.add(("", m), ages if len(keys) == 1 and len(ages) == 1 else (), flat)


class Corpus:
    """Everything one role (or the CLI) read: the raw texts, and the evidence per child."""

    def __init__(self):
        self.docs = []  # (where, text, whether spaces may break a value: PDF and terminal text)
        self.ev = Evidence()

    def add(self, where, body, kind, scratch=None, whole=False):
        if kind == "json":
            doc = json.loads(body) if isinstance(body, (bytes, str)) else body
            self.docs.append((where, json.dumps(doc, ensure_ascii=False), False))
            gather_json(self.ev, doc, whole)
        elif kind == "csv":
            text = body.decode("utf-8-sig")
            self.docs.append((where, text, False))
            rows = rows_to_dicts(list(csv.reader(io.StringIO(text))))
            gather_json(self.ev, {"rows": rows})
        elif kind == "xlsx":
            rows = xlsx_rows(body)
            self.docs.append((where, "\n".join(" | ".join(r) for r in rows), False))
            gather_json(self.ev, {"rows": rows_to_dicts(rows)})
        elif kind == "pdf":
            text = pdf_text(body, scratch)
            self.docs.append((where, text, True))
            gather_text(self.ev, text)
        else:
            text = body.decode("utf-8") if isinstance(body, bytes) else body
            self.docs.append((where, text, True))
            gather_text(self.ev, text)


def _by_residue():
    """Every date from EARLIEST to TODAY by its part of an ID's weighted sum (mod 11)."""
    out = {r: [] for r in range(11)}
    d, last = EARLIEST, datetime.date.fromisoformat(TODAY)
    while d <= last:
        digits = d.strftime("%Y%m%d")
        out[sum(int(c) * w for c, w in zip(digits, ID_WEIGHTS[6:14])) % 11].append(d)
        d += datetime.timedelta(days=1)
    return out


DATES_BY_RESIDUE = _by_residue()


def candidates(region, tail, ages):
    """Birth dates an ID region+YYYYMMDD+tail can hold (its check digit right), of these ages
    on the cutoff."""
    fixed = sum(int(c) * w for c, w in zip(region, ID_WEIGHTS[:6]))
    fixed += sum(int(c) * w for c, w in zip(tail[:3], ID_WEIGHTS[14:]))
    need = (ID_CHECK.index(tail[3]) - fixed) % 11
    return _dates_of(need, frozenset(ages))


@functools.lru_cache(maxsize=None)
def _dates_of(need, ages):
    """The dates of one residue of these ages on the cutoff (11 residues, a few ages: each pair
    is filtered once, not once per child)."""
    return [d for d in DATES_BY_RESIDUE[need] if all(age_on(d, CUTOFF) == a for a in ages)]


def rebuild(ev, truth):
    """The children whose full ID the evidence gives uniquely and rightly: [(key, ID, why)]."""
    rebuilt = []
    by_mask = {}
    for (name, m) in truth:
        by_mask.setdefault(m, set()).add(name)
    for key in ev.seen:
        name, m = key
        g = MASK_RE.fullmatch(m)
        region, tail = g.group(1), g.group(2)
        ages = ev.ages.get(key, set())
        if len(ages) > 1:
            continue  # contradictory evidence: a careful attacker gives up on the field
        cands = candidates(region, tail, ages)
        text_dates = set()
        for t in ev.texts.get(key, []):
            text_dates |= dates_in(t, flat=False)  # texts of a PDF come flattened already
        hit = [d for d in cands if d in text_dates]
        guess = hit if len(hit) == 1 else cands if len(cands) == 1 else []
        if len(guess) != 1:
            continue
        full = region + guess[0].strftime("%Y%m%d") + tail
        names = [name] if name else by_mask.get(m, set())
        if any(full in truth.get((n, m), set()) for n in names):
            rebuilt.append((key, full, "date in the text" if hit else "only date the age allows"))
    return rebuilt


class MaskingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-mask-")
        cls.scratch = os.path.join(cls.dir, "scratch")
        os.mkdir(cls.scratch)
        # a small county with ID typos, review pairs, tasks and cases
        cls.db = demo_county(cls.dir, 1000, "--errors", "3")
        cls.truth = {}
        cls.births = set()
        for name, idn, birth in db_rows(cls.db, "SELECT coalesce(name, ''), coalesce(id_number, ''),"
                                                " coalesce(birth_date, '') FROM record"):
            if len(idn) == 18:
                cls.truth.setdefault((name, mask(idn)), set()).add(idn)
                cls.births.add(idn[6:10] + "-" + idn[10:12] + "-" + idn[12:14])
            if birth:
                cls.births.add(birth)
        cls.births = {datetime.date.fromisoformat(b) for b in cls.births if re.fullmatch(r"\d{4}-\d\d-\d\d", b)
                      and _valid(b)}
        town = db_rows(cls.db, "SELECT township_code FROM case_file ORDER BY id LIMIT 1")[0][0]
        school = db_rows(cls.db,
                         "SELECT r.school_code FROM record r JOIN batch b ON b.id = r.batch_id"
                         " WHERE b.kind = 'enrollment' AND r.school_code IS NOT NULL"
                         " GROUP BY r.school_code ORDER BY count(*) DESC, r.school_code LIMIT 1")[0][0]
        cls.town = town
        cls.users = {
            "county": ["--role", "county"],
            "sup": ["--role", "supervisor"],
            "tz": ["--role", "township", "--township", town],
            "school": ["--role", "school", "--school", school],
            "dept": ["--role", "department", "--department", "公安局"],
        }
        for name, args in cls.users.items():
            user_add(cls.db, name, *args)
        cls.proc, cls.port = start_server(cls.db)
        cls.openapi = served_openapi(cls.port)
        cls.log = drain(cls.proc)  # the access log of many requests would fill the pipe
        cls.sessions = {}
        cls.conns = {}

    @classmethod
    def tearDownClass(cls):
        for c in cls.conns.values():
            c.close()
        log = stop_drained(cls.proc, *cls.log)
        shutil.rmtree(cls.dir, True)
        # a clean exit (under AddressSanitizer: no leak, no error)
        assert cls.proc.returncode == 0 and "Sanitizer" not in log, log[-4000:]

    # -- HTTP ---------------------------------------------------------------------------------
    def call(self, user, path, method="GET", body=None):
        """One request as `user` (signed in at the first), on a connection the user keeps
        (HTTP/1.1 keep-alive): a role reads some 3,000 paths, and a connection of their own
        each cost the test more than the reads."""
        h = {"Content-Type": "application/json"} if body is not None else {}
        if user:
            if user not in self.sessions:
                c2 = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                c2.request("POST", "/api/v1/session", body=json.dumps({"username": user, "password": PASSWORD}),
                           headers={"Content-Type": "application/json"})
                r = c2.getresponse()
                j = json.loads(r.read())
                assert r.status == 200, j
                self.sessions[user] = (r.getheader("Set-Cookie").split(";")[0], j["csrf_token"])
                c2.close()
            h["Cookie"], h["X-CSRF-Token"] = self.sessions[user]
        while True:
            c = self.conns.get(user)
            kept = c is not None
            if not kept:
                c = self.conns[user] = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                c.request(method, path, body=None if body is None else json.dumps(body), headers=h)
                r = c.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                c.close()
                del self.conns[user]
                if kept:
                    continue  # the server closed the idle connection: once more on a new one
                raise
            return r.status, r.getheader("Content-Type", ""), data

    def get_json(self, user, path):
        status, ctype, data = self.call(user, path)
        return status, json.loads(data) if ctype.startswith("application/json") else None

    # -- reading everything a role may read ----------------------------------------------------
    def read_all(self, user):
        """Walk every GET of the OpenAPI document as `user`, never with full=1."""
        corpus = Corpus()
        ids = {"children": set(), "verify": set(), "cases": set(), "review": set(), "jobs": set(),
               "runs": set()}
        gets = [(p, o["get"]) for p, o in self.openapi["paths"].items() if "get" in o]
        # lists first: they name the objects the other paths address
        gets.sort(key=lambda po: "{" in po[0])
        for path, op in gets:
            params = [x for x in op.get("parameters", []) if x.get("in", "query") == "query"
                      and x["name"] not in ("full", "page", "per_page")]
            variants = [{}]
            for p in params:
                for v in p.get("schema", {}).get("enum", []):
                    variants.append({p["name"]: v})
                # what the lists leave out by default: closed tasks and cases, decided pairs
                if p["name"] in ("state", "all"):
                    variants.append({p["name"]: "all" if p["name"] == "state" else "1"})
            for concrete, base in self.expand(path, ids):
                if concrete.endswith("/notice"):
                    continue  # below, whether the document says GET or POST
                if "/reports/" in concrete:
                    qs = [{"format": f} for f in ("json", "csv", "xlsx")]
                    qs += [{"format": "json", "status": s} for s in ("not_enrolled", "dropped_out")]
                else:
                    qs = variants
                for q in qs:
                    self.read_one(user, concrete, q, corpus, ids, whole=base is not None)
        # the notices of every case the role reads, as a role that may print them gets them
        notice = self.openapi["paths"].get("/api/v1/cases/{id}/notice", {})
        method = "POST" if "post" in notice else "GET"
        for case_id in sorted(ids["cases"]):
            for q in ({"kind": "return"}, {"kind": "order", "deadline": "2026-12-20"}):
                path = "/api/v1/cases/%d/notice" % case_id
                if method == "GET":
                    status, ctype, data = self.call(user, path + "?" + urllib.parse.urlencode(q))
                else:
                    status, ctype, data = self.call(user, path, "POST", q)
                if status == 200:
                    self.assertTrue(ctype.startswith("application/pdf"), ctype)
                    corpus.add("%s notice %d %s" % (user, case_id, q["kind"]), data, "pdf", self.scratch)
                else:
                    self.assertIn(status, (400, 403, 404), (user, path, q, data[:300]))
        return corpus, ids

    def expand(self, path, ids):
        if "{name}" in path:
            enum = next(x for x in self.openapi["paths"][path]["get"]["parameters"] if x["name"] == "name")
            return [(path.replace("{name}", n), None) for n in enum["schema"]["enum"]]
        if "{id}" not in path:
            return [(path, None)]
        kind = path.split("/")[3]
        return [(path.replace("{id}", str(i)), i) for i in sorted(ids.get(kind, ()))]

    def read_one(self, user, path, q, corpus, ids, whole):
        paged = "per_page" in json.dumps(self.openapi["paths"].get(path, {}))
        page = 1
        while True:
            qq = dict(q)
            if path in ("/api/v1/children",):
                qq.update(page=page, per_page=200)
            url = path + ("?" + urllib.parse.urlencode(qq) if qq else "")
            status, ctype, data = self.call(user, url)
            if status != 200:
                self.assertIn(status, (400, 403, 404), (user, url, data[:300]))
                return
            where = "%s %s" % (user, url)
            if ctype.startswith("application/json"):
                j = json.loads(data)
                corpus.add(where, j, "json", whole=whole)
                self.note_ids(path, j, ids)
            elif ctype.startswith("text/csv"):
                corpus.add(where, data, "csv")
            elif "spreadsheetml" in ctype:
                corpus.add(where, data, "xlsx")
            elif ctype.startswith("application/pdf"):
                corpus.add(where, data, "pdf", self.scratch)
            else:
                corpus.add(where, data, "text")
            if path == "/api/v1/children" and j["total"] > page * 200:
                page += 1
                continue
            return

    @staticmethod
    def note_ids(path, j, ids):
        if path == "/api/v1/children":
            ids["children"].update(it["id"] for it in j["items"])
        elif path == "/api/v1/verify":
            ids["verify"].update(it["task_id"] for it in j["tasks"])
        elif path == "/api/v1/cases":
            ids["cases"].update(it["case_id"] for it in j["cases"])
        elif path == "/api/v1/review":
            ids["review"].update(it["candidate_id"] for it in j["pairs"])
        elif path == "/api/v1/jobs":
            ids["jobs"].update(it["id"] for it in j.get("items", j.get("jobs", [])))
        elif path == "/api/v1/runs":
            ids["runs"].update(it["id"] for it in j.get("runs", j.get("items", [])))

    # -- what must not be there ----------------------------------------------------------------
    def assertMasked(self, who, corpus):
        leaks = []
        for where, text, flat in corpus.docs:
            leaks += ["%s: full ID %s" % (where, m)
                      for m in full_ids_in(re.sub(r"\s+", "", text) if flat else text)]
            leaks += ["%s: birth date %s" % (where, d) for d in sorted(dates_in(text, flat) & self.births)]
        rebuilt = rebuild(corpus.ev, self.truth)
        self.assertEqual((leaks[:10], rebuilt[:10]), ([], []),
                         "%s reads %d birth dates or full IDs and rebuilds %d of the %d IDs it saw"
                         % (who, len(leaks), len(rebuilt), len(corpus.ev.seen)))

    def test_every_masked_role_cannot_rebuild_an_id(self):
        for user in ("sup", "tz", "school", "dept", "county"):
            with self.subTest(role=user):
                corpus, ids = self.read_all(user)
                self.assertTrue(corpus.docs, user)
                if user != "dept":
                    # the role read children, with their masked IDs and ages
                    self.assertGreater(len(corpus.ev.seen), 5, user)
                    self.assertTrue(any(corpus.ev.ages.values()), user)
                if user in ("sup", "county"):
                    self.assertTrue(ids["review"], "the demo county has review pairs")
                if user in ("tz", "county"):
                    self.assertTrue(any("notice" in d[0] for d in corpus.docs), user + " printed no notice")
                self.assertMasked(user, corpus)

    def test_sorting_by_birth_date_is_by_age_then_register_order(self):
        # two suspected children of one age whose birth dates run against their record order
        # (swapped behind the program's back: both stay in the cohort, the run's ages hold)
        rows = db_rows(self.db, "SELECT cs.record_id, cs.age, r.birth_date FROM child_status cs"
                                " JOIN record r ON r.id = cs.record_id WHERE cs.run_id ="
                                " (SELECT max(id) FROM match_run) AND cs.status IN"
                                " ('not_enrolled', 'dropped_out') ORDER BY cs.age, cs.record_id")
        by_age = {}
        for rid, age, birth in rows:
            by_age.setdefault(age, []).append((int(rid), birth))
        (a, ba), (b, bb) = next(v for v in by_age.values() if len(v) > 1)[:2]
        if ba < bb:  # the smaller record id gets the later birthday
            for rid, birth, back in ((a, bb, ba), (b, ba, bb)):
                db_execute(self.db, "UPDATE record SET birth_date = '%s' WHERE id = %d" % (birth, rid))
                self.addCleanup(db_execute, self.db,
                                "UPDATE record SET birth_date = '%s' WHERE id = %d" % (back, rid))
        for sort, older_first in (("birth_date", True), ("-birth_date", False)):
            status, j = self.get_json("sup", "/api/v1/children?status=suspected&per_page=200&sort=" + sort)
            self.assertEqual(status, 200, j)
            got = [(it["age"], it["id"]) for it in j["items"]]
            self.assertGreater(len(got), 2)
            want = sorted(got, key=lambda x: (-x[0] if older_first else x[0], x[1]))
            self.assertEqual(got, want, "by age, ties by record, never by the birth date")
            self.assertIn(a, [i for _, i in got])
            self.assertLess([i for _, i in got].index(a), [i for _, i in got].index(b))

    def test_search_by_a_whole_id_only_with_full_id_permission(self):
        rid, name, idn = db_rows(
            self.db, "SELECT r.id, r.name, r.id_number FROM record r JOIN batch b ON b.id = r.batch_id"
                     " WHERE b.kind = 'population' AND r.township_code = '%s'"
                     " AND r.id_number IS NOT NULL AND r.reg_status = 'normal' ORDER BY r.id LIMIT 1"
            % self.town)[0]
        rid = int(rid)
        for user in ("sup", "tz"):
            for q in (idn, idn.lower(), idn[:6] + " " + idn[6:], idn[:6] + idn[8:17]):  # 18 and 15 digits
                status, j = self.get_json(user, "/api/v1/children?status=all&q=" + urllib.parse.quote(q))
                self.assertEqual(status, 400, (user, q, j))
                self.assertRegex(j["error"]["message"], "身份证号")
                self.assertRegex(j["error"]["message"], "后 ?4 位")
            status, j = self.get_json(user, "/api/v1/reports/children-list?format=json&status=all&q=" + idn)
            self.assertEqual(status, 400, (user, j))
            status, j = self.get_json(user, "/api/v1/children?status=all&per_page=200&q=" + idn[-4:])
            self.assertEqual(status, 200, j)
            self.assertIn(rid, [it["id"] for it in j["items"]])
            self.assertTrue(all(it["id_number"].endswith(idn[-4:]) or it["name"] == idn[-4:] for it in j["items"]))
        # a role with PERM_FULL_ID keeps the search by the whole number
        status, j = self.get_json("county", "/api/v1/children?status=all&q=" + idn)
        self.assertEqual(status, 200, j)
        self.assertEqual([it["id"] for it in j["items"]], [rid])
        self.assertEqual(j["items"][0]["name"], name)

    def test_cli_without_full(self):
        corpus = Corpus()
        out = self.scratch

        def run(*args):
            p = subprocess.run([BIN, *args, "--db", self.db], capture_output=True, env=env(), timeout=300)
            self.assertEqual(p.returncode, 0, (args, p.stderr.decode()))
            return p.stdout

        for name in ("out-of-school", "summary", "children", "ledger-school-age", "ledger-suspected",
                     "ledger-dropout", "monthly"):
            corpus.add("report %s" % name, run("report", name), "text")
            corpus.add("report %s csv" % name, run("report", name, "--format", "csv"), "csv")
            corpus.add("report %s json --mask" % name, run("report", name, "--format", "json", "--mask"), "json")
            path = os.path.join(out, "r.xlsx")
            run("report", name, "-o", path)
            with open(path, "rb") as f:
                corpus.add("report %s xlsx" % name, f.read(), "xlsx")
            os.unlink(path)
        corpus.add("review list", run("review", "list", "--all"), "text")
        for cid in (r[0] for r in db_rows(self.db, "SELECT id FROM candidate WHERE decision = 'review'")):
            corpus.add("review show", run("review", "show", cid), "text")
        for sub, table in (("verify", "verify_task"), ("case", "case_file")):
            corpus.add(sub + " list", run(sub, "list", "--state", "all"), "text")
            corpus.add(sub + " list csv", run(sub, "list", "--state", "all", "--format", "csv"), "csv")
            for (i,) in db_rows(self.db, "SELECT id FROM %s ORDER BY id" % table):
                corpus.add("%s show %s" % (sub, i), run(sub, "show", i), "text")
        for (i,) in db_rows(self.db, "SELECT id FROM case_file WHERE state <> 'closed' ORDER BY id"):
            path = os.path.join(out, "n.pdf")
            run("notice", i, "--kind", "return", "-o", path)
            with open(path, "rb") as f:
                corpus.add("notice %s" % i, f.read(), "pdf", self.scratch)
            os.unlink(path)
        # explain names the child by a full ID the operator typed; what it adds must be masked
        typed = set()
        for (idn,) in db_rows(self.db, "SELECT DISTINCT p.id_number FROM candidate c JOIN record p"
                                       " ON p.id = c.population_record WHERE p.id_number IS NOT NULL"):
            typed.add(idn)
            corpus.add("explain", run("explain", idn).decode().replace(idn, mask(idn)), "text")
        self.assertTrue(typed)
        self.assertMasked("cli", corpus)


def _valid(text):
    try:
        datetime.date.fromisoformat(text)
        return True
    except ValueError:
        return False


if __name__ == "__main__":
    unittest.main()
