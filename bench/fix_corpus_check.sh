#!/usr/bin/env bash
# Opt-in real-build check of `whittle fix` on the corpus (needs the images
# and the Driftwood context from ../shared/corpus/run-all.sh; ~6 minutes).
#   1. `whittle fix --write` the naive Driftwood Dockerfile, with the build
#      context the corpus builds it from ($CORPUS_OUT/driftwood/context);
#   2. rebuild it twice with `buildah bud --isolation chroot --layers`, the
#      corpus' own settings (lib.sh): A = the fixed Dockerfile, B = the
#      fixed Dockerfile plus the suggested .dockerignore;
#   3. check each image still contains the app: the C extension imports and
#      computes, and the HTTP service answers (as 20-driftwood.sh does);
#   4. export the naive image and both rebuilds with skopeo to docker-archive
#      tars in a temp dir, and check that `whittle waste` (reclaimable and
#      wasted bytes) and `whittle profile` (TAR and BLOB totals) report fewer
#      bytes than for the naive image.
# Prints the before/after table (docs/fix.md quotes it). Exits non-zero on
# any failure. KEEP=1 keeps the temp dir and the rebuilt images.
#   bench/fix_corpus_check.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(cd "${1:-$ROOT/build}" && pwd)/whittle
[[ -x $W ]] || { echo "build whittle first: $W" >&2; exit 2; }
CORPUS_DIR=${CORPUS_DIR:-}
for c in "$CORPUS_DIR" "$ROOT/../shared/corpus" "$ROOT/../../shared/corpus"; do
  [[ -n $c && -f $c/lib.sh ]] && { CORPUS_DIR=$(cd "$c" && pwd); break; }
done
[[ -f ${CORPUS_DIR:-}/lib.sh ]] || { echo "corpus scripts not found: set CORPUS_DIR" >&2; exit 2; }
# shellcheck source=/dev/null
source "$CORPUS_DIR/lib.sh"   # BUILDAH, CS, CORPUS_OUT, ISOLATION
CTX=$CORPUS_OUT/driftwood/context
NAIVE=localhost/corpus/driftwood:naive
[[ -d $CTX ]] || { echo "corpus context missing ($CTX): run $CORPUS_DIR/20-driftwood.sh" >&2; exit 2; }
"${BUILDAH[@]}" inspect --type image "$NAIVE" >/dev/null 2>&1 \
  || { echo "$NAIVE missing: run $CORPUS_DIR/20-driftwood.sh naive" >&2; exit 2; }

