#!/usr/bin/env bash
# Many counties in one PostgreSQL database (issue 18): COUNTIES demo counties of SIZE children
# each (default 30 × 333,334: ten million) added one after another to one database of a
# throwaway cluster (baoxue province add: a schema each), each imported and cross-checked; then
# the province's indicators across all of them, the catalogue's size, and a township's list of
# the first county measured with wrk when it was alone in the database and again when all the
# counties are there, on the county's own server and on the province's server that serves every
# county (its session cookie names the county), and every county's list through the province's
# server with the counties in turn. See bench/README.md.
#
#   bench/province.sh [--keep] [--note TEXT] [--counties K] [--duration S] [SIZE]
#
# --counties: how many counties (default 30, Shanxi's in code order); --duration: seconds of
# each wrk measurement (default 10; two of each, the better reported). --keep keeps the
# cluster and the logs under /tmp/baoxue-province.*.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/province.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
NOTE=""
COUNTIES=30
DURATION=10
SIZE=333334
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    --counties) COUNTIES="${2:?--counties needs a value}"; shift ;;
    --duration) DURATION="${2:?--duration needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "province.sh: unknown option $1" >&2; usage 2 ;;
    *)
      [[ "$1" =~ ^[0-9]+$ ]] || { echo "province.sh: size must be a number: $1" >&2; exit 2; }
      SIZE="$1" ;;
  esac
  shift
