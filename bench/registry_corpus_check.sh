#!/usr/bin/env bash
# Not timing: the corpus images served by a local registry give the same
# numbers through docker:// as read from their exports (issue #9).
#
# Starts Debian's docker-registry on 127.0.0.1 (ephemeral port, storage in a
# temp dir, stopped by its PID at the end), pushes each image from the
# corpus' gzip OCI layout with skopeo (--preserve-digests), and runs
#   profile --json -n 0 -d layers,paths,waste | waste --json | history --json --scan
# on docker://, on oci: (the gzip layout) and on docker-archive: (the legacy
# `docker save` tar). docker:// must equal oci: exactly (same blobs); it must
# equal docker-archive: apart from the blob sizes and digests (that archive
# holds the layers uncompressed) and the order of rows sorted by blob size.
# Also plain `history --json` (no scan): only the scan-only fields
# (files, size, tarSize) may differ, and only as null from the registry.
# Prints one line per image and view with the seconds each source took;
# exits 1 on any other difference.
#
# usage: bench/registry_corpus_check.sh [path/to/whittle] [IMAGE...]
#   IMAGE: base-slim:bookworm driftwood:naive driftwood:slim base-full:bookworm
#   (default: all but base-full, which takes minutes per view)
set -euo pipefail
WHITTLE=$(realpath "${1:-build/whittle}")
shift || true
IMAGES=("$@")
[[ ${#IMAGES[@]} -gt 0 ]] || IMAGES=(base-slim:bookworm driftwood:naive driftwood:slim)
CORPUS=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus/export}
[[ -d $CORPUS/oci-gzip ]] || { echo "$0: no corpus at $CORPUS (../shared/corpus/run-all.sh)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-registry-corpus.XXXXXX")
# shellcheck source=tests/support/registry_lib.sh
source "$(dirname "$0")/../tests/support/registry_lib.sh"
cleanup() {
  stop_registries "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

start_registry "$WORK" registry --quiet
port=$REGISTRY_PORT

fail=0
for img in "${IMAGES[@]}"; do
  archive=$CORPUS/${img%%:*}-${img#*:}.docker-archive.tar  # base-slim-bookworm, driftwood-naive...
  REGISTRY_AUTH_FILE=$WORK/auth.json skopeo copy -q --dest-tls-verify=false --preserve-digests \
    "oci:$CORPUS/oci-gzip:corpus/$img" "docker://127.0.0.1:$port/corpus/$img"
  for view in "profile --json -n 0 -d layers,paths,waste" "waste --json" "history --json --scan" "history --json"; do
    times=()
    for src in "docker://127.0.0.1:$port/corpus/$img" "oci:$CORPUS/oci-gzip:corpus/$img" "docker-archive:$archive"; do
      flags=()
      [[ $src == docker://* ]] && flags=(--tls-verify=false)
      start=$(date +%s.%N)
      # shellcheck disable=SC2086
      "$WHITTLE" $view "${flags[@]}" "$src" >"$WORK/out.${#times[@]}"
      times+=("$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")")
    done
    python3 - "$img" "$view" "$WORK/out.0" "$WORK/out.1" "$WORK/out.2" "${times[@]}" <<'PY' || fail=1
import json, sys
img, view, reg, oci, da = sys.argv[1:6]
t = sys.argv[6:9]
load = lambda p: json.load(open(p))
def drop(j, keys, sort):
    """|j| without |keys| (at any depth); lists sorted when |sort|."""
    if isinstance(j, dict):
        return {k: drop(v, keys, sort) for k, v in j.items() if k not in keys}
    if isinstance(j, list):
        items = [drop(v, keys, sort) for v in j]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True)) if sort else items
    return j
r, o, d = load(reg), load(oci), load(da)
blob = ("blobSize", "digest")  # the docker-archive's layers are uncompressed
if view == "history --json":  # no scan: the registry leaves the scan-only fields null
    scan_only = ("files", "size", "tarSize")
    # (an empty layer's are known without a scan: equal)
    nulls = len(r) == len(o) and all(a.get(k) is None or a.get(k) == b.get(k)
                                     for a, b in zip(r, o) for k in scan_only)
    same = nulls and drop(r, ("image",) + scan_only, False) == drop(o, ("image",) + scan_only, False)
    same_da = nulls and drop(r, ("image",) + blob + scan_only, True) == drop(d, ("image",) + blob + scan_only, True)
else:
    same = drop(r, ("image",), False) == drop(o, ("image",), False)
    same_da = drop(r, ("image",) + blob, True) == drop(d, ("image",) + blob, True)
print("%-20s %-42s docker:// = oci: %-5s = docker-archive: %-5s  (s: registry %s, oci %s, docker-archive %s)"
      % (img, view, same, same_da, *t))
sys.exit(0 if same and same_da else 1)
PY
  done
done
exit $fail
