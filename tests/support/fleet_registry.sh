# shellcheck shell=bash
# Sourced by the whittle scan e2e tests (tests/e2e/fleet_scan*_test.sh):
#
#   start_fleet_registry OUT IMAGES_DIR
#
# starts Debian's docker-registry on a free loopback port
# (tests/support/registry_lib.sh: storage in OUT/registry-data, access log
# in OUT/registry.log, PID in OUT/registry.pid) and pushes the 50
# fleet images (tests/support/make_fleet_images.py: fleet/svc-00..24:v1,v2
# over the explain fixture's app and base-slim images; "REFERENCE DIGEST"
# lines in OUT/pushed.txt). Sets REG (127.0.0.1:PORT) and REG_PID; the
# caller kills REG_PID on exit. Exits 1 when a tool is missing or the push
# falls short.
# shellcheck source=tests/support/registry_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/registry_lib.sh"

start_fleet_registry() {
  local out=$1 images=$2 src tool
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  for tool in docker-registry python3 curl; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
  done
  [[ -f $images/app.oci-archive.tar && -f $images/base-slim.oci-archive.tar ]] ||
    { echo "FAIL: fixture images missing in $images" >&2; exit 1; }
  start_registry "$out" registry || exit 1
  REG_PID=$REGISTRY_PID
  REG=127.0.0.1:$REGISTRY_PORT
  python3 "$src/tests/support/make_fleet_images.py" "$REG" "$images/app.oci-archive.tar" \
    "$images/base-slim.oci-archive.tar" >"$out/pushed.txt"
  if [[ $(wc -l <"$out/pushed.txt") -ne 50 ]]; then
    echo "FAIL: the fixture pushed $(wc -l <"$out/pushed.txt") images, want 50" >&2
    exit 1
  fi
}
