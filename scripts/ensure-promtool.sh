#!/usr/bin/env bash
# Makes sure Prometheus's promtool is installed (to check deployments/prometheus/*.yml), and prints
# its path. Installs Debian's prometheus package, which ships promtool, when it is missing.
#
#   promtool=$(scripts/ensure-promtool.sh)
#   "$promtool" check config deployments/prometheus/prometheus.yml
set -euo pipefail
if p=$(command -v promtool); then echo "$p"; exit 0; fi
echo "ensure-promtool: installing Debian's prometheus package for promtool" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >&2
command -v promtool
