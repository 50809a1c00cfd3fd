#!/usr/bin/env bash
# ShellCheck (warnings and errors) over every shell script of the workspace: *.sh and .ci/run,
# committed or new. Run by `npx nx lint scripts`; tools/ci/install-test-tools.sh installs ShellCheck.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v shellcheck >/dev/null 2>&1 || {
  echo "shellcheck is not installed: apt-get install shellcheck (or bash tools/ci/install-test-tools.sh)" >&2
  exit 1
}
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard -- '*.sh' .ci/run | sort -u)
shellcheck --severity=warning "${scripts[@]}"
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts clean"
