"""Black-box test harness for the baoxue command line.

Every test gets its own temporary directory (removed afterwards) and runs the real binary
(env BAOXUE_BIN, default ../../build/baoxue) with BAOXUE_TODAY=2026-11-20. Its database is a file
in that directory, or, when BAOXUE_TEST_PG holds a PostgreSQL DSN (tests/pg_cluster.py run -- …),
a fresh schema of that database: the same suites run on both dialects. query() and execute()
read and write either (psql for PostgreSQL); a test about SQLite files skips on PostgreSQL. The helpers write
real spreadsheet files the way departments send them: CSV in any encoding, .xlsx built by hand
with zipfile (shared or inline strings, date styles, a merged title row, several sheets) and
.xls through Perl's Spreadsheet::WriteExcel.

The server's tests use the same module: start_server and the functions around it for a server
of their own, the Api mixin (call, login, the jobs) for a class with one, DemoServerTest for a
class served by the demo county, multipart for uploads, db_* to look behind the server's back.
"""

import atexit
import codecs
import csv
import datetime
import gzip
import http.client
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request
import uuid
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("BAOXUE_BIN") or os.path.normpath(os.path.join(HERE, "..", "..", "build", "baoxue"))
TODAY = "2026-11-20"
PG = os.environ.get("BAOXUE_TEST_PG") or None
# how many times longer a hang detector waits: a sanitizer build (BAOXUE_TEST_SLOW=1, set by
# CMakeLists.txt) runs several times slower, and ctest runs two tests side by side
SLOW = 4 if os.environ.get("BAOXUE_TEST_SLOW") == "1" else 1
COUNTY = "140521"  # 沁水县

TOWNSHIPS = {
    "龙港镇": "140521100",
    "中村镇": "140521101",
    "郑庄镇": "140521102",
    "端氏镇": "140521103",
    "嘉峰镇": "140521104",
}

# ---------------------------------------------------------------------------------------------
# Resident IDs (GB 11643-1999)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_char(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def make_id(birth, seq, county=COUNTY):
    """An 18-digit ID with a correct check digit. birth: 'YYYYMMDD' or a date; seq 0..999
    (odd: male, even: female)."""
    if isinstance(birth, datetime.date):
        birth = birth.strftime("%Y%m%d")
    body = "%s%s%03d" % (county, birth.replace("-", ""), seq)
    assert len(body) == 17, body
    return body + id_check_char(body)


def bad_check(id18):
    """The same ID with a wrong check digit."""
    right = id18[17]
    wrong = "0" if right != "0" else "1"
    return id18[:17] + wrong


def id15_to_18(id15):
    body = id15[:6] + "19" + id15[6:]
    return body + id_check_char(body)


def mask_id(id18):
    return id18[:6] + "*" * 8 + id18[-4:]


# ---------------------------------------------------------------------------------------------
# CSV


def csv_text(rows, delimiter=",", newline="\r\n"):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return out.getvalue()


def write_csv(path, rows, encoding="utf-8", bom=False, delimiter=",", newline="\r\n"):
    """rows: lists of str (None = empty). encoding 'utf-8', 'gb18030', ... bom: add a BOM."""
    data = csv_text(rows, delimiter, newline).encode(encoding)
    if bom:
        data = codecs.BOM_UTF8 + data
    with open(path, "wb") as f:
        f.write(data)
    return path


# ---------------------------------------------------------------------------------------------
# .xlsx written by hand


class Inline(str):
    """A string written as an inline string (t="inlineStr") instead of a shared string."""


class TextNum(str):
    """Digits stored as text (what Excel does with a leading apostrophe or a text cell)."""


class Num(float):
    pass


class XDate:
    """A date cell: the Excel serial number with a date number format."""

    def __init__(self, d, builtin=False):
        if isinstance(d, str):
            d = datetime.date.fromisoformat(d)
        self.d = d
        self.builtin = builtin  # style with built-in numFmtId 14 instead of a custom yyyy-mm-dd

    @property
    def serial(self):
        return (self.d - datetime.date(1899, 12, 30)).days


def excel_serial(d):
    if isinstance(d, str):
        d = datetime.date.fromisoformat(d)
    return (d - datetime.date(1899, 12, 30)).days


def col_letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

