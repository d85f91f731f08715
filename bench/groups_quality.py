#!/usr/bin/env python3
"""Priority-group tag quality on the demo county, against its ground truth.

For each seed, `baoxue demo --files-only` writes a county's files, including the five
priority-group lists and the aid list (demo.h); the binary under test imports them all into a
fresh database (population, enrollment, outside, then poverty, welfare (低保/特困 and 孤儿),
disability, left_behind, aid), runs the cross-check and writes
`baoxue report groups --format json -o F`:

  {"as_of", "children": [{"id_number", "name", "township", "groups": ["脱贫户", …],
                          "status", "matched_by": "id|household|name_birth"}]}

The script compares the tags with truth_groups.csv (the register child of every list row, and
what the row offers a matcher: the child's ID right or mistyped, a guardian ID the 户籍 file
shows, the guardian's name only, name and birth date only) and reports:

  per list     tags expected (school-age children of the list), tags given, right, recall,
               precision;
  per offer    recall of the tags whose rows offer each path (household_id against
               household_name shows how matching degrades where 户籍 has no guardian ID);
  per path     precision of the tags given by each reported matched_by.

"School-age" is the compulsory band on the school year's cutoff (6..15 on 31 August) with the
registration active, as ground_truth.csv's birth_date and true_status say. A tag for a child
outside it is not counted as wrong when the child is truly on the list; it is counted apart.
Tags are mapped to lists by their words (脱贫/监测/易致贫/严重困难 → poverty, 低保/特困 → welfare,
孤儿/无人抚养 → orphan, 残疾 → disability, 留守 → left_behind); others are counted apart.

Usage: bench/groups_quality.py [--bin build/baoxue] [--gen-bin BIN] [--children 20000]
       [--seeds 1,2,3] [--keep DIR] [--goal 0.995] [--misses FILE]
Exits 1 when a list's recall or precision is under the goal, 2 when the binary cannot import
the group lists or has no `report groups` yet.
"""
import argparse
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

LISTS = ["poverty", "welfare", "orphan", "disability", "left_behind"]
LABELS = {"poverty": "防返贫监测（脱贫户）", "welfare": "低保、特困", "orphan": "孤儿、事实无人抚养",
          "disability": "残疾", "left_behind": "农村留守"}
WORDS = [("poverty", ("脱贫", "监测", "易致贫", "严重困难", "防返贫")),
         ("welfare", ("低保", "特困")),
         ("orphan", ("孤儿", "无人抚养")),
         ("disability", ("残疾",)),
         ("left_behind", ("留守",))]
OFFERS = ["id", "id_typo", "household_id", "household_name", "name_birth"]
OFFER_LABELS = {"id": "本人身份证号正确", "id_typo": "本人身份证号录错一位",
                "household_id": "无本人号码，户籍有监护人身份证号",
                "household_name": "无本人号码，户籍只有监护人姓名",
                "name_birth": "只有姓名和出生日期"}
OFFER_RANK = {o: i for i, o in enumerate(OFFERS)}
IN_BAND = {"enrolled", "enrolled_elsewhere", "not_enrolled", "dropped_out", "suspended"}
# the group files and the import kind of each (the 孤儿 list is a second welfare file)
GROUP_FILES = [("防返贫监测对象家庭成员信息", "poverty"), ("低保特困保障对象名册", "welfare"),
               ("孤儿和事实无人抚养儿童名册", "welfare"), ("残疾人基本信息", "disability"),
               ("农村留守儿童信息登记表", "left_behind"), ("学生资助资金发放明细", "aid")]


