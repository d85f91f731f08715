#!/usr/bin/env bash
# Time of importing a term of daily attendance (issue 16) for the pupils of the demo county at
# SIZE children (default 1000000; about 85 % of them are pupils of the county's 学籍 list).
#
#   bench/attendance_time.sh [SIZE] [--absent PERCENT] [--bin build/baoxue] [--keep]
#
# The demo county's files (seed 1) are written with --files-only and its 学籍 list imported into
# a fresh SQLite database; the autumn term (2026-09-01 to 2027-01-15, 国庆 2026-10-01..07 a
# holiday: 93 school days) of attendance is then generated for every pupil — each school day
# PERCENT % of the pupils (default 3) absent, 旷课, 病假 (in runs of 1–5 days), 事假 or 迟到早退 —
# as one county sheet of one row per absence (日期, 学校标识码, 学籍号, 类型, 原因) and imported
# with `baoxue import --kind 考勤` (which applies the warning rules to every pupil it touched,
# in the same transaction). Printed: the rows, seconds, rows per second and peak RSS of the
# import, the time of `attendance list` of one school's term and of the county's 旷课, then the
# time to recompute every warning of the term (`baoxue warnings refresh`) beside DuckDB
# computing the same runs in SQL over the same sheet (bench/duckdb_warnings.mjs), and the
# counts of both.
# Files and databases live in a temporary directory, removed unless --keep.
set -euo pipefail
N=1000000
ABSENT=3
BAOXUE=build/baoxue
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BAOXUE="${2:?--bin needs a value}"; shift ;;
    --absent) ABSENT="${2:?--absent needs a value}"; shift ;;
    --keep) KEEP=1 ;;
    *) N="$1" ;;
  esac
  shift
done
AS_OF=2027-01-15
WORK="$(mktemp -d /tmp/baoxue-attendance-time.XXXXXX)"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
export BAOXUE_TODAY="$AS_OF"
DB="$WORK/baoxue.db"
timed() { # label rows command...
  local label="$1" rows="$2"; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
  read -r s kb <"$WORK/t"
  if [ "$rows" -gt 0 ]; then
    printf '| %s | %s | %s | %s | %d |\n' "$label" "$rows" "$s" \
      "$(awk -v r="$rows" -v s="$s" 'BEGIN { printf "%.0f", (s > 0) ? r / s : 0 }')" "$((kb / 1024))"
  else
    printf '| %s | | %s | | %d |\n' "$label" "$s" "$((kb / 1024))"
  fi
}
echo "generating $N children in $WORK" >&2
"$BAOXUE" demo --files-only --out "$WORK/files" --children "$N" --seed 1 --as-of 2026-11-20 \
  >"$WORK/demo.log" 2>&1
ENR="$(ls "$WORK/files"/学籍数据.* | grep -E '\.(xlsx|csv)$' | head -n 1)"
"$BAOXUE" init --db "$DB" --county 140521 >/dev/null 2>&1
"$BAOXUE" settings --db "$DB" set school_holidays 2026-10-01..2026-10-07 >/dev/null
echo "| step ($N children, $ABSENT % absent a day) | rows | seconds | rows/s | peak RSS MB |"
echo "|---|--:|--:|--:|--:|"
PUPILS="$(wc -l <"$ENR")"
timed "import 学籍 (the roster)" 0 "$BAOXUE" import --db "$DB" --kind enrollment --no-progress "$ENR"
# the sheet: every pupil with a 学籍号 of the list just imported
python3 - "$DB" "$WORK/考勤.csv" "$ABSENT" <<'PY'
import datetime, random, sqlite3, sys
db, out, absent = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 100
con = sqlite3.connect(db)
batch = con.execute("SELECT max(id) FROM batch WHERE kind = 'enrollment'").fetchone()[0]
pupils = con.execute("SELECT school_code, student_no FROM record WHERE batch_id = ? AND"
                     " enroll_status = 'active' AND student_no <> ''", (batch,)).fetchall()
days, d = [], datetime.date(2026, 9, 1)
while d <= datetime.date(2027, 1, 15):
    if d.weekday() < 5 and not (datetime.date(2026, 10, 1) <= d <= datetime.date(2026, 10, 7)):
        days.append(d.isoformat())
    d += datetime.timedelta(days=1)
rng = random.Random(1)
kinds = [("旷课", ""), ("病假", "发烧"), ("事假", "家中有事"), ("迟到早退", "")]
rows = 0
with open(out, "w", encoding="utf-8") as f:
    f.write("日期,学校标识码,学籍号,类型,原因\n")
    for school, no in pupils:
        # a pupil's absences: on average `absent` of the days, sick ones in runs
        i = 0
        while i < len(days):
            if rng.random() < absent / 1.8:
                k, why = kinds[rng.choice((0, 1, 1, 2, 3))]
                run = rng.randint(1, 3) if k != "迟到早退" else 1
                for j in range(i, min(i + run, len(days))):
                    f.write("%s,%s,%s,%s,%s\n" % (days[j], school, no, k, why))
                    rows += 1
                i += run
            i += 1
print(rows, len(pupils), len(days), file=open(out + ".n", "w"))
PY
read -r ROWS NPUPILS NDAYS <"$WORK/考勤.csv.n"
echo "($NPUPILS pupils with a 学籍号 × $NDAYS school days; $(awk -v r="$ROWS" -v p="$NPUPILS" -v d="$NDAYS" 'BEGIN { printf "%.2f", 100 * r / (p * d) }') % absent a day)" >&2
timed "import the term's attendance (one county sheet)" "$ROWS" \
  "$BAOXUE" import --db "$DB" --kind 考勤 --no-progress "$WORK/考勤.csv"
SCHOOL="$(sqlite3 "$DB" "SELECT school_code FROM attendance GROUP BY school_code ORDER BY count(*) DESC LIMIT 1")"
timed "attendance list: one school's term" 0 "$BAOXUE" attendance list --db "$DB" --school "$SCHOOL" \
  --from 2026-09-01 --format csv -o "$WORK/school.csv"
timed "attendance list: the county's 旷课 of a week" 0 "$BAOXUE" attendance list --db "$DB" \
  --kind 旷课 --from 2027-01-11 --format csv -o "$WORK/week.csv"
timed "warnings refresh: every warning of the term recomputed" 0 "$BAOXUE" warnings refresh --db "$DB"
sqlite3 "$DB" "SELECT 'baoxue warnings: absent ≥3 ' || sum(kind = 'absent') || ', ≥7 ' ||
  sum(kind = 'absent' AND level >= 1) || ', ≥20 ' || sum(kind = 'absent' AND level = 2) ||
  ', sick ' || sum(kind = 'sick') || ', months ' || sum(kind = 'monthly') ||
  '; verification tasks ' || (SELECT count(*) FROM verify_task) FROM warning"
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -d "$HERE/node_modules/@duckdb" ]; then
  /usr/bin/time -f "%e %M" -o "$WORK/t" node "$HERE/duckdb_warnings.mjs" "$WORK/考勤.csv" 2026-09-01 \
    "$AS_OF" >"$WORK/duck.json"
  read -r s kb <"$WORK/t"
  echo "duckdb (whole process $s s, $((kb / 1024)) MB): $(cat "$WORK/duck.json")"
else
  echo "duckdb: bench/node_modules has no @duckdb/node-api (cd bench && npm ci)" >&2
fi
if [ "$KEEP" = 1 ]; then echo "kept: $WORK" >&2; fi
