#!/usr/bin/env bash
# Backup benchmark: `baoxue backup` against the sqlite3 shell's `.backup` (the same online backup
# API, the peer) on the demo county's database, quiet and while a writer and a reader load it.
# Appends a section to bench/RESULTS.md. See bench/README.md.
#
#   bench/backup.sh [--keep] [--reps N] [--note TEXT] [--db FILE] [SIZE]
#
# SIZE: number of children (default 1000000). BAOXUE_BIN=path uses that binary instead of the
# Release build in build-bench/. --db FILE times a copy of an existing demo database of SIZE
# children instead of making one. --keep keeps the database and copies (/tmp/baoxue-bench.*).
set -euo pipefail

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/backup.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
REPS=3
LOAD_REPS=1
NOTE=""
N=1000000
FROM_DB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --reps) REPS="${2:?--reps needs a value}"; shift ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    --db) FROM_DB="${2:?--db needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "backup.sh: unknown option $1" >&2; usage 2 ;;
    *) [[ "$1" =~ ^[0-9]+$ ]] || { echo "backup.sh: size must be a number: $1" >&2; exit 2; }
       N="$1" ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
RESULTS="$BENCH/RESULTS.md"
for tool in sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "backup.sh: $tool is required" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/baoxue-bench.XXXXXX)"
WORKDIRS=("$WORK")
LOADER=""
cleanup() {
  if [ -n "$LOADER" ]; then kill "$LOADER" 2>/dev/null || true; fi
  remove_workdirs "${WORKDIRS[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BAOXUE_BIN:-}" ]; then
  BAOXUE="$BAOXUE_BIN"
  # the build it came from, for the compiler's name (build/ when it is a copy elsewhere)
  BUILD="$(dirname "$BAOXUE")"
  [ -f "$BUILD/CMakeCache.txt" ] || BUILD="$ROOT/build"
else
  build_bench
  BAOXUE="$BUILD/baoxue"
fi
machine_info

DB="$WORK/demo/baoxue.db"
if [ -n "$FROM_DB" ]; then
  echo "== a copy of $FROM_DB" >&2
  mkdir -p "$WORK/demo"
  sqlite3 "$FROM_DB" ".backup '$DB'"
else
  echo "== $N children: the demo county (generate, import, match)" >&2
  "$BAOXUE" demo --children "$N" --out "$WORK/demo" --no-history >"$WORK/demo.log" 2>&1 ||
    { cat "$WORK/demo.log" >&2; exit 1; }
fi
# the loader's own table, outside baoxue's schema
sqlite3 "$DB" "CREATE TABLE IF NOT EXISTS bench_tick (id INTEGER PRIMARY KEY, at REAL)"
SIZE_MB="$(du -m "$DB" | cut -f1)"

# seconds of one command (wall clock)
secs() {
  local t0 t1
  t0="$(date +%s.%N)"
  "$@" >"$WORK/last.out" 2>&1 || { cat "$WORK/last.out" >&2; return 1; }
  t1="$(date +%s.%N)"
  python3 -c "print('%.2f' % ($t1 - $t0))"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# one round: REPS of each, alternating, every copy removed before the next
round() {
  local bx=() bxcopy=() peer=() peerchk=() i s
  for i in $(seq "$REPS"); do
    rm -f "$WORK/bx.db" "$WORK/peer.db"
    s="$(secs "$BAOXUE" backup "$WORK/bx.db" --db "$DB")"
    bx+=("$s")
    bxcopy+=("$(sed -n 's/.*复制 \([0-9.]*\) 秒.*/\1/p' "$WORK/last.out")")
    s="$(secs timeout "$PEER_LIMIT" sqlite3 "$DB" ".backup '$WORK/peer.db'")" || s="timeout"
    if [ "$s" = timeout ]; then peer+=("$s"); peerchk+=(0); continue; fi
    peer+=("$s")
    s="$(secs sqlite3 "$WORK/peer.db" "PRAGMA integrity_check")"
    peerchk+=("$s")
  done
  BX="$(median "${bx[@]}")"
  BXCOPY="$(median "${bxcopy[@]}")"
  PEER="$(median "${peer[@]}")"
  PEERCHK="$(median "${peerchk[@]}")"
}

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

PEER_LIMIT=600
echo "== quiet" >&2
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
round
Q_BX=$BX Q_BXCOPY=$BXCOPY Q_PEER=$PEER Q_PEERCHK=$PEERCHK

echo "== under load: a writer (a commit every 20 ms) and a reader" >&2
python3 - "$DB" "$WORK/latency" <<'EOF' &
import sqlite3, sys, time
db, out = sys.argv[1], sys.argv[2]
w = sqlite3.connect(db, timeout=60, isolation_level=None)
w.execute("PRAGMA journal_mode = WAL")
r = sqlite3.connect(db, timeout=60)
worst, n = 0.0, 0
while True:
    t0 = time.monotonic()
    w.execute("INSERT INTO bench_tick (at) VALUES (?)", (time.time(),))
    dt = time.monotonic() - t0
    worst, n = max(worst, dt), n + 1
    r.execute("SELECT count(*) FROM batch").fetchone()
    if n % 25 == 0:
        with open(out, "w") as f:
            f.write("%.3f %d\n" % (worst, n))
    time.sleep(0.02)
EOF
LOADER=$!
sleep 2
# under a steady stream of commits the shell's .backup starts over at each one: given 120 s
PEER_LIMIT=120
QUIET_REPS=$REPS
REPS=$LOAD_REPS
round
L_BX=$BX L_BXCOPY=$BXCOPY L_PEER=$PEER L_PEERCHK=$PEERCHK
kill "$LOADER"; wait "$LOADER" 2>/dev/null || true; LOADER=""
read -r WORST COMMITS <"$WORK/latency"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo
  echo "## $(date -u '+%F %H:%M') UTC — backup of a ${N}-children SQLite database${NOTE:+ — $NOTE}"
  echo
  echo "\`$COMMAND\`${BAOXUE_BIN:+ (BAOXUE_BIN=$BAOXUE_BIN)} at $GIT_REV. $MACHINE_CPU, $MACHINE_NPROC cores,"
  echo "$MACHINE_MEM; $(sqlite3 --version | cut -d' ' -f1) (system libsqlite3). Load average before /"
  echo "after: $LOAD_BEFORE / $LOAD_AFTER (the machine is shared). Database: $SIZE_MB MB. Median of $QUIET_REPS quiet, $LOAD_REPS under load."
  echo
  echo "| | baoxue backup (copy + integrity check) | its copy alone | sqlite3 .backup | .backup + integrity_check | baoxue / (.backup + check) | copy / .backup |"
  echo "|---|---|---|---|---|---|---|"
  for k in Q L; do
    eval "bx=\$${k}_BX copy=\$${k}_BXCOPY peer=\$${k}_PEER chk=\$${k}_PEERCHK"
    label=$([ $k = Q ] && echo "quiet" || echo "writer + reader")
    # shellcheck disable=SC2154
    if [ "$peer" = timeout ]; then
      echo "| $label | ${bx} s | ${copy} s | did not finish in $PEER_LIMIT s | — | — | — |"
    else
      both="$(python3 -c "print('%.2f' % ($peer + $chk))")"
      echo "| $label | ${bx} s | ${copy} s | ${peer} s | ${both} s | $(ratio "$bx" "$both") | $(ratio "$copy" "$peer") |"
    fi
  done
  echo
  echo "Under load the writer committed $COMMITS rows (one every 20 ms, a reader between them); its"
  echo "slowest commit while the copies ran took ${WORST} s."
} >>"$RESULTS"
tail -n 20 "$RESULTS"
