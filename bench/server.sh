#!/usr/bin/env bash
# Server load benchmark: wrk against `baoxue serve` on loopback (a township user's list of
# suspected children, the county summary), with nginx serving a static file of the same size
# as the list in the same run as the ceiling; SQLite and PostgreSQL; import times. See
# bench/README.md.
#
#   bench/server.sh [--keep] [--runs R] [--duration S] [--connections C] [--threads T]
#                   [--backend sqlite|pg|both] [--note TEXT] [SIZE...]
#
# SIZE: number of children (default: 20000 1000000). --runs: wrk measurements of each target
# (default 3, the median is reported); --duration: seconds of each (default 10); --connections
# (default 64); --threads: baoxue serve --threads (default: its own default); --keep keeps the
# files, databases, logs and the PostgreSQL cluster's directory under /tmp/baoxue-srvbench.*.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/server.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
RUNS=3
DURATION=10
CONNS=64
THREADS=""
BACKENDS="both"
NOTE=""
SEED=1
SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift ;;
    --duration) DURATION="${2:?--duration needs a value}"; shift ;;
    --connections) CONNS="${2:?--connections needs a value}"; shift ;;
    --threads) THREADS="${2:?--threads needs a value}"; shift ;;
    --backend) BACKENDS="${2:?--backend needs a value}"; shift ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "server.sh: unknown option $1" >&2; usage 2 ;;
    *)
      [[ "$1" =~ ^[0-9]+$ ]] || { echo "server.sh: size must be a number: $1" >&2; exit 2; }
      SIZES+=("$1") ;;
  esac
  shift
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(20000 1000000)
case "$BACKENDS" in
  both) BACKENDS=(sqlite pg) ;;
  sqlite|pg) BACKENDS=("$BACKENDS") ;;
  *) echo "server.sh: --backend is sqlite, pg or both" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
BAOXUE="$BUILD/baoxue"
RESULTS="$BENCH/RESULTS.md"
TIME=/usr/bin/time
AS_OF="$(date +%F)"
STATUS=not_enrolled # the suspected children a township works through

# --- wrk and nginx (Debian packages), like linkage.sh installs DuckDB ----------------------------
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if ! command -v wrk >/dev/null || [ ! -x "$NGINX" ]; then
  echo "== installing wrk and nginx-light (apt)" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nginx-light >&2
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
fi
for tool in cmake python3 curl sqlite3 wrk "$NGINX" "$TIME"; do
  command -v "$tool" >/dev/null || { echo "server.sh: $tool is required" >&2; exit 1; }
done
if [[ " ${BACKENDS[*]} " == *" pg "* ]]; then
  command -v psql >/dev/null || { echo "server.sh: psql is required (postgresql-client)" >&2; exit 1; }
  python3 "$ROOT/tests/pg_cluster.py" available ||
    { echo "server.sh: PostgreSQL server binaries not found (scripts/install-deps)" >&2; exit 1; }
fi

