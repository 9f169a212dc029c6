#!/usr/bin/env bash
# Stops the throwaway cluster that ensure-postgres.sh may have started under DATA_DIR.
set -euo pipefail
dir="$(realpath -m "${1:-.data}")/postgres"
[ -s "$dir/postmaster.pid" ] || exit 0
pg_ctl=$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V -r | head -n 1)
if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_ctl" -D "$dir" -m fast stop; else "$pg_ctl" -D "$dir" -m fast stop; fi
