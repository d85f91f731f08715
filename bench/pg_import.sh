#!/usr/bin/env bash
# Import benchmark, SQLite against PostgreSQL in the same run: the demo county's population and
# enrollment lists of each size imported into a fresh database of each backend (PostgreSQL: a
# throwaway cluster of tests/pg_cluster.py, as bench/server.sh uses), timed, with the ratio
# PostgreSQL / SQLite and the seconds per million rows. Beside them, each engine alone: the
# records baoxue wrote, loaded by the engine's own bulk path into a fresh database of baoxue's
# schema — SQLite copying them from baoxue's database (INSERT … SELECT, the ID index dropped
# and rebuilt as baoxue does), PostgreSQL reading them with COPY in one transaction (the ID
# index maintained, as baoxue does) — with nothing to parse, check or link: the least any
# importer of these rows on one writer could take. See bench/README.md.
#
#   bench/pg_import.sh [--keep] [--note TEXT] [SIZE...]
#
# SIZE: number of children (default: 200000 1000000 5000000). --keep keeps the files,
# databases and logs and the cluster's directory under /tmp/baoxue-pgimport.*.
set -euo pipefail

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/pg_import.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
NOTE=""
SEED=1
SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "pg_import.sh: unknown option $1" >&2; usage 2 ;;
    *)
      [[ "$1" =~ ^[0-9]+$ ]] || { echo "pg_import.sh: size must be a number: $1" >&2; exit 2; }
      SIZES+=("$1") ;;
  esac
  shift
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(200000 1000000 5000000)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
BAOXUE="$BUILD/baoxue"
RESULTS="$BENCH/RESULTS.md"
TIME=/usr/bin/time
AS_OF="$(date +%F)"

for tool in cmake python3 psql "$TIME"; do
  command -v "$tool" >/dev/null || { echo "pg_import.sh: $tool is required" >&2; exit 1; }
done
python3 "$ROOT/tests/pg_cluster.py" available ||
  { echo "pg_import.sh: PostgreSQL server binaries not found (scripts/install-deps)" >&2; exit 1; }

