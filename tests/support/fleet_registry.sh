# Sourced by the whittle scan e2e tests (tests/e2e/fleet_scan*_test.sh):
#
#   start_fleet_registry OUT IMAGES_DIR
#
# starts Debian's docker-registry on a free loopback port (storage in
# OUT/registry-data, access log in OUT/registry.log) and pushes the 50
# fleet images (tests/support/make_fleet_images.py: fleet/svc-00..24:v1,v2
# over the explain fixture's app and base-slim images; "REFERENCE DIGEST"
# lines in OUT/pushed.txt). Sets REG (127.0.0.1:PORT) and REG_PID; the
# caller kills REG_PID on exit. Exits 1 when a tool is missing or the push
# falls short.
start_fleet_registry() {
  local out=$1 images=$2 src port tool
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  for tool in docker-registry python3 curl; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
  done
  [[ -f $images/app.oci-archive.tar && -f $images/base-slim.oci-archive.tar ]] ||
    { echo "FAIL: fixture images missing in $images" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$out/registry.yml" <<YML
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $out/registry-data
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$out/registry.yml" >"$out/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true) == 200 ]] && break
    sleep 0.1
  done
  REG=127.0.0.1:$port
  python3 "$src/tests/support/make_fleet_images.py" "$REG" "$images/app.oci-archive.tar" \
    "$images/base-slim.oci-archive.tar" >"$out/pushed.txt"
  if [[ $(wc -l <"$out/pushed.txt") -ne 50 ]]; then
    echo "FAIL: the fixture pushed $(wc -l <"$out/pushed.txt") images, want 50" >&2
    exit 1
  fi
}
