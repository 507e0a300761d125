#!/usr/bin/env bash
# Issue 16, layer cache: a second `profile` or `waste` of the same image
# answers in at most 50 ms. On the corpus' driftwood:naive docker-archive
# (1.1 GB, 11 layers), side by side in one run, per verb:
#   no cache  --no-cache (what every run cost before the cache)
#   cold      an empty cache: the scan plus writing the cache
#   warm      the same command again: every layer from the cache
# Each is the median of RUNS runs (cold: a fresh cache directory each time);
# the ratio is warm / cold. Prints figures, never fails on timing. Usage:
#   bench/cache_bench.sh [WHITTLE]     (default: build/whittle)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=${1:-$ROOT/build/whittle}
CORPUS_OUT=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
ARCHIVE=$CORPUS_OUT/export/driftwood-naive.docker-archive.tar
RUNS=${RUNS:-5}

[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -f $ARCHIVE ]] || { echo "corpus missing ($ARCHIVE): run ../shared/corpus/run-all.sh first" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# seconds VERB ARGS...: wall time of one run, output discarded.
seconds() {
  local t0 t1
  t0=$(date +%s%N)
  "$WHITTLE" "$@" >/dev/null 2>&1 || { echo "whittle $* failed" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))  # microseconds
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.1f ms", us / 1000}'; }

printf '%-8s %12s %12s %12s %10s %12s\n' verb "no cache" cold warm warm/cold "cache file"
for verb in profile waste history; do
  none=() cold=() warm=()
  seconds "$verb" "$ARCHIVE" --no-cache >/dev/null  # page cache warm-up
  for ((i = 0; i < RUNS; i++)); do
    dir=$WORK/$verb-$i
    none+=("$(seconds "$verb" "$ARCHIVE" --no-cache)")
    cold+=("$(seconds "$verb" "$ARCHIVE" --cache-dir "$dir")")
    warm+=("$(seconds "$verb" "$ARCHIVE" --cache-dir "$dir")")
  done
  n=$(printf '%s\n' "${none[@]}" | median)
  c=$(printf '%s\n' "${cold[@]}" | median)
  w=$(printf '%s\n' "${warm[@]}" | median)
  size=$(stat -c %s "$WORK/$verb-0/layers.sqlite")
  printf '%-8s %12s %12s %12s %9.3fx %9.1f MiB\n' "$verb" "$(ms "$n")" "$(ms "$c")" "$(ms "$w")" \
    "$(awk -v w="$w" -v c="$c" 'BEGIN {print w / c}')" "$(awk -v s="$size" 'BEGIN {print s / 1048576}')"
done
echo "target: warm <= 50 ms (RUNS=$RUNS, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