WORKDIRS=()
PGDIRS=()
cleanup() {
  stop_clusters ${PGDIRS[@]+"${PGDIRS[@]}"}
  remove_workdirs ${WORKDIRS[@]+"${WORKDIRS[@]}"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_bench
machine_info
MACHINE_PG="$(pg_config --version 2>/dev/null || echo none)"
MACHINE_SQLITE="$(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')"

TOP="$(mktemp -d /tmp/baoxue-pgimport.XXXXXX)"
WORKDIRS+=("$TOP")
TIMES="$TOP/times.tsv" # size backend step seconds rss_kb rows
: >"$TIMES"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== starting a throwaway PostgreSQL cluster" >&2
mapfile -t PGINFO < <(python3 "$ROOT/tests/pg_cluster.py" start)
PGDSN="${PGINFO[0]}"
PGDIRS+=("${PGINFO[1]}")
pg_fresh_db() { # NAME: a fresh database in the cluster, its DSN on stdout
  local base="${PGDSN%%\?*}" query="${PGDSN#*\?}"
  PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 "${base%/*}/postgres?$query" \
    -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE template0" >&2
  echo "${base%/*}/$1?$query"
}

# timed SIZE BACKEND STEP LOG -- CMD...: wall seconds, peak RSS and rows imported into $TIMES
timed() {
  local size="$1" backend="$2" step="$3" log="$4"
  shift 5
  local tf="$TOP/time.out"
  if ! "$TIME" -f '%e %M' -o "$tf" "$@" >"$log" 2>&1; then
    echo "pg_import.sh: step '$step' failed; its output ($log):" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  local rows
  rows="$(sed -n 's/.*导入 \([0-9]\+\) 行.*/\1/p' "$log" | head -1)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$backend" "$step" "$(tail -n 1 "$tf" | tr ' ' '\t')" \
    "${rows:-0}" >>"$TIMES"
}

# engines_alone SIZE WORK DB: each list's records of baoxue's SQLite database DB loaded again by
# each engine alone, timed as the backends "sqlite-alone" and "pg-alone" (see the top)
engines_alone() {
  local n="$1" work="$2" db="$3" kind step first last csv
  local floor="$work/alone.db" pgdb
  pgdb="$(pg_fresh_db "alone_$n")"
  for d in "$floor" "$pgdb"; do
    "$BAOXUE" init --db "$d" --county 140521 >"$work/init-alone.log" 2>&1 ||
      { cat "$work/init-alone.log" >&2; exit 1; }
  done
  sqlite3 "$floor" "ATTACH '$db' AS src; INSERT INTO main.batch SELECT * FROM src.batch;"
  local cols
  cols="$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('record')")"
  for kind in population enrollment; do
    step="import $kind"
    read -r first last < <(sqlite3 -separator ' ' "$db" "SELECT min(r.id), max(r.id) FROM record r
      WHERE r.batch_id = (SELECT max(id) FROM batch WHERE kind = '$kind')")
    echo "== $n / engines alone: $kind records $first..$last (timed)" >&2
    # SQLite: the pragmas of baoxue's bulk load; the WHERE keeps SQLite from copying the
    # records' bytes as they are (its transfer optimisation), so that each is built again
    cat >"$work/alone-$kind.sql" <<SQL
PRAGMA journal_mode = DELETE;
PRAGMA cache_size = -2048; PRAGMA threads = 2; PRAGMA temp_store = FILE; PRAGMA mmap_size = 0;
PRAGMA synchronous = FULL;
ATTACH '$db' AS src;
PRAGMA src.mmap_size = 8589934592;
BEGIN IMMEDIATE;
DROP INDEX main.record_id_number;
INSERT INTO main.record ($cols) SELECT $cols FROM src.record WHERE id BETWEEN $first AND $last;
CREATE INDEX main.record_id_number ON record (id_number);
COMMIT;
SQL
    timed "$n" sqlite-alone "$step" "$work/alone-$kind-sqlite.log" -- \
      sqlite3 -bail "$floor" ".read $work/alone-$kind.sql"
    # PostgreSQL: the same records as CSV (written before, not timed), one COPY
    csv="$work/alone-$kind.csv"
    sqlite3 -csv "$db" "SELECT $cols FROM record WHERE id BETWEEN $first AND $last" >"$csv"
    echo "\\copy record ($cols) FROM '$csv' WITH (FORMAT csv)" >"$work/alone-$kind.psql"
    timed "$n" pg-alone "$step" "$work/alone-$kind-pg.log" -- \
      psql -q -X -1 -v ON_ERROR_STOP=1 -f "$work/alone-$kind.psql" "$pgdb"
    rm -f "$csv"
  done
  rm -f "$floor" "$floor"-*
  local base="${PGDSN%%\?*}"
  psql -q -X "${base%/*}/postgres?${PGDSN#*\?}" -c "DROP DATABASE alone_$n" >&2
}

for N in "${SIZES[@]}"; do
  WORK="$TOP/n$N"
  DATA="$WORK/files"
  mkdir -p "$WORK"
  echo "== $N children: generating the demo county's files" >&2
  "$BAOXUE" demo --files-only --out "$DATA" --children "$N" --seed "$SEED" --as-of "$AS_OF" \
    >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
  POP="$DATA/户籍适龄儿童花名册.csv"
  ENR=""
  for f in "$DATA/学籍数据.xlsx" "$DATA/学籍数据.csv"; do [ -f "$f" ] && ENR="$f" && break; done
  [ -n "$ENR" ] || { echo "pg_import.sh: demo wrote no 学籍数据 file" >&2; exit 1; }
  for B in sqlite pg; do
    if [ "$B" = sqlite ]; then DB="$WORK/bench.db"; else DB="$(pg_fresh_db "imp_$N")"; fi
    echo "== $N / $B: init, import population and enrollment (timed)" >&2
    "$BAOXUE" init --db "$DB" --county 140521 >"$WORK/init-$B.log" 2>&1 ||
      { cat "$WORK/init-$B.log" >&2; exit 1; }
    timed "$N" "$B" "import population" "$WORK/imp-pop-$B.log" -- \
      "$BAOXUE" import --db "$DB" --kind population --no-progress "$POP"
    timed "$N" "$B" "import enrollment" "$WORK/imp-enr-$B.log" -- \
      "$BAOXUE" import --db "$DB" --kind enrollment --no-progress "$ENR"
    if [ "$B" = sqlite ]; then
      engines_alone "$N" "$WORK" "$DB"
      rm -f "$DB" "$DB"-*
    else
      base="${PGDSN%%\?*}"
      psql -q -X "${base%/*}/postgres?${PGDSN#*\?}" -c "DROP DATABASE imp_$N" >&2
    fi
  done
  rm -rf "$DATA"
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — import, SQLite vs PostgreSQL${NOTE:+ — $NOTE}"
  echo
  echo "- Command: \`$COMMAND\` (seed $SEED, as-of $AS_OF)"
  echo "- baoxue: $GIT_REV, Release build (build-bench/, -DBAOXUE_DEV=OFF)"
  echo "- Machine: $MACHINE_NPROC cores ($MACHINE_CPU), $MACHINE_MEM, $MACHINE_KERNEL; baoxue and the database share the cores"
  echo "- Compiler: $MACHINE_CC; SQLite $MACHINE_SQLITE; $MACHINE_PG (throwaway cluster of tests/pg_cluster.py: unix socket, fsync off)"
  echo "- Load average at start: $LOAD_START; at end: $LOAD_END (anything else running shares the $MACHINE_NPROC cores)"
  echo
  echo "| children | step | rows | SQLite s | PostgreSQL s | PostgreSQL / SQLite | SQLite s per million rows | PostgreSQL s per million rows | PostgreSQL peak RSS MB | SQLite alone s | PostgreSQL alone s | PostgreSQL alone / SQLite |"
  echo "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  python3 - "$TIMES" <<'PY'
import sys
from collections import OrderedDict
t = OrderedDict()
for line in open(sys.argv[1]):
    size, backend, step, sec, rss, rows = line.rstrip("\n").split("\t")
    t.setdefault((int(size), step), {})[backend] = (float(sec), int(rss), int(rows))
for (size, step), v in t.items():
    s, p = v.get("sqlite"), v.get("pg")
    if not s or not p:
        continue
    rows = p[2] or s[2] or size
    sa, pa = v.get("sqlite-alone"), v.get("pg-alone")
    alone = (f"{sa[0]:.2f} | {pa[0]:.2f} | {pa[0] / s[0]:.2f}" if sa and pa else " |  | ")
    print(f"| {size:,} | {step} | {rows:,} | {s[0]:.2f} | {p[0]:.2f} | {p[0] / s[0]:.2f} "
          f"| {s[0] / rows * 1e6:.1f} | {p[0] / rows * 1e6:.1f} | {p[1] // 1024} | {alone} |")
PY
} >>"$RESULTS"
echo "== appended to bench/RESULTS.md" >&2
