#!/usr/bin/env bash
# A private PostgreSQL server for the PostgreSQL store's tests
# (src/fleet/pg_store_test.cc), started and stopped as a CTest fixture:
#
#   tests/support/pg_fixture.sh start DIR    prints the URL, also in DIR/url
#   tests/support/pg_fixture.sh stop DIR
#
# Debian's postgresql (the newest /usr/lib/postgresql/VERSION/bin): initdb in
# a fresh temp dir under /tmp (DIR/tmpdir names it; the build tree may not be
# reachable by the server's user), a server on 127.0.0.1 at a free port and
# on a unix socket in that temp dir, superuser `whittle` with a random
# password (scram-sha-256 over TCP, trust on the socket), database `whittle`.
# postgres refuses to run as root: as root the server runs as the `postgres`
# system user the package creates (else `nobody`), owning the temp dir.
# Extra server settings: WHITTLE_PG_OPTS (e.g. "-c fsync=on" to measure).
# `stop` stops the server (fast, then immediate) and removes the temp dir;
# `start` first stops whatever an interrupted run left in DIR.
set -euo pipefail

cmd=${1:-}
DIR=${2:-}
if [[ -z $cmd || -z $DIR ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $PGBIN || ! -x $PGBIN/initdb ]]; then
  echo "$0: no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql (scripts/install-deps.sh)" >&2
  exit 1
fi

RUN_AS=()
OWNER=""
if [[ $(id -u) -eq 0 ]]; then
  OWNER=postgres
  id postgres >/dev/null 2>&1 || OWNER=nobody
  RUN_AS=(runuser -u "$OWNER" --)
fi
as_server() { "${RUN_AS[@]}" "$@"; }

stop() {
  [[ -s $DIR/tmpdir ]] || return 0
  local tmp
  tmp=$(cat "$DIR/tmpdir")
  if [[ -f $tmp/data/postmaster.pid ]]; then
    as_server "$PGBIN/pg_ctl" -D "$tmp/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_server "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    # Whatever pg_ctl could not stop: the postmaster's pid is the file's first line.
    if [[ -f $tmp/data/postmaster.pid ]]; then
      pid=$(head -n 1 "$tmp/data/postmaster.pid")
      [[ $pid =~ ^[0-9]+$ ]] && kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  case $tmp in /tmp/whittle-pg.*) rm -rf "$tmp" ;; esac
  rm -f "$DIR/tmpdir" "$DIR/url"
}

case $cmd in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "$0: unknown command $cmd" >&2; exit 2 ;;
esac

stop
mkdir -p "$DIR"
tmp=$(mktemp -d /tmp/whittle-pg.XXXXXX)
echo "$tmp" >"$DIR/tmpdir"
trap 'status=$?; if ((status)); then [[ -f $tmp/server.log ]] && tail -n 20 "$tmp/server.log" >&2; stop; fi' EXIT
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" >"$tmp/pwfile"
[[ -z $OWNER ]] || chown -R "$OWNER:" "$tmp"
chmod 700 "$tmp"

as_server "$PGBIN/initdb" -D "$tmp/data" -U whittle --pwfile="$tmp/pwfile" --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 1; }
rm -f "$tmp/pwfile"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
started=""
for _ in 1 2 3 4 5; do
  port=$(free_port)
  # fsync off: the tests' transactions need not survive a power cut.
  if as_server "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c max_connections=60 ${WHITTLE_PG_OPTS:-}" \
      start >/dev/null; then
    started=1
    break
  fi
done
[[ -n $started ]] || { echo "$0: postgres did not start" >&2; exit 1; }
as_server "$PGBIN/createdb" -h "$tmp" -p "$port" -U whittle whittle
url="postgres://whittle:$password@127.0.0.1:$port/whittle"
printf '%s\n' "$url" >"$DIR/url"
echo "$url"