# cellXfs: 0 general, 1 custom date (176 yyyy-mm-dd), 2 built-in date 14, 3 text "@"
STYLES_XML = (
    XML_HEAD + '<styleSheet xmlns="%s">'
    '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>" % NS_MAIN
)


def xlsx_bytes(sheets, shared=True):
    """sheets: list of (name, rows) or (name, rows, merge) where merge is e.g. "A1:L1".
    Row values: str (shared string, or inline when shared=False), Inline, TextNum (text cell
    with the text style), int/float/Num (number), XDate (date serial with a date style),
    None (no cell). A row that is None or [] is left out of the XML (a blank row)."""
    sst, sst_index = [], {}

    def sst_id(s):
        if s not in sst_index:
            sst_index[s] = len(sst)
            sst.append(s)
        return sst_index[s]

    sheet_xml = []
    for spec in sheets:
        name, rows = spec[0], spec[1]
        merge = spec[2] if len(spec) > 2 else None
        parts = [XML_HEAD, '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_R), "<sheetData>"]
        for ri, row in enumerate(rows):
            if not row:
                continue
            rn = ri + 1
            cells = []
            for ci, v in enumerate(row):
                if v is None:
                    continue
                ref = "%s%d" % (col_letters(ci), rn)
                if isinstance(v, XDate):
                    cells.append('<c r="%s" s="%d"><v>%d</v></c>' % (ref, 2 if v.builtin else 1, v.serial))
                elif isinstance(v, bool):
                    cells.append('<c r="%s" t="b"><v>%d</v></c>' % (ref, int(v)))
                elif isinstance(v, (int, float)):
                    cells.append('<c r="%s"><v>%s</v></c>' % (ref, repr(v) if isinstance(v, float) else str(v)))
                elif isinstance(v, TextNum):
                    cells.append('<c r="%s" s="3" t="s"><v>%d</v></c>' % (ref, sst_id(str(v))))
                elif isinstance(v, Inline) or not shared:
                    cells.append(
                        '<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                        % (ref, escape(str(v)))
                    )
                else:
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst_id(str(v))))
            parts.append('<row r="%d">%s</row>' % (rn, "".join(cells)))
        parts.append("</sheetData>")
        if merge:
            parts.append('<mergeCells count="1"><mergeCell ref="%s"/></mergeCells>' % merge)
        parts.append("</worksheet>")
        sheet_xml.append("".join(parts))

    n = len(sheets)
    content_types = (
        XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            '<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            % (i + 1)
            for i in range(n)
        )
        + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    root_rels = (
        XML_HEAD + '<Relationships xmlns="%s">'
        '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>" % (NS_PKG, NS_R)
    )
    workbook = (
        XML_HEAD + '<workbook xmlns="%s" xmlns:r="%s"><workbookPr/><sheets>' % (NS_MAIN, NS_R)
        + "".join(
            '<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(spec[0], {'"': "&quot;"}), i + 1, i + 1)
            for i, spec in enumerate(sheets)
        )
        + "</sheets></workbook>"
    )
    wb_rels = (
        XML_HEAD + '<Relationships xmlns="%s">' % NS_PKG
        + "".join(
            '<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, NS_R, i + 1)
            for i in range(n)
        )
        + '<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>' % (n + 1, NS_R)
        + '<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % (n + 2, NS_R)
        + "</Relationships>"
    )
    shared_xml = (
        XML_HEAD + '<sst xmlns="%s" count="%d" uniqueCount="%d">' % (NS_MAIN, len(sst), len(sst))
        + "".join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in sst)
        + "</sst>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/styles.xml", STYLES_XML)
        z.writestr("xl/sharedStrings.xml", shared_xml)
        for i, x in enumerate(sheet_xml):
            z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), x)
    return buf.getvalue()


def write_xlsx(path, sheets, shared=True):
    with open(path, "wb") as f:
        f.write(xlsx_bytes(sheets, shared))
    return path


# ---------------------------------------------------------------------------------------------
# .xls through Perl's Spreadsheet::WriteExcel