# --- temp directories and processes: always cleaned up -----------------------------------------
WORKDIRS=()
PIDS=()
PGDIRS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_clusters ${PGDIRS[@]+"${PGDIRS[@]}"}
  remove_workdirs ${WORKDIRS[@]+"${WORKDIRS[@]}"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build baoxue (Release) -------------------------------------------------------------------
build_bench

# --- machine ----------------------------------------------------------------------------------
machine_info
MACHINE_WRK="$( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)"
MACHINE_NGINX="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
MACHINE_PG="$(pg_config --version 2>/dev/null || echo none)"
MACHINE_SQLITE="$(sqlite3 --version | cut -d' ' -f1)"

TOP="$(mktemp -d /tmp/baoxue-srvbench.XXXXXX)"
WORKDIRS+=("$TOP")
SECTION="$TOP/section.md"
ROWS="$TOP/rows.tsv" # size backend target run rps p50_ms p99_ms errors cpu_ms_server cpu_ms_db
IMPORTS="$TOP/imports.tsv" # size backend step seconds rss_kb
: >"$ROWS"
: >"$IMPORTS"

# timed SIZE BACKEND STEP LOG -- CMD...: wall seconds and peak RSS into $IMPORTS
timed() {
  local size="$1" backend="$2" step="$3" log="$4"
  shift 5
  local tf="$TOP/time.out"
  if ! "$TIME" -f '%e %M' -o "$tf" "$@" >"$log" 2>&1; then
    echo "server.sh: step '$step' failed; its output ($log):" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\n' "$size" "$backend" "$step" "$(tail -n 1 "$tf" | tr ' ' '\t')" >>"$IMPORTS"
}

# cpu_ticks PID...: user + system clock ticks the processes used so far (gone ones count 0)
cpu_ticks() {
  local t=0 v p
  for p in "$@"; do
    v="$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null)" || v=0
    t=$((t + ${v:-0}))
  done
  echo "$t"
}

# db_pids PM: a PostgreSQL postmaster and its processes as they are now (a server opens a
# backend per worker thread on its first request, so the list is read at each measurement)
db_pids() {
  [ -n "$1" ] || return 0
  echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"
}

# wrk_run SIZE BACKEND TARGET RUN URL [COOKIE]: one measurement into $ROWS, with the CPU time
# the server (baoxue or nginx: $CPU_SERVER) and the database's processes ($CPU_DB, PostgreSQL's
# postmaster: it and its processes, those that started during the run counted whole) used
# during it: less dependent on what else shares the cores than req/s
wrk_run() {
  local size="$1" backend="$2" target="$3" run="$4" url="$5" cookie="${6:-}"
  local out="$WORK/wrk-$backend-$target-$run.txt"
  local s0 d0 s1 d1 dp0
  dp0="$(db_pids "$CPU_DB")"
  s0="$(cpu_ticks $CPU_SERVER)"
  d0="$(cpu_ticks $dp0)"
  BAOXUE_BENCH_COOKIE="$cookie" wrk -t 2 -c "$CONNS" -d "${DURATION}s" --latency \
    -s "$TOP/cookie.lua" "$url" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
  s1="$(cpu_ticks $CPU_SERVER)"
  d1="$(cpu_ticks $(printf '%s\n' $dp0 $(db_pids "$CPU_DB") | sort -u))"
  python3 - "$out" "$size" "$backend" "$target" "$run" "$((s1 - s0))" "$((d1 - d0))" \
    "$(getconf CLK_TCK)" >>"$ROWS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b", text, re.M)}
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, err.groups())) if err else 0)
n = int(re.search(r"(\d+) requests in", text).group(1))
tick_ms = 1000.0 / int(sys.argv[8])
cpu = [int(sys.argv[6]) * tick_ms / max(n, 1), int(sys.argv[7]) * tick_ms / max(n, 1)]
print("\t".join(map(str, sys.argv[2:6] + [rps, lat.get("50", -1), lat.get("99", -1), errors] + cpu)))
PY
}

cat >"$TOP/cookie.lua" <<'LUA'
-- the session cookie of the signed-in user, from the environment
local c = os.getenv("BAOXUE_BENCH_COOKIE")
if c and c ~= "" then wrk.headers["Cookie"] = c end
LUA

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — server load (wrk)${NOTE:+ — $NOTE}"
  echo
  echo "- Command: \`$COMMAND\` (seed $SEED, as-of $AS_OF; wrk -t2 -c$CONNS -d${DURATION}s --latency, $RUNS runs of each target, median reported)"
  echo "- baoxue: $GIT_REV, Release build (build-bench/, -DBAOXUE_DEV=OFF), \`baoxue serve\`${THREADS:+ --threads $THREADS}"
  echo "- Machine: $MACHINE_NPROC cores ($MACHINE_CPU), $MACHINE_MEM, $MACHINE_KERNEL; wrk, baoxue (or nginx) and the database share the cores"
  echo "- Compiler: $MACHINE_CC; SQLite $MACHINE_SQLITE (system); $MACHINE_PG (throwaway cluster of tests/pg_cluster.py: unix socket, fsync off); $MACHINE_WRK; nginx $MACHINE_NGINX"
  echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running shares the $MACHINE_NPROC cores)"
} >"$SECTION"

PGDSN=""
if [[ " ${BACKENDS[*]} " == *" pg "* ]]; then
  echo "== starting a throwaway PostgreSQL cluster" >&2
  mapfile -t PGINFO < <(python3 "$ROOT/tests/pg_cluster.py" start)
  PGDSN="${PGINFO[0]}"
  PGDIRS+=("${PGINFO[1]}")
fi
pg_fresh_db() { # NAME: a fresh database in the cluster, its DSN on stdout
  local base="${PGDSN%%\?*}" query="${PGDSN#*\?}"
  PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 "${base%/*}/postgres?$query" \
    -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE template0" >&2
  echo "${base%/*}/$1?$query"
}

