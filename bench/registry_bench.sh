#!/usr/bin/env bash
# whittle against a local registry, side by side in one run (issue #9):
#   1. `whittle profile docker://...` vs `skopeo copy docker://... dir:` of
#      the same image (the baseline: a plain pull of every blob, to disk);
#   2. the same profile vs `whittle profile oci:` of the image's gzip layout
#      (target: registry <= 1.2x the layout);
#   3. `whittle history docker://...` (manifest and config only; target <= 50 ms).
# Each command runs RUNS times (default 5) interleaved, after one warm-up;
# medians are printed, with the ratios. Peak RSS of the two profiles too.
# It prints figures and never fails on timing.
#
# The registry is Debian's docker-registry on 127.0.0.1 (ephemeral port,
# storage in a temp dir), stopped (by its PID) at the end.
#
# usage: bench/registry_bench.sh [path/to/whittle] [OCI_LAYOUT:REF]
#   default image: the corpus' driftwood:naive gzip layout when it exists,
#   else the test image of build/real_images (tiny: the figures are then
#   dominated by process start-up).
set -euo pipefail
WHITTLE=$(realpath "${1:-build/whittle}")
CORPUS=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus/export}
if [[ -n ${2:-} ]]; then
  IMAGE=$2
elif [[ -d $CORPUS/oci-gzip ]]; then
  IMAGE=$CORPUS/oci-gzip:corpus/driftwood:naive
else
  IMAGE=$(dirname "$WHITTLE")/real_images/oci:whittle-test
fi
RUNS=${RUNS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-registry-bench.XXXXXX")
REG_PID=
cleanup() {
  [[ -n $REG_PID ]] && kill "$REG_PID" 2>/dev/null && wait "$REG_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/data
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
REF=docker://127.0.0.1:$port/bench/image:1
REGISTRY_AUTH_FILE=$WORK/auth.json skopeo copy -q --dest-tls-verify=false --preserve-digests "oci:$IMAGE" "$REF"

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# seconds (and peak RSS KiB into $WORK/rss.NAME) of one run of "$@"
timed() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs rss <"$WORK/t"
  echo "$rss" >>"$WORK/rss.$name"
  echo "$secs" >>"$WORK/times.$name"
}
ms() { python3 -c "import time,subprocess,sys; t=time.perf_counter(); subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL); print('%.1f' % ((time.perf_counter()-t)*1000))" "$@"; }

run_all() {
  rm -rf "$WORK/dir"
  timed skopeo skopeo copy -q --src-tls-verify=false "$REF" "dir:$WORK/dir"
  timed registry "$WHITTLE" profile --tls-verify=false "$REF"
  timed layout "$WHITTLE" profile "oci:$IMAGE"
  ms "$WHITTLE" history --tls-verify=false "$REF" >>"$WORK/times.history"
}
run_all  # warm-up
rm -f "$WORK"/times.* "$WORK"/rss.*
for _ in $(seq "$RUNS"); do run_all; done

m() { median <"$WORK/times.$1"; }
r() { median <"$WORK/rss.$1"; }
size=$(du -sb "$WORK/dir" | cut -f1)
printf 'image:     %s (%s bytes of blobs), %s runs, medians\n' "$IMAGE" "$size" "$RUNS"
printf '%-52s %8s s  %8s KiB peak RSS\n' "skopeo copy docker:// dir:" "$(m skopeo)" "$(r skopeo)"
printf '%-52s %8s s  %8s KiB peak RSS\n' "whittle profile docker://" "$(m registry)" "$(r registry)"
printf '%-52s %8s s  %8s KiB peak RSS\n' "whittle profile oci: (gzip layout)" "$(m layout)" "$(r layout)"
printf '%-52s %8s ms\n' "whittle history docker://" "$(m history)"
python3 - "$(m registry)" "$(m skopeo)" "$(m layout)" "$(m history)" <<'PY'
import sys
reg, sk, lay, hist = map(float, sys.argv[1:5])
print("ratio registry profile / skopeo copy:   %.2fx" % (reg / sk if sk else float("nan")))
print("ratio registry profile / layout profile: %.2fx (target <= 1.2x)" % (reg / lay if lay else float("nan")))
print("history from the registry:               %.1f ms (target <= 50 ms)" % hist)
PY