XLS_PERL = r"""
use strict; use warnings;
use JSON::PP; use Spreadsheet::WriteExcel;
my ($spec, $out) = @ARGV;
open(my $fh, '<:raw', $spec) or die "spec: $!"; local $/; my $json = <$fh>; close $fh;
my $d = JSON::PP->new->utf8->decode($json);
my $wb = Spreadsheet::WriteExcel->new($out) or die "cannot create $out";
my $datefmt = $wb->add_format(num_format => 'yyyy-mm-dd');
my $titlefmt = $wb->add_format(align => 'center', bold => 1);
for my $s (@{$d->{sheets}}) {
  my $ws = $wb->add_worksheet($s->{name});
  my $m = $s->{merge};
  my $r = 0;
  for my $row (@{$s->{rows}}) {
    my $c = 0;
    for my $cell (@{$row || []}) {
      if (defined $cell && !($m && $r == $m->[0] && $c == $m->[1])) {
        my ($t, $v) = @$cell;
        if ($t eq 's') { $ws->write_string($r, $c, $v); }
        elsif ($t eq 'n') { $ws->write_number($r, $c, $v); }
        elsif ($t eq 'd') { $ws->write_date_time($r, $c, $v . 'T', $datefmt); }
      }
      $c++;
    }
    $r++;
  }
  if ($m) {
    my $title = $s->{rows}[$m->[0]][$m->[1]][1];
    $ws->merge_range($m->[0], $m->[1], $m->[2], $m->[3], $title, $titlefmt);
  }
}
$wb->close() or die "close: $!";
"""


def write_xls(path, sheets):
    """sheets: list of (name, rows) or (name, rows, (r1, c1, r2, c2)) for a merged range
    (0-based; the value of its first cell is the merged text). Values: str, int/float, XDate."""
    spec = {"sheets": []}
    for s in sheets:
        rows = []
        for row in s[1]:
            out = []
            for v in row or []:
                if v is None:
                    out.append(None)
                elif isinstance(v, XDate):
                    out.append(["d", v.d.isoformat()])
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    out.append(["n", v])
                else:
                    out.append(["s", str(v)])
            rows.append(out)
        spec["sheets"].append({"name": s[0], "rows": rows, "merge": list(s[2]) if len(s) > 2 else None})
    d = os.path.dirname(os.path.abspath(path))
    spec_path = os.path.join(d, ".xls-spec.json")
    script = os.path.join(d, ".write-xls.pl")
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    with open(script, "w", encoding="utf-8") as f:
        f.write(XLS_PERL)
    subprocess.run(["perl", script, spec_path, path], check=True, timeout=60)
    os.unlink(spec_path)
    os.unlink(script)
    return path


# ---------------------------------------------------------------------------------------------
# Summary lines printed by `baoxue import`

SUMMARY_RE = re.compile(
    r"读取 (\d+) 行 = 导入 (\d+) 行（其中有标记 (\d+) 行）\+ 拒绝 (\d+) 行 \+ 跳过 (\d+) 行"
    r"（表头及其上方标题 (\d+)，空行 (\d+)，说明/签名/合计 (\d+)）"
)
FLAG_RE = re.compile(r"标记：(.+?) (\d+) 行")


def parse_summary(stdout):
    """{'read','imported','flagged','rejected','skipped','title','blank','notes','flags':{label:n}}"""
    m = SUMMARY_RE.search(stdout)
    if not m:
        return None
    keys = ("read", "imported", "flagged", "rejected", "skipped", "title", "blank", "notes")
    d = dict(zip(keys, map(int, m.groups())))
    d["flags"] = {k: int(v) for k, v in FLAG_RE.findall(stdout)}
    return d


# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# PostgreSQL: one schema per database a test asks for, named in the DSN's search_path

_schema_seq = 0


def is_pg(db):
    return db.startswith("postgresql://") or db.startswith("postgres://")


