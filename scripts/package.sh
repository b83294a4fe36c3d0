#!/usr/bin/env bash
# Packs a built apelint binary as a release asset, the way the GitHub Action installs it:
#   scripts/package.sh TARGET BINARY OUT_DIR
# writes OUT_DIR/apelint-VERSION-TARGET.tar.gz (a folder of that name with the binary, README.md,
# LICENSE and CHANGELOG.md) and OUT_DIR/apelint-VERSION-TARGET.tar.gz.sha256 (`sha256sum` format).
# VERSION is the one in Cargo.toml. Used by .github/workflows/release.yml and by tests/action.rs.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 TARGET BINARY OUT_DIR" >&2; exit 2; }
target=$1 binary=$2 out=$3
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
[ -f "$binary" ] || { echo "no binary at $binary" >&2; exit 2; }
name="apelint-$version-$target"
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
case "$binary" in *.exe) exe=apelint.exe ;; *) exe=apelint ;; esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$here/README.md" "$here/LICENSE" "$here/CHANGELOG.md" "$stage/$name/"
tar -czf "$out/$name.tar.gz" -C "$stage" "$name"
cd "$out"
if command -v sha256sum >/dev/null; then
  sha256sum "$name.tar.gz" >"$name.tar.gz.sha256"
else
  shasum -a 256 "$name.tar.gz" >"$name.tar.gz.sha256"
fi
echo "$out/$name.tar.gz"
