#!/usr/bin/env bash
# Debian packages the test suites drive: Universal Ctags (chunking agreement test) and Chromium
# (web UI end-to-end test, through playwright-core); and ShellCheck, which `nx lint scripts` runs over
# every shell script. Idempotent: installs only what is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v ctags >/dev/null 2>&1 && ctags --version 2>/dev/null | grep -q "Universal Ctags" || missing+=(universal-ctags)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test tools present: $(ctags --version | head -1); $(chromium --version 2>/dev/null); shellcheck $(shellcheck --version | sed -n 's/^version: //p')" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
echo "installing: ${missing[*]}" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
echo "test tools ready: $(ctags --version | head -1); $(chromium --version 2>/dev/null); shellcheck $(shellcheck --version | sed -n 's/^version: //p')" >&2
