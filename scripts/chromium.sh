#!/usr/bin/env bash
# Make sure Debian's headless Chromium is installed (kg's browser tests drive it with
# Playwright; no browser is downloaded). Prints the browser's path.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "chromium.sh: installing Debian's chromium" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >&2
fi
command -v chromium
