#!/usr/bin/env bash
# Times judging commits from git objects against judging the working tree, on a clone of a large
# repository (rails/rails: about 5,000 files and 100,000 commits). Usage:
#   scripts/bench-commits.sh PATH [RUNS] [-- extra apelint arguments, such as --preview]
#
# Targets (the script exits 1 when one is missed):
#   - one historical commit (`--commit HEAD~3000`, read from objects) costs at most 1.5x the
#     working tree (`apelint PATH`);
#   - a 12-point trend over a year (`apelint trend --since 1y --every 1mo`) costs at most 4x one run.
# Each command runs RUNS times (default 5), alternating, and the best wall time counts. The clock is
# pinned to HEAD's commit (APELINT_NOW), so that every run judges the same thing. Needs GNU time
# (/usr/bin/time) for the memory column.
set -euo pipefail
repo=${1:?usage: scripts/bench-commits.sh PATH [RUNS] [-- apelint arguments]}
shift
runs=5
if [ $# -gt 0 ] && [ "$1" != -- ]; then
  runs=$1
  shift
fi
[ "${1:-}" = -- ] && shift
extra=("$@")
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
apelint="$here/target/release/apelint"
git -C "$repo" rev-parse --verify -q HEAD~3000 >/dev/null ||
  { echo "$repo needs a history of more than 3000 commits (HEAD~3000)" >&2; exit 2; }
APELINT_NOW=$(git -C "$repo" log -1 --format=%cI HEAD)
export APELINT_NOW

names=(worktree commit trend)
commands=(
  "$apelint check ${extra[*]:-} -- $repo"
  "$apelint check --commit HEAD~3000 ${extra[*]:-} -- $repo"
  "$apelint trend --since 1y --every 1mo ${extra[*]:-} -- $repo"
)
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
declare -A best memory
for name in "${names[@]}"; do best[$name]=999999; done
# Warm the page cache and the object caches of the operating system.
# shellcheck disable=SC2086
for command in "${commands[@]}"; do $command >/dev/null 2>&1 || true; done
for _ in $(seq "$runs"); do
  for at in "${!names[@]}"; do
    name=${names[$at]}
    # shellcheck disable=SC2086 # each command is split into its words on purpose
    /usr/bin/time -o "$timing" -f '%e %M' ${commands[$at]} >/dev/null 2>&1 || true
    measured=$(tail -n 1 "$timing")
    wall=${measured% *}
    memory[$name]=${measured#* }
    best[$name]=$(echo "${best[$name]} $wall" | awk '{print ($2 < $1 ? $2 : $1)}')
  done
done

files=$(git -C "$repo" ls-tree -r HEAD | wc -l)
commits=$(git -C "$repo" rev-list --count HEAD)
echo "repository: $repo ($files files at HEAD, $commits commits); arguments: ${extra[*]:-(default rules)}"
for name in "${names[@]}"; do
  printf '%-9s %6.2fs  peak %6.1f MiB  (best of %s)\n' "$name" "${best[$name]}" "$(echo "${memory[$name]}" | awk '{print $1 / 1024}')" "$runs"
done
missed=0
ratio() { # ratio NAME OVER TARGET LABEL
  local value
  value=$(echo "${best[$1]} ${best[$2]}" | awk '{printf "%.2f", $1 / ($2 > 0 ? $2 : 0.001)}')
  local verdict=ok
  if awk -v v="$value" -v t="$3" 'BEGIN {exit !(v > t)}'; then
    verdict=MISSED
    missed=1
  fi
  printf '%-40s %5sx (target at most %sx) %s\n' "$4" "$value" "$3" "$verdict"
}
ratio commit worktree 1.5 "one commit from objects / working tree:"
ratio trend worktree 4 "12-point trend / one run:"
exit "$missed"