PASSWORD="bench-password-$$"
for N in "${SIZES[@]}"; do
  WORK="$TOP/n$N"
  DATA="$WORK/files"
  mkdir -p "$WORK"
  echo "== $N children: generating the demo county's files" >&2
  "$BAOXUE" demo --files-only --out "$DATA" --children "$N" --seed "$SEED" --as-of "$AS_OF" \
    >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
  file_of() {
    local f
    for f in "$DATA/$1.xlsx" "$DATA/$1.csv"; do [ -f "$f" ] && { echo "$f"; return; }; done
    echo "server.sh: demo wrote no $1.xlsx or .csv" >&2
    exit 1
  }
  POP="$DATA/户籍适龄儿童花名册.csv"
  ENR="$(file_of 学籍数据)"
  OUT="$(file_of 外出就读学生名单)"

  for B in "${BACKENDS[@]}"; do
    if [ "$B" = sqlite ]; then
      DB="$WORK/bench.db"
      sq() { sqlite3 -batch -noheader "$DB" "$1"; }
    else
      DB="$(pg_fresh_db "bench_$N")"
      sq() { psql -q -X -t -A "$DB" -c "$1"; }
    fi
    echo "== $N / $B: init, import ×3, match (timed)" >&2
    "$BAOXUE" init --db "$DB" --county 140521 >"$WORK/init-$B.log" 2>&1 ||
      { cat "$WORK/init-$B.log" >&2; exit 1; }
    timed "$N" "$B" "import population" "$WORK/imp-pop-$B.log" -- \
      "$BAOXUE" import --db "$DB" --kind population --no-progress "$POP"
    timed "$N" "$B" "import enrollment" "$WORK/imp-enr-$B.log" -- \
      "$BAOXUE" import --db "$DB" --kind enrollment --no-progress "$ENR"
    timed "$N" "$B" "import outside" "$WORK/imp-out-$B.log" -- \
      "$BAOXUE" import --db "$DB" --kind outside --no-progress "$OUT"
    timed "$N" "$B" "match" "$WORK/match-$B.log" -- \
      "$BAOXUE" match --db "$DB" --as-of "$AS_OF"

    # the township with the most suspected children
    TOWN="$(sq "SELECT township_code FROM run_count WHERE run_id = (SELECT max(id) FROM match_run)
                AND status = '$STATUS' AND township_code <> '' ORDER BY n DESC, township_code LIMIT 1")"
    [ -n "$TOWN" ] || { echo "server.sh: no township with $STATUS children" >&2; exit 1; }
    printf '%s\n' "$PASSWORD" | "$BAOXUE" user add --db "$DB" bench_town --role township \
      --township "$TOWN" --password-stdin >/dev/null
    printf '%s\n' "$PASSWORD" | "$BAOXUE" user add --db "$DB" bench_admin --role admin \
      --password-stdin >/dev/null

    PORT="$(free_port)"
    "$BAOXUE" serve --db "$DB" --listen "127.0.0.1:$PORT" ${THREADS:+--threads "$THREADS"} \
      --data-dir "$WORK" >"$WORK/serve-$B.out" 2>"$WORK/serve-$B.log" &
    SERVE_PID=$!
    PIDS+=("$SERVE_PID")
    BASE="http://127.0.0.1:$PORT"
    wait_http "$BASE/healthz"
    login() { # NAME: "baoxue_session=…" for a Cookie header
      curl -sf -c "$WORK/jar-$1" -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session"
      awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) c = $6 "=" $7 } END { print c }' "$WORK/jar-$1"
    }
    COOKIE_TOWN="$(login bench_town)"
    COOKIE_ADMIN="$(login bench_admin)"
    LIST_URL="$BASE/api/v1/children?township=$TOWN&status=$STATUS&page=1&per_page=50"
    SUM_URL="$BASE/api/v1/summary"
    curl -sf -H "Cookie: $COOKIE_TOWN" -o "$WORK/list.json" "$LIST_URL"
    curl -sf -H "Cookie: $COOKIE_ADMIN" -o "$WORK/summary.json" "$SUM_URL"
    LIST_TOTAL="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], len(d["items"]))' "$WORK/list.json")"
    # the web UI's 疑似失学辍学 tab: the suspected set (not enrolled and dropped out), the
    # priority groups first
    SET_URL="$BASE/api/v1/children?township=$TOWN&status=suspected&page=1&per_page=50"
    curl -sf -H "Cookie: $COOKIE_TOWN" -o "$WORK/set.json" "$SET_URL"
    SET_TOTAL="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"], len(d["items"]))' "$WORK/set.json")"

    # nginx: a static file of the list's size, its own prefix, port, pid and logs
    NG="$WORK/nginx-$B"
    mkdir -p "$NG/html" "$NG/logs"
    cp "$WORK/list.json" "$NG/html/list.json"
    NGPORT="$(free_port)"
    NGUSER="" # as root nginx's workers would run as nobody, who cannot read the 0700 temp dir
    [ "$(id -u)" != 0 ] || NGUSER="user root;"
    cat >"$NG/nginx.conf" <<EOF
