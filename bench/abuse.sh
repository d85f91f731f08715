#!/usr/bin/env bash
# The server under abuse (issue 11): wrk measures a signed-in user's list and /healthz from
# 127.0.0.1 while a crowd on other loopback addresses (127.0.0.2 and up) holds connections open
# (the flood) or sends its headers one byte a second (slow clients), with the server's
# connection limits off (--max-connections 512 and no per-address limit, reserve or deadlines)
# and on (its defaults). Figures are given as ratios to the same target without the crowd.
# Appends a section to bench/RESULTS.md.
#
#   bench/abuse.sh [--keep] [--duration S] [--children N] [--flood N] [--slow N] [--note TEXT]
#
# --duration: seconds of each wrk run (default 5); --children: the demo county's size (default
# 20000); --flood: idle connections (default 1000, from 10 addresses); --slow: slow clients
# (default 600, from 6 addresses). The default run takes about two minutes.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

COMMAND="bench/abuse.sh"
if [ $# -gt 0 ]; then COMMAND="$COMMAND$(printf ' %q' "$@")"; fi
KEEP=0
DURATION=5
CHILDREN=20000
FLOOD=1000
SLOW=600
NOTE=""
CONNS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --duration) DURATION="${2:?--duration needs a value}"; shift ;;
    --children) CHILDREN="${2:?--children needs a value}"; shift ;;
    --flood) FLOOD="${2:?--flood needs a value}"; shift ;;
    --slow) SLOW="${2:?--slow needs a value}"; shift ;;
    --note) NOTE="${2:?--note needs a value}"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "abuse.sh: unknown argument $1" >&2; usage 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build-bench"
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
BAOXUE="$BUILD/baoxue"
RESULTS="$BENCH/RESULTS.md"

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (apt)" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2
fi
for tool in cmake python3 curl wrk; do
  command -v "$tool" >/dev/null || { echo "abuse.sh: $tool is required" >&2; exit 1; }
done
# the crowd, the server and wrk each hold a descriptor per connection
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

SERVER_PID=""
CROWD_PID=""
WORKDIRS=()
cleanup() {
  for pid in "$CROWD_PID" "$SERVER_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  remove_workdirs ${WORKDIRS[@]+"${WORKDIRS[@]}"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_bench
machine_info
MACHINE_WRK="$( (wrk --version 2>&1 || true) | head -1 | cut -d' ' -f1-2)"

TOP="$(mktemp -d /tmp/baoxue-abuse.XXXXXX)"
WORKDIRS+=("$TOP")
ROWS="$TOP/rows.tsv" # limits load target rps p50_ms p99_ms ok errors
: >"$ROWS"

echo "== demo county of $CHILDREN children" >&2
"$BAOXUE" demo --children "$CHILDREN" --out "$TOP/demo" >"$TOP/demo.log" 2>&1
DB="$TOP/demo/baoxue.db"
echo 'bench-password-1' | "$BAOXUE" user --db "$DB" add bench --role county --password-stdin \
  >/dev/null

# The crowd: CROWD_IDLE connections that say nothing and CROWD_SLOW that send a request's
# headers a byte a second, each reopened a moment after the server closes it.
cat >"$TOP/crowd.py" <<'PY'
import selectors, socket, sys, time
port, idle, slow = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
trickle = b"GET /api/v1/summary HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
members = [["127.0.0.%d" % (2 + i % 10), b"", None, 0, 0.0] for i in range(idle)]
members += [["127.0.0.%d" % (12 + i % 6), trickle, None, 0, 0.0] for i in range(slow)]
sel = selectors.DefaultSelector()
def close(m):
    sel.unregister(m[2]); m[2].close(); m[2] = None; m[4] = time.monotonic() + 0.3
while True:
    now = time.monotonic()
    for m in members:
        if m[2] is None:
            if m[4] <= now:
                s = socket.socket(); s.setblocking(False)
                try:
                    s.bind((m[0], 0)); s.connect_ex(("127.0.0.1", port))
                except OSError:
                    s.close(); m[4] = now + 0.5; continue
                m[2], m[3], m[4] = s, 0, now + 1
                sel.register(s, selectors.EVENT_READ, m)
        elif m[1] and m[3] < len(m[1]) and m[4] <= now:
            try:
                m[3] += m[2].send(m[1][m[3]:m[3] + 1]); m[4] = now + 1
            except BlockingIOError:
                pass
            except OSError:
                close(m)
    for key, _ in sel.select(0.05):
        m = key.data
        if m[2] is None:
            continue
        try:
            data = m[2].recv(4096)
        except BlockingIOError:
            continue
        except OSError:
            data = b""
        close(m)
PY

cat >"$TOP/cookie.lua" <<'LUA'
local c = os.getenv("BAOXUE_BENCH_COOKIE")
if c and c ~= "" then wrk.headers["Cookie"] = c end
LUA

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wrk_run LIMITS LOAD TARGET URL [COOKIE]
wrk_run() {
  local limits="$1" load="$2" target="$3" url="$4" cookie="${5:-}"
  local out="$TOP/wrk-$limits-$load-$target.txt"
  BAOXUE_BENCH_COOKIE="$cookie" wrk -t 2 -c "$CONNS" -d "${DURATION}s" --timeout 2s --latency \
    -s "$TOP/cookie.lua" "$url" >"$out" 2>&1 || true
  python3 - "$out" "$limits" "$load" "$target" >>"$ROWS" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
rps = float(m.group(1)) if m else 0.0
done = re.search(r"(\d+) requests in", text)
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b", text, re.M)}
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, err.groups())) if err else 0)
total = int(done.group(1)) if done else 0
ok_rps = rps * (total - min(errors, total)) / total if total else 0.0
print("\t".join(map(str, sys.argv[2:5] + [round(ok_rps, 1), lat.get("50", -1), lat.get("99", -1),
                                          total - min(errors, total), errors])))
