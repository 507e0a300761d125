# shellcheck shell=bash
# Sourced by everything that runs Debian's docker-registry (CNCF
# distribution) on loopback: the docker:// CTest fixture
# (tests/data/registry_fixture.sh), the whittle scan e2e tests
# (tests/support/fleet_e2e.sh) and the benches (bench/registry_bench.sh,
# bench/registry_corpus_check.sh, bench/cache_bench.sh).
#
#   free_port
#       prints a free loopback TCP port.
#   start_registry DIR NAME [--data PATH] [--tls CERT KEY] [--quiet] [--config YAML]
#       starts one registry on 127.0.0.1 (config DIR/NAME.yml, output and
#       log DIR/NAME.log, storage PATH, default DIR/NAME-data), writes its
#       PID to DIR/NAME.pid and its port to DIR/NAME.port, and sets
#       REGISTRY_PORT and REGISTRY_PID. The log is at level info with the
#       access log (one line per request) unless --quiet (errors only: the
#       benches). --tls serves https with that certificate and key.
#       --config YAML is appended to the config (`auth:`, say). Several
#       registries may share one --data. Waits up to 10 s for /v2/ (200, or
#       401 behind auth); if it does not, prints the log and returns 1 (the
#       registry is left for stop_registries).
#   stop_registries DIR
#       stops every process whose PID is in a DIR/*.pid file (so a caller's
#       other servers, if it keeps their PIDs there too) and removes the
#       files; safe to call twice, and from an EXIT trap.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_registry() {
  local dir=$1 name=$2 port data="" level=info access_off=false tls="" extra="" scheme=http code
  shift 2
  while [[ $# -gt 0 ]]; do
    case $1 in
      --data) data=$2; shift 2 ;;
      --tls)
        scheme=https
        tls="  tls:
    certificate: $2
    key: $3"
        shift 3 ;;
      --quiet) level=error; access_off=true; shift ;;
      --config) extra=$2; shift 2 ;;
      *) echo "start_registry: unknown option $1" >&2; return 2 ;;
    esac
  done
  command -v docker-registry >/dev/null ||
    { echo "FAIL: docker-registry is missing (scripts/install-deps.sh)" >&2; return 1; }
  port=$(free_port)
  [[ -n $data ]] || data=$dir/$name-data
  cat >"$dir/$name.yml" <<YML
version: 0.1
log:
  level: $level
  accesslog:
    disabled: $access_off
storage:
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
$tls
health:
  storagedriver:
    enabled: false
$extra
YML
  docker-registry serve "$dir/$name.yml" >"$dir/$name.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY_PORT=$port
  echo "$REGISTRY_PID" >"$dir/$name.pid"
  echo "$port" >"$dir/$name.port"
  for _ in $(seq 100); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/v2/" || true)
    [[ $code == 200 || $code == 401 ]] && return 0
    sleep 0.1
  done
  echo "start_registry: $name did not answer on $scheme://127.0.0.1:$port/v2/ in 10 s:" >&2
  cat "$dir/$name.log" >&2
  return 1
}

stop_registries() {
  local dir=$1 f pid
  for f in "$dir"/*.pid; do
    [[ -s $f ]] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      # Reap it when it is this shell's child (else wait returns at once);
      # not `kill && wait`: wait reports the SIGTERM, which would end an
      # EXIT trap under set -e.
      wait "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$f"
  done
}