$NGUSER
daemon off;
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NG/tmp-body;
  proxy_temp_path $NG/tmp-proxy;
  fastcgi_temp_path $NG/tmp-fastcgi;
  uwsgi_temp_path $NG/tmp-uwsgi;
  scgi_temp_path $NG/tmp-scgi;
  types { application/json json; }
  sendfile on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGPORT;
    root $NG/html;
  }
}
EOF
    "$NGINX" -p "$NG" -c "$NG/nginx.conf" -e "$NG/logs/error.log" 2>"$NG/stderr.log" &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    wait_http "http://127.0.0.1:$NGPORT/list.json"
    curl -sf -o "$NG/check.json" "http://127.0.0.1:$NGPORT/list.json" && cmp -s "$NG/check.json" "$WORK/list.json" ||
      { echo "server.sh: nginx does not serve the file (see $NG/logs/error.log)" >&2; exit 1; }

    echo "== $N / $B: wrk ×$RUNS (list, nginx, summary); township $TOWN, $STATUS total/page: $LIST_TOTAL" >&2
    CPU_DB=""
    if [ "$B" = pg ]; then # the cluster's postmaster and its processes (the backends among them)
      PM="$(head -n 1 "${PGDIRS[0]}/data/postmaster.pid" 2>/dev/null || true)"
      CPU_DB="$PM"
    fi
    NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
    for run in $(seq "$RUNS"); do
      CPU_SERVER="$SERVE_PID"
      wrk_run "$N" "$B" list "$run" "$LIST_URL" "$COOKIE_TOWN"
      wrk_run "$N" "$B" set "$run" "$SET_URL" "$COOKIE_TOWN"
      CPU_SERVER="$NGINX_PIDS"
      CPU_DB_KEEP="$CPU_DB"
      CPU_DB=""
      wrk_run "$N" "$B" nginx "$run" "http://127.0.0.1:$NGPORT/list.json"
      CPU_DB="$CPU_DB_KEEP"
      CPU_SERVER="$SERVE_PID"
      wrk_run "$N" "$B" summary "$run" "$SUM_URL" "$COOKIE_ADMIN"
    done
    kill "$NGINX_PID" "$SERVE_PID"
    wait "$NGINX_PID" "$SERVE_PID" 2>/dev/null || true
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$B" "$TOWN" "$(stat -c %s "$WORK/list.json")" \
      "$(stat -c %s "$WORK/summary.json")" "$LIST_TOTAL" "$SET_TOTAL" "$(stat -c %s "$WORK/set.json")" \
      >>"$TOP/meta.tsv"
  done
  if [ "$KEEP" = 0 ]; then rm -rf -- "$DATA" "$WORK"/bench.db*; fi
done

python3 - "$ROWS" "$IMPORTS" "$TOP/meta.tsv" "$CONNS" <<'PY' | tee -a "$SECTION"
import statistics, sys
from collections import defaultdict
rows_path, imp_path, meta_path, conns = sys.argv[1:]
runs = defaultdict(list)  # (size, backend, target) -> [(run, rps, p50, p99, errors, cpu_s, cpu_db)]
for line in open(rows_path):
    size, backend, target, run, rps, p50, p99, errs, cs, cd = line.rstrip("\n").split("\t")
    runs[(int(size), backend, target)].append((int(run), float(rps), float(p50), float(p99), int(errs),
                                               float(cs), float(cd)))
meta = {}
for line in open(meta_path):
    size, backend, town, lbytes, sbytes, total, set_total, set_bytes = line.rstrip("\n").split("\t")
    meta[(int(size), backend)] = (town, int(lbytes), int(sbytes), total, set_total, int(set_bytes))
imps = defaultdict(dict)
for line in open(imp_path):
    size, backend, step, sec, kb = line.rstrip("\n").split("\t")
    imps[(int(size), backend)][step] = (float(sec), int(kb))
