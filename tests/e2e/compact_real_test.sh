#!/usr/bin/env bash
# `whittle compact` end to end on real images (tests/data/make_compact_images.sh
# plus the whittle-test images of make_real_images.sh):
#   - the output is accepted by `skopeo inspect` and `skopeo copy`, and by
#     `umoci unpack`;
#   - umoci-unpacked rootfs of input and output are identical: `diff -r` plus
#     a listing of every path's type, mode, owner, link target and hard-link
#     group;
#   - base layers keep their digests; the image that has no dead bytes is
#     written as it is and the report says so; an existing output is refused;
#     a failing run leaves nothing behind.
#
#   compact_real_test.sh WHITTLE COMPACT_FIXTURES REAL_IMAGES
set -euo pipefail
WHITTLE=$1
FIX=$2
REAL=$3
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Every path's type, mode, owner, size, link target, and which paths share an
# inode (hard links), relative to the rootfs; device numbers too.
listing() {
  (cd "$1" && find . -printf '%p %y %#m %U:%G %s %l\n' | sort) >"$2.meta"
  (cd "$1" && find . -type f -links +1 -printf '%i %p\n' | sort -k1,1 | awk '{g[$1]=g[$1]" "$2} END {for (i in g) print g[i]}' |
    sort) >"$2.links"
}

# unpack LAYOUT:REF DIR
unpack() {
  umoci unpack --image "$1" "$2" >/dev/null 2>"$T/umoci.err" || {
    cat "$T/umoci.err" >&2
    fail "umoci unpack $1"
  }
}