def run(cmd, env, what=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        if what:
            sys.stderr.write(f"{what}\n  {' '.join(cmd)}\n  {r.stderr.strip()}\n")
            sys.exit(2)
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def pick(out, stem):
    for n in sorted(os.listdir(out)):
        if n.startswith(stem) and (n.endswith(".xlsx") or n.endswith(".csv")):
            return os.path.join(out, n)
    sys.exit(f"the demo wrote no file {stem}.* in {out}: the generator has no group lists yet")


def list_of(label):
    for key, words in WORDS:
        if any(w in label for w in words):
            return key
    return None


def school_age(birth, as_of):
    y = as_of.year if as_of.month >= 9 else as_of.year - 1
    cutoff = datetime.date(y, 8, 31)
    b = datetime.date.fromisoformat(birth)
    age = cutoff.year - b.year - ((cutoff.month, cutoff.day) < (b.month, b.day))
    return 6 <= age <= 15


def load_truth(out, as_of):
    with open(os.path.join(out, "ground_truth.csv"), encoding="utf-8") as f:
        children = {int(r["key"]): r for r in csv.DictReader(f)}
    by_id = {r["true_id"]: k for k, r in children.items()}
    expected = {}  # (key, list) -> best offer
    with open(os.path.join(out, "truth_groups.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["list"] not in LISTS or not r["key"] or r["offer"] not in OFFER_RANK:
                continue
            k = (int(r["key"]), r["list"])
            if k not in expected or OFFER_RANK[r["offer"]] < OFFER_RANK[expected[k]]:
                expected[k] = r["offer"]
    band = {k for k, r in children.items()
            if r["true_status"] in IN_BAND and school_age(r["birth_date"], as_of)}
    return children, by_id, expected, band


class Tally:
    def __init__(self):
        self.expected = self.found = self.given = self.right = 0

    def recall(self):
        return self.found / self.expected if self.expected else 1.0

    def precision(self):
        return self.right / self.given if self.given else 1.0


def measure(out, report, as_of, per_list, per_offer, per_path, extra):
    children, by_id, expected, band = load_truth(out, as_of)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("children"), list):
        sys.exit(f"{report}: not the answer of `report groups` (an object with children)")
    given = {}  # (key or id, list) -> matched_by
    for c in doc["children"]:
        key = by_id.get(c.get("id_number"), c.get("id_number"))
        mb = c.get("matched_by")
        for label in c.get("groups", []):
            lst = list_of(label)
            if lst is None:
                extra["other_labels"][label] = extra["other_labels"].get(label, 0) + 1
                continue
            path = mb.get(label) if isinstance(mb, dict) else mb
            given[(key, lst)] = path or "?"
    for (key, lst), offer in expected.items():
        if key not in band:
            continue
        hit = (key, lst) in given
        if not hit:
            c = children[key]
            extra["misses"].append((out, lst, offer, key, c.get("name", ""), c.get("true_id", "")))
        per_list[lst].expected += 1
        per_list[lst].found += hit
        per_offer[offer].expected += 1
        per_offer[offer].found += hit
    for (key, lst), path in given.items():
        right = (key, lst) in expected
        if right and key not in band:
            extra["outside_band"] += 1
            continue
        per_list[lst].given += 1
        per_list[lst].right += right
        t = per_path.setdefault(path, Tally())
        t.given += 1
        t.right += right
        if not isinstance(key, int):
            extra["unknown_child"] += 1


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "../build/baoxue"))
    ap.add_argument("--gen-bin", help="the baoxue that writes the demo files (default --bin)")
    ap.add_argument("--children", type=int, default=20000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--keep")
    ap.add_argument("--goal", type=float, default=0.995)
    ap.add_argument("--misses", help="write the tags not found (list, offer, child) to this CSV")
    args = ap.parse_args()
    gen = args.gen_bin or args.bin
    today = os.environ.get("BAOXUE_TODAY", "2026-11-20")
    as_of = datetime.date.fromisoformat(today)
    env = dict(os.environ, BAOXUE_TODAY=today)
    per_list = {k: Tally() for k in LISTS}
    per_offer = {k: Tally() for k in OFFERS}
    per_path = {}
    extra = {"outside_band": 0, "unknown_child": 0, "other_labels": {}, "misses": []}
    for seed in [int(s) for s in args.seeds.split(",")]:
        d = args.keep or tempfile.mkdtemp(prefix="baoxue-groups-")
        try:
            one_seed(args, gen, env, today, as_of, seed, d, per_list, per_offer, per_path,
                     extra)
        finally:
            if not args.keep:
                shutil.rmtree(d, ignore_errors=True)
        print(f"seed {seed}: " + ", ".join(
            f"{k} {t.found}/{t.expected} found, {t.right}/{t.given} right"
            for k, t in per_list.items()), flush=True)
    if args.misses:
        with open(args.misses, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["files", "list", "offer", "key", "name", "true_id"])
            w.writerows(extra["misses"])
    report_tables(args, today, per_list, per_offer, per_path, extra)


def one_seed(args, gen, env, today, as_of, seed, d, per_list, per_offer, per_path, extra):
    out = os.path.join(d, f"groups-{seed}")
    shutil.rmtree(out, ignore_errors=True)
    run([gen, "demo", "--files-only", "--out", out, "--children", str(args.children),
         "--seed", str(seed), "--as-of", today], env)
    db = os.path.join(out, "bench.db")
    run([args.bin, "init", "--db", db], env)
    for kind, stem in (("population", "户籍适龄儿童花名册"), ("enrollment", "学籍数据"),
                       ("outside", "外出就读学生名单")):
        run([args.bin, "import", "--db", db, "--kind", kind, pick(out, stem)], env)
    for stem, kind in GROUP_FILES:
        run([args.bin, "import", "--db", db, "--kind", kind, pick(out, stem)], env,
            what=f"this baoxue cannot import the {kind} list (the priority-group import kinds"
                 f" of issue 15 are not in it yet?)")
    run([args.bin, "match", "--db", db, "--as-of", today], env)
    report = os.path.join(out, "groups.json")
    run([args.bin, "report", "groups", "--db", db, "--format", "json", "-o", report], env,
        what="this baoxue has no `report groups --format json` yet (issue 15); nothing to"
             " measure")
    measure(out, report, as_of, per_list, per_offer, per_path, extra)


def report_tables(args, today, per_list, per_offer, per_path, extra):
    print(f"\nSummed over seeds {args.seeds}, {args.children} children each (as of {today}):")
    print("| list | tags expected | found | recall | tags given | right | precision |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    total = Tally()
    for k, t in per_list.items():
        print(f"| {LABELS[k]} | {t.expected} | {t.found} | {t.recall():.2%} | {t.given} |"
              f" {t.right} | {t.precision():.2%} |")
        for f in ("expected", "found", "given", "right"):
            setattr(total, f, getattr(total, f) + getattr(t, f))
    print(f"| 合计 | {total.expected} | {total.found} | {total.recall():.2%} | {total.given} |"
          f" {total.right} | {total.precision():.2%} |")
    print("\n| what the list row offers | tags expected | found | recall |")
    print("|---|--:|--:|--:|")
    for k, t in per_offer.items():
        print(f"| {OFFER_LABELS[k]} ({k}) | {t.expected} | {t.found} | {t.recall():.2%} |")
    print("\n| matched_by | tags given | right | precision |")
    print("|---|--:|--:|--:|")
    for k, t in sorted(per_path.items()):
        print(f"| {k} | {t.given} | {t.right} | {t.precision():.2%} |")
    print(f"\nright tags of children outside the school-age band: {extra['outside_band']};"
          f" tags on IDs in no register here: {extra['unknown_child']};"
          f" other labels: {extra['other_labels'] or 'none'}")
    worst = min([t.recall() for t in per_list.values()] +
                [t.precision() for t in per_list.values()])
    sys.exit(0 if worst >= args.goal else 1)


if __name__ == "__main__":
    main()