PY
}

measure() { # LIMITS SERVE-OPTIONS...
  local limits="$1"
  shift
  local port
  port="$(free_port)"
  "$BAOXUE" serve --db "$DB" --listen "127.0.0.1:$port" "$@" >"$TOP/serve-$limits.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
  local cookie
  cookie="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"username":"bench","password":"bench-password-1"}' \
    "http://127.0.0.1:$port/api/v1/session" | sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p')"
  [ -n "$cookie" ] || { echo "abuse.sh: could not sign in" >&2; exit 1; }
  local list="http://127.0.0.1:$port/api/v1/children?status=not_enrolled&page=1&per_page=50"
  for load in none flood slow; do
    case "$load" in
      flood) python3 "$TOP/crowd.py" "$port" "$FLOOD" 0 & CROWD_PID=$! ;;
      slow) python3 "$TOP/crowd.py" "$port" 0 "$SLOW" & CROWD_PID=$! ;;
    esac
    [ "$load" = none ] || sleep 3 # the crowd is in
    echo "== limits $limits, $load: list and /healthz" >&2
    wrk_run "$limits" "$load" list "$list" "$cookie"
    wrk_run "$limits" "$load" healthz "http://127.0.0.1:$port/healthz"
    if [ -n "$CROWD_PID" ]; then
      kill "$CROWD_PID" 2>/dev/null || true
      wait "$CROWD_PID" 2>/dev/null || true
      CROWD_PID=""
      sleep 1
    fi
  done
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

measure off --max-connections 512 --reserved-connections 0 --per-address-limit 0 \
  --header-timeout 0 --min-body-rate 0
measure on

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — the server under abuse (bench/abuse.sh)${NOTE:+ — $NOTE}"
  echo
  echo "- Command: \`$COMMAND\` (wrk -t2 -c$CONNS -d${DURATION}s --timeout 2s from 127.0.0.1, the list signed in; flood: $FLOOD idle connections from 10 addresses; slow: $SLOW clients sending their headers a byte a second from 6 addresses; both reopen what the server closes)"
  echo "- Limits off: \`--max-connections 512 --reserved-connections 0 --per-address-limit 0 --header-timeout 0 --min-body-rate 0\`; on: the defaults (2,048 connections, 256 kept for addresses with a session, 64 per address, 10 s for the headers, 1 kB/s of body)"
  echo "- Machine: $MACHINE_CPU, $MACHINE_NPROC cores, $MACHINE_MEM; $MACHINE_CC; $MACHINE_KERNEL; $MACHINE_WRK; baoxue $GIT_REV; demo county of $CHILDREN children, SQLite"
  echo
  python3 - "$ROWS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
base = {(r[0], r[2]): float(r[3]) for r in rows if r[1] == "none"}
base99 = {(r[0], r[2]): float(r[5]) for r in rows if r[1] == "none"}
print("| limits | load | target | answered req/s | / unloaded | p50 ms | p99 ms | p99 / unloaded | answered | errors |")
print("|---|---|---|--:|--:|--:|--:|--:|--:|--:|")
for lim, load, target, rps, p50, p99, ok, err in rows:
    b = base.get((lim, target)) or 0
    b99 = base99.get((lim, target)) or 0
    ratio = "%.2f" % (float(rps) / b) if b else "—"
    r99 = "%.1f" % (float(p99) / b99) if b99 > 0 and float(p99) > 0 else "—"
    print("| %s | %s | %s | %s | %s | %.2f | %.2f | %s | %s | %s |" % (
        lim, load, target, "{:,.0f}".format(float(rps)), ratio, float(p50), float(p99), r99,
        "{:,}".format(int(ok)), "{:,}".format(int(err))))
PY
  echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$TOP/section.md"
cat "$TOP/section.md" >>"$RESULTS"
cat "$TOP/section.md"
