#!/usr/bin/env python3
"""Linkage quality on the demo county, against its ground truth, family by family.

For each family and seed, `baoxue demo --files-only` writes a county's files (the usual mix, or
with one error family raised to hundreds of cases: --family), then the binary under test
imports them into a fresh database and runs the cross-check. The script compares what the run
decided with the truth the demo wrote:

  children  recall (truly out-of-school children on the list) and precision (listed children
            truly out), and the share waiting for a clerk (status 待复核) — over the whole county
            and over the family's children (ground_truth.csv "case"). "Listed" is the list
            outright (not_enrolled, dropped_out); the waiting children, on the report marked
            待复核, are the review share, with how many of them are truly out
            (docs/decisions.md, issue 13);
  records   for the family's rows (truth_*.csv "case"): linked to the right child, to another
            child, or left unlinked (in review or not linked at all); for the 随迁 rows (in no
            register here), how many were pulled onto a register child and how many were kept as
            pupils of the county (status enrolled_nonlocal, 在读，非本县户籍).

Families (demo.h): overall (the usual mix, every family at its usual rate), siblings, names,
numbers, noid, unregistered. The generator and the binary under test can differ (--gen-bin): the
same files measure main and a branch.

Usage: bench/linkage_quality.py [--bin build/baoxue] [--gen-bin BIN] [--children 20000]
       [--seeds 1,2,3,4,5] [--families overall,siblings,...] [--errors X] [--keep DIR]
Prints one line per run, a table per family summed over the seeds, and exits 1 if any run
misses a truly out-of-school child.
"""
import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

OUT = {"not_enrolled", "dropped_out"}
FAMILIES = ["overall", "siblings", "names", "numbers", "noid", "unregistered"]
LABELS = {
    "overall": "常见错误组合（全县）",
    "siblings": "同日出生的兄弟姐妹（双胞胎）",
    "names": "同音字和繁体字",
    "numbers": "身份证号存成数字",
    "noid": "缺少身份证号（有或没有学籍号）",
    "unregistered": "有学籍无户籍（随迁子女）",
}


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def files_of(out):
    names = os.listdir(out)
    pick = lambda stem: next(os.path.join(out, n) for n in names if n.startswith(stem))
    return pick("户籍适龄儿童花名册"), pick("学籍数据"), pick("外出就读学生名单")


def read_run(db):
    """The latest run: each child's acted-on status by ID, and every record -> child link."""
    con = sqlite3.connect(db)
    run_id, pop_b, enr_b, out_b = con.execute(
        "SELECT id, population_batch, enrollment_batch, coalesce(outside_batch, 0)"
        " FROM match_run ORDER BY id DESC LIMIT 1").fetchone()
    # the register's children only: a 学籍 record in no register here has a row of its own
    # (enrolled_nonlocal), which may carry a register child's ID and must not stand for them
    status = dict(con.execute(
        "SELECT r.id_number, cs.status FROM child_status cs JOIN record r ON r.id = cs.record_id"
        " WHERE cs.run_id = ? AND r.batch_id = ?", (run_id, pop_b)))
    hdr = dict(con.execute("SELECT kind, header_row FROM batch"))
    pop_rows = dict(con.execute("SELECT id, row_no FROM record WHERE batch_id = ?", (pop_b,)))
    # exact-ID links are implied by equal IDs, unless the run held the record back
    held = {r[0] for r in con.execute(
        "SELECT other_record FROM candidate WHERE run_id = ? AND decision <> 'accept'", (run_id,))}
    accepted = {r[0]: r[1] for r in con.execute(
        "SELECT other_record, population_record FROM candidate WHERE run_id = ?"
        " AND decision = 'accept'", (run_id,))}
    links = {}
    q = ("SELECT o.id, b.kind, o.row_no, p.id, p.id_flags FROM record o"
         " JOIN batch b ON b.id = o.batch_id"
         " LEFT JOIN record p ON p.batch_id = ? AND p.id_number = o.id_number"
         " WHERE o.batch_id IN (?, ?)")
    for oid, kind, row, pid, pflags in con.execute(q, (pop_b, enr_b, out_b)):
        key = (kind, row - hdr[kind])
        if oid in accepted:
            links[key] = pop_rows[accepted[oid]] - hdr["population"]
        elif pid is not None and oid not in held:
            links.setdefault(key, pop_rows[pid] - hdr["population"])
    # the 学籍 rows kept as pupils in no register here (在读，非本县户籍)
    kept = {("enrollment", row - hdr["enrollment"]) for (row,) in con.execute(
        "SELECT r.row_no FROM child_status cs JOIN record r ON r.id = cs.record_id"
        " WHERE cs.run_id = ? AND cs.status = 'enrolled_nonlocal' AND r.batch_id = ?",
        (run_id, enr_b))}
    counts = json.loads(con.execute("SELECT counts FROM match_run WHERE id = ?",
                                    (run_id,)).fetchone()[0])
    con.close()
    return status, links, counts, kept


def truth_rows(out):
    """(kind, data row) -> (population key or None, case)."""
    t = {}
    for kind, name in (("enrollment", "truth_enrollment.csv"), ("outside", "truth_outside.csv")):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                t[(kind, int(r["row"]))] = (int(r["key"]) if r["key"] else None, r.get("case", ""))
    return t


