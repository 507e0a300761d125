#!/usr/bin/env bash
# Builds tiny container images with real producers (buildah, skopeo, umoci)
# into OUT_DIR, for the image module's tests (src/image/real_images_test.cc).
#
#   tests/data/make_real_images.sh OUT_DIR
#
# One image ("whittle-test") is built from a FROM-scratch Dockerfile that
# copies Debian's static busybox in and RUNs busybox sh steps that create,
# overwrite and delete files (including an `rm -rf` of a directory). skopeo
# then writes that same image in every transport whittle reads:
#
#   docker-archive.tar   docker-archive: (skopeo's docker save format)
#   oci/                 oci: layout, gzip layers, ref "whittle-test"
#   oci-archive.tar      oci-archive:, ref "whittle-test"
#   dir/                 dir: (skopeo's own layout), uncompressed layers
#   oci-zstd/            oci: layout with zstd layers
#   oci-uncompressed/    oci: layout with uncompressed layers
#   docker25.tar         Docker 25+ `docker save` shape: the uncompressed OCI
#                        layout plus a manifest.json pointing into blobs/
#   umoci/               the oci/ layout with one more layer added by
#                        `umoci unpack` + `umoci repack` (ref "latest")
#   multi/               one OCI layout holding two images: refs "first"
#                        (whittle-test) and "second" (whittle-small)
#
# If buildah cannot build here, the same file tree is built with umoci alone
# (init/new/unpack/repack per step) and BUILDER in the stamp says "umoci".
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

BUSYBOX=/bin/busybox
# Capture first: with pipefail, `busybox | grep -q` fails when grep exits
# early and busybox dies of SIGPIPE.
BUSYBOX_BANNER=$("$BUSYBOX" 2>&1 || true)
if [[ "$BUSYBOX_BANNER" != *BusyBox* ]]; then
  echo "$0: $BUSYBOX is not busybox (install busybox-static)" >&2
  exit 1
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then  # ldd fails on static binaries
  echo "$0: $BUSYBOX is not statically linked (install busybox-static)" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK="$OUT/.work"
mkdir -p "$WORK/ctx" "$WORK/ctx-small"
cp "$BUSYBOX" "$WORK/ctx/busybox"
cp "$BUSYBOX" "$WORK/ctx-small/busybox"

cat >"$WORK/ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /data/dir/sub && echo one > /data/a.txt && echo two > /data/dir/b.txt && echo three > /data/dir/sub/c.txt && echo keep > /data/keep.txt"]
RUN ["/bin/busybox", "sh", "-c", "echo overwritten > /data/a.txt && /bin/busybox rm -rf /data/dir && /bin/busybox rm /data/keep.txt"]
ENV GREETING=hello
EOF
cat >"$WORK/ctx-small/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
EOF

BUILDER=buildah
STORE="vfs@$WORK/storage+$WORK/run"
build_with_buildah() {
  local bopts=(--storage-driver vfs --root "$WORK/storage" --runroot "$WORK/run")
  buildah "${bopts[@]}" bud --quiet --isolation chroot --layers \
    -t localhost/whittle-test:latest "$WORK/ctx" >/dev/null &&
    buildah "${bopts[@]}" bud --quiet --isolation chroot --layers \
      -t localhost/whittle-small:latest "$WORK/ctx-small" >/dev/null
}

# Fallback: the same steps with umoci, applied to the unpacked rootfs from
# the host side (umoci cannot RUN). Produces oci:$WORK/umoci-src:{test,small}.
build_with_umoci() {
  local L="$WORK/umoci-src" B="$WORK/bundle"
  rm -rf "$L" "$B"
  umoci init --layout "$L"
  umoci new --image "$L:test"
  step() {  # step CREATED_BY CMDS...
    local by=$1
    shift
    rm -rf "$B"
    umoci unpack --image "$L:test" "$B" >/dev/null
    (cd "$B/rootfs" && "$@")
    umoci repack --history.created_by "$by" --image "$L:test" "$B" >/dev/null
  }
  step "COPY busybox /bin/busybox" sh -c "mkdir -p bin && cp '$BUSYBOX' bin/busybox"
  umoci tag --image "$L:test" small
  step "RUN /bin/busybox sh -c /bin/busybox mkdir -p /data/dir/sub && echo ..." sh -c 'mkdir -p data/dir/sub && echo one > data/a.txt && echo two > data/dir/b.txt && echo three > data/dir/sub/c.txt && echo keep > data/keep.txt'
  step "RUN /bin/busybox sh -c echo overwritten > /data/a.txt && /bin/busybox rm -rf /data/dir && ..." sh -c 'echo overwritten > data/a.txt && rm -rf data/dir && rm data/keep.txt'
  umoci config --history.created_by "ENV GREETING=hello" --image "$L:test" --config.env GREETING=hello
}

