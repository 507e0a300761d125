#!/usr/bin/env bash
# Issue 16, layer cache: a second `profile` or `waste` of the same image
# answers in at most 50 ms. On the corpus' driftwood:naive docker-archive
# (1.1 GB, 11 uncompressed layers, which a scan seeks through), the same
# image as a gzip oci-archive (which a scan must decompress) and, when
# docker-registry and skopeo are installed, the gzip OCI layout pushed to a
# local registry and read as docker:// (only the manifest and config are
# fetched on a warm run), side by side in one run, per verb:
#   no cache  --no-cache (what every run cost before the cache)
#   cold      an empty cache: the scan plus writing the cache
#   warm      the same command again: every layer from the cache (waste:
#             its whole analysis, cache/waste_cache.h)
# Each is the median of RUNS runs (cold: a fresh cache directory each time);
# the ratios are warm / cold, of wall and of CPU time (user + sys). Prints
# figures and which warm runs are over 50 ms CPU; never fails on timing.
# Usage:
#   bench/cache_bench.sh [WHITTLE]     (default: build/whittle)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=${1:-$ROOT/build/whittle}
CORPUS_OUT=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
ARCHIVE=$CORPUS_OUT/export/driftwood-naive.docker-archive.tar
GZIP_ARCHIVE=$CORPUS_OUT/export/driftwood-naive.oci-archive.tar
RUNS=${RUNS:-5}

[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -f $ARCHIVE ]] || { echo "corpus missing ($ARCHIVE): run ../shared/corpus/run-all.sh first" >&2; exit 2; }
LAYOUT=$CORPUS_OUT/export/oci-gzip
WORK=$(mktemp -d)
# shellcheck source=tests/support/registry_lib.sh
source "$(dirname "$0")/../tests/support/registry_lib.sh"
cleanup() {
  stop_registries "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

# times VERB ARGS...: "WALL_MS CPU_MS" of one run (CPU = the process's user +
# sys from wait4, to the microsecond; GNU time rounds to 10 ms), output
# discarded.
times() {
  python3 "$ROOT/bench/benchlib.py" "$WHITTLE" "$@" 2>/dev/null || { echo "whittle $* failed" >&2; exit 1; }
}
# median COLUMN: the median of column COLUMN of stdin.
median() { awk -v c="$1" '{print $c}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Startup alone, for scale: a process that only prints its usage, and one
# that prints its version (which loads libcurl to name it, as docker:// does).
base=$(for ((i = 0; i < RUNS; i++)); do times --help; done)
printf 'whittle --help alone: %s ms wall, %s ms CPU\n' "$(median 1 <<<"$base")" "$(median 2 <<<"$base")"
base=$(for ((i = 0; i < RUNS; i++)); do times --version; done)
printf 'whittle --version alone (loads libcurl): %s ms wall, %s ms CPU\n\n' "$(median 1 <<<"$base")" \
  "$(median 2 <<<"$base")"
printf '%-14s %-8s %20s %20s %20s %16s %11s\n' image verb "no cache" "cold" "warm" warm/cold "cache file"
printf '%-14s %-8s %20s %20s %20s %16s %11s\n' "" "" "wall / CPU ms" "wall / CPU ms" "wall / CPU ms" "wall / CPU" ""
# Each image: "KIND REFERENCE [EXTRA ARG]".
IMAGES=("docker-archive $ARCHIVE" "oci-archive $GZIP_ARCHIVE")
if [[ -d $LAYOUT ]] && command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  start_registry "$WORK" plain --quiet
  port=$REGISTRY_PORT
  REGISTRY_AUTH_FILE=$WORK/auth.json skopeo copy -q --dest-tls-verify=false --preserve-digests \
    "oci:$LAYOUT:corpus/driftwood:naive" "docker://127.0.0.1:$port/bench/image:1"
  IMAGES+=("docker:// docker://127.0.0.1:$port/bench/image:1 --tls-verify=false")
fi
over=()
for image in "${IMAGES[@]}"; do
read -r kind ARCHIVE extra <<<"$image"
[[ $ARCHIVE == docker://* || -f $ARCHIVE ]] || continue
for verb in profile waste history; do
  none="" cold="" warm=""
  # shellcheck disable=SC2086 # $extra: one optional flag
  times "$verb" "$ARCHIVE" $extra --no-cache >/dev/null  # page cache warm-up
  for ((i = 0; i < RUNS; i++)); do
    dir=$WORK/${kind%://}-$verb-$i
    # shellcheck disable=SC2086
    none+="$(times "$verb" "$ARCHIVE" $extra --no-cache)"$'\n'
    # shellcheck disable=SC2086
    cold+="$(times "$verb" "$ARCHIVE" $extra --cache-dir "$dir")"$'\n'
    # shellcheck disable=SC2086
    warm+="$(times "$verb" "$ARCHIVE" $extra --cache-dir "$dir")"$'\n'
  done
  # (history of a docker:// image reads no layer: no cache file is made)
  size=$(stat -c %s "$WORK/${kind%://}-$verb-0/layers.sqlite" 2>/dev/null || echo 0)
  cw=$(median 1 <<<"${cold%$'\n'}")
  ww=$(median 1 <<<"${warm%$'\n'}")
  cc=$(median 2 <<<"${cold%$'\n'}")
  wc=$(median 2 <<<"${warm%$'\n'}")
  printf '%-14s %-8s %20s %20s %20s %16s %7.1f MiB\n' "$kind" "$verb" \
    "$(median 1 <<<"${none%$'\n'}") / $(median 2 <<<"${none%$'\n'}")" \
    "$cw / $cc" "$ww / $wc" \
    "$(awk -v w="$ww" -v c="$cw" -v wc="$wc" -v cc="$cc" 'BEGIN {printf "%.3fx / %.3fx", w / c, wc / cc}')" \
    "$(awk -v s="$size" 'BEGIN {print s / 1048576}')"
  awk -v c="$wc" 'BEGIN {exit !(c > 50)}' && over+=("$kind $verb: warm ${wc} ms CPU")
done
done
echo
echo "target: warm <= 50 ms CPU (RUNS=$RUNS, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)," \
  "whittle $("$WHITTLE" --version | awk '/^commit/ {print $2}'))"
if ((${#over[@]})); then
  printf 'over 50 ms: %s\n' "${over[@]}"
else
  echo "every warm run is at or under 50 ms CPU"
fi
