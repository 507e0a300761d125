#!/usr/bin/env bash
# Issue 7 speed target: `profile -d packages,kinds` costs at most 1.2x plain
# `-d layers` on the same image in the same format, measured side by side
# (interleaved runs, medians). The packages source reads the package
# databases (dpkg status and .list files, pip RECORDs, ...) and the first
# 16 KiB of every large executable (Go build info) in the same single pass.
#
# Formats: the gzip OCI layout (what registries serve; decompression
# dominates) and the docker-archive (uncompressed: plain -d layers seeks over
# every file body, so any body read shows). Peak RSS of both is printed.
# Needs the corpus (../shared/corpus, outputs in $CORPUS_OUT). Usage:
#   bench/packages_bench.sh [BUILD_DIR]     (default: build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
WHITTLE=$BUILD/whittle
CORPUS_OUT=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
EXPORT=$CORPUS_OUT/export
RUNS=${RUNS:-5}

"$ROOT/scripts/install-deps.sh" >/dev/null
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -d $EXPORT/oci-gzip ]] || { echo "corpus missing ($EXPORT): run ../shared/corpus/run-all.sh first" >&2; exit 2; }

python3 - "$ROOT/bench" "$WHITTLE" "$EXPORT" "$RUNS" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import benchlib
whittle, export, runs = sys.argv[2], sys.argv[3], int(sys.argv[4])
for name, ref in [("gzip OCI layout", f"oci:{export}/oci-gzip:corpus/driftwood:naive"),
                  ("docker-archive", f"{export}/driftwood-naive.docker-archive.tar")]:
    benchlib.compare(f"driftwood:naive {name}: -d packages,kinds vs -d layers",
                     [whittle, "profile", "-d", "packages,kinds", ref],
                     [whittle, "profile", "-d", "layers", ref],
                     runs=runs, target=1.2, a_label="packages", b_label="layers")
PY
