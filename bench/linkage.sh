#!/usr/bin/env bash
# Linkage benchmark: baoxue import + match against DuckDB's exact-ID anti-join on the same
# demo files, at several sizes. See bench/README.md.
#
#   bench/linkage.sh [--keep] [--seed S] [--note TEXT] [SIZE...]
#
# SIZE: number of children (default: 100000 1000000 5000000). --keep keeps the generated files,
# databases and logs (under /tmp/baoxue-bench.*); --note adds TEXT to the RESULTS.md heading.
set -euo pipefail

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/linkage.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
SEED=1
NOTE=""
SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --seed) SEED="${2:?--seed needs a value}"; shift ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "linkage.sh: unknown option $1" >&2; usage 2 ;;
    *)
      [[ "$1" =~ ^[0-9]+$ ]] || { echo "linkage.sh: size must be a number: $1" >&2; exit 2; }
      SIZES+=("$1") ;;
  esac
  shift
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000 5000000)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
BAOXUE="$BUILD/baoxue"
RESULTS="$BENCH/RESULTS.md"
TIME=/usr/bin/time
AS_OF="$(date +%F)"

for tool in cmake npm node python3 iconv sqlite3 "$TIME"; do
  command -v "$tool" >/dev/null || { echo "linkage.sh: $tool is required" >&2; exit 1; }
done