class _Psql:
    """One psql kept open per DSN: a statement is written to it, then a marker line that psql
    echoes back once the statement has run. A psql started per statement cost ~45 ms, which was
    most of the time of the PostgreSQL runs of these tests."""

    def __init__(self, dsn):
        self.marker = "--baoxue-psql-%d--" % os.getpid()
        self.p = subprocess.Popen(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=0", "-d", dsn],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=dict(os.environ, PGCLIENTENCODING="UTF8"))

    def alive(self):
        return self.p.poll() is None

    def run(self, sql):
        """(output lines, error lines) of sql, or None when psql has gone."""
        try:
            self.p.stdin.write(("%s\n;\n\\echo %s\n" % (sql, self.marker)).encode("utf-8"))
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        out, errors = [], []
        while True:
            line = self.p.stdout.readline()
            if not line:
                return None
            text = line.decode("utf-8", "replace").rstrip("\n")
            if text == self.marker:
                break
            if text.startswith(("psql:", "ERROR:", "FATAL:")):
                if "ERROR:" in text or "FATAL:" in text or "connection" in text:
                    errors.append(text)
                # a NOTICE or WARNING is no result
            elif "connection to server" in text:
                errors.append(text)
            else:
                out.append(text)
        if any("connection" in e and ("lost" in e or "terminated" in e or "closed" in e) for e in errors):
            return None
        return out, errors

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


_psql_sessions = {}


def psql(dsn, sql):
    for attempt in range(2):
        session = _psql_sessions.get(dsn)
        if session is None or not session.alive():
            session = _psql_sessions[dsn] = _Psql(dsn)
        result = session.run(sql)
        if result is None:
            # the server restarted (test_pg_restart) or psql ended: a new session, once
            session.close()
            del _psql_sessions[dsn]
            continue
        out, errors = result
        if errors:
            raise RuntimeError("psql: %s\n%s" % (sql, "\n".join(errors)))
        return "".join(line + "\n" for line in out)
    raise RuntimeError("psql: %s\n(no connection to the server)" % sql)


def _close_psql_sessions():
    for session in _psql_sessions.values():
        session.close()
    _psql_sessions.clear()


atexit.register(_close_psql_sessions)


def new_db(directory, name="baoxue.db"):
    """The DSN of a new, empty database: a file in directory, or a fresh PostgreSQL schema."""
    global _schema_seq
    if not PG:
        return os.path.join(directory, name)
    _schema_seq += 1
    schema = "cli_%d_%d" % (os.getpid(), _schema_seq)
    psql(PG, "CREATE SCHEMA %s" % schema)
    return "%s%soptions=-csearch_path%%3D%s" % (PG, "&" if "?" in PG else "?", schema)


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def inline_params(sql, params):
    """sqlite3's ? placeholders replaced by literals (psql has no bind parameters)."""
    out, it, quote = [], iter(params), None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append(sql_literal(next(it)))
            continue
        out.append(ch)
    return "".join(out)


_init_made = {}  # (county, environment) -> (a copy of what init made, its --db, its stdout, stderr)


class BaoxueTest(unittest.TestCase):
    """Base class: a temp dir per test, the binary, the database."""

    maxDiff = None

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="baoxue-cli-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.db = new_db(self.dir)

    def skip_on_pg(self, why):
        if PG:
            self.skipTest("SQLite only: " + why)

    # -- files ------------------------------------------------------------------------------
    def path(self, name):
        return os.path.join(self.dir, name)

    def write_bytes(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def csv(self, name, rows, **kw):
        return write_csv(self.path(name), rows, **kw)

    def xlsx(self, name, sheets, shared=True):
        return write_xlsx(self.path(name), sheets, shared)

    def xls(self, name, sheets):
        return write_xls(self.path(name), sheets)

    # -- running ----------------------------------------------------------------------------
    @staticmethod
    def env(extra=None):
        return env(extra)

    def run_bx(self, *args, timeout=120, env=None, cwd=None):
        """Run the binary; returns (exit code, stdout text, stderr text)."""
        p = subprocess.run(
            [BIN] + [str(a) for a in args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            env=self.env(env),
            cwd=cwd or self.dir,
        )
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def run_bytes(self, *args, timeout=120):
        """Like run_bx but stdout as bytes."""
        p = subprocess.run(
            [BIN] + [str(a) for a in args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            env=self.env(),
            cwd=self.dir,
        )
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

    def ok(self, *args, **kw):
        code, out, err = self.run_bx(*args, **kw)
        self.assertEqual(code, 0, "baoxue %s failed (%d):\nstdout: %s\nstderr: %s" % (" ".join(map(str, args)), code, out, err))
        return out, err

    def init_db(self, county=COUNTY, db=None):
        """`baoxue init` of the test's database (or of db). On SQLite a test's own new database
        is a copy of the one init made for the first test of the process with the same county
        and environment: init made the same file for each of some 170 tests, a process each
        (half a second under the sanitizers)."""
        args = ["init", "--db", db or self.db]
        if county:
            args += ["--county", county]
        if PG or db is not None or os.path.exists(self.db):
            return self.ok(*args)
        key = (county, tuple(sorted(self.env().items())))
        made = _init_made.get(key)
        if made:
            path, first_db, out, err = made
            shutil.copy(path, self.db)
            return out.replace(first_db, self.db), err
        out, err = self.ok(*args)
        if not any(os.path.exists(self.db + x) for x in ("-wal", "-shm", "-journal")):
            path = os.path.join(tempfile.mkdtemp(prefix="baoxue-init-"), "init.db")
            atexit.register(shutil.rmtree, os.path.dirname(path), True)
            shutil.copy(self.db, path)
            _init_made[key] = (path, self.db, out, err)
        return out, err

    def import_file(self, kind, path, *extra, db=None):
        """Import and expect success; returns (stdout, parsed summary)."""
        out, err = self.ok("import", "--db", db or self.db, "--kind", kind, *extra, path)
        s = parse_summary(out)
        self.assertIsNotNone(s, "no summary line in:\n" + out)
        return out, s

    # -- assertions -------------------------------------------------------------------------
    def assertCliError(self, code, err, want_code=2, *needles):
        self.assertEqual(code, want_code, "exit status; stderr: " + err)
        self.assertTrue(err.startswith("错误："), "stderr must start with 错误： but is: %r" % err)
        self.assertRegex(err, "[\u4e00-\u9fff]", "message must be Chinese")
        for n in needles:
            self.assertIn(n, err)

    def assertSummaryAddsUp(self, s):
        self.assertEqual(s["read"], s["imported"] + s["rejected"] + s["skipped"], s)
        self.assertEqual(s["skipped"], s["title"] + s["blank"] + s["notes"], s)

    # -- database ---------------------------------------------------------------------------
    def query(self, sql, params=(), db=None):
        """Rows as dicts, from SQLite or PostgreSQL (as JSON through psql: numbers stay numbers)."""
        db = db or self.db
        if is_pg(db):
            out = psql(db, "SELECT coalesce(json_agg(q), '[]'::json) FROM (%s) AS q" % inline_params(sql, params))
            return json.loads(out)
        con = sqlite3.connect(db, timeout=30)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, params).fetchall()]
        finally:
            con.close()

    def execute(self, sql, params=(), db=None):
        """Change the database behind the program's back (what a damaged database looks like)."""
        db = db or self.db
        if is_pg(db):
            psql(db, inline_params(sql, params))
            return
        con = sqlite3.connect(db, timeout=30)
        try:
            con.execute(sql, params)
            con.commit()
        finally:
            con.close()

    def scalar(self, sql, params=(), db=None):
        rows = self.query(sql, params, db)
        return list(rows[0].values())[0] if rows else None

    def records(self, batch_id=None, db=None):
        """Records of a batch (default: the latest), in row order."""
        if batch_id is None:
            batch_id = self.scalar("SELECT max(id) FROM batch", db=db)
        return self.query("SELECT * FROM record WHERE batch_id = ? ORDER BY row_no", (batch_id,), db)

    def record_by_name(self, name, db=None):
        rows = self.query(
            "SELECT * FROM record WHERE name = ? AND batch_id = (SELECT max(id) FROM batch)", (name,), db
        )
        self.assertEqual(len(rows), 1, "exactly one record named %s expected, got %r" % (name, rows))
        return rows[0]

    def batches(self, db=None):
        return self.query("SELECT * FROM batch ORDER BY id", db=db)

    def children(self, *extra, db=None):
        """Every child of a run (default: the latest) as `report children --format json` gives
        them: the compact run store is read through the program, not by SQL."""
        out, _ = self.ok("report", "children", "--db", db or self.db, "--format", "json", *extra)
        return json.loads(out)["children"]


# record.flags bits (src/ingest/rowflag.h order) and batch.flag_counts keys
FLAG_BITS = {
    "id_missing": 0,
    "id_bad_format": 1,
    "id_bad_check": 2,
    "id_bad_birth": 3,
    "id_precision_lost": 4,
    "id_region_unknown": 5,
    "birth_mismatch": 6,
    "sex_mismatch": 7,
    "date_invalid": 8,
    "dup_in_file": 9,
    "name_missing": 10,
    "gender_invalid": 11,
    "status_unknown": 12,
    "grade_invalid": 13,
    "township_unknown": 14,
    "control_chars": 15,
}


def flag_names(bits):
    return sorted(k for k, b in FLAG_BITS.items() if bits & (1 << b))


# ---------------------------------------------------------------------------------------------
# The server, black box: `baoxue serve` on a database and a free port, spoken to with
# http.client only. Functions for a test that runs its own server; the Api mixin for a test
# class whose server listens on cls.port over cls.db; DemoServerTest for the classes that share
# a server of the demo county (each class starts its own).

PASSWORD = "correct-horse-1"
INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE record; --",
    "\" OR 1=1 --",
    "%' UNION SELECT name FROM sqlite_master --",
    "_%",
    "\\",
    "张三' --",
    "$1",
]


def env(extra=None):
    """The environment the binary runs in: today is TODAY, no BAOXUE_DB from outside."""
    e = dict(os.environ)
    e.pop("BAOXUE_DB", None)
    e["BAOXUE_TODAY"] = TODAY
    e.setdefault("LANG", "C.UTF-8")
    if extra:
        e.update(extra)
    return e


def db_execute(db, sql):
    """Change the database behind the server's back."""
    if is_pg(db):
        psql(db, sql)
        return
    con = sqlite3.connect(db, timeout=30)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


def db_scalar(db, sql):
    """The integer one query gives."""
    if is_pg(db):
        return int(psql(db, sql).strip())
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def db_rows(db, sql):
    """Every row as a list of strings."""
    if is_pg(db):
        return [line.split("|") for line in psql(db, sql).splitlines()]
    con = sqlite3.connect(db, timeout=30)
    try:
        return [[str(v) for v in row] for row in con.execute(sql).fetchall()]
    finally:
        con.close()


def db_value(db, sql):
    """The first column of the first row as a string, None when there is no row."""
    rows = db_rows(db, sql)
    return rows[0][0] if rows else None


def user_add(db, name, *args, password=PASSWORD):
    """An account made at the command line (`baoxue user add`), its password on stdin."""
    p = subprocess.run([BIN, "user", "--db", db, "add", name, *args, "--password-stdin"],
                       input=(password + "\n").encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env(), timeout=60)
    assert p.returncode == 0, p.stderr.decode()


def init_county(db, county=COUNTY):
    """An empty database of the county (`baoxue init`)."""
    subprocess.run([BIN, "init", "--db", db, "--county", county], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), timeout=60)


