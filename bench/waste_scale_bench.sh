#!/usr/bin/env bash
# Issue 16, "waste that scales like profile": cold `whittle profile`, `waste`
# and `ci` on a synthetic docker-archive of one layer of N empty files, for
# N = 10k .. 1M, measured side by side in one run (interleaved, after a
# warm-up). Prints the wall and CPU time and peak RSS curve of each, the
# CPU-time ratios waste / profile and ci / `profile --verify` (target <= 1.5x;
# ci always verifies every digest, so its like-for-like baseline hashes the
# same bytes; ci / plain profile is printed too) and the
# memory budget (64 MiB + 150 B per entry). Figures, not a pass/fail test.
#
# usage: bench/waste_scale_bench.sh [path/to/whittle] [SIZES]
#   SIZES: comma-separated entry counts (default 10000,100000,300000,1000000)
#   RUNS:  runs per command and size (default 3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=${1:-$ROOT/build/whittle}
SIZES=${2:-10000,100000,300000,1000000}
RUNS=${RUNS:-3}
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
WHITTLE=$(cd "$(dirname "$WHITTLE")" && pwd)/$(basename "$WHITTLE")
WORK=$(mktemp -d /tmp/whittle-scale-cwd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"  # no .dive-ci / .whittle.yaml here: ci uses dive's defaults
python3 "$ROOT/bench/waste_scale_bench.py" "$WHITTLE" "$SIZES" "$RUNS"