# check NAME INPUT_OCI_REF [compact flags...]: compact, inspect, unpack, compare.
check() {
  local name=$1 input=$2
  shift 2
  local out="$T/$name-out"
  "$WHITTLE" compact "$input" -o "oci:$out:latest" "$@" >"$T/$name.txt" || fail "$name: compact failed"
  cat "$T/$name.txt"
  skopeo inspect "oci:$out:latest" >"$T/$name.inspect.json" || fail "$name: skopeo inspect refused the output"
  skopeo copy -q "oci:$out:latest" "dir:$T/$name-copy" || fail "$name: skopeo copy refused the output"
  local in_layout=${input#oci:}
  unpack "$in_layout" "$T/$name-in"
  if [[ " $* " == *" zstd "* ]]; then
    # umoci 0.4 reads no zstd layers: unpack a gzip copy made by skopeo.
    skopeo copy -q --dest-compress-format gzip "oci:$out:latest" "oci:$T/$name-gz:latest" ||
      fail "$name: skopeo could not recompress the zstd output"
    unpack "$T/$name-gz:latest" "$T/$name-outb"
  else
    unpack "$out:latest" "$T/$name-outb"
  fi
  diff -r --no-dereference "$T/$name-in/rootfs" "$T/$name-outb/rootfs" || fail "$name: rootfs differ (diff -r)"
  listing "$T/$name-in/rootfs" "$T/$name-in"
  listing "$T/$name-outb/rootfs" "$T/$name-outb"
  diff "$T/$name-in.meta" "$T/$name-outb.meta" || fail "$name: types/modes/owners/links differ"
  diff "$T/$name-in.links" "$T/$name-outb.links" || fail "$name: hard-link groups differ"
  # Base layers keep their digests: the first N layers of input and output.
  local n
  n=$("$WHITTLE" compact "$input" -o "oci:$T/$name-json" --json "$@" | tee "$T/$name.json" | jq '[.layers[] | select(.action=="kept")] | length')
  local in_digests out_digests
  in_digests=$(skopeo inspect "$input" | jq -r ".Layers[0:$n][]")
  out_digests=$(jq -r ".Layers[0:$n][]" "$T/$name.inspect.json")
  [[ "$in_digests" == "$out_digests" ]] || fail "$name: base layer digests changed"
  # The two runs wrote the same bytes (output independent of scheduling).
  diff <(skopeo inspect "oci:$T/$name-json" | jq -r '.Layers[]') <(jq -r '.Layers[]' "$T/$name.inspect.json") ||
    fail "$name: two runs wrote different layers"
  echo "ok: $name ($n base layers kept)"
}

check app "oci:$FIX/app:latest"
jq -e '.base_layers == 2 and .nothing_dropped == false and .after.tar_size < .before.tar_size' "$T/app.json" >/dev/null ||
  fail "app: expected 2 base layers and fewer tar bytes"
jq -e '[.layers[] | select(.action=="added")] | length == 1' "$T/app.json" >/dev/null || fail "app: one added layer"
# History: one squash entry, the ENV entries kept in place.
cfg=$(skopeo inspect --config "oci:$T/app-out:latest")
echo "$cfg" | jq -e '[.history[] | select(.empty_layer != true)] | length == 3' >/dev/null || fail "app: history layers"
echo "$cfg" | jq -e '.history[-1].created_by == "ENV LATE=1" and (.history[-2].created_by | startswith("whittle compact"))
                     and .history[-3].created_by == "/bin/sh -c #(nop) ENV GREETING=hello"' >/dev/null ||
  fail "app: history entries out of place"
echo "$cfg" | jq -e '.rootfs.diff_ids | length == 3' >/dev/null || fail "app: diff_ids"

check app-zstd "oci:$FIX/app:latest" --compress zstd
check app-none "oci:$FIX/app:latest" --compress none
check app-all "oci:$FIX/app:latest" --base-layers 0
check app-keep2 "oci:$FIX/app:latest" --keep 2 -j 3
jq -e '[.layers[] | select(.action=="added")] | length == 2' "$T/app-keep2.json" >/dev/null || fail "app-keep2: two added layers"
skopeo inspect --config "oci:$T/app-keep2-out:latest" |
  jq -e '([.history[] | select(.created_by | startswith("whittle compact"))] | length == 2) and (.rootfs.diff_ids | length == 4)' \
    >/dev/null || fail "app-keep2: history/diff_ids"
# The blob does not depend on -j.
diff <(jq -r '.layers[] | select(.action=="added") | .digest' "$T/app.json") \
  <("$WHITTLE" compact "oci:$FIX/app:latest" -o "oci:$T/app-j1" -j 1 --json | jq -r '.layers[] | select(.action=="added") | .digest') ||
  fail "app: -j changed the blob"
check whittle-test "oci:$REAL/oci:whittle-test"
check umoci "oci:$REAL/umoci:latest"

# Nothing to compact: one layer above the base with no dead bytes.
check tidy "oci:$FIX/tidy:latest"
grep -q "nothing to compact" "$T/tidy.txt" || fail "tidy: should say nothing to compact"
diff <(skopeo inspect "oci:$FIX/tidy:latest" | jq -r '.Layers[]') <(jq -r '.Layers[]' "$T/tidy.inspect.json") ||
  fail "tidy: layers should be written as they are"
# Compacting a compacted image saves nothing more.
check again "oci:$T/app-out:latest"
grep -q "nothing to compact" "$T/again.txt" || fail "again: should say nothing to compact"

# docker-archive output from a docker-archive input.
"$WHITTLE" compact "docker-archive:$REAL/docker-archive.tar" -o "docker-archive:$T/da.tar:compacted:latest" >/dev/null ||
  fail "docker-archive: compact failed"
skopeo inspect "docker-archive:$T/da.tar" >/dev/null || fail "docker-archive: skopeo refused the output"
skopeo copy -q "docker-archive:$T/da.tar" "oci:$T/da-oci:latest" || fail "docker-archive: skopeo copy"
unpack "$T/da-oci:latest" "$T/da-unpacked"
unpack "$REAL/oci:whittle-test" "$T/da-ref"
diff -r --no-dereference "$T/da-ref/rootfs" "$T/da-unpacked/rootfs" || fail "docker-archive: rootfs differ"
echo "ok: docker-archive"

# podman load (containers/storage refuses a layer that names a path twice)
# and podman image tree, in a private vfs store.
"$WHITTLE" compact "oci:$FIX/app:latest" -o "docker-archive:$T/app.tar:compacted:latest" >/dev/null ||
  fail "app to docker-archive: compact failed"
P=(podman --root "$T/podman/root" --runroot "$T/podman/run" --storage-driver vfs)
"${P[@]}" load -q -i "$T/app.tar" >"$T/podman.out" 2>&1 || { cat "$T/podman.out" >&2; fail "podman load refused the output"; }
"${P[@]}" image tree localhost/compacted:latest >"$T/tree.txt" || fail "podman image tree"
grep -q "Layers" "$T/tree.txt" || fail "podman image tree: no layers listed"
"${P[@]}" rmi -a -f >/dev/null 2>&1 || true
echo "ok: podman load + image tree"

# Refusals: an existing output (the input itself too), and nothing left behind.
mkdir "$T/exists"
if "$WHITTLE" compact "oci:$FIX/app:latest" -o "oci:$T/exists" 2>"$T/err"; then fail "overwrote an existing dir"; fi
grep -q "already exists" "$T/err" || fail "existing output: wrong message: $(cat "$T/err")"
if "$WHITTLE" compact "oci:$FIX/app:latest" -o "oci:$FIX/app" 2>"$T/err"; then fail "overwrote the input"; fi
ls -a "$FIX" | grep -q whittle-compact && fail "staging directory left behind"
if "$WHITTLE" compact "oci:$FIX/app:latest" -o "oci:$T/nodir/x" 2>"$T/err"; then fail "wrote under a missing dir"; fi
[[ ! -e "$T/nodir" ]] || fail "created a missing parent"
ls -a "$T" | grep -q whittle-compact && fail "staging directory left behind"
echo "all compact checks passed"
