#!/usr/bin/env bash
# Builds a layered image whose files real package managers installed, for
# the `packages`/`kinds` data sources' end-to-end tests
# (tests/e2e/packages_cli_test.cc):
#
#   tests/data/make_pkg_images.sh PKG_FIXTURES_DIR OUT_DIR
#
# PKG_FIXTURES_DIR is the output of make_pkg_fixtures.sh (dpkg --root, rpm
# --root with an SQLite rpmdb, pip --target, npm install --offline). Each
# step below is one layer made by `umoci repack` from the changed rootfs,
# so whiteouts are umoci's own:
#
#   #1 dpkg         the dpkg root: whittle-hello, whittle-lib-dev installed
#   #2 languages    pip's site-packages under /usr/lib/python3/dist-packages,
#                   npm's /app/node_modules, rpm's root and rpmdb.sqlite
#   #3 purge        `dpkg --root --purge whittle-hello` run on the stacked
#                   rootfs: its files and its info/*.list become whiteouts,
#                   and the status file is rewritten
#   #4 unregistered a file copied in by hand (no database lists it)
#
# Outputs in OUT_DIR: oci/ (gzip layers, ref pkgs; ref before: layers #1-#2),
# docker-archive.tar,
# oci-zstd/ and expected.txt (the owner of each path, from dpkg-query -L,
# rpm -ql, pip's RECORD and npm ls, as make_pkg_fixtures.sh wrote them).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PKG_FIXTURES_DIR OUT_DIR" >&2
  exit 2
fi
FIX=$(cd "$1" && pwd)
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SELF_HASH=$( (sha256sum "$HERE/$(basename "$0")"; cat "$FIX/.stamp") | sha256sum | cut -d' ' -f1)
if [[ -f "$OUT/.stamp" ]] && grep -q "^hash=$SELF_HASH\$" "$OUT/.stamp"; then
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK="$OUT/.work"
L="$WORK/layout"
B="$WORK/bundle"
mkdir -p "$WORK"
umoci init --layout "$L"
umoci new --image "$L:pkgs"
step() {  # step CREATED_BY CMDS... (run in the rootfs)
  local by=$1
  shift
  rm -rf "$B"
  umoci unpack --image "$L:pkgs" "$B" >/dev/null
  (cd "$B/rootfs" && "$@")
  umoci repack --history.created_by "$by" --image "$L:pkgs" "$B" >/dev/null
}

step "RUN dpkg -i whittle-lib-dev.deb whittle-hello.deb" cp -a "$FIX/dpkg/root/." .
step "RUN pip install whittle-py && npm install && rpm -i whittle-rpm" sh -c "
  mkdir -p usr/lib/python3/dist-packages app &&
  cp -a '$FIX/pip/site/.' usr/lib/python3/dist-packages/ &&
  cp -a '$FIX/npm/app/.' app/ &&
  cp -a '$FIX/rpm/root/.' ."
umoci tag --image "$L:pkgs" before
step "RUN dpkg --purge whittle-hello" \
  dpkg --root=. --log=/dev/null --force-script-chrootless --force-not-root --purge whittle-hello
step "COPY tool /usr/local/bin/tool" sh -c "mkdir -p usr/local/bin && printf 'by hand\n' > usr/local/bin/tool"

skopeo copy -q "oci:$L:pkgs" "oci:$OUT/oci:pkgs"
skopeo copy -q "oci:$L:before" "oci:$OUT/oci:before"
skopeo copy -q "oci:$L:pkgs" "docker-archive:$OUT/docker-archive.tar:whittle-pkgs:latest"
skopeo copy -q --dest-compress-format zstd "oci:$L:pkgs" "oci:$OUT/oci-zstd:pkgs"
cp "$FIX/expected.txt" "$OUT/expected.txt"
# whittle-gone was removed, not purged: dpkg still lists its conffile.
dpkg-query --admindir="$FIX/dpkg/root/var/lib/dpkg" -L whittle-gone | sed 's|^|dpkg whittle-gone |' >>"$OUT/expected.txt"
rm -rf "$WORK"
echo "hash=$SELF_HASH" >"$OUT/.stamp"
