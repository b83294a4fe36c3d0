#!/usr/bin/env bash
# Validates apelint's SARIF with Microsoft's SARIF Multitool and GitHub's ingestion rules
# (`validate --rule-kind "Gh;Sarif"`), on apelint's own repository and on the rule fixtures.
# The validator exits 0 even when it reports errors, so its output log is read: any result at
# level `error` fails this script (exit 1). Needs npm (it installs `@microsoft/sarif-multitool-linux`, the Linux build of npm `@microsoft/sarif-multitool`,
# into $SARIF_MULTITOOL_PREFIX, default target/sarif-multitool) unless $SARIF_MULTITOOL names the
# binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
tool=${SARIF_MULTITOOL:-}
if [ -z "$tool" ]; then
  prefix=${SARIF_MULTITOOL_PREFIX:-$target/sarif-multitool}
  tool="$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  if [ ! -x "$tool" ]; then
    command -v npm >/dev/null || { echo "npm not found: set SARIF_MULTITOOL=/path/to/Sarif.Multitool" >&2; exit 2; }
    npm install --silent --no-audit --no-fund --prefix "$prefix" @microsoft/sarif-multitool-linux@5.7.0 >&2
    chmod u+x "$tool"
  fi
fi
cargo build --quiet --manifest-path "$here/Cargo.toml"
apelint="$target/debug/apelint"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Our own repository, and every fixture folder (where findings of every kind appear).
targets=("$here")
while IFS= read -r dir; do targets+=("$dir"); done < <(find "$here/fixtures" -mindepth 3 -maxdepth 3 -type d -name 'fail-*' | sort)
failed=0
n=0
for repo in "${targets[@]}"; do
  n=$((n + 1))
  "$apelint" "$repo" --format sarif --output "$out/$n.sarif" || [ $? -eq 1 ] || { echo "apelint failed on $repo" >&2; exit 2; }
  "$tool" validate --rule-kind "Gh;Sarif" --output "$out/$n.log.sarif" "$out/$n.sarif" >"$out/$n.txt" 2>&1 || true
  [ -f "$out/$n.log.sarif" ] || { echo "the validator wrote no log for $repo:" >&2; cat "$out/$n.txt" >&2; exit 2; }
  errors=$(grep -c '"level": "error"' "$out/$n.log.sarif" || true)
  if [ "$errors" != 0 ]; then
    echo "SARIF for $repo: $errors error(s)" >&2
    grep -E ': error ' "$out/$n.txt" >&2 || cat "$out/$n.txt" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "SARIF valid for GitHub: $n logs checked"
exit "$failed"