def demo_county(directory, children=2000, *extra, history=False):
    """The demo county (`baoxue demo`) written under directory/demo; returns its database: the
    demo's own file there, or a fresh PostgreSQL schema when BAOXUE_TEST_PG is set. Without
    history (--no-history) unless asked: one cross-check, as the tests before issue 17 expect."""
    out = os.path.join(directory, "demo")
    db = new_db(directory) if PG else os.path.join(out, "baoxue.db")
    subprocess.run([BIN, "demo", "--children", str(children), "--out", out, *extra]
                   + ([] if history else ["--no-history"]) + (["--db", db] if PG else []), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), timeout=300)
    return db


def served_openapi(port):
    """The OpenAPI document as the server at port serves it (the action rows' operations are
    made from the rows, so the file in src/http holds only the reads)."""
    with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/openapi.json" % port, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def start_server(db, *extra, environ=None):
    """`baoxue serve` on a free port: (the process, its port). Its stdout's first line says
    where it listens; its stderr is the access log (read it: drain)."""
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=environ if environ is not None else env())
    line = p.stdout.readline().decode("utf-8", "replace")
    m = re.search(r":(\d+)/", line.split("//", 1)[-1])
    if not m:
        p.kill()
        raise AssertionError("server did not start: %r %r" % (line, p.stderr.read()))
    return p, int(m.group(1))


