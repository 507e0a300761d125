#!/usr/bin/env bash
# A full disk (issue 14, "Faults and signals"):
#
#   tests/e2e/full_disk_test.sh WHITTLE WORK_DIR
#
# ci --junit, report -o and compact -o write into a tiny tmpfs that is full:
# each must fail with exit 2 and one stderr line naming the output and
# saying "No space left on device", leave the old file byte-identical
# (compact never replaces one: its output must not appear) and leave no
# .whittle-* temporary file or directory.
#
# Mounting needs root (CI runs as root); the mount lives in a private mount
# namespace (unshare --mount), so nothing leaks if the test dies. Without
# root the test fails: it must not pass without having run.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 WHITTLE WORK_DIR" >&2
  exit 2
fi
WHITTLE=$1
OUT=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if [[ -z ${WHITTLE_FULL_DISK_NS:-} ]]; then
  [[ $(id -u) == 0 ]] || fail "must run as root (it mounts a small tmpfs to fill); CI runs as root"
  command -v unshare >/dev/null || fail "unshare is missing (util-linux)"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  exec env WHITTLE_FULL_DISK_NS=1 unshare --mount --propagation private bash "$0" "$@"
fi

IMG=$SRC/tests/data/dive/test-docker-image.tar
[[ -f $IMG ]] || fail "missing $IMG"
export HOME=$OUT/home XDG_CACHE_HOME=$OUT/xdg
FULL=$OUT/full
mkdir -p "$FULL"
mount -t tmpfs -o size=256k,mode=0755 whittle-full "$FULL" || fail "cannot mount a tmpfs on $FULL"
trap 'umount "$FULL" 2>/dev/null || true' EXIT

printf '%s' "<testsuites><!-- the old report --></testsuites>" >"$FULL/junit.xml"
printf '%s' "<p>the old page</p>" >"$FULL/report.html"
cp "$FULL/junit.xml" "$OUT/junit.xml.pristine"
cp "$FULL/report.html" "$OUT/report.html.pristine"
# Fill it: dd stops at ENOSPC.
dd if=/dev/zero of="$FULL/filler" bs=4k 2>/dev/null || true
[[ $(df --output=avail "$FULL" | tail -1) -eq 0 ]] || fail "the tmpfs is not full"

# check NAME RC WANT_ERR: exit 2, the exact stderr line, nothing left.
check() {
  local name=$1 rc=$2 want=$3
  [[ $rc == 2 ]] || fail "$name: exit $rc, expected 2; stderr: $(cat "$OUT/$name.err")"
  [[ $(cat "$OUT/$name.err") == "$want" ]] || fail "$name: stderr '$(cat "$OUT/$name.err")', expected '$want'"
  [[ $(wc -l <"$OUT/$name.err") == 1 ]] || fail "$name: more than one stderr line"
  local left
  left=$(find "$FULL" -name '.whittle-*')
  [[ -z $left ]] || fail "$name: left behind: $left"
  cmp -s "$FULL/junit.xml" "$OUT/junit.xml.pristine" || fail "$name: junit.xml was changed"
  cmp -s "$FULL/report.html" "$OUT/report.html.pristine" || fail "$name: report.html was changed"
  echo "ok: $name"
}

run() {
  local name=$1 rc=0
  shift
  "$WHITTLE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
  echo "$rc"
}

ENOSPC="No space left on device"
rc=$(run ci ci --no-cache --junit "$FULL/junit.xml" "$IMG")
check ci "$rc" "whittle: $FULL/junit.xml: write failed: $ENOSPC"
rc=$(run report report --no-cache -o "$FULL/report.html" "$IMG")
check report "$rc" "whittle: $FULL/report.html: write failed: $ENOSPC"
rc=$(run compact compact -o "oci:$FULL/out" "$IMG")
check compact "$rc" "whittle: $FULL/out: write failed: $ENOSPC"
[[ ! -e $FULL/out ]] || fail "compact: wrote $FULL/out"
rc=$(run compact-archive compact -o "docker-archive:$FULL/out.tar" "$IMG")
check compact-archive "$rc" "whittle: $FULL/out.tar: write failed: $ENOSPC"
[[ ! -e $FULL/out.tar ]] || fail "compact-archive: wrote $FULL/out.tar"

# The same runs succeed once there is room (the failures were the disk's).
rm "$FULL/filler"
rc=$(run ci-room ci --no-cache --junit "$FULL/junit.xml" "$IMG")
[[ $rc != 2 && -s $FULL/junit.xml ]] || fail "ci with room: exit $rc: $(cat "$OUT/ci-room.err")"
grep -c '<testsuite' "$FULL/junit.xml" >"$OUT/ci-room.count" || fail "ci with room: no JUnit written"
echo "ok: ci with room writes its JUnit"

echo "all full-disk checks passed"