if build_with_buildah 2>"$WORK/buildah.err"; then
  SRC="containers-storage:[$STORE]localhost/whittle-test:latest"
  SRC_SMALL="containers-storage:[$STORE]localhost/whittle-small:latest"
else
  echo "$0: buildah failed, building with umoci instead:" >&2
  cat "$WORK/buildah.err" >&2
  BUILDER=umoci
  build_with_umoci
  # umoci writes gzip layers; go through uncompressed dir: copies so every
  # output has the compression it has when the source is buildah's storage.
  skopeo copy -q --dest-decompress "oci:$WORK/umoci-src:test" "dir:$WORK/plain-test"
  skopeo copy -q --dest-decompress "oci:$WORK/umoci-src:small" "dir:$WORK/plain-small"
  SRC="dir:$WORK/plain-test"
  SRC_SMALL="dir:$WORK/plain-small"
fi

cp_img() { skopeo copy -q "$@"; }
cp_img "$SRC" "docker-archive:$OUT/docker-archive.tar:whittle-test:latest"
cp_img "$SRC" "oci:$OUT/oci:whittle-test"
cp_img "$SRC" "oci-archive:$OUT/oci-archive.tar:whittle-test"
cp_img --dest-decompress "$SRC" "dir:$OUT/dir"
cp_img --dest-compress-format zstd "$SRC" "oci:$OUT/oci-zstd:whittle-test"
cp_img --dest-oci-accept-uncompressed-layers "$SRC" "oci:$OUT/oci-uncompressed:whittle-test"
cp_img "$SRC" "oci:$OUT/multi:first"
cp_img "$SRC_SMALL" "oci:$OUT/multi:second"

# Docker 25+ `docker save`: an OCI layout (uncompressed layers) plus a legacy
# manifest.json whose Config/Layers point into blobs/sha256/.
D25="$WORK/docker25"
cp -r "$OUT/oci-uncompressed" "$D25"
mdigest=$(jq -r '.manifests[0].digest' "$D25/index.json")
mblob="$D25/blobs/sha256/${mdigest#sha256:}"
jq -c '[{Config: ("blobs/sha256/" + (.config.digest | ltrimstr("sha256:"))),
          RepoTags: ["whittle-test:latest"],
          Layers: [.layers[].digest | "blobs/sha256/" + ltrimstr("sha256:")]}]' \
  "$mblob" >"$D25/manifest.json"
jq -c '.manifests[0].annotations = {"io.containerd.image.name": "docker.io/library/whittle-test:latest",
                                    "org.opencontainers.image.ref.name": "latest"}' \
  "$D25/index.json" >"$D25/index.json.new"
mv "$D25/index.json.new" "$D25/index.json"
tar -C "$D25" --sort=name --owner=0 --group=0 --numeric-owner -cf "$OUT/docker25.tar" \
  blobs index.json manifest.json oci-layout

# umoci: add one layer on top of the gzip layout (unpack, change, repack).
cp -r "$OUT/oci" "$OUT/umoci"
umoci tag --image "$OUT/umoci:whittle-test" latest
umoci rm --image "$OUT/umoci:whittle-test"
rm -rf "$WORK/ubundle"
umoci unpack --image "$OUT/umoci:latest" "$WORK/ubundle" >/dev/null
echo "added by umoci" >"$WORK/ubundle/rootfs/data/umoci.txt"
rm -f "$WORK/ubundle/rootfs/data/a.txt"
umoci repack --history.created_by "umoci repack: add /data/umoci.txt, remove /data/a.txt" \
  --history.author whittle-tests --image "$OUT/umoci:latest" "$WORK/ubundle" >/dev/null
umoci gc --layout "$OUT/umoci"

# The storage holds root-owned copies of every layer; only the outputs stay.
chmod -R u+w "$WORK" 2>/dev/null || true
rm -rf "$WORK"
printf 'hash=%s\nbuilder=%s\n' "$SELF_HASH" "$BUILDER" >"$STAMP"
