#!/usr/bin/env bash
# Writes every output format of one apelint binary over some repositories into a folder, so that a
# refactoring can be checked byte for byte: run it with the binary before and after the change, then
# `diff -r` the two folders (CONTRIBUTING.md, "Refactoring without changing behaviour").
#
#   scripts/compare-runs.sh BINARY OUT_DIR REPO...
set -euo pipefail
if [ "$#" -lt 3 ]; then
  echo "usage: $0 BINARY OUT_DIR REPO..." >&2
  exit 2
fi
binary=$1
out=$2
shift 2
mkdir -p "$out"
for repo in "$@"; do
  name=$(basename "$repo")
  for format in human json sarif markdown github; do
    # A fixed clock, no colour and a fixed width: the same run twice gives the same bytes.
    APELINT_NOW=2026-12-07 NO_COLOR=1 COLUMNS=100 "$binary" "$repo" --format "$format" \
      >"$out/$name.$format" 2>"$out/$name.$format.stderr" && code=0 || code=$?
    echo "exit $code" >>"$out/$name.$format.stderr"
  done
done
