#!/usr/bin/env bash
# Issue 2 speed and memory targets, each measured side by side with its baseline:
#  1. driftwood:naive docker-archive: `whittle profile` vs GNU `tar -tf` over the
#     same 11 layer tars extracted beforehand (target <= 1.0x)
#  2. the same image as a gzip OCI layout: vs `igzip -dc` over its layer blobs,
#     sequentially, to /dev/null (target <= 1.15x, digest checks included)
#  3. the same as a zstd OCI layout: vs `zstd -dc` (target <= 1.15x)
#  4. peak RSS <= 64 MiB + 150 bytes per tar entry
# Needs the corpus (../shared/corpus, outputs in $CORPUS_OUT). Usage:
#   bench/profile_bench.sh [BUILD_DIR]     (default: build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
WHITTLE=$BUILD/whittle
CORPUS_OUT=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
EXPORT=$CORPUS_OUT/export
ARCHIVE=$EXPORT/driftwood-naive.docker-archive.tar
REF=corpus/driftwood:naive
RUNS=${RUNS:-5}

"$ROOT/scripts/install-deps.sh" >/dev/null
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
if [[ ! -f $ARCHIVE ]]; then
  echo "corpus missing ($ARCHIVE): run ../shared/corpus/run-all.sh first" >&2
  exit 2
fi

python3 "$ROOT/bench/profile_bench.py" "$WHITTLE" "$EXPORT" "$ARCHIVE" "$REF" "$RUNS"