def drain(p):
    """Read the server's stderr (the access log) as it comes: a pipe nobody reads fills up and
    stops the server. Returns the list the lines go to and the reading thread."""
    lines = []
    t = threading.Thread(target=lambda: lines.extend(iter(p.stderr.readline, b"")), daemon=True)
    t.start()
    return lines, t


def stop_server(p):
    """SIGTERM (SIGKILL after 30 s); returns what is left of its stderr."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    err = p.stderr.read().decode("utf-8", "replace")
    p.stdout.close()
    p.stderr.close()
    return err


def stop_drained(p, lines, t):
    """stop_server for a drained server: the whole log."""
    err = stop_server(p)
    t.join(30)
    return b"".join(lines).decode("utf-8", "replace") + err


def urlq(s):
    """A query value, percent-encoded."""
    return urllib.parse.quote(s, safe="")


def multipart(fields, files, boundary=None):
    """multipart/form-data by hand: fields {name: value} or [(name, value)] (a name may repeat),
    files [(name, filename, bytes)], a file name str or raw bytes (a GBK name is sent as it is).
    Returns (body, Content-Type)."""
    boundary = boundary or "----baoxue" + uuid.uuid4().hex
    b = boundary.encode()
    out = []
    for k, v in (fields.items() if isinstance(fields, dict) else fields):
        out.append(b"--" + b + ("\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                                % (k, v)).encode("utf-8"))
    for name, filename, data in files:
        if isinstance(filename, str):
            filename = filename.encode("utf-8")
        out.append(b"--" + b + ("\r\nContent-Disposition: form-data; name=\"%s\"; filename=\""
                                % name).encode("utf-8") + filename
                   + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    out.append(b"--" + b + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def http_call(port, method, path, body=None, cookie=None, csrf=None, headers=None, timeout=30):
    """One request on a connection of its own: (response, its JSON or None, its bytes). A dict
    or list body is sent as JSON."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = cookie
    if csrf:
        h["X-CSRF-Token"] = csrf
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    j = None
    if r.getheader("Content-Type", "").startswith("application/json"):
        j = json.loads(data)
    return r, j, data


