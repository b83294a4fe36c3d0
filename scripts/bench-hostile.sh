#!/usr/bin/env bash
# Times apelint on hostile inputs at two sizes, N and 4N, and prints how the time and the peak
# memory grow. Every check must be linear in the bytes it reads: 4N should cost about 4x, never 16x.
# Usage: scripts/bench-hostile.sh [N]   (N: links on one README line, default 30000)
#
# Inputs, each in every output format: one README line of N links (the probe's 12-second case); a
# README of N links, one a line; one minified line of N broken links in a docs page (SARIF keeps
# 5,000 of them); a line of 2N characters with a finding at its end (the code frame shows a window,
# not the line); N/4 unknown keys in apelint.toml.
# Inputs that stress one check, in JSON only, at N/4 so that a quadratic one still ends: N/4 broken
# links beside N/4 files (each broken link looks for a differently cased file); a docs site page of
# N/4 headings and N/4 links to near-miss anchors; an AGENTS.md line of N/4 paths in code spans; a
# link through N/4 locale folders; a package.json declaring N/4 `@opentelemetry/*` packages beside
# N/4 lines of JavaScript (unused-dependency); a Cargo.toml of N/4 dependencies (each one's line);
# N/4 Go interfaces and types in files of 100 (single-implementation); a Java method of N/4 nested
# `try` blocks (tree-sitter queries); a Go file of N/4 nested interfaces.
# Needs GNU time (/usr/bin/time) for the memory column.
set -euo pipefail
n=${1:-30000}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
apelint="$here/target/release/apelint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_case() { # make_case NAME SIZE -> a repository folder
  local name=$1 size=$2 dir="$work/$1-$2"
  mkdir -p "$dir/docs"
  case $name in
    links-one-line) yes '[a](b)' | head -n "$size" | tr '\n' ' ' >"$dir/README.md" ;;
    links-many-lines) yes '[a](b)' | head -n "$size" >"$dir/README.md" ;;
    broken-minified) printf '# x\n' >"$dir/README.md"; yes '[a](gone.md)' | head -n "$size" | tr '\n' ' ' >"$dir/docs/min.md" ;;
    long-line) { printf '%0*d' "$((size * 2))" 0; printf ' [a](missing.md)\n'; } >"$dir/README.md" ;;
    config-keys) printf '# x\n' >"$dir/README.md"; seq "$((size / 4))" | sed 's/^/k/; s/$/ = 1/' >"$dir/apelint.toml" ;;
    broken-links-tree)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/src"
      (cd "$dir/src" && seq "$((size / 4))" | sed 's/^/f/; s/$/.txt/' | xargs touch)
      seq "$((size / 4))" | sed 's/.*/[a](missing&.md)/' >"$dir/docs/links.md" ;;
    site-anchors)
      printf '# x\n' >"$dir/README.md"; printf 'site_name: x\n' >"$dir/mkdocs.yml"
      { seq "$((size / 4))" | sed 's/.*/## Heading &/'; seq "$((size / 4))" | sed 's/.*/[a](#heading-x&)/'; } >"$dir/docs/page.md" ;;
    agents-one-line)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/src"; touch "$dir/src/a.rs"
      # shellcheck disable=SC2016 # the backticks are Markdown
      seq "$((size / 4))" | sed 's/.*/`src\/gone&\/x.rs`/' | tr '\n' ' ' >"$dir/AGENTS.md" ;;
    locale-link)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/docs/en"
      { printf '[a]('; yes en | head -n "$((size / 4))" | tr '\n' '/'; printf 'x.md)\n'; } >"$dir/docs/en/page.md" ;;
    wildcard-deps)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/src"
      { printf '{"name": "x", "dependencies": {\n'; seq "$((size / 4))" | sed 's/.*/"@opentelemetry\/pkg&": "1",/'; printf '"pino": "1"}}\n'; } >"$dir/package.json"
      seq "$((size / 4))" | sed "s/.*/const x& = require('lib&');/" >"$dir/src/app.js" ;;
    manifest-cargo)
      printf '# x\n' >"$dir/README.md"
      { printf '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\n'
        seq "$((size / 4))" | awk '{print "dep" $1 " = \"1\""}'
        printf "\n[target.'cfg(unix)'.dependencies]\n"
        seq "$((size / 16))" | awk '{print "unix" $1 " = \"1\""}'; } >"$dir/Cargo.toml" ;;
    go-method-sets)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/pkg"
      seq "$((size / 4))" | awk -v d="$dir/pkg" '{ f = d "/m" int(($1 - 1) / 100) ".go"; if (f != last) { if (last) close(last); print "package pkg" > f; last = f } printf "type I%d interface { M%d() }\ntype T%d struct{}\nfunc (T%d) M%d() {}\n", $1, $1, $1, $1, $1 > f }' ;;
    nested-try)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/src"
      { echo 'class A { void f() {'; seq "$((size / 4))" | sed 's/.*/try {/'; seq "$((size / 4))" | sed 's/.*/} catch (Exception e) {}/'; echo '} }'; } >"$dir/src/A.java" ;;
    go-nested-interface)
      printf '# x\n' >"$dir/README.md"; mkdir -p "$dir/pkg"
      { echo 'package pkg'; seq "$((size / 4))" | sed 's/.*/interface { f(/'; seq "$((size / 4))" | sed 's/.*/}/'; } >"$dir/pkg/a.go" ;;
  esac
  echo "$dir"
}

run() { # run DIR FORMAT -> "seconds peak-KiB"
  /usr/bin/time -f '%e %M' -o "$work/time" "$apelint" "$1" --format "$2" >/dev/null 2>&1 || true
  tail -n 1 "$work/time"
}

printf '%-20s %-9s %12s %12s %8s %12s %12s\n' case format "t(N) s" "t(4N) s" ratio "mem(N) MiB" "mem(4N) MiB"
for name in links-one-line links-many-lines broken-minified long-line config-keys \
  broken-links-tree site-anchors agents-one-line locale-link wildcard-deps manifest-cargo go-method-sets \
  nested-try go-nested-interface; do
  formats="human json sarif markdown"
  case $name in
    links-one-line | links-many-lines | broken-minified | long-line | config-keys) ;;
    *) formats=json ;;
  esac
  for format in $formats; do
    small=$(make_case "$name" "$n")
    large=$(make_case "$name" "$((n * 4))")
    read -r t1 m1 < <(run "$small" "$format")
    read -r t4 m4 < <(run "$large" "$format")
    awk -v name="$name" -v format="$format" -v t1="$t1" -v t4="$t4" -v m1="$m1" -v m4="$m4" 'BEGIN {
      ratio = (t1 > 0.05) ? t4 / t1 : 0
      printf "%-20s %-9s %12.2f %12.2f %8s %12.1f %12.1f\n", name, format, t1, t4, (ratio > 0 ? sprintf("%.1fx", ratio) : "-"), m1 / 1024, m4 / 1024
    }'
  done
done
echo "(ratio: t(4N) / t(N), shown when t(N) > 0.05 s; linear is about 4x)"