done
[[ "$COUNTIES" =~ ^[0-9]+$ && "$COUNTIES" -ge 1 ]] ||
  { echo "province.sh: --counties must be a positive number" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
BAOXUE="$BUILD/baoxue"
RESULTS="$BENCH/RESULTS.md"
TIME=/usr/bin/time
AS_OF="$(date +%F)"
PASSWORD="bench-password-1"
STATUS=not_enrolled

for tool in cmake python3 psql curl wrk "$TIME"; do
  command -v "$tool" >/dev/null || { echo "province.sh: $tool is required (scripts/install-deps; wrk: bench/server.sh installs it)" >&2; exit 1; }
done
python3 "$ROOT/tests/pg_cluster.py" available ||
  { echo "province.sh: PostgreSQL server binaries not found (scripts/install-deps)" >&2; exit 1; }

WORKDIRS=()
PGDIRS=()
PIDS=()
cleanup() {
  for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null || true; done
  for p in ${PIDS[@]+"${PIDS[@]}"}; do wait "$p" 2>/dev/null || true; done
  stop_clusters ${PGDIRS[@]+"${PGDIRS[@]}"}
  remove_workdirs ${WORKDIRS[@]+"${WORKDIRS[@]}"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_bench
machine_info
MACHINE_PG="$(pg_config --version 2>/dev/null || echo none)"

TOP="$(mktemp -d /tmp/baoxue-province.XXXXXX)"
WORKDIRS+=("$TOP")
TIMES="$TOP/times.tsv" # county index step seconds rows
LISTS="$TOP/lists.tsv" # when rps p50_ms p99_ms errors
: >"$TIMES"
: >"$LISTS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== starting a throwaway PostgreSQL cluster" >&2
mapfile -t PGINFO < <(python3 "$ROOT/tests/pg_cluster.py" start)
PGDSN="${PGINFO[0]}"
PGDIRS+=("${PGINFO[1]}")
BASE_DSN="${PGDSN%%\?*}"
QUERY="${PGDSN#*\?}"
psql -q -X -v ON_ERROR_STOP=1 "${BASE_DSN%/*}/postgres?$QUERY" -c "CREATE DATABASE province" >&2
DSN="${BASE_DSN%/*}/province?$QUERY"
county_dsn() { echo "$DSN&options=-csearch_path%3Dc$1"; }

# the first COUNTIES county codes of Shanxi (14) that have townships in the division table
mapfile -t CODES < <(python3 - "$ROOT/data" "$COUNTIES" <<'PY'
import csv, sys
d, k = sys.argv[1], int(sys.argv[2])
towns = {r["areaCode"] for r in csv.DictReader(open(d + "/streets.csv", encoding="utf-8"))}
codes = sorted(r["code"] for r in csv.DictReader(open(d + "/areas.csv", encoding="utf-8"))
               if r["code"].startswith("14") and r["code"] in towns)
print("\n".join(codes[:k]))
PY
)
[ "${#CODES[@]}" -eq "$COUNTIES" ] ||
  { echo "province.sh: only ${#CODES[@]} counties of Shanxi have townships" >&2; exit 1; }

# timed INDEX STEP LOG -- CMD...: wall seconds and rows imported into $TIMES
timed() {
  local index="$1" step="$2" log="$3"
  shift 4
  local tf="$TOP/time.out"
  if ! "$TIME" -f '%e' -o "$tf" "$@" >"$log" 2>&1; then
    echo "province.sh: step '$step' failed; its output ($log):" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  local rows
  rows="$(sed -n 's/.*导入 \([0-9]\+\) 行.*/\1/p' "$log" | head -1)"
  printf '%s\t%s\t%s\t%s\n' "$index" "$step" "$(tail -n 1 "$tf")" "${rows:-0}" >>"$TIMES"
}

# top_township DB: the township of the county's latest run with the most suspected children
top_township() {
  psql -X -At "$1" -c "SELECT township_code FROM run_count WHERE run_id =
    (SELECT max(id) FROM match_run) AND status = '$STATUS' AND township_code <> ''
    ORDER BY n DESC, township_code LIMIT 1"
}

# wrk_row OUT WHEN: wrk's requests/s, p50 and p99 (ms) and non-2xx answers of OUT into $LISTS
wrk_row() {
  python3 - "$1" "$2" >>"$LISTS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b", text, re.M)}
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print("\t".join(map(str, [sys.argv[2], rps, lat.get("50", -1), lat.get("99", -1),
                          int(bad.group(1)) if bad else 0])))
PY
}

# list_bench WHEN [province]: a township's suspected list of the first county, as bench/server.sh
# measures it (wrk -t2 -c64, page 1 of 50), twice; both measurements into $LISTS. With
# `province`, served by the province's server (baoxue serve on the schema province, the county
# named at login) rather than the county's own.
list_bench() {
  local when="$1" via="${2:-county}" db port base cookie town url run out login
  db="$(county_dsn "${CODES[0]}")"
  town="$(top_township "$db")"
  login="{\"username\":\"bench_town\",\"password\":\"$PASSWORD\"}"
  if [ "$via" = province ]; then
    login="{\"username\":\"bench_town\",\"password\":\"$PASSWORD\",\"county\":\"${CODES[0]}\"}"
    db="$DSN&options=-csearch_path%3Dprovince"
  fi
  port="$(free_port)"
  "$BAOXUE" serve --db "$db" --listen "127.0.0.1:$port" --data-dir "$TOP" \
    >"$TOP/serve-$when.out" 2>"$TOP/serve-$when.log" &
  local pid=$!
  PIDS+=("$pid")
  base="http://127.0.0.1:$port"
  wait_http "$base/healthz"
  curl -sf -c "$TOP/jar" -o /dev/null -H 'Content-Type: application/json' \
    -d "$login" "$base/api/v1/session"
  cookie="$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) c = $6 "=" $7 } END { print c }' "$TOP/jar")"
  url="$base/api/v1/children?township=$town&status=$STATUS&page=1&per_page=50"
  curl -sf -H "Cookie: $cookie" -o /dev/null "$url"
  for run in 1 2; do
    out="$TOP/wrk-$when-$run.txt"
    BAOXUE_BENCH_COOKIE="$cookie" wrk -t 2 -c 64 -d "${DURATION}s" --latency -s "$TOP/cookie.lua" \
      "$url" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
    wrk_row "$out" "$when"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
# cycle_bench: the province's server, a county account signed in in each county, and wrk's
# requests going to the counties in turn (each its county's list of the status, page 1 of 50):
# what a province's server meets when all its counties work at once; twice, into $LISTS as
# "cycle"
cycle_bench() {
  local port base code run out pid
  port="$(free_port)"
  "$BAOXUE" serve --db "$DSN&options=-csearch_path%3Dprovince" --listen "127.0.0.1:$port" \
    --data-dir "$TOP" >"$TOP/serve-cycle.out" 2>"$TOP/serve-cycle.log" &
  pid=$!
  PIDS+=("$pid")
  base="http://127.0.0.1:$port"
  wait_http "$base/healthz"
  : >"$TOP/cookies.txt"
  for code in "${CODES[@]}"; do
    curl -sf -c "$TOP/jar-$code" -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"username\":\"bench_county\",\"password\":\"$PASSWORD\",\"county\":\"$code\"}" \
      "$base/api/v1/session"
    awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) c = $6 "=" $7 } END { print c }' \
      "$TOP/jar-$code" >>"$TOP/cookies.txt"
  done
  cat >"$TOP/cycle.lua" <<LUA
local cookies, i = {}, 0
for line in io.lines("$TOP/cookies.txt") do cookies[#cookies + 1] = line end
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/children?status=$STATUS&page=1&per_page=50",
                    {["Cookie"] = cookies[(i % #cookies) + 1]})
end
LUA
  for run in 1 2; do
    out="$TOP/wrk-cycle-$run.txt"
    wrk -t 2 -c 64 -d "${DURATION}s" --latency -s "$TOP/cycle.lua" "$base/" >"$out" 2>&1 ||
      { cat "$out" >&2; exit 1; }
    wrk_row "$out" cycle
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
cat >"$TOP/cookie.lua" <<'LUA'
local c = os.getenv("BAOXUE_BENCH_COOKIE")
if c and c ~= "" then wrk.headers["Cookie"] = c end
LUA

for i in "${!CODES[@]}"; do
  code="${CODES[$i]}"
  files="$TOP/files"
  rm -rf "$files"
  echo "== county $((i + 1))/$COUNTIES: $code, $SIZE children" >&2
  "$BAOXUE" demo --files-only --county "$code" --out "$files" --children "$SIZE" \
    --seed "$((i + 1))" --as-of "$AS_OF" >"$TOP/demo.log" 2>&1 || { cat "$TOP/demo.log" >&2; exit 1; }
  enr=""
  for f in "$files/学籍数据.xlsx" "$files/学籍数据.csv"; do [ -f "$f" ] && enr="$f" && break; done
  db="$(county_dsn "$code")"
  timed "$i" add "$TOP/add.log" -- "$BAOXUE" province add "$code" --db "$DSN"
  timed "$i" "import population" "$TOP/pop.log" -- \
    "$BAOXUE" import --db "$db" --kind population --no-progress "$files/户籍适龄儿童花名册.csv"
  timed "$i" "import enrollment" "$TOP/enr.log" -- \
    "$BAOXUE" import --db "$db" --kind enrollment --no-progress "$enr"
  timed "$i" match "$TOP/match.log" -- "$BAOXUE" match --db "$db" --as-of "$AS_OF"
  printf '%s\n' "$PASSWORD" | "$BAOXUE" user add --db "$db" bench_county --role county \
    --password-stdin >/dev/null
  if [ "$i" = 0 ]; then
    printf '%s\n' "$PASSWORD" | "$BAOXUE" user add --db "$db" bench_town --role township \
      --township "$(top_township "$db")" --password-stdin >/dev/null
    echo "== the first county's township list, alone in the database" >&2
    list_bench alone
  fi
done
rm -rf "$TOP/files"

echo "== the first county's township list with $COUNTIES counties in the database" >&2
list_bench all
echo "== the same list through the province's server (one server for every county)" >&2
list_bench province province
echo "== every county's list through the province's server, the counties in turn" >&2
cycle_bench
echo "== the province's indicators across $COUNTIES counties" >&2
"$TIME" -f '%e' -o "$TOP/ind.time" "$BAOXUE" province indicators --db "$DSN" --format csv \
  -o "$TOP/indicators.csv" >"$TOP/ind.log" 2>&1 || { cat "$TOP/ind.log" >&2; exit 1; }
CITY="${CODES[0]:0:4}"
"$TIME" -f '%e' -o "$TOP/city.time" "$BAOXUE" province indicators --db "$DSN" --area "$CITY" \
  --format csv -o "$TOP/city.csv" >"$TOP/city.log" 2>&1 || { cat "$TOP/city.log" >&2; exit 1; }
CATALOG="$(psql -X -At "$DSN" -c "SELECT count(*) FROM pg_class" -c \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname ~ '^c[0-9]{6}$'" \
  -c "SELECT pg_database_size('province')" -c \
  "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'c${CODES[0]}' AND c.relkind = 'r'" |
  tr '\n' ' ')"
TOTAL_CHILDREN="$(awk -F'\t' '$2 == "import population" {s += $4} END {print s}' "$TIMES")"
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$TIMES" "$LISTS" "$TOP/ind.time" "$TOP/city.time" "$TOP/indicators.csv" \
  "$COUNTIES" "$SIZE" "$CATALOG" "$TOTAL_CHILDREN" "$CITY" >"$TOP/section.md" <<'PY'
import csv, statistics, sys
times, lists, ind_t, city_t, ind_csv, k, size, catalog, total, city = sys.argv[1:11]
k, size = int(k), int(size)
rows = [l.rstrip("\n").split("\t") for l in open(times) if l.strip()]
by = {}
for i, step, sec, n in rows:
    by.setdefault(step, []).append((int(i), float(sec)))
out = []
out.append("| step | first county (s) | median of all (s) | last county (s) | last / first |")
out.append("|---|---|---|---|---|")
for step in ("add", "import population", "import enrollment", "match"):
    v = sorted(by.get(step, []))
    secs = [s for _, s in v]
    first, last = secs[0], secs[-1]
    out.append(f"| {step} | {first:.2f} | {statistics.median(secs):.2f} | {last:.2f} | {last / first:.2f} |")
whole = sum(s for step in by for _, s in by[step])
out.append("")
out.append(f"- {k} counties × {size:,} children = {int(float(total)):,} children imported; "
           f"everything above, summed: {whole:.0f} s.")
ls = [l.rstrip("\n").split("\t") for l in open(lists) if l.strip()]
best = {}
for when, rps, p50, p99, err in ls:
    r = (float(rps), float(p50), float(p99), int(err))
    if when not in best or r[0] > best[when][0]:
        best[when] = r
a, b = best["alone"], best["all"]
out.append(f"- A township's suspected list of the first county (as bench/server.sh: wrk -t2 -c64, "
           f"the better of two runs): alone in the database {a[0]:,.0f} req/s, p50 {a[1]:.1f} ms, "
           f"p99 {a[2]:.1f} ms; with all {k} counties {b[0]:,.0f} req/s, p50 {b[1]:.1f} ms, "
           f"p99 {b[2]:.1f} ms (ratio {b[0] / a[0]:.2f}); non-2xx answers {a[3]} and {b[3]}.")
p = best.get("province")
if p:
    out.append(f"- The same list through the province's server, which serves every county (the county "
               f"named at login, the request holding a connection to the county's schema from the server's pool): "
               f"{p[0]:,.0f} req/s, p50 {p[1]:.1f} ms, p99 {p[2]:.1f} ms — {p[0] / b[0]:.2f} of the "
               f"county's own server's in the same run; non-2xx answers {p[3]}.")
cy = best.get("cycle")
if cy:
    out.append(f"- Every county's list through the province's server at once (a county account signed in in "
               f"each of the {k} counties, wrk's requests to the counties in turn, page 1 of 50 of the "
               f"county's list): {cy[0]:,.0f} req/s, p50 {cy[1]:.1f} ms, p99 {cy[2]:.1f} ms; "
               f"non-2xx answers {cy[3]}.")
n_rows = sum(1 for r in csv.reader(open(ind_csv, encoding="utf-8-sig"))) - 2
out.append(f"- `baoxue province indicators` over the {k} counties: {float(open(ind_t).read().split()[-1]):.1f} s "
           f"({n_rows} county rows and the total); one city ({city}): {float(open(city_t).read().split()[-1]):.1f} s.")
c = catalog.split()
out.append(f"- Catalogue: {int(c[0]):,} relations in pg_class, {int(c[1]):,} of them in the county schemas "
           f"({int(c[1]) / k:.0f} a county); database {int(c[2]) / 2**30:.1f} GiB, the first county's tables "
           f"and indexes {int(c[3]) / 2**20:,.0f} MiB.")
print("\n".join(out))
PY

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — many counties in one PostgreSQL database${NOTE:+ — $NOTE}"
  echo
  echo "- Command: \`$COMMAND\` (as-of $AS_OF; each county its own seed)"
  echo "- baoxue: $GIT_REV, Release build (build-bench/, -DBAOXUE_DEV=OFF)"
  echo "- Machine: $MACHINE_NPROC cores ($MACHINE_CPU), $MACHINE_MEM, $MACHINE_KERNEL; baoxue, wrk and the database share the cores"
  echo "- $MACHINE_PG (throwaway cluster of tests/pg_cluster.py: unix socket, fsync off)"
  echo "- Load average at start: $LOAD_START; at end: $LOAD_END"
  echo
  cat "$TOP/section.md"
} | tee -a "$RESULTS"
