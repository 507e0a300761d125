#!/usr/bin/env bash
# Benchmark for `whittle compact` (issue 11): compacting the naive Driftwood
# image (gzip OCI layout from the corpus, read /work/shared/corpus/README.md)
# against the floor any squash tool has to pay: `tar -cf` of the same final
# rootfs plus `igzip` of that tar, timed in the same run. Prints each time
# (median of RUNS), the sizes, and the ratio (target: at most 1.5x).
# A printed figure, not a pass/fail test.
#
# usage: bench/compact_bench.sh [path/to/whittle] [IMAGE]
#   IMAGE defaults to oci:$CORPUS/oci-gzip:corpus/driftwood:naive
#   RUNS (env) defaults to 3; JOBS (env) is passed as -j when set.
set -euo pipefail
WHITTLE=$(realpath "${1:-build/whittle}")
CORPUS=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus/export}
IMAGE=${2:-oci:$CORPUS/oci-gzip:corpus/driftwood:naive}
RUNS=${RUNS:-3}
JOBS_FLAG=()
[[ -n "${JOBS:-}" ]] && JOBS_FLAG=(-j "$JOBS")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-compact-bench.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

# The final rootfs, unpacked once (not timed): what tar + igzip start from.
LAYOUT=${IMAGE#oci:}
LAYOUT_DIR=${LAYOUT%%:*}
REF=${LAYOUT#*:}
mkdir -p "$WORK/copy"
skopeo copy -q "oci:$LAYOUT_DIR:$REF" "oci:$WORK/copy/layout:img"
umoci unpack --image "$WORK/copy/layout:img" "$WORK/bundle" >/dev/null
sync

compact_times=() floor_times=()
for ((i = 0; i < RUNS; i++)); do
  rm -rf "$WORK/out" "$WORK/rootfs.tar" "$WORK/rootfs.tar.gz"
  t0=$(now)
  "$WHITTLE" compact "${JOBS_FLAG[@]}" "$IMAGE" -o "oci:$WORK/out:compacted" --json >"$WORK/report.json"
  t1=$(now)
  tar -C "$WORK/bundle/rootfs" -cf "$WORK/rootfs.tar" .
  igzip -1 -c "$WORK/rootfs.tar" >"$WORK/rootfs.tar.gz"
  t2=$(now)
  compact_times+=("$(echo "$t1 - $t0" | bc -l)")
  floor_times+=("$(echo "$t2 - $t1" | bc -l)")
done
c=$(printf '%s\n' "${compact_times[@]}" | median)
f=$(printf '%s\n' "${floor_times[@]}" | median)
printf 'image:                %s\n' "$IMAGE"
printf 'whittle compact:      %6.2f s  (tar %s -> %s, blob %s -> %s)\n' "$c" \
  "$(jq .before.tar_size "$WORK/report.json")" "$(jq .after.tar_size "$WORK/report.json")" \
  "$(jq .before.blob_size "$WORK/report.json")" "$(jq .after.blob_size "$WORK/report.json")"
printf 'tar -cf + igzip -1:   %6.2f s  (tar %s, gz %s)\n' "$f" "$(stat -c %s "$WORK/rootfs.tar")" \
  "$(stat -c %s "$WORK/rootfs.tar.gz")"
printf 'ratio:                %6.2fx  (target <= 1.5x)\n' "$(echo "$c / $f" | bc -l)"
