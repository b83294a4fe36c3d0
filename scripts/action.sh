#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the root), one subcommand each:
#
#   action.sh install   put an apelint binary on PATH: the release for this runner, verified
#                       against its published SHA-256, or else a build of the action's source
#   action.sh history   deepen a shallow checkout (fetch-history: auto|full|none) and fetch the
#                       pull request's base branch
#   action.sh run       one apelint run: annotations on stdout, the job summary, the SARIF file,
#                       and the outputs `findings`, `errors` and `sarif-file`
#
# Inputs arrive as INPUT_* environment variables (action.yml maps them with `env:`; nothing is
# interpolated into a script), beside the runner's GITHUB_* and RUNNER_* variables.
# APELINT_DOWNLOAD_URL replaces the release host (a mirror, or a file:// folder in tests).
set -euo pipefail

fail() {
  # A workflow command: an error annotation, then the step fails. Messages are ours, not the repo's.
  echo "::error title=apelint::$1"
  exit "${2:-2}"
}

warn() {
  echo "::warning title=apelint::$1"
}

output() {
  case "$2" in *$'\n'* | *$'\r'*) fail "the output \`$1\` would hold a line break" ;; esac
  echo "$1=$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run this script from the action}"
}

# A true/false input, as workflows spell them; anything else stops the step.
flag() {
  case "$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')" in
    true | yes | 1) return 0 ;;
    false | no | 0 | '') return 1 ;;
    *) fail "input \`$1\` must be true or false, found \`$2\`" ;;
  esac
}

action_dir() {
  cd "${GITHUB_ACTION_PATH:-$(dirname "$0")/..}" && pwd
}

# The version in the action's own Cargo.toml: the default release to install.
own_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$(action_dir)/Cargo.toml" | head -n 1
}

# The release target for this runner, or nothing when no binary is published for it.
runner_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

step_install() {
  local requested=${INPUT_VERSION:-} version target temp
  temp=${RUNNER_TEMP:-$(mktemp -d)}
  version=${requested#v}
  [ -n "$version" ] || version=$(own_version)
  target=$(runner_target)
  if [ "$requested" != source ] && [ -n "$target" ]; then
    local name="apelint-$version-$target"
    local base="${APELINT_DOWNLOAD_URL:-https://github.com/apelint/apelint/releases/download}/v$version"
    local dir="$temp/$name"
    mkdir -p "$dir"
    if curl --fail --silent --show-error --location --retry 2 -o "$dir/$name.tar.gz.sha256" "$base/$name.tar.gz.sha256" 2>"$dir/curl.log" &&
      curl --fail --silent --show-error --location --retry 2 -o "$dir/$name.tar.gz" "$base/$name.tar.gz" 2>>"$dir/curl.log"; then
      local expected actual
      expected=$(cut -d ' ' -f 1 <"$dir/$name.tar.gz.sha256")
      actual=$(sha256_of "$dir/$name.tar.gz")
      if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
        fail "the checksum of $name.tar.gz does not match its published SHA-256 (expected ${expected:-nothing}, got $actual): not installing it"
      fi
      tar -xzf "$dir/$name.tar.gz" -C "$dir"
      local binary="$dir/$name/apelint"
      [ -f "$binary.exe" ] && binary="$binary.exe"
      [ -x "$binary" ] || fail "$name.tar.gz holds no apelint binary"
      echo "apelint $version: release binary for $target, SHA-256 verified"
      install_done "$binary" "$version" release
      return
    fi
    echo "::notice title=apelint::no apelint $version release binary for $target ($(tail -n 1 "$dir/curl.log")); building the action's source instead"
  fi
  command -v cargo >/dev/null ||
    fail "no apelint release binary to install and no Rust toolchain to build one: add a step such as dtolnay/rust-toolchain@stable before this action, or set \`version\` to a published release"
  local root="$temp/apelint-build"
  echo "::group::cargo install --locked --path $(action_dir)"
  cargo install --locked --quiet --path "$(action_dir)" --root "$root"
  echo "::endgroup::"
  local binary="$root/bin/apelint"
  [ -f "$binary.exe" ] && binary="$binary.exe"
  install_done "$binary" "$(own_version)" source
}

install_done() {
  output path "$1"
  output version "$2"
  output from "$3"
  dirname "$1" >>"${GITHUB_PATH:-/dev/null}"
}

step_history() {
  local dir=${INPUT_PATH:-.} mode=${INPUT_FETCH_HISTORY:-auto}
  case "$mode" in auto | full | none) ;; *) fail "input \`fetch-history\` must be auto, full or none, found \`$mode\`" ;; esac
  git -C "$dir" rev-parse --git-dir >/dev/null 2>&1 || return 0 # apelint says what a folder without git misses
  local shallow base=${GITHUB_BASE_REF:-}
  shallow=$(git -C "$dir" rev-parse --is-shallow-repository)
  if [ "$shallow" = true ]; then
    if [ "$mode" = none ]; then
      warn "the checkout is shallow and fetch-history is none: rules that read the commit history (shipping cadence, releases, edited migrations) are skipped. Check out with fetch-depth: 0, or set fetch-history: auto."
    elif git -C "$dir" fetch --quiet --unshallow --tags origin; then
      echo "apelint: fetched the whole history and the tags (the checkout was shallow)"
    elif [ "$mode" = full ]; then
      fail "could not fetch the history of the shallow checkout (fetch-history: full)"
    else
      warn "could not fetch the history of the shallow checkout: rules that read the commit history are skipped. Check out with fetch-depth: 0."
    fi
  fi
  # Pull-request mode compares with the base branch: fetch it when the checkout lacks it.
  if [ -n "$base" ] && [ "$mode" != none ] && ! git -C "$dir" rev-parse --verify --quiet "refs/remotes/origin/$base" >/dev/null; then
    git -C "$dir" fetch --quiet --no-tags origin "+refs/heads/$base:refs/remotes/origin/$base" ||
      warn "could not fetch the base branch \`$base\`: every finding is annotated, not only those in the change"
  fi
}

