#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the root), one subcommand each:
#
#   action.sh install   put an apelint binary on PATH: the release for this runner, verified
#                       against its published SHA-256 and its build provenance (gh attestation
#                       verify), or else a build of the action's source
#   action.sh history   deepen a shallow checkout (fetch-history: auto|full|none) and fetch the
#                       pull request's base branch
#   action.sh run       one apelint run: annotations on stdout, the job summary, the SARIF file,
#                       and the outputs `findings`, `errors` and `sarif-file`
#
# Inputs arrive as INPUT_* environment variables (action.yml maps them with `env:`; nothing is
# interpolated into a script), beside the runner's GITHUB_* and RUNNER_* variables.
# Releases are downloaded from the GitHub server the runner belongs to (GITHUB_SERVER_URL), over
# https only; APELINT_DOWNLOAD_URL replaces that (an https mirror with the same layout).
set -euo pipefail

# A workflow command's message: `%`, CR and LF escaped, so that no value can start a command.
escape() {
  local text=${1//%/%25}
  text=${text//$'\r'/%0D}
  printf '%s' "${text//$'\n'/%0A}"
}

fail() {
  echo "::error title=apelint::$(escape "$1")"
  exit "${2:-2}"
}

warn() {
  echo "::warning title=apelint::$(escape "$1")"
}

# Prints the files that are not empty (text the action does not control, such as a repository's)
# on standard output, between `::stop-commands::TOKEN` and `::TOKEN::`, so that the runner reads no
# workflow command in them, whatever they hold (line breaks, CR included). TOKEN is new and random
# each time: the text cannot end the block early. One stream, so the runner cannot see the lines
# out of order.
quoted() {
  local file token=""
  for file; do
    [ -s "$file" ] || continue
    if [ -z "$token" ]; then
      token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
      echo "::stop-commands::$token"
    fi
    cat "$file"
    # The line that resumes the commands must be a line of its own.
    [ -z "$(tail -c 1 "$file")" ] || echo
  done
  [ -z "$token" ] || echo "::$token::"
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

# The version in the action's own Cargo.toml.
own_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$(action_dir)/Cargo.toml" | head -n 1
}

# The release target for this runner, or nothing when no binary is published for it.
runner_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
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

# Downloads release VERSION for TARGET into TEMP and verifies it: its published SHA-256, then its
# build provenance, an attestation signed by the release workflow of the action's repository for
# the release's tag, checked with GitHub CLI (`gh`, which the caller has made sure of). Sets
# $downloaded to the binary (not printed: `fail` must stop the step, not a subshell). Returns 1
# when the release has no such archive, or no checksum beside it; stops the step when either check
# fails, before the archive is unpacked.
download() {
  local version=$1 target=$2 temp=$3
  local name="apelint-$version-$target"
  local repo=${GITHUB_ACTION_REPOSITORY:-apelint/apelint}
  [[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail "the action's repository \`$repo\` is not owner/name"
  local releases="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download"
  local base=${APELINT_DOWNLOAD_URL:-$releases} protocols='=https'
  case "$base" in
    https://*) ;;
    # Files only when the runner's own server is a folder, as in the tests: GITHUB_SERVER_URL is the
    # runner's, and no workflow can overwrite a GITHUB_* variable (GitHub's variables reference), let
    # alone a repository. A real runner's is https, and APELINT_DOWNLOAD_URL must be https.
    file://*) if [ -z "${APELINT_DOWNLOAD_URL:-}" ]; then protocols='=https,file'; else base=; fi ;;
    *) base= ;;
  esac
  [ -n "$base" ] || fail "apelint downloads its releases over https only, not from \`${APELINT_DOWNLOAD_URL:-$releases}\`"
  base="$base/v$version"
  local dir="$temp/$name"
  mkdir -p "$dir"
  local get=(curl --proto "$protocols" --proto-redir "$protocols" --fail --silent --show-error --location --retry 2)
  if ! "${get[@]}" -o "$dir/$name.tar.gz.sha256" "$base/$name.tar.gz.sha256" 2>"$dir/curl.log" ||
    ! "${get[@]}" -o "$dir/$name.tar.gz" "$base/$name.tar.gz" 2>>"$dir/curl.log"; then
    tail -n 1 "$dir/curl.log" >&2
    return 1
  fi
  local expected actual
  expected=$(cut -d ' ' -f 1 <"$dir/$name.tar.gz.sha256")
  actual=$(sha256_of "$dir/$name.tar.gz")
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    fail "the checksum of $name.tar.gz does not match its published SHA-256 (expected ${expected:-nothing}, got $actual): not installing it"
  fi
  # The checksum comes from where the archive does: it proves the download whole, not who built it.
  # GH_TOKEN (the `token` input) lets gh read the attestations.
  if ! gh attestation verify "$dir/$name.tar.gz" --repo "$repo" \
    --signer-workflow "$repo/.github/workflows/release.yml" --source-ref "refs/tags/v$version" \
    >"$dir/gh.log" 2>&1; then
    quoted "$dir/gh.log"
    fail "the build provenance of $name.tar.gz cannot be verified (gh attestation verify, above): it was not built by $repo's release workflow for v$version, or gh could not check it: not installing it"
  fi
  # From inside the folder: GNU tar reads `D:\...` (a Windows path) as a remote host.
  (cd "$dir" && tar -xzf "$name.tar.gz") >&2 || fail "$name.tar.gz cannot be unpacked"
  local binary="$dir/$name/apelint"
  [ -f "$binary.exe" ] && binary="$binary.exe"
  [ -x "$binary" ] || fail "$name.tar.gz holds no apelint binary"
  downloaded=$binary
}

build() {
  local temp=$1
  command -v cargo >/dev/null ||
    fail "building apelint from the action's source needs a Rust toolchain: add a step such as dtolnay/rust-toolchain@stable before this action, or use the action at a release tag"
  local root="$temp/apelint-build"
  echo "::group::cargo install --locked --path $(action_dir)"
  cargo install --locked --quiet --path "$(action_dir)" --root "$root"
  echo "::endgroup::"
  local binary="$root/bin/apelint"
  [ -f "$binary.exe" ] && binary="$binary.exe"
  installed "$binary" "$(own_version)" source
}

installed() {
  output path "$1"
  output version "$2"
  output from "$3"
  dirname "$1" >>"${GITHUB_PATH:-/dev/null}"
}

# `version: X.Y.Z` installs that release or fails; `version: source` builds the action's source;
# by default the action at its release tag (`@vX.Y.Z`) installs that release (or builds its source
# when the release has no binary for the runner, or when gh is missing to verify it), and at a
# branch or commit builds its source, so that the binary always understands the script the action
# runs. A release binary is installed only once its checksum and build provenance are verified.
step_install() {
  local requested=${INPUT_VERSION:-} temp own target downloaded=
  temp=${RUNNER_TEMP:-$(mktemp -d)}
  own=$(own_version)
  target=$(runner_target)
  case "$requested" in
    source) build "$temp" ;;
    '')
      if [ "${GITHUB_ACTION_REF:-}" != "v$own" ]; then
        echo "apelint: the action runs at \`${GITHUB_ACTION_REF:-a local path}\`, not at its release tag v$own: building its source"
        build "$temp"
      elif [ -n "$target" ] && ! command -v gh >/dev/null; then
        warn "GitHub CLI (gh) is not on this runner, so the build provenance of apelint $own's release binary cannot be verified: building the action's source instead (install gh to use the release)"
        build "$temp"
      elif [ -n "$target" ] && download "$own" "$target" "$temp"; then
        echo "apelint $own: release binary for $target, SHA-256 and build provenance verified"
        installed "$downloaded" "$own" release
      else
        echo "::notice title=apelint::no apelint $own release binary for ${target:-this runner}: building the action's source"
        build "$temp"
      fi
      ;;
    *)
      local version=${requested#v}
      [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
        fail "input \`version\` must be a release such as 0.2.0, or source, found \`$requested\`"
      [ -n "$target" ] || fail "no apelint release binary is published for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}: set version to source"
      command -v gh >/dev/null ||
        fail "GitHub CLI (gh) is not on this runner, so the build provenance of apelint $version's release binary cannot be verified: install gh, or set version to source"
      download "$version" "$target" "$temp" || fail "apelint $version has no release binary for $target"
      echo "apelint $version: release binary for $target, SHA-256 and build provenance verified"
      installed "$downloaded" "$version" release
      ;;
  esac
}

step_history() {
  local dir=${INPUT_PATH:-.} mode=${INPUT_FETCH_HISTORY:-auto}
  case "$mode" in auto | full | none) ;; *) fail "input \`fetch-history\` must be auto, full or none, found \`$mode\`" ;; esac
  if ! git -C "$dir" rev-parse --git-dir >/dev/null 2>&1; then
    [ "$mode" = full ] && fail "\`$dir\` is not in a git repository git can read (fetch-history: full)"
    return 0 # apelint says what a folder without git misses
  fi
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
  local dir=${INPUT_PATH:-.} annotations=false summary=false temp status word
  [ -n "${APELINT:-}" ] || fail "no apelint binary: the install step gave no path"
  if flag annotations "${INPUT_ANNOTATIONS:-true}"; then annotations=true; fi
  if flag summary "${INPUT_SUMMARY:-true}"; then summary=true; fi
  local fail_on=${INPUT_FAIL_ON:-}
  case "$fail_on" in '' | error | warning | info | never) ;; *) fail "input \`fail-on\` must be error, warning, info or never, found \`$fail_on\`" ;; esac
  temp=$(mktemp -d)
  trap 'rm -rf "$temp"' EXIT

  # `args` is split into words with xargs (quotes and backslashes), with no expansion.
  local extra=() compared_by_args=false
  if [ -n "${INPUT_ARGS//[[:space:]]/}" ]; then
    printf '%s' "$INPUT_ARGS" | xargs printf '%s\0' >"$temp/args" 2>"$temp/args.err" ||
      fail "input \`args\` cannot be split into words: $(head -n 1 "$temp/args.err")"
    while IFS= read -r -d '' word; do
      case "$word" in
        --format | --format=* | --output | --output=* | -o | -o?*)
          fail "input \`args\`: \`$word\` is the action's to set (use the annotations, summary and sarif-file inputs; \`--report FORMAT=FILE\` adds a report)"
          ;;
      esac
      case "$word" in
        --baseline | --baseline=* | --new-since | --new-since=* | --all-findings) compared_by_args=true ;;
      esac
      extra+=("$word")
    done <"$temp/args"
  fi

  local mode=${INPUT_FILTER_MODE:-added} base=${GITHUB_BASE_REF:-} gate=${INPUT_GATE:-new}
  case "$gate" in new | all) ;; *) fail "input \`gate\` must be new or all, found \`$gate\`" ;; esac
  # Without the base branch, or without history back to where the change began, every finding is
  # reported (apelint would say so too, on its standard error).
  local comparable=false
  if [ -n "$base" ] && git -C "$dir" merge-base HEAD "refs/remotes/origin/$base" >/dev/null 2>&1; then
    comparable=true
  fi
  if [ -n "$base" ] && [ "$comparable" = false ] && { [ "$mode" != nofilter ] || [ "$gate" = new ]; }; then
    warn "the change cannot be compared with \`origin/$base\` (the base branch or the history back to the merge base is not in the checkout): every finding is reported and annotated, not only those the change brings"
    mode=nofilter
  fi
  local command=("$APELINT" check --filter-mode "$mode" --report "json=$temp/report.json")
  # The gate: on a pull request, only the findings the change brings (the merge base is judged
  # from git objects); otherwise every finding. A baseline or a comparison given in `args` wins.
  local gated=false
  if [ "$compared_by_args" = true ]; then
    :
  elif [ "$comparable" = true ] && [ "$gate" = new ]; then
    command+=(--new-since "refs/remotes/origin/$base")
    gated=true
  else
    command+=(--all-findings)
  fi
  [ -n "$fail_on" ] && command+=(--fail-on "$fail_on")
  if [ "$annotations" = true ]; then
    command+=(--format github)
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

  # apelint's standard error (its diagnostics quote apelint.toml and file names) and the human
  # report quote the repository: both are captured, then printed where the runner reads no
  # workflow command (`quoted`). Only the annotations (`--format github`, which apelint escapes)
  # reach the runner as they are.
  set +e
  if [ "$annotations" = true ]; then
    "${command[@]}" 2>"$temp/stderr"
  else
    "${command[@]}" >"$temp/stdout" 2>"$temp/stderr"
  fi
  status=$?
  set -e
  quoted "$temp/stdout" "$temp/stderr"
  if [ "$status" -gt 1 ] || [ ! -s "$temp/report.json" ]; then
    if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
      printf '## apelint\n\napelint could not run (exit code %s): the step'"'"'s log says why.\n' "$status" >>"$GITHUB_STEP_SUMMARY"
    fi
    fail "apelint stopped with exit code $status before it could report: the log above says why" "$([ "$status" -gt 1 ] && echo "$status" || echo 2)"
  fi
  if [ "$summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$temp/summary.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  # Counts from the JSON report's `summary` object (docs/json.md), pretty-printed by apelint.
  local counts errors warnings infos
  counts=$(sed -n '/^  "summary": {$/,/^  },\{0,1\}$/p' "$temp/report.json")
  count() { printf '%s\n' "$counts" | sed -n "s/^    \"$1\": \([0-9][0-9]*\),\{0,1\}$/\1/p" | head -n 1; }
  errors=$(count error)
  warnings=$(count warning)
  infos=$(count info)
  [ -n "$errors" ] && [ -n "$warnings" ] && [ -n "$infos" ] || fail "the JSON report has no summary counts"
  output findings "$((errors + warnings + infos))"
  output errors "$errors"
  output warnings "$warnings"
  [ -n "$sarif" ] && output sarif-file "$sarif"
  local which=""
  [ "$gated" = true ] && which=" new in this change"
  echo "apelint: $errors errors, $warnings warnings, $infos info$which (fail-on: ${fail_on:-from apelint.toml, else error})"
  exit "$status"
}

case "${1:-}" in
  install | history | run) "step_$1" ;;
  *)
    echo "usage: $0 install|history|run (the steps of action.yml)" >&2
    exit 2
    ;;
esac
