#!/usr/bin/env bash
# Time of the cross-check (`baoxue match`) with and without the priority-group lists (issue 15),
# side by side, on the demo county at SIZE children (default 1000000).
#
#   bench/groups_time.sh [SIZE] [--bin build/baoxue] [--keep]
#
# One demo county (seed 1, as-of 2026-11-20) is imported twice into SQLite: population,
# enrollment and outside in both; the five group lists (poverty, welfare ×2, disability,
# left_behind, aid) in the second only. `baoxue match` runs once on each; the script prints
# the wall-clock seconds and peak RSS of each import and match, and the ratio of the two
# match times. Files and databases live in a temporary directory, removed unless --keep.
set -euo pipefail
N=1000000
BAOXUE=build/baoxue
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BAOXUE="${2:?--bin needs a value}"; shift ;;
    --keep) KEEP=1 ;;
    *) N="$1" ;;
  esac
  shift
done
AS_OF=2026-11-20
WORK="$(mktemp -d /tmp/baoxue-groups-time.XXXXXX)"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
export BAOXUE_TODAY="$AS_OF"
file_of() { ls "$WORK/files/$1".* 2>/dev/null | grep -E '\.(xlsx|csv)$' | head -n 1; }
timed() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
  read -r s kb <"$WORK/t"
  printf '| %s | %s | %d |\n' "$label" "$s" "$((kb / 1024))"
  echo "$s" >"$WORK/last"
}
echo "generating $N children in $WORK" >&2
"$BAOXUE" demo --files-only --out "$WORK/files" --children "$N" --seed 1 --as-of "$AS_OF" \
  >"$WORK/demo.log" 2>&1
echo "| step ($N children) | seconds | peak RSS MB |"
echo "|---|--:|--:|"
for db in plain groups; do
  DB="$WORK/$db.db"
  "$BAOXUE" init --db "$DB" >/dev/null 2>&1
  timed "$db: import population" "$BAOXUE" import --db "$DB" --kind population --no-progress \
    "$(file_of 户籍适龄儿童花名册)"
  timed "$db: import enrollment" "$BAOXUE" import --db "$DB" --kind enrollment --no-progress \
    "$(file_of 学籍数据)"
  timed "$db: import outside" "$BAOXUE" import --db "$DB" --kind outside --no-progress \
    "$(file_of 外出就读学生名单)"
  if [ "$db" = groups ]; then
    for pair in 防返贫监测对象家庭成员信息:poverty 低保特困保障对象名册:welfare \
                孤儿和事实无人抚养儿童名册:welfare 残疾人基本信息:disability \
                农村留守儿童信息登记表:left_behind 学生资助资金发放明细:aid; do
      timed "$db: import ${pair#*:} (${pair%%:*})" "$BAOXUE" import --db "$DB" \
        --kind "${pair#*:}" --no-progress "$(file_of "${pair%%:*}")"
    done
  fi
  timed "**$db: baoxue match**" "$BAOXUE" match --db "$DB" --as-of "$AS_OF"
  cp "$WORK/last" "$WORK/match-$db"
done
awk -v a="$(cat "$WORK/match-plain")" -v b="$(cat "$WORK/match-groups")" \
  'BEGIN { printf "\nmatch with the group lists / without: %.2f s / %.2f s = ×%.2f\n", b, a, b / a }'
