#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers, and prints the URL to use for database NAME.
#
#   scripts/ensure-postgres.sh DATA_DIR NAME
#
# If the server at DATABASE_URL (default: the machine's own, 127.0.0.1:5432) answers, it is used.
# Otherwise a throwaway cluster is started under DATA_DIR/postgres on PG_PORT (default 54329) with
# the installed initdb/pg_ctl, installing Debian's postgresql package first where they are missing.
# Messages go to standard error; only the URL goes to standard output.
set -euo pipefail

data_dir=$(realpath -m "${1:-.data}")
name=${2:-signpost}
default_url="postgres://postgres@127.0.0.1:5432/${name}?sslmode=disable"
url=${DATABASE_URL:-$default_url}
port=${PG_PORT:-54329}
say() { echo "ensure-postgres: $*" >&2; }

find_bin() { # the newest installed server binaries, wherever Debian or a local build put them
  local b
  for b in $(command -v "$1" 2>/dev/null) $(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V -r); do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
  return 1
}

install_postgres() {
  say "PostgreSQL server binaries are missing; installing Debian's postgresql package"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

with_database() { # replace the database name in a URL
  python3 - "$1" "$name" <<'PY' 2>/dev/null || echo "$1"
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))
PY
}

if ! find_bin pg_isready >/dev/null || ! find_bin initdb >/dev/null; then
  # pg_isready tells whether a server answers; initdb starts one. Without both we cannot decide.
  if ! find_bin pg_isready >/dev/null && ! find_bin initdb >/dev/null; then install_postgres; fi
fi
pg_isready=$(find_bin pg_isready || true)

if [ -n "$pg_isready" ] && "$pg_isready" -q -t 3 -d "$url"; then
  with_database "$url"
  exit 0
fi

say "no PostgreSQL answers at ${url%%\?*}; starting a throwaway cluster in $data_dir/postgres on port $port"
find_bin initdb >/dev/null || install_postgres
initdb=$(find_bin initdb)
pg_ctl=$(find_bin pg_ctl)
pg_isready=$(find_bin pg_isready)

dir="$data_dir/postgres"
mkdir -p "$dir"
run_as() { # PostgreSQL refuses to run as root: use the postgres user where we are root
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown -R postgres "$dir"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ ! -s "$dir/PG_VERSION" ]; then
  run_as "$initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
fi
if ! "$pg_isready" -q -h 127.0.0.1 -p "$port"; then
  run_as "$pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2 \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
fi
echo "postgres://postgres@127.0.0.1:${port}/${name}?sslmode=disable"
