#!/usr/bin/env bash
# Installs the Debian packages the tests and pages need, when they are missing; `make test` runs
# it. Each line of the table is: the package, the command that proves it is there, and why.
# With no root and no sudo it says what is missing and stops, so nothing is skipped in silence
# (the tests run by `make test` fail on a missing tool rather than skip it: tests/conftest.py).
set -euo pipefail

PACKAGES=(
  "chromium  /usr/bin/chromium  the browser tests drive Debian's Chromium (Playwright cannot download one offline)"
  "bubblewrap bwrap             source code from notebooks and repositories runs in a bubblewrap sandbox"
)

missing=()
for row in "${PACKAGES[@]}"; do
  read -r pkg cmd why <<<"$row"
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Missing system packages: ${missing[*]}. Install them as root:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages the tests need (once): ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
