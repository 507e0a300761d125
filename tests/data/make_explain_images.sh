#!/usr/bin/env bash
# Builds the images `whittle explain`'s end-to-end test reads
# (tests/e2e/explain_cli_test.cc), with buildah from real Dockerfiles and
# real dpkg databases:
#
#   tests/data/make_explain_images.sh OUT_DIR
#
# Packages are tiny .debs built with dpkg-deb and installed with dpkg --root
# into the rootfs the Dockerfiles COPY, with apt's extended_states marking
# the automatically installed ones, so every finding has its facts:
#
#   base-full   busybox, whittle-base-tool (runtime, 9 MiB), libwhittle-dev
#               (headers and a static library: toolchain)
#   base-slim   busybox, whittle-base-tool
#   app         FROM base-full: apt lists stored then deleted, vim + its
#               auto-installed vim-common (debugging tools), whittle-app-lib
#               with a recommended-only whittle-extra, COPY . of a context
#               with tests/, notes/ and .env, a scratch file deleted later
#
# Outputs: app.oci-archive.tar, base-slim.oci-archive.tar, Dockerfile (the
# app's, for --dockerfile). Needs buildah, skopeo, dpkg-deb, busybox-static.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SELF_HASH=$(sha256sum "$HERE/$(basename "$0")" | cut -d' ' -f1)
if [[ -f "$OUT/.stamp" ]] && grep -q "^hash=$SELF_HASH\$" "$OUT/.stamp"; then
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK="$OUT/.work"
mkdir -p "$WORK"
LOG="$WORK/log.txt"
trap 'echo "$0: failed; log:" >&2; tail -40 "$LOG" >&2' ERR

make_deb() {  # NAME DEPENDS RECOMMENDS, files from $WORK/deb/NAME/
  local name=$1 depends=$2 recommends=$3 dir="$WORK/deb/$1"
  mkdir -p "$dir/DEBIAN"
  {
    echo "Package: $name"
    echo "Version: 1.0-1"
    echo "Architecture: all"
    echo "Maintainer: whittle tests <tests@example.invalid>"
    echo "Priority: optional"
    [[ -n "$depends" ]] && echo "Depends: $depends"
    [[ -n "$recommends" ]] && echo "Recommends: $recommends"
    echo "Description: whittle explain test package $name"
  } >"$dir/DEBIAN/control"
  dpkg-deb --root-owner-group --build "$dir" "$WORK/deb/$name.deb" >>"$LOG" 2>&1
}
blob() {  # FILE KIB: incompressible bytes
  mkdir -p "$(dirname "$1")"
  head -c "$(($2 * 1024))" /dev/urandom >"$1"
}
blob "$WORK/deb/whittle-base-tool/usr/lib/whittle/base.dat" 9216
make_deb whittle-base-tool "" ""
blob "$WORK/deb/libwhittle-dev/usr/include/whittle/whittle.h" 512
blob "$WORK/deb/libwhittle-dev/usr/lib/x86_64-linux-gnu/libwhittle.a" 1536
make_deb libwhittle-dev "" ""
blob "$WORK/deb/vim/usr/bin/vim.basic" 700
make_deb vim "vim-common" ""
blob "$WORK/deb/vim-common/usr/share/vim/vim90/syntax.dat" 400
make_deb vim-common "" ""
blob "$WORK/deb/whittle-app-lib/usr/lib/whittle/app.so" 300
make_deb whittle-app-lib "" "whittle-extra"
blob "$WORK/deb/whittle-extra/usr/lib/whittle/extra.dat" 200
make_deb whittle-extra "" ""