name = {"sqlite": "SQLite", "pg": "PostgreSQL"}
med = lambda xs: statistics.median(xs)
out = []
for (size, backend) in sorted(meta, key=lambda k: (k[0], k[1] != "sqlite")):
    town, lbytes, sbytes, total, set_total, set_bytes = meta[(size, backend)]
    tot, page = total.split()
    stot, spage = set_total.split()
    out.append(f"\n### {size:,} children, {name[backend]}\n")
    out.append(f"List: `GET /api/v1/children?township={town}&status=not_enrolled&page=1&per_page=50` as that "
               f"township's user ({int(tot):,} suspected children, {page} on the page, {lbytes:,} bytes); "
               f"suspected set (the web UI's 疑似失学辍学 tab, the priority groups first): the same with "
               f"`status=suspected` ({int(stot):,} children, {spage} on the page, {set_bytes:,} bytes); "
               f"summary: `GET /api/v1/summary` as admin ({sbytes:,} bytes); nginx: a static file of the list's "
               f"{lbytes:,} bytes. {conns} connections.\n")
    out.append("| target | req/s (median) | p50 ms | p99 ms | req/s of each run | errors "
               "| CPU ms/request: server | database |")
    out.append("|---|--:|--:|--:|---|--:|--:|--:|")
    for target, label in (("list", "baoxue list"), ("set", "baoxue list, suspected set"),
                          ("summary", "baoxue summary"), ("nginx", "nginx static file")):
        rs = sorted(runs[(size, backend, target)])
        if not rs:
            continue
        db = f"{med([r[6] for r in rs]):.3f}" if backend == "pg" and target != "nginx" else "–"
        out.append(f"| {label} | {med([r[1] for r in rs]):,.0f} | {med([r[2] for r in rs]):.2f} | "
                   f"{med([r[3] for r in rs]):.2f} | {' / '.join(f'{r[1]:,.0f}' for r in rs)} | {sum(r[4] for r in rs)} "
                   f"| {med([r[5] for r in rs]):.3f} | {db} |")
    lst = {r[0]: r[1] for r in runs[(size, backend, "list")]}
    ngx = {r[0]: r[1] for r in runs[(size, backend, "nginx")]}
    summ = {r[0]: r[1] for r in runs[(size, backend, "summary")]}
    ratios = [lst[k] / ngx[k] for k in sorted(lst) if k in ngx and ngx[k] > 0]
    sratios = [summ[k] / ngx[k] for k in sorted(summ) if k in ngx and ngx[k] > 0]
    out.append("")
    if ratios:
        out.append(f"- **baoxue list / nginx = {med(ratios):.3f}** (median of the runs' ratios: "
                   f"{', '.join(f'{x:.3f}' for x in ratios)}); summary / nginx = {med(sratios):.3f}")
    ok = lambda c: "met" if c else "**not met**"
    for target, what in (("list", "list"), ("set", "suspected set")):
        lr = runs[(size, backend, target)]
        if size in (20_000, 1_000_000) and lr:
            out.append(f"- Goals at {size:,} children, {what}: ≥ 5,000 req/s {ok(med([r[1] for r in lr]) >= 5000)}; "
                       f"p99 ≤ 50 ms {ok(med([r[3] for r in lr]) <= 50)}")
    steps = imps.get((size, backend), {})
    if steps:
        imp_s = sum(v[0] for k, v in steps.items() if k.startswith("import"))
        out.append(f"- Import (population + enrollment + outside): {imp_s:.1f} s "
                   f"({', '.join(f'{k.split()[1]} {v[0]:.1f} s' for k, v in steps.items() if k.startswith('import'))}); "
                   f"match {steps['match'][0]:.1f} s; peak RSS {max(v[1] for v in steps.values()) / 1024:.0f} MB")
# import SQLite vs PostgreSQL
sizes = sorted({k[0] for k in imps})
if any(len({b for (s, b) in imps if s == n}) == 2 for n in sizes):
    out.append("\n### Import and match: SQLite vs PostgreSQL\n")
    out.append("| children | step | SQLite s | PostgreSQL s | PostgreSQL / SQLite |")
    out.append("|--:|---|--:|--:|--:|")
    for n in sizes:
        a, b = imps.get((n, "sqlite"), {}), imps.get((n, "pg"), {})
        for step in ("import population", "import enrollment", "import outside", "match"):
            if step in a and step in b:
                out.append(f"| {n:,} | {step} | {a[step][0]:.2f} | {b[step][0]:.2f} | {b[step][0] / max(a[step][0], 0.01):.1f} |")
print("\n".join(out))
PY

echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$SECTION"
cat "$SECTION" >>"$RESULTS"
echo "== appended to bench/RESULTS.md" >&2