work=$(mktemp -d /tmp/whittle-fixcheck.XXXXXX)
TAG=localhost/whittle-fixcheck/driftwood
cleanup() {
  [[ -n ${KEEP:-} ]] && { echo "kept: $work, $TAG:fixed, $TAG:fixed-ignore" >&2; return; }
  "${BUILDAH[@]}" rmi "$TAG:fixed" "$TAG:fixed-ignore" >/dev/null 2>&1 || true
  "${BUILDAH[@]}" rmi --prune >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail=0

# 1. fix
cp "$CORPUS_DIR/driftwood/Dockerfile.naive" "$work/Dockerfile"
echo "== whittle fix --write (context $CTX)"
"$W" fix --write --context "$CTX" "$work/Dockerfile"
diff -u "$work/Dockerfile.orig" "$work/Dockerfile" > "$work/fix.diff" || true
"$W" lint --no-color --failure-threshold none --context "$CTX" "$work/Dockerfile.orig" > "$work/lint-before.txt"
"$W" lint --no-color --failure-threshold none --context "$CTX" "$work/Dockerfile" > "$work/lint-after.txt"
echo "lint findings: $(wc -l < "$work/lint-before.txt") before, $(wc -l < "$work/lint-after.txt") after"
[[ -s $work/Dockerfile.dockerignore.suggested ]] || { echo "FAIL: no .dockerignore suggestion" >&2; exit 1; }

# 2. rebuild: A in the corpus context as is, B in a copy with the suggestion
mkdir -p "$work/ctx-b" && cp -a "$CTX/." "$work/ctx-b/"
chmod -R u+w "$work/ctx-b"
cp "$work/Dockerfile.dockerignore.suggested" "$work/ctx-b/.dockerignore"
build() {  # $1 = tag, $2 = context
  local t0=$SECONDS
  if ! "${BUILDAH[@]}" bud --isolation "$ISOLATION" --layers --format docker \
      -f "$work/Dockerfile" -t "$1" "$2" > "$work/build-${1##*:}.log" 2>&1; then
    tail -30 "$work/build-${1##*:}.log" >&2
    echo "FAIL: buildah bud $1" >&2
    exit 1
  fi
  echo "built $1 in $((SECONDS - t0))s"
}
echo "== buildah bud"
build "$TAG:fixed" "$CTX"
build "$TAG:fixed-ignore" "$work/ctx-b"

# 3. the app is there and works (20-driftwood.sh's smoke test)
smoke() {  # $1 = image
  local c
  "${BUILDAH[@]}" rm whittle-fixcheck-smoke >/dev/null 2>&1 || true
  c=$("${BUILDAH[@]}" from --pull-never --name whittle-fixcheck-smoke "$1")
  if "${BUILDAH[@]}" run --isolation "$ISOLATION" --env HOST=127.0.0.1 --env PORT=18081 "$c" -- sh -c 'cd /
      python3 -I -c "import driftwood, zlib; d=b\"Wikipedia\"*1000; assert driftwood.adler32(d)==zlib.adler32(d); print(\"driftwood\", driftwood.__version__, driftwood._checksum.__file__)"
      python3 -m driftwood.server & pid=$!; sleep 1
      python3 -c "import urllib.request as u; print(u.urlopen(\"http://127.0.0.1:18081/healthz\").read().decode())"
      kill $pid' > "$work/smoke.txt" 2>&1 && grep -q '"ok": true' "$work/smoke.txt"; then
    echo "ok: $1 runs the app: $(head -1 "$work/smoke.txt")"
  else
    cat "$work/smoke.txt" >&2
    echo "FAIL: $1 does not run the app" >&2
    fail=1
  fi
  "${BUILDAH[@]}" rm "$c" >/dev/null
}
echo "== smoke tests"
smoke "$TAG:fixed"
smoke "$TAG:fixed-ignore"

# 4. measure
echo "== whittle waste / profile (docker-archive exports in $work)"
for img in "$NAIVE" "$TAG:fixed" "$TAG:fixed-ignore"; do
  skopeo copy -q "$CS$img" "docker-archive:$work/${img##*:}.tar:${img#localhost/}"
done
row() {  # $1 = label, $2 = archive
  local waste profile
  waste=$("$W" waste --json "$2" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reclaimableBytes"], d["wastedBytes"])')
  profile=$("$W" profile --json "$2" | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["tarSize"], t["blobSize"])')
  echo "$1 $waste $profile"
}
{
  row naive "$work/naive.tar"
  row fixed "$work/fixed.tar"
  row fixed+.dockerignore "$work/fixed-ignore.tar"
} > "$work/figures.txt"
layers() { "$W" history --json "$1" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if not r["emptyLayer"]))'; }
python3 - "$work/figures.txt" "$(layers "$work/naive.tar")" "$(layers "$work/fixed.tar")" "$(layers "$work/fixed-ignore.tar")" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
layers = sys.argv[2:]
def mib(n): return f"{int(n) / 2**20:8.1f} MiB"
print(f"{'image':22} {'layers':>6} {'reclaimable':>12} {'wasted':>12} {'TAR total':>12} {'BLOB total':>12}")
for (name, rec, wasted, tar, blob), n in zip(rows, layers):
    print(f"{name:22} {n:>6} {mib(rec)} {mib(wasted)} {mib(tar)} {mib(blob)}")
base = rows[0]
for r in rows[1:]:
    print(f"{r[0]}: " + ", ".join(f"{k} {100 * (int(r[i]) - int(base[i])) / int(base[i]):+.1f}%"
          for k, i in (("reclaimable", 1), ("wasted", 2), ("TAR", 3), ("BLOB", 4))))
PY
read -r _ b_rec b_wasted b_tar b_blob < <(head -1 "$work/figures.txt")
while read -r name rec wasted tar blob; do
  [[ $name == naive ]] && continue
  for pair in "reclaimable $rec $b_rec" "wasted $wasted $b_wasted" "TAR $tar $b_tar" "BLOB $blob $b_blob"; do
    set -- $pair
    if (( $2 < $3 )); then echo "ok: $name $1 bytes fewer ($2 < $3)"; else echo "FAIL: $name $1 bytes not fewer ($2 >= $3)" >&2; fail=1; fi
  done
done < "$work/figures.txt"
exit $fail