DPKG_OPTS=(--log=/dev/null --force-script-chrootless --force-not-root)
new_root() {  # DIR: an empty dpkg root with busybox
  mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/lib/apt" "$1/bin" "$1/tmp"
  touch "$1/var/lib/dpkg/status"
  cp /bin/busybox "$1/bin/busybox"
  ln -s busybox "$1/bin/sh"
}
# The two bases.
new_root "$WORK/full"
dpkg --root="$WORK/full" "${DPKG_OPTS[@]}" -i "$WORK/deb/whittle-base-tool.deb" "$WORK/deb/libwhittle-dev.deb" >>"$LOG" 2>&1
new_root "$WORK/slim"
dpkg --root="$WORK/slim" "${DPKG_OPTS[@]}" -i "$WORK/deb/whittle-base-tool.deb" >>"$LOG" 2>&1
# The app's packages, installed over a copy of the full base; the files
# the install changed or added are what the app's COPY brings.
cp -a "$WORK/full" "$WORK/app-root"
dpkg --root="$WORK/app-root" "${DPKG_OPTS[@]}" -i "$WORK/deb/vim-common.deb" "$WORK/deb/vim.deb" \
  "$WORK/deb/whittle-extra.deb" "$WORK/deb/whittle-app-lib.deb" >>"$LOG" 2>&1
printf 'Package: vim-common\nArchitecture: all\nAuto-Installed: 1\n\nPackage: whittle-extra\nArchitecture: all\nAuto-Installed: 1\n' \
  >"$WORK/app-root/var/lib/apt/extended_states"
mkdir -p "$WORK/ctx-app/pkgroot"
(cd "$WORK/app-root" && cp -a --parents var/lib/dpkg var/lib/apt usr/bin/vim.basic usr/share/vim usr/lib/whittle/app.so \
  usr/lib/whittle/extra.dat "$WORK/ctx-app/pkgroot/")
# The app's build context: the app, and what a .dockerignore would drop.
mkdir -p "$WORK/ctx-app/src" "$WORK/ctx-app/tests" "$WORK/ctx-app/notes"
echo 'print("hello")' >"$WORK/ctx-app/src/app.py"
blob "$WORK/ctx-app/tests/fixture.bin" 600
blob "$WORK/ctx-app/notes/dev.log" 300
echo 'API_TOKEN=not-a-real-secret' >"$WORK/ctx-app/.env"

for variant in full slim; do
  mkdir -p "$WORK/ctx-$variant"
  cp -a "$WORK/$variant" "$WORK/ctx-$variant/rootfs"
  printf 'FROM scratch\nCOPY rootfs/ /\nCMD ["/bin/sh"]\n' >"$WORK/ctx-$variant/Dockerfile"
done
cat >"$OUT/Dockerfile" <<'DOCKERFILE'
FROM localhost/whittle-xb-full:1
RUN mkdir -p /var/lib/apt/lists && head -c 1572864 /dev/urandom > /var/lib/apt/lists/deb.debian.org_Packages
COPY pkgroot/ /
WORKDIR /app
COPY . /app
RUN head -c 2097152 /dev/urandom > /tmp/scratch.bin
RUN rm -rf /tmp/scratch.bin /var/lib/apt/lists/*
CMD ["/bin/sh", "-c", "cat /app/src/app.py"]
DOCKERFILE
cp "$OUT/Dockerfile" "$WORK/ctx-app/Dockerfile"
printf 'Dockerfile\npkgroot\n' >"$WORK/ctx-app/.dockerignore.unused"

B=(buildah --storage-driver vfs --root "$WORK/storage" --runroot "$WORK/run")
"${B[@]}" bud --quiet --isolation chroot --layers -t localhost/whittle-xb-full:1 "$WORK/ctx-full" >>"$LOG" 2>&1
"${B[@]}" bud --quiet --isolation chroot --layers -t localhost/whittle-xb-slim:1 "$WORK/ctx-slim" >>"$LOG" 2>&1
"${B[@]}" bud --quiet --isolation chroot --layers -t localhost/whittle-xb-app:1 "$WORK/ctx-app" >>"$LOG" 2>&1
STORE="containers-storage:[vfs@$WORK/storage+$WORK/run]"
skopeo copy -q "${STORE}localhost/whittle-xb-app:1" "oci-archive:$OUT/app.oci-archive.tar" >>"$LOG" 2>&1
skopeo copy -q "${STORE}localhost/whittle-xb-slim:1" "oci-archive:$OUT/base-slim.oci-archive.tar" >>"$LOG" 2>&1
rm -rf "$WORK"
echo "hash=$SELF_HASH" >"$OUT/.stamp"
