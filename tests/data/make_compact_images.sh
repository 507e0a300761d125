#!/usr/bin/env bash
# Builds the images `whittle compact` is tested on (tests/e2e/compact_real_test.sh)
# into OUT_DIR, with real producers:
#
#   base/    oci:, ref "latest": a buildah FROM-scratch image (busybox, its
#            applet symlinks, /srv/opq/*) ending with CMD, as base images do
#   app/     oci:, ref "latest": FROM that base (buildah --layers) with RUN steps
#            that overwrite, delete (files, a whole directory, a base file),
#            hard-link, symlink and re-point links, change a file's mode and
#            owner in a later layer, mknod a device (when mknod works), plus
#            one layer added by `umoci raw add-layer` from GNU tar holding an
#            opaque marker over a base directory, then ENV
#   tidy/    oci:, ref "latest": FROM the base, one RUN that leaves no dead
#            bytes (compacting it saves nothing)
#
# Needs buildah (chroot isolation, vfs), umoci, skopeo, GNU tar, busybox-static.
# Idempotent: a stamp holding this script's hash skips the rebuild.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SELF_HASH=$(sha256sum "$HERE/$(basename "$0")" | cut -d' ' -f1)
STAMP="$OUT/.stamp"
if [[ -f "$STAMP" ]] && grep -q "^hash=$SELF_HASH\$" "$STAMP"; then
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK="$OUT/.work"
mkdir -p "$WORK/base" "$WORK/app" "$WORK/tidy"
cp /bin/busybox "$WORK/base/busybox"

cat >"$WORK/base/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /srv/opq /etc && echo base > /srv/opq/basefile && echo keep > /srv/opq/other && echo root:x:0:0::/root:/bin/sh > /etc/passwd"]
CMD ["/bin/sh"]
DOCKERFILE

cat >"$WORK/app/Dockerfile" <<'DOCKERFILE'
FROM localhost/compact-base:latest
RUN mkdir -p /data/dir/sub && echo one > /data/a.txt && echo two > /data/dir/b.txt && echo three > /data/dir/sub/c.txt && dd if=/dev/zero of=/data/big bs=1024 count=256 2>/dev/null && echo shared > /data/h1 && ln /data/h1 /data/h2 && ln -s a.txt /data/link && echo mode > /data/mode.txt && chmod 644 /data/mode.txt
RUN echo overwritten > /data/a.txt && rm -rf /data/dir && rm /data/big && chmod 600 /data/mode.txt && chown 1000:1000 /data/mode.txt && ln -sf h1 /data/link && rm /etc/passwd && echo again > /data/a.txt && ln /data/h1 /data/h3
RUN (mknod /data/null c 1 3 || true) && chmod 4755 /data/h1 && mkdir -p /data/later && echo later > /data/later/x && rm -rf /data/later
ENV GREETING=hello
DOCKERFILE

cat >"$WORK/tidy/Dockerfile" <<'DOCKERFILE'
FROM localhost/compact-base:latest
RUN mkdir -p /app && echo tidy > /app/only.txt
DOCKERFILE

BOPTS=(--storage-driver vfs --root "$WORK/storage" --runroot "$WORK/run")
STORE="containers-storage:[vfs@$WORK/storage+$WORK/run]"
bud() { buildah "${BOPTS[@]}" bud --quiet --isolation chroot --layers -t "$1" "$2" >/dev/null; }
bud localhost/compact-base:latest "$WORK/base"
bud localhost/compact-app:latest "$WORK/app"
bud localhost/compact-tidy:latest "$WORK/tidy"
skopeo copy -q "${STORE}localhost/compact-base:latest" "oci:$OUT/base:latest"
skopeo copy -q "${STORE}localhost/compact-app:latest" "oci:$OUT/app:latest"
skopeo copy -q "${STORE}localhost/compact-tidy:latest" "oci:$OUT/tidy:latest"

# A layer no builder on this machine makes: an opaque marker over a base
# directory (its lower files disappear, one new file appears), written by
# GNU tar, then ENV after it.
L="$WORK/opq-layer"
mkdir -p "$L/srv/opq"
: >"$L/srv/opq/.wh..wh..opq"
echo fresh >"$L/srv/opq/fresh"
tar -C "$L" --owner=0 --group=0 --numeric-owner -cf "$WORK/opq.tar" srv
umoci raw add-layer --image "$OUT/app:latest" --history.created_by "opaque /srv/opq (GNU tar)" "$WORK/opq.tar"
umoci config --image "$OUT/app:latest" --history.created_by "ENV LATE=1" --config.env LATE=1
umoci gc --layout "$OUT/app"

chmod -R u+w "$WORK" 2>/dev/null || true
rm -rf "$WORK"
printf 'hash=%s\n' "$SELF_HASH" >"$STAMP"
