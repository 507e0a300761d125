# Sourced by bench/registry_bench.sh and bench/registry_corpus_check.sh:
# Debian's docker-registry on loopback, storage in a temp dir.
#
#   REG_WORK=DIR            where configs, logs and the storage (DIR/data) go
#   free_port               prints a free loopback port
#   start_registry NAME PORT SCHEME [TLS_YAML]
#                           starts one (config DIR/NAME.yml, log DIR/NAME.log),
#                           waits for /v2/ (10 s), remembers its PID
#   stop_registries         stops every one started (call from an EXIT trap)
REG_PIDS=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_registry() {
  cat >"$REG_WORK/$1.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG_WORK/data
http:
  addr: 127.0.0.1:$2
${4:-}
YML
  docker-registry serve "$REG_WORK/$1.yml" >"$REG_WORK/$1.log" 2>&1 &
  REG_PIDS+=($!)
  for _ in $(seq 100); do curl -skf "$3://127.0.0.1:$2/v2/" >/dev/null && return 0; sleep 0.1; done
  cat "$REG_WORK/$1.log" >&2
  exit 1
}

stop_registries() {
  local pid
  # (not `kill && wait`: wait reports the SIGTERM, and set -e would end the trap there)
  for pid in "${REG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${REG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