class Api:
    """The HTTP helpers of a unittest.TestCase whose server listens on self.port over self.db."""

    @classmethod
    def user_add(cls, name, *args):
        user_add(cls.db, name, *args)

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def call(self, method, path, body=None, cookie=None, csrf=None, headers=None):
        return http_call(self.port, method, path, body, cookie, csrf, headers)

    def login(self, name, password=PASSWORD):
        """(cookie, CSRF token) of a new session."""
        r, j, _ = self.call("POST", "/api/v1/session", {"username": name, "password": password})
        self.assertEqual(r.status, 200, j)
        cookie = r.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        return cookie.split(";")[0], j["csrf_token"]

    def assertError(self, r, j, status, code=None):
        self.assertEqual(r.status, status, j)
        self.assertIn("error", j)
        self.assertRegex(j["error"]["message"], "[\u4e00-\u9fff]", "message must be Chinese")
        if code:
            self.assertEqual(j["error"]["code"], code)

    # On PostgreSQL a server keeps the sessions it looked up (with the latest run) until the
    # database notifies it of a change: a change made elsewhere (a command, psql, another
    # server) reaches it in milliseconds, not at once (docs/decisions.md, "the session kept in
    # memory"). CHANGE_SECONDS is what a test allows for it: less than SESSION_CACHE_TTL (5 s),
    # so that a server that heard nothing fails.
    CHANGE_SECONDS = 2.0

    def until(self, call, method, path, cookie, done):
        """call(method, path) again until done(response, json) or CHANGE_SECONDS have passed:
        the last answer."""
        end = time.monotonic() + self.CHANGE_SECONDS
        while True:
            r, j, h = call(method, path, cookie=cookie)
            if done(r, j) or time.monotonic() > end:
                return r, j, h
            time.sleep(0.05)

    def refused_soon(self, path, cookie, call=None):
        """GET path is refused (401) once a change made elsewhere has reached the server."""
        r, j, _ = self.until(call or self.call, "GET", path, cookie, lambda r, j: r.status == 401)
        self.assertError(r, j, 401, "unauthenticated")

    def job(self, session, job_id):
        """GET /api/v1/jobs/{id}: its progress is always between 0 and 1."""
        r, j, _ = self.call("GET", "/api/v1/jobs/%d" % job_id, cookie=session[0])
        self.assertEqual(r.status, 200, j)
        self.assertGreaterEqual(j["progress"], 0)
        self.assertLessEqual(j["progress"], 1)
        return j

    def wait_job(self, session, job_id, states=("done", "failed"), timeout=120):
        """Poll a job until it is in one of `states`; returns it."""
        deadline = time.time() + timeout
        while True:
            j = self.job(session, job_id)
            if j["state"] in states:
                return j
            self.assertLess(time.time(), deadline, "job %d did not end: %r" % (job_id, j))
            time.sleep(0.05)


