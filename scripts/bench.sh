#!/usr/bin/env bash
# Times `apelint` with its file rules (the history rules left out) against `rg --files` over a
# repository and prints the ratio; then times the history rules against a walk of the whole history
# with `git rev-list`. Usage: scripts/bench.sh PATH [RUNS]
#
# The target is a ratio under 3: walking the tree and running every file rule should cost less than
# three times listing the files. Needs ripgrep (`cargo install ripgrep`) and, when present, hyperfine.
set -euo pipefail
repo=${1:?usage: scripts/bench.sh PATH [RUNS]}
runs=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
apelint="$here/target/release/apelint"
command -v rg >/dev/null || { echo "rg not found: cargo install ripgrep" >&2; exit 2; }

# Warm the page cache so both commands are timed on the same footing.
rg --files "$repo" >/dev/null
"$apelint" "$repo" --format json >/dev/null || true

best() { # best wall time in seconds of $runs runs of "$@"
  local best=999999
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    best=$(echo "$best $start $end" | awk '{t = $3 - $2; print (t < $1 ? t : $1)}')
  done
  echo "$best"
}

rg_time=$(best rg --files "$repo")
apelint_time=$(best "$apelint" "$repo" --format json --ignore shipping)
files=$(rg --files "$repo" | wc -l)
echo "repository: $repo ($files files)"
echo "rg --files: ${rg_time}s (best of $runs)"
echo "apelint:    ${apelint_time}s (best of $runs)"
echo "$apelint_time $rg_time" | awk '{printf "ratio:      %.2fx (target < 3x)\n", $1 / $2}'
/usr/bin/time -v "$apelint" "$repo" --format json --ignore shipping 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "peak memory: %.1f MiB\n", $2 / 1024}'

# The history rules read only the window before HEAD: compare with a walk of the whole history.
if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
  history_time=$(best "$apelint" "$repo" --select shipping --format json)
  revlist_time=$(best git -C "$repo" rev-list HEAD)
  total=$(git -C "$repo" rev-list --count HEAD)
  walked=$("$apelint" "$repo" --select shipping --format json | sed -n 's/.*"commits_walked": \([0-9]*\).*/\1/p')
  echo "history:    ${history_time}s for the shipping rules, walking ${walked:-?} of $total commits"
  echo "git rev-list (whole history): ${revlist_time}s"
fi
