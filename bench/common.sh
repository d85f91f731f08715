# Shared by the benchmarks (sourced, not run): the Release build they time, the machine they
# describe, and the removal of their temporary directories. Expects ROOT, BUILD and KEEP.

# build_bench: baoxue as a Release build in $BUILD (build-bench/), configured once.
build_bench() {
  echo "== building baoxue (Release) in build-bench/" >&2
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBAOXUE_DEV=OFF >/dev/null
  fi
  cmake --build "$BUILD" -j "$(nproc)" --target baoxue >/dev/null
}

# machine_info: MACHINE_CPU, _NPROC, _MEM, _CC, _KERNEL and GIT_REV (marked when src/ or
# CMakeLists.txt has uncommitted changes) for the header of a RESULTS.md section.
machine_info() {
  local cc_path
  cc_path="$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")"
  MACHINE_CPU="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  MACHINE_NPROC="$(nproc)"
  MACHINE_MEM="$(free -g | awk '/^Mem:/ {print $2 " GB total, " $7 " GB available"}')"
  MACHINE_CC="$("${cc_path:-cc}" --version | head -1)"
  MACHINE_KERNEL="$(uname -sr)"
  GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no -- src CMakeLists.txt 2>/dev/null)" ]; then
    GIT_REV="$GIT_REV + uncommitted changes in src/ or CMakeLists.txt"
  fi
}

# remove_workdirs DIR...: remove the benchmark's temporary directories, or name them with --keep.
remove_workdirs() {
  [ $# -gt 0 ] || return 0
  if [ "$KEEP" = 1 ]; then
    printf 'kept: %s\n' "$@" >&2
  else
    rm -rf -- "$@"
  fi
}

# stop_clusters DIR...: stop the benchmark's throwaway PostgreSQL clusters, or name them with --keep.
stop_clusters() {
  local d
  for d in "$@"; do
    if [ "$KEEP" = 1 ]; then
      echo "kept PostgreSQL cluster (stop with: python3 tests/pg_cluster.py stop $d)" >&2
    else
      python3 "$ROOT/tests/pg_cluster.py" stop "$d" || true
    fi
  done
}

# free_port: a TCP port free on loopback now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL: until something answers there, up to 30 s (else the benchmark stops).
wait_http() {
  local i
  for i in $(seq 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): nothing answers at $1" >&2
  exit 1
}
