# shellcheck shell=bash
# Sourced by the whittle scan e2e tests (tests/e2e/fleet_scan*_test.sh),
# which run under `set -euo pipefail`:
#
#   fleet_args "EXTRA..." "$@"
#       takes the test's arguments, WHITTLE EXPLAIN_IMAGES_DIR WORK_DIR and
#       then one per name in EXTRA (e.g. "PG_DIR"; "" for none), and sets
#       WHITTLE (absolute), IMAGES, OUT and SRC (the source tree) and the
#       array EXTRA_ARGS; a wrong count is the usage line and exit 2.
#   fleet_start
#       empties OUT, starts Debian's docker-registry on a free loopback port
#       (tests/support/registry_lib.sh: storage in OUT/registry-data, access
#       log in OUT/registry.log, PID in OUT/registry.pid; an EXIT trap stops
#       it) and pushes the 50 fleet images (tests/support/make_fleet_images.py:
#       fleet/svc-00..24:v1,v2 over the explain fixture's app and base-slim
#       images; "REFERENCE DIGEST" lines in OUT/pushed.txt). Sets REG
#       (127.0.0.1:PORT) and W, the `whittle scan --tls-verify=false` command
#       line. Exits 1 when a tool is missing or the push falls short.
#   check WHAT COMMAND...
#       runs COMMAND; when it fails, prints "FAIL: WHAT" and marks the test
#       failed, which goes on.
#   report DB FORMAT
#       prints `whittle scan --report` of the store DB.
#   fleet_finish NAME
#       the end: "NAME: ok", or "NAME: FAILED" and exit 1 after a failed check.

# shellcheck source=tests/support/registry_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/registry_lib.sh"

fleet_args() {
  local extra=$1
  shift
  local names=(WHITTLE EXPLAIN_IMAGES_DIR WORK_DIR)
  # shellcheck disable=SC2206
  names+=($extra)
  if [[ $# -ne ${#names[@]} ]]; then
    echo "usage: $0 ${names[*]}" >&2
    exit 2
  fi
  WHITTLE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  IMAGES=$2
  OUT=$3
  EXTRA_ARGS=("${@:4}")
  SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
}

fleet_start() {
  local tool
  for tool in docker-registry python3 curl; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
  done
  [[ -f $IMAGES/app.oci-archive.tar && -f $IMAGES/base-slim.oci-archive.tar ]] ||
    { echo "FAIL: fixture images missing in $IMAGES" >&2; exit 1; }
  rm -rf "$OUT"
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  FLEET_FAILED=0
  trap 'stop_registries "$OUT"' EXIT
  start_registry "$OUT" registry || exit 1
  REG=127.0.0.1:$REGISTRY_PORT
  python3 "$SRC/tests/support/make_fleet_images.py" "$REG" "$IMAGES/app.oci-archive.tar" \
    "$IMAGES/base-slim.oci-archive.tar" >"$OUT/pushed.txt"
  if [[ $(wc -l <"$OUT/pushed.txt") -ne 50 ]]; then
    echo "FAIL: the fixture pushed $(wc -l <"$OUT/pushed.txt") images, want 50" >&2
    exit 1
  fi
  W=("$WHITTLE" scan --tls-verify=false)
}

check() {
  local what=$1
  shift
  if ! "$@"; then
    echo "FAIL: $what" >&2
    FLEET_FAILED=1
  fi
}

report() { "${W[@]}" --report --db "$1" --format "$2"; }

fleet_finish() {
  if [[ $FLEET_FAILED -ne 0 ]]; then
    echo "$1: FAILED (outputs in $OUT)" >&2
    exit 1
  fi
  echo "$1: ok"
}