class Tally:
    """Counts summed over seeds."""
    FIELDS = ["children", "out", "listed", "tp", "waiting", "waiting_out", "rows", "right",
              "wrong", "unlinked", "pulled", "unreg_rows", "kept"]

    def __init__(self):
        for k in self.FIELDS:
            setattr(self, k, 0)

    def add(self, o):
        for k in self.FIELDS:
            setattr(self, k, getattr(self, k) + getattr(o, k))

    def recall(self):
        return self.tp / self.out if self.out else 1.0

    def precision(self):
        return self.tp / self.listed if self.listed else 1.0

    def review(self):
        return self.waiting / self.children if self.children else 0.0

    def line(self):
        s = (f"children {self.children}: truly out {self.out}, listed {self.listed}, recall "
             f"{self.recall():.2%}, precision {self.precision():.2%}, waiting {self.waiting} "
             f"({self.review():.2%}; truly out among them {self.waiting_out})")
        if self.rows:
            s += (f"; rows {self.rows}: right child {self.right}, another child {self.wrong}, "
                  f"unlinked {self.unlinked}")
        if self.unreg_rows:
            s += (f"; 随迁 rows {self.unreg_rows}, pulled onto a register child {self.pulled}, "
                  f"kept as 在读，非本县户籍 {self.kept}")
        return s


def measure(out, db, family):
    with open(os.path.join(out, "ground_truth.csv"), encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    status, links, counts, kept = read_run(db)
    rows = truth_rows(out)
    whole, fam = Tally(), Tally()
    for t in truth:
        st = status.get(t["true_id"])
        listed, truly = st in OUT, t["true_status"] in OUT
        mine = family == "overall" or t.get("case", "").startswith(family + ":")
        for tl, count in ((whole, True), (fam, mine)):
            if not count:
                continue
            tl.children += 1
            tl.out += truly
            tl.listed += listed
            tl.tp += listed and truly
            tl.waiting += st == "pending_review"
            tl.waiting_out += st == "pending_review" and truly
    for key, (child, case) in rows.items():
        if family != "overall" and not case.startswith(family + ":"):
            continue
        got = links.get(key)
        if child is None:
            fam.unreg_rows += 1
            fam.pulled += got is not None
            fam.kept += key in kept
        else:
            fam.rows += 1
            fam.right += got == child
            fam.wrong += got is not None and got != child
            fam.unlinked += got is None
    return whole, fam, counts


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "../build/baoxue"))
    ap.add_argument("--gen-bin", help="the baoxue that writes the demo files (default --bin)")
    ap.add_argument("--children", type=int, default=20000)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--errors", type=float, default=None)
    ap.add_argument("--keep")
    args = ap.parse_args()
    gen = args.gen_bin or args.bin
    today = os.environ.get("BAOXUE_TODAY", "2026-11-20")
    env = dict(os.environ, BAOXUE_TODAY=today)
    worst_recall = 1.0
    summary = {}
    for family in args.families.split(","):
        if family not in FAMILIES:
            sys.exit(f"unknown family {family}: one of {', '.join(FAMILIES)}")
        tw, tf = Tally(), Tally()
        for seed in [int(s) for s in args.seeds.split(",")]:
            d = args.keep or tempfile.mkdtemp(prefix="baoxue-quality-")
            out = os.path.join(d, f"{family}-{seed}")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [gen, "demo", "--files-only", "--out", out, "--children", str(args.children),
                   "--seed", str(seed)]
            if family != "overall":
                cmd += ["--family", family]
            if args.errors is not None:
                cmd += ["--errors", str(args.errors)]
            run(cmd, env)
            db = os.path.join(out, "bench.db")
            run([args.bin, "init", "--db", db], env)
            for kind, path in zip(("population", "enrollment", "outside"), files_of(out)):
                run([args.bin, "import", "--db", db, "--kind", kind, path], env)
            run([args.bin, "match", "--db", db, "--as-of", today], env)
            whole, fam, counts = measure(out, db, family)
            worst_recall = min(worst_recall, whole.recall(), fam.recall())
            tw.add(whole)
            tf.add(fam)
            print(f"{family} seed {seed}: county {whole.line()}; family {fam.line()}; "
                  f"links by method {counts.get('links')}", flush=True)
            if not args.keep:
                shutil.rmtree(d, ignore_errors=True)
        summary[family] = (tw, tf)
    print(f"\nSummed over seeds {args.seeds}, {args.children} children each:")
    print("| family | children | truly out | listed | recall | precision | waiting (share) |"
          " family rows: right / another child / unlinked | 随迁 rows pulled | 随迁 rows kept |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for family, (tw, tf) in summary.items():
        for name, t in ((LABELS[family], tf),) if family != "overall" else ((LABELS[family], tw),):
            rows = f"{t.right} / {t.wrong} / {t.unlinked} of {t.rows}" if t.rows else "—"
            pulled = f"{t.pulled} of {t.unreg_rows}" if t.unreg_rows else "—"
            kept = f"{t.kept} of {t.unreg_rows}" if t.unreg_rows else "—"
            print(f"| {name} | {t.children} | {t.out} | {t.listed} | {t.recall():.2%} | "
                  f"{t.precision():.2%} | {t.waiting} ({t.review():.2%}) | {rows} | {pulled} |"
                  f" {kept} |")
        if family != "overall":
            print(f"| ↳ 该类县份全县 | {tw.children} | {tw.out} | {tw.listed} | {tw.recall():.2%} |"
                  f" {tw.precision():.2%} | {tw.waiting} ({tw.review():.2%}) | | | |")
    sys.exit(0 if worst_recall == 1.0 else 1)


if __name__ == "__main__":
    main()