step_run() {
  local dir=${INPUT_PATH:-.} annotations=false summary=false temp status
  if flag annotations "${INPUT_ANNOTATIONS:-true}"; then annotations=true; fi
  if flag summary "${INPUT_SUMMARY:-true}"; then summary=true; fi
  case "${INPUT_FAIL_ON:-error}" in error | warning | info | never) ;; *) fail "input \`fail-on\` must be error, warning, info or never, found \`$INPUT_FAIL_ON\`" ;; esac
  local apelint=${APELINT:-apelint}
  temp=$(mktemp -d)
  trap 'rm -rf "$temp"' EXIT

  # `args` is split as a shell splits words (quotes and backslashes), with no expansion.
  local extra=() word
  if [ -n "${INPUT_ARGS//[[:space:]]/}" ]; then
    printf '%s' "$INPUT_ARGS" | xargs printf '%s\0' >"$temp/args" 2>"$temp/args.err" ||
      fail "input \`args\` cannot be split into words: $(head -n 1 "$temp/args.err")"
    while IFS= read -r -d '' word; do extra+=("$word"); done <"$temp/args"
  fi

  local command=("$apelint" check --fail-on "${INPUT_FAIL_ON:-error}" --report "json=$temp/report.json")
  if [ "$annotations" = true ]; then
    local mode=${INPUT_FILTER_MODE:-added} base=${GITHUB_BASE_REF:-}
    if [ -n "$base" ] && [ "$mode" != nofilter ] &&
      ! git -C "$dir" rev-parse --verify --quiet "refs/remotes/origin/$base" >/dev/null 2>&1; then
      warn "the base branch \`origin/$base\` is not in the checkout: every finding is annotated, not only those in the change"
      mode=nofilter
    fi
    command+=(--format github --filter-mode "$mode")
  else
    command+=(--format human --color never)
  fi
  [ "$summary" = true ] && command+=(--report "markdown=$temp/summary.md")
  local sarif=${INPUT_SARIF_FILE:-}
  if [ -n "$sarif" ]; then
    mkdir -p "$(dirname "$sarif")"
    command+=(--report "sarif=$sarif")
  fi
  command+=(${extra[@]+"${extra[@]}"} -- "$dir")

  set +e
  "${command[@]}"
  status=$?
  set -e
  if [ "$status" -gt 1 ]; then
    fail "apelint stopped with exit code $status before it could report: the log above says why" "$status"
  fi
  if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$temp/summary.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  # Counts from the JSON report's `summary` object (docs/json.md).
  local counts errors warnings infos
  counts=$(sed -n '/^  "summary": {$/,/^  },\{0,1\}$/p' "$temp/report.json")
  count() { printf '%s\n' "$counts" | sed -n "s/^    \"$1\": \([0-9][0-9]*\),\{0,1\}$/\1/p" | head -n 1; }
  errors=$(count error)
  warnings=$(count warning)
  infos=$(count info)
  [ -n "$errors" ] && [ -n "$warnings" ] && [ -n "$infos" ] || fail "the JSON report has no summary counts"
  output findings "$((errors + warnings + infos))"
  output errors "$errors"
  [ -n "$sarif" ] && output sarif-file "$sarif"
  echo "apelint: $errors errors, $warnings warnings, $infos info (fail-on: ${INPUT_FAIL_ON:-error})"
  exit "$status"
}

case "${1:-}" in
  install | history | run) "step_$1" ;;
  *)
    echo "usage: $0 install|history|run (the steps of action.yml)" >&2
    exit 2
    ;;
esac