TOWN = "140521100"  # 龙港镇: the township of the demo server's "tz" account
OTHER = "140521101"  # 中村镇: another township of the demo county


class DemoServerTest(Api, unittest.TestCase):
    """A server of the demo county (2,000 children; a fresh PostgreSQL schema when BAOXUE_TEST_PG
    is set) for the class, with the accounts admin, county, tz (the township TOWN) and sup, a
    web directory of its own and a body limit of MAX_BODY. No tests of its own."""

    MAX_BODY = 65536
    HISTORY = False  # the demo's earlier terms (issue 17): only the classes that read them

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-server-")
        cls.db = demo_county(cls.dir, history=cls.HISTORY)
        for name, args in [
            ("admin", ["--role", "admin"]),
            ("county", ["--role", "county"]),
            ("tz", ["--role", "township", "--township", TOWN]),
            ("sup", ["--role", "supervisor"]),
        ]:
            cls.user_add(name, *args)
        cls.web = os.path.join(cls.dir, "web")
        os.makedirs(os.path.join(cls.web, "assets"))
        with open(os.path.join(cls.web, "index.html"), "w", encoding="utf-8") as f:
            f.write("<!doctype html><title>保学</title>")
        with open(os.path.join(cls.web, "assets", "app.3f9a1c2e.js"), "w") as f:
            f.write("console.log('baoxue');" * 50)
        with open(os.path.join(cls.web, "assets", "app.3f9a1c2e.js.gz"), "wb") as f:
            f.write(gzip.compress(b"console.log('baoxue');" * 50))
        with open(os.path.join(cls.dir, "secret.txt"), "w") as f:
            f.write("TOP-SECRET")
        cls.proc, cls.port = start_server(cls.db, "--web", cls.web, "--max-body", str(cls.MAX_BODY))
        cls.log_lines, cls.log_thread = drain(cls.proc)

    @classmethod
    def tearDownClass(cls):
        cls.server_log = stop_drained(cls.proc, cls.log_lines, cls.log_thread)
        shutil.rmtree(cls.dir, True)
        # under make test-sanitize the server reports leaks and errors when it stops
        assert "Sanitizer" not in cls.server_log, cls.server_log[-4000:]

    def audit(self, **filters):
        """The audit trail's entries (as the admin reads them) with these filters."""
        admin, _ = self.login("admin")
        q = "&".join("%s=%s" % (k, urlq(v)) for k, v in filters.items())
        r, j, _ = self.call("GET", "/api/v1/audit?per_page=500&" + q, cookie=admin)
        self.assertEqual(r.status, 200, j)
        return j["items"]

    def count_records(self):
        return db_scalar(self.db, "SELECT count(*) FROM record")


# ---------------------------------------------------------------------------------------------
# A county of four children, as the upload and job tests send its lists

# name: (birth, seq, township, enrolled?)
JOB_CHILDREN = {
    "在读甲": ("2015-03-04", 17, "郑庄镇", True),
    "在读乙": ("2017-01-01", 19, "端氏镇", True),
    "未入学": ("2016-09-09", 29, "郑庄镇", False),
    "八月末": ("2019-08-31", 31, "端氏镇", False),
}


def job_child_id(name):
    birth, seq = JOB_CHILDREN[name][0], JOB_CHILDREN[name][1]
    return make_id(birth.replace("-", ""), seq)


def population_csv():
    """The household register of JOB_CHILDREN, as CSV bytes."""
    rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
    for name, (birth, seq, town, _) in JOB_CHILDREN.items():
        rows.append([name, "男" if seq % 2 else "女", job_child_id(name), birth, town, "正常"])
    return csv_text(rows).encode("utf-8")


def enrollment_csv():
    """The 学籍 list of the enrolled JOB_CHILDREN, as CSV bytes."""
    rows = [["学校标识码", "学校名称", "年级", "姓名", "出生日期", "身份证件号", "学籍状态"]]
    for name, (birth, _, _, enrolled) in JOB_CHILDREN.items():
        if enrolled:
            rows.append(["2114052101", "沁水县实验小学", "三年级", name, birth, job_child_id(name),
                         "在读"])
    return csv_text(rows).encode("utf-8")
