#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is installed (for the browser tests), and prints
# its path. Installs the chromium package when it is missing.
set -euo pipefail
for b in chromium chromium-browser; do
  if p=$(command -v "$b"); then echo "$p"; exit 0; fi
done
echo "ensure-chromium: installing Debian's chromium package for the browser tests" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