# --- temp directories: always removed on exit unless --keep ----------------------------------
WORKDIRS=()
SCRATCH=()
cleanup() {
  if [ ${#SCRATCH[@]} -gt 0 ]; then rm -f -- "${SCRATCH[@]}"; fi
  remove_workdirs ${WORKDIRS[@]+"${WORKDIRS[@]}"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build baoxue (Release) -------------------------------------------------------------------
build_bench

# --- DuckDB (npm) -----------------------------------------------------------------------------
if [ ! -d "$BENCH/node_modules/@duckdb/node-api" ] && [ ! -d "$BENCH/node_modules/duckdb" ]; then
  echo "== installing DuckDB (npm: @duckdb/node-api) into bench/node_modules" >&2
  if ! npm install --no-save --no-audit --no-fund --prefix "$BENCH" @duckdb/node-api >&2; then
    echo "== @duckdb/node-api failed; trying the duckdb package" >&2
    npm install --no-save --no-audit --no-fund --prefix "$BENCH" duckdb >&2
  fi
fi

# --- machine ----------------------------------------------------------------------------------
machine_info
MACHINE_SQLITE="$(sqlite3 --version | cut -d' ' -f1) (system libsqlite3)"
MACHINE_NODE="$(node --version)"

# --- helpers ----------------------------------------------------------------------------------
# timed LABEL ROWS LOG -- CMD...: run CMD under /usr/bin/time, append "LABEL ROWS SECONDS RSS_KB
# USER_S SYS_S" to $STEPS (CPU seconds: what a loaded machine changes least). ROWS may be "-" and filled in later with set_rows.
timed() {
  local label="$1" rows="$2" log="$3"
  shift 4
  local tf="$WORK/time.out"
  if ! "$TIME" -f '%e %M %U %S' -o "$tf" "$@" >"$log" 2>&1; then
    echo "linkage.sh: step '$label' failed; its output ($log):" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\n' "$label" "$rows" "$(tail -n 1 "$tf" | tr ' ' '\t')" >>"$STEPS"
}
sq() { sqlite3 -batch -noheader "$DB" "$1"; }
file_of() { # the .xlsx or .csv the demo wrote for a base name
  local f
  for f in "$DATA/$1.xlsx" "$DATA/$1.csv"; do [ -f "$f" ] && { echo "$f"; return; }; done
  echo "linkage.sh: demo wrote no $1.xlsx or .csv" >&2
  exit 1
}
describe() { # "csv, 123.4 MB"
  local f="$1"
  printf '%s %s, %s MB' "${f##*.}" "$2" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf (b < 1e6 ? "%.2f" : "%.1f"), b/1e6}')"
}

ALL_STEPS="$(mktemp /tmp/baoxue-bench-steps.XXXXXX)"
SCRATCH+=("$ALL_STEPS")
SECTION="$(mktemp /tmp/baoxue-bench-section.XXXXXX)"
SCRATCH+=("$SECTION")

STARTED="$(date '+%Y-%m-%d %H:%M %Z')"
{
  echo
  echo "## $STARTED${NOTE:+ — $NOTE}"
  echo
  echo "- Command: \`$COMMAND\` (seed $SEED, as-of $AS_OF)"
  echo "- baoxue: $GIT_REV, Release build (build-bench/, -DBAOXUE_DEV=OFF)"
  echo "- Machine: $MACHINE_NPROC cores ($MACHINE_CPU), $MACHINE_MEM, $MACHINE_KERNEL"
  echo "- Compiler: $MACHINE_CC; SQLite $MACHINE_SQLITE; node $MACHINE_NODE"
  echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running shares the $MACHINE_NPROC cores)"
} >"$SECTION"

for N in "${SIZES[@]}"; do
  WORK="$(mktemp -d /tmp/baoxue-bench.XXXXXX)"
  WORKDIRS+=("$WORK")
  DATA="$WORK/files"
  DB="$WORK/bench.db"
  STEPS="$WORK/steps.tsv"
  : >"$STEPS"
  echo "== $N children: generating files in $WORK" >&2
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

  gen_start=$(date +%s.%N)
  "$BAOXUE" demo --files-only --out "$DATA" --children "$N" --seed "$SEED" --as-of "$AS_OF" \
    >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
  gen_s=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  POP="$DATA/户籍适龄儿童花名册.csv"
  ENR="$(file_of 学籍数据)"
  OUT="$(file_of 外出就读学生名单)"
  [ -f "$POP" ] || { echo "linkage.sh: demo wrote no $POP" >&2; exit 1; }

  # ---- baoxue: init (not timed), three imports, match ----
  "$BAOXUE" init --db "$DB" --county 140521 >"$WORK/init.log" 2>&1
  echo "== $N: baoxue import population / enrollment / outside, match" >&2
  timed "baoxue import population" - "$WORK/import-population.log" -- \
    "$BAOXUE" import --db "$DB" --kind population --no-progress "$POP"
  timed "baoxue import enrollment" - "$WORK/import-enrollment.log" -- \
    "$BAOXUE" import --db "$DB" --kind enrollment --no-progress "$ENR"
  timed "baoxue import outside" - "$WORK/import-outside.log" -- \
    "$BAOXUE" import --db "$DB" --kind outside --no-progress "$OUT"
  timed "baoxue match" - "$WORK/match.log" -- \
    "$BAOXUE" match --db "$DB" --as-of "$AS_OF"

  # rows each step handled (data rows read: imported + rejected), and baoxue's exact-ID count
  rows_of() { sq "SELECT rows_imported + rows_rejected FROM batch WHERE kind = '$1' ORDER BY id DESC LIMIT 1"; }
  R_POP=$(rows_of population); R_ENR=$(rows_of enrollment); R_OUT=$(rows_of outside)
  BX_NOT_ENROLLED=$(sq "
    SELECT count(*) FROM record p
    WHERE p.batch_id = (SELECT max(id) FROM batch WHERE kind = 'population')
      AND (p.id_number IS NULL OR NOT EXISTS (
            SELECT 1 FROM record e
            WHERE e.batch_id = (SELECT max(id) FROM batch WHERE kind = 'enrollment')
              AND e.id_number = p.id_number))")
  BX_DB_MB=$(awk -v b="$(stat -c %s "$DB")" 'BEGIN{printf "%.0f", b/1e6}')

  # ---- DuckDB: convert to UTF-8 CSV (not timed), then load + anti-join (timed) ----
  echo "== $N: preparing UTF-8 CSVs for DuckDB (not timed)" >&2
  mkdir -p "$WORK/duck"
  iconv -f GB18030 -t UTF-8 "$POP" >"$WORK/duck/population.csv"
  case "$ENR" in
    *.xlsx)
      python3 "$BENCH/xlsx2csv.py" "$ENR" "$WORK/duck/enrollment.csv" >/dev/null
      DUCK_ENR_FROM="converted from the .xlsx by bench/xlsx2csv.py" ;;
    *)
      ln -s "$ENR" "$WORK/duck/enrollment.csv"
      DUCK_ENR_FROM="the demo's own .csv (UTF-8 BOM), read as is" ;;
  esac
  echo "== $N: DuckDB load + anti-join" >&2
  (cd "$WORK/duck" && timed "duckdb process (node)" - "$WORK/duckdb.json" -- \
    node "$BENCH/duckdb_antijoin.mjs" "$WORK/duck/population.csv" "$WORK/duck/enrollment.csv")
  DUCK_JSON="$(grep '^{' "$WORK/duckdb.json" | tail -n 1)"

  python3 - "$N" "$STEPS" "$R_POP" "$R_ENR" "$R_OUT" "$BX_NOT_ENROLLED" "$DUCK_JSON" \
    "$ALL_STEPS" "$gen_s" "$BX_DB_MB" \
    "population: $(describe "$POP" GB18030); enrollment: $(describe "$ENR" UTF-8); outside: $(describe "$OUT" UTF-8)" \
    "$DUCK_ENR_FROM" "${POP##*.}" "${ENR##*.}" "${OUT##*.}" "$LOAD_BEFORE" <<'PY' | tee -a "$SECTION"
import json, sys
(n, steps_path, r_pop, r_enr, r_out, bx_not, duck_json, all_path, gen_s, db_mb, files,
 duck_enr_from, fmt_pop, fmt_enr, fmt_out, load_before) = sys.argv[1:]
n = int(n); r_pop, r_enr, r_out, bx_not = int(r_pop), int(r_enr), int(r_out), int(bx_not)
duck = json.loads(duck_json)
t = {}
cpu = {}
for line in open(steps_path, encoding="utf-8"):
    label, _rows, sec, kb, us, ss = line.rstrip("\n").split("\t")
    t[label] = (float(sec), int(kb))
    cpu[label] = float(us) + float(ss)
imp = [t["baoxue import population"], t["baoxue import enrollment"], t["baoxue import outside"]]
imp_s = sum(s for s, _ in imp)
imp_kb = max(k for _, k in imp)
match_s, match_kb = t["baoxue match"]
node_s, node_kb = t["duckdb process (node)"]
bx_total = imp_s + match_s
dk_total = duck["load_s"] + duck["join_s"]

def mb(kb): return f"{kb / 1024:.0f}" if kb is not None else ""
def secs(s): return f"{s:.2f}" if s >= 0.1 else f"{s:.3f}"
def rate(rows, s): return f"{rows / s:,.0f}" if s > 0 else "—"
rows = [
    ("baoxue import population", r_pop, *t["baoxue import population"]),
    ("baoxue import enrollment", r_enr, *t["baoxue import enrollment"]),
    ("baoxue import outside", r_out, *t["baoxue import outside"]),
    ("**baoxue import (sum)**", r_pop + r_enr + r_out, imp_s, imp_kb),
    ("**baoxue match**", r_pop, match_s, match_kb),
    ("**baoxue import + match**", r_pop + r_enr + r_out, bx_total, max(imp_kb, match_kb)),
    ("duckdb load (read_csv ×2)", duck["rows_population"] + duck["rows_enrollment"], duck["load_s"], None),
    ("duckdb anti-join", duck["rows_population"], duck["join_s"], None),
    ("**duckdb load + join**", duck["rows_population"] + duck["rows_enrollment"], dk_total, node_kb),
    ("duckdb whole node process", duck["rows_population"] + duck["rows_enrollment"], node_s, node_kb),
]
out = []
out.append(f"\n### {n:,} children\n")
out.append(f"Files ({files}) generated in {gen_s} s (not timed). baoxue database after the run: {db_mb} MB. "
           f"DuckDB read the population file converted to UTF-8 by iconv and the enrollment file "
           f"{duck_enr_from}; conversion not timed. DuckDB {duck['duckdb']} ({duck.get('client', '@duckdb/node-api')}), "
           f"{duck['threads']} threads (its default), in-memory.\n")
imports = ["baoxue import population", "baoxue import enrollment", "baoxue import outside"]
cpu["**baoxue import (sum)**"] = sum(cpu[k] for k in imports)
cpu["**baoxue match**"] = cpu["baoxue match"]
cpu["**baoxue import + match**"] = cpu["**baoxue import (sum)**"] + cpu["baoxue match"]
cpu["duckdb whole node process"] = cpu["duckdb process (node)"]
out.append(f"Load average before this size: {load_before}. CPU s: user + system seconds of the "
           f"process (all its threads), which a loaded machine inflates less than the wall clock.\n")
out.append("| step | rows | seconds | CPU s | peak RSS MB | rows/s |")
out.append("|---|--:|--:|--:|--:|--:|")
for label, r, s, kb in rows:
    c = f"{cpu[label]:.2f}" if label in cpu else ""
    out.append(f"| {label} | {r:,} | {secs(s)} | {c} | {mb(kb)} | {rate(r, s)} |")
ratio_all = bx_total / dk_total if dk_total > 0 else float("inf")
ratio_match = match_s / duck["join_s"] if duck["join_s"] > 0 else float("inf")
out.append("")
out.append(f"- **baoxue(import + match) / duckdb(load + join) = {ratio_all:.2f}** "
           f"({bx_total:.2f} s / {dk_total:.2f} s; goal ≤ 1, issue 18's step ≤ 2.5)")
fmts = [(fmt_pop, "population", r_pop, t["baoxue import population"][0]),
        (fmt_enr, "enrollment", r_enr, t["baoxue import enrollment"][0]),
        (fmt_out, "outside", r_out, t["baoxue import outside"][0])]
by_fmt = {}
for f, what, r, s in fmts:
    a = by_fmt.setdefault(f, [0, 0.0, []])
    a[0] += r
    a[1] += s
    a[2].append(what)
out.append("- **Import rows/s by file format**: " + "; ".join(
    f"{f} {rate(r, s)} rows/s ({' + '.join(w)}: {r:,} rows in {s:.2f} s)"
    for f, (r, s, w) in sorted(by_fmt.items())))
cpu_bx, cpu_dk = cpu["**baoxue import + match**"], cpu["duckdb process (node)"]
out.append(f"- CPU seconds (user + system): baoxue import + match {cpu_bx:.2f}, DuckDB's whole node "
           f"process {cpu_dk:.2f}: ratio {cpu_bx / cpu_dk if cpu_dk > 0 else float('inf'):.2f}")
out.append(f"- **baoxue(match) / duckdb(join) = {ratio_match:.1f}** ({match_s:.2f} s / {duck['join_s']:.3f} s)")
out.append(f"- Peak RSS MB: baoxue {max(imp_kb, match_kb) / 1024:.0f} (goal ≤ 4096), DuckDB node process {node_kb / 1024:.0f}")
diff = duck["not_enrolled"] - bx_not
out.append(f"- Children with no exact-ID enrollment record: baoxue {bx_not:,} (its normalised IDs), "
           f"DuckDB {duck['not_enrolled']:,} (upper/trim/no spaces); DuckDB − baoxue = {diff:+,}. "
           f"Population rows: baoxue {r_pop:,}, DuckDB {duck['rows_population']:,}; "
           f"enrollment rows: baoxue {r_enr:,}, DuckDB {duck['rows_enrollment']:,}.")
if n == 5_000_000:
    ok = lambda c: "met" if c else "**not met**"
    out.append(f"- Goals at 5M: match ≤ 10 s {ok(match_s <= 10)}; import + match ≤ 60 s {ok(bx_total <= 60)}; "
               f"peak RSS ≤ 4 GB {ok(max(imp_kb, match_kb) <= 4 * 1024 * 1024)}; "
               f"not slower than DuckDB {ok(ratio_all <= 1)}")
print("\n".join(out))
with open(all_path, "a", encoding="utf-8") as f:
    f.write("\t".join(map(str, [n, imp_s, match_s, bx_total, max(imp_kb, match_kb),
                                duck["load_s"], duck["join_s"], dk_total, node_kb])) + "\n")
PY
  if [ "$KEEP" = 0 ]; then rm -rf -- "$WORK"; fi
done

# ---- growth across sizes: seconds per million children ----------------------------------------
python3 - "$ALL_STEPS" <<'PY' | tee -a "$SECTION"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
rows = [(int(r[0]), *map(float, r[1:])) for r in rows]
rows.sort()
print("\n### Growth (seconds per million children; flat = linear)\n")
print("| children | import s | match s | import+match s | s/M import | s/M match | s/M import+match | "
      "baoxue RSS MB | duckdb load+join s | s/M duckdb | ratio |")
print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for n, imp, match, tot, kb, dl, dj, dt, dkb in rows:
    m = n / 1e6
    print(f"| {n:,} | {imp:.2f} | {match:.2f} | {tot:.2f} | {imp / m:.2f} | {match / m:.2f} | {tot / m:.2f} | "
          f"{kb / 1024:.0f} | {dt:.2f} | {dt / m:.2f} | {tot / dt:.2f} |")
print()
if len(rows) >= 2:
    n0, t0, d0 = rows[0][0], rows[0][3], rows[0][7]
    n1, t1, d1 = rows[-1][0], rows[-1][3], rows[-1][7]
    print(f"- From {n0:,} to {n1:,} children (×{n1 / n0:.0f}): baoxue import+match ×{t1 / t0:.1f}, "
          f"DuckDB load+join ×{d1 / d0:.1f} (×{n1 / n0:.0f} would be exactly linear).")
big = rows[-1]
if big[0] < 5_000_000:
    target = 5_000_000
    if len(rows) >= 2 and rows[-2][0] < big[0]:
        # marginal cost between the two largest sizes, so fixed start-up costs do not inflate it
        a = rows[-2]
        per = lambda i: (big[i] - a[i]) / (big[0] - a[0])
        est = lambda i: big[i] + per(i) * (target - big[0])
        how = f"marginal cost between {a[0]:,} and {big[0]:,}"
    else:
        est = lambda i: big[i] * target / big[0]
        how = f"proportional to {big[0]:,} (includes fixed costs; an overestimate)"
    rss = f"baoxue peak RSS ≈ {est(4) / 1024:.0f} MB (goal ≤ 4096), " if "marginal" in how else ""
    print(f"- Extrapolated to 5M ({how}): import+match ≈ {est(3):.0f} s (goal ≤ 60), "
          f"match ≈ {est(2):.1f} s (goal ≤ 10), {rss}DuckDB load+join ≈ {est(7):.1f} s.")
PY

echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$SECTION"
cat "$SECTION" >>"$RESULTS"
echo "== appended to bench/RESULTS.md" >&2
