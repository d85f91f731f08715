#!/usr/bin/env python3
"""Linkage quality on the demo county, against its ground truth.

For each seed (and size): `baoxue demo` builds, imports and matches a county; this script then
compares the out-of-school list and every link with the truth the demo wrote:

  child level: recall (truly out-of-school children listed) and precision (listed children
               truly out), the review queue as a share of the population;
  pair level:  precision and recall of the record -> child links (学籍 and 外出就读 rows).

Usage: bench/linkage_quality.py [--bin build/baoxue] [--children 20000] [--seeds 1,2,3]
       [--errors 1.0] [--keep DIR]
Prints one line per run and a summary; exits 1 if any run misses a truly out-of-school child.
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


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def links_from_db(db):
    """(kind, row) of every school record -> population row, as the latest run decided."""
    con = sqlite3.connect(db)
    run_id, pop_b, enr_b, out_b = con.execute(
        "SELECT id, population_batch, enrollment_batch, coalesce(outside_batch, 0)"
        " FROM match_run ORDER BY id DESC LIMIT 1").fetchone()
    links = {}
    # exact-ID links are implied by equal IDs, unless the run held the pair back
    held = {r[0] for r in con.execute(
        "SELECT other_record FROM candidate WHERE run_id = ? AND decision <> 'accept'", (run_id,))}
    accepted = {r[0]: r[1] for r in con.execute(
        "SELECT other_record, population_record FROM candidate WHERE run_id = ?"
        " AND decision = 'accept'", (run_id,))}
    pop_rows = dict(con.execute("SELECT id, row_no FROM record WHERE batch_id = ?", (pop_b,)))
    q = ("SELECT o.id, b.kind, o.row_no, p.id FROM record o JOIN batch b ON b.id = o.batch_id"
         " LEFT JOIN record p ON p.batch_id = ? AND p.id_number = o.id_number"
         " WHERE o.batch_id IN (?, ?)")
    for oid, kind, row, pid in con.execute(q, (pop_b, enr_b, out_b)):
        if oid in accepted:
            links[(kind, row)] = pop_rows[accepted[oid]]
        elif pid is not None and oid not in held:
            links.setdefault((kind, row), pop_rows[pid])
    counts = json.loads(con.execute("SELECT counts FROM match_run WHERE id = ?",
                                    (run_id,)).fetchone()[0])
    con.close()
    return links, counts


def truth_links(dirname, header_rows):
    """(kind, row) -> population key (序号), from truth_enrollment.csv / truth_outside.csv."""
    t = {}
    for kind, name in (("enrollment", "truth_enrollment.csv"), ("outside", "truth_outside.csv")):
        path = os.path.join(dirname, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["key"]:
                    # data row n sits at sheet row n + header_rows[kind]
                    t[(kind, int(r["row"]) + header_rows[kind])] = int(r["key"])
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "../build/baoxue"))
    ap.add_argument("--children", type=int, default=20000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--errors", type=float, default=None)
    ap.add_argument("--keep")
    args = ap.parse_args()
    env = dict(os.environ, BAOXUE_TODAY=os.environ.get("BAOXUE_TODAY", "2026-11-20"))
    worst_recall = 1.0
    for seed in [int(s) for s in args.seeds.split(",")]:
        d = args.keep or tempfile.mkdtemp(prefix="baoxue-quality-")
        out = os.path.join(d, f"seed{seed}")
        cmd = [args.bin, "demo", "--out", out, "--children", str(args.children), "--seed", str(seed)]
        if args.errors is not None:
            cmd += ["--errors", str(args.errors)]
        run(cmd, env)
        db = os.path.join(out, "baoxue.db")
        report = json.loads(run([args.bin, "report", "--db", db, "out-of-school", "--format",
                                 "json"], env))
        with open(os.path.join(out, "ground_truth.csv"), encoding="utf-8") as f:
            truth = list(csv.DictReader(f))
        listed = {c["id_number"] for c in report["children"]}
        con = sqlite3.connect(db)
        pending = {r[0] for r in con.execute(
            "SELECT r.id_number FROM child_status cs JOIN record r ON r.id = cs.record_id"
            " WHERE cs.run_id = (SELECT max(id) FROM match_run) AND cs.status = 'pending_review'")}
        con.close()
        truly = {t["true_id"] for t in truth if t["true_status"] in OUT}
        recall = len(listed & truly) / len(truly) if truly else 1.0
        precision = len(listed & truly) / len(listed) if listed else 1.0
        worst_recall = min(worst_recall, recall)
        # the population key (序号) of each register row: row_no - 3 (title, blank, header)
        con = sqlite3.connect(db)
        hdr = dict(con.execute("SELECT kind, header_row FROM batch"))
        con.close()
        links, counts = links_from_db(db)
        tl = truth_links(out, hdr)
        pop_hdr = hdr["population"]
        got = {k: v - pop_hdr for k, v in links.items()}
        tp = sum(1 for k, v in got.items() if tl.get(k) == v)
        pair_p = tp / len(got) if got else 1.0
        pair_r = tp / len(tl) if tl else 1.0
        review = counts.get("review", 0)
        print(f"seed {seed}: children {args.children}: truly out {len(truly)}, listed "
              f"{len(listed)}, recall {recall:.2%}, precision {precision:.2%}; review "
              f"{review} ({review / args.children:.3%} of population, truly out among the "
              f"children waiting: {len(pending & truly)}); links "
              f"{len(got)} of {len(tl)} true: pair precision {pair_p:.3%}, recall {pair_r:.3%}; "
              f"by method {counts.get('links')}")
        if not args.keep:
            shutil.rmtree(d, ignore_errors=True)
    sys.exit(0 if worst_recall == 1.0 else 1)


if __name__ == "__main__":
    main()
