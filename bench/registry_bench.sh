#!/usr/bin/env bash
# whittle against a local registry, side by side in one run (issue #9):
#   1. `whittle profile docker://...` vs `skopeo copy docker://... dir:` of
#      the same image (the baseline: a plain pull of every blob, to disk);
#   2. the same profile vs `whittle profile oci:` of the image's gzip layout
#      (target: registry <= 1.2x the layout);
#   3. `whittle history docker://...` (manifest and config only; target <= 50 ms)
#      against two baselines that fetch the same two documents: one `curl`
#      process getting the manifest and the config blob over one connection,
#      and `skopeo inspect --config`; over plain http and over https (a
#      second registry on the same storage with a self-signed certificate,
#      --tls-verify=false), where every new connection costs a TLS handshake.
#      The start-up of a process that only prints its version (whittle's and
#      curl's) is measured in the same loop: the floor under those figures.
# Each command runs RUNS times (default 5; the history commands HRUNS times,
# default 15) interleaved, after one warm-up; medians are printed, with the
# ratios. Peak RSS of the two profiles too. HISTORY_ONLY=1 skips the profiles.
# It prints figures and never fails on timing.
#
# The registries are Debian's docker-registry on 127.0.0.1 (ephemeral ports,
# storage in a temp dir), stopped (by their PIDs) at the end.
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
HRUNS=${HRUNS:-15}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-registry-bench.XXXXXX")
# shellcheck source=tests/support/registry_lib.sh
source "$(dirname "$0")/../tests/support/registry_lib.sh"
cleanup() {
  stop_registries "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

start_registry "$WORK" plain --data "$WORK/data" --quiet
port=$REGISTRY_PORT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout "$WORK/tls.key" \
  -out "$WORK/tls.crt" 2>/dev/null
start_registry "$WORK" tls --data "$WORK/data" --tls "$WORK/tls.crt" "$WORK/tls.key" --quiet
tport=$REGISTRY_PORT
REF=docker://127.0.0.1:$port/bench/image:1
TREF=docker://127.0.0.1:$tport/bench/image:1
REGISTRY_AUTH_FILE=$WORK/auth.json skopeo copy -q --dest-tls-verify=false --preserve-digests "oci:$IMAGE" "$REF"
# The two documents history needs, for the curl baseline.
ACCEPT='Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
config=$(curl -sf -H "$ACCEPT" "http://127.0.0.1:$port/v2/bench/image/manifests/1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])')
docs() { echo "$1://127.0.0.1:$2/v2/bench/image/manifests/1 $1://127.0.0.1:$2/v2/bench/image/blobs/$config"; }

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

run_profiles() {
  rm -rf "$WORK/dir"
  timed skopeo skopeo copy -q --src-tls-verify=false "$REF" "dir:$WORK/dir"
  # --no-cache: the layer cache would answer both from the first run.
  timed registry "$WHITTLE" profile --no-cache --tls-verify=false "$REF"
  timed layout "$WHITTLE" profile --no-cache "oci:$IMAGE"
}
run_history() {
  local s p
  # The floor under every figure below: a whittle process that only starts,
  # prints its version and exits (dynamic loading of libcurl's ~30 libraries
  # is most of it on these machines), and the same for curl.
  ms "$WHITTLE" --version >>"$WORK/times.start-whittle"
  ms curl --version >>"$WORK/times.start-curl"
  for s in http https; do
    p=$port
    [[ $s == https ]] && p=$tport
    # shellcheck disable=SC2046
    ms curl -sfk -H "$ACCEPT" $(docs "$s" "$p") >>"$WORK/times.curl-$s"
    ms skopeo inspect --config --tls-verify=false "docker://127.0.0.1:$p/bench/image:1" >>"$WORK/times.skopeo-$s"
    ms "$WHITTLE" history --tls-verify=false "docker://127.0.0.1:$p/bench/image:1" >>"$WORK/times.history-$s"
  done
}
[[ ${HISTORY_ONLY:-} == 1 ]] || run_profiles  # warm-up
run_history
rm -f "$WORK"/times.* "$WORK"/rss.*
if [[ ${HISTORY_ONLY:-} != 1 ]]; then
  for _ in $(seq "$RUNS"); do run_profiles; done
fi
for _ in $(seq "$HRUNS"); do run_history; done

m() { median <"$WORK/times.$1"; }
r() { median <"$WORK/rss.$1"; }
if [[ ${HISTORY_ONLY:-} != 1 ]]; then
  size=$(du -sb "$WORK/dir" | cut -f1)
  printf 'image:     %s (%s bytes of blobs), %s runs, medians\n' "$IMAGE" "$size" "$RUNS"
  printf '%-52s %8s s  %8s KiB peak RSS\n' "skopeo copy docker:// dir:" "$(m skopeo)" "$(r skopeo)"
  printf '%-52s %8s s  %8s KiB peak RSS\n' "whittle profile docker://" "$(m registry)" "$(r registry)"
  printf '%-52s %8s s  %8s KiB peak RSS\n' "whittle profile oci: (gzip layout)" "$(m layout)" "$(r layout)"
  python3 - "$(m registry)" "$(m skopeo)" "$(m layout)" <<'PY'
import sys
reg, sk, lay = map(float, sys.argv[1:4])
print("ratio registry profile / skopeo copy:   %.2fx" % (reg / sk if sk else float("nan")))
print("ratio registry profile / layout profile: %.2fx (target <= 1.2x)" % (reg / lay if lay else float("nan")))
PY
fi
printf 'history:   %s, %s runs, medians (ms)\n' "$IMAGE" "$HRUNS"
printf '%-52s %8s ms\n' "process start-up: whittle --version" "$(m start-whittle)"
printf '%-52s %8s ms\n' "process start-up: curl --version" "$(m start-curl)"
for s in http https; do
  printf '%-52s %8s ms\n' "curl: manifest + config ($s)" "$(m "curl-$s")"
  printf '%-52s %8s ms\n' "skopeo inspect --config ($s)" "$(m "skopeo-$s")"
  printf '%-52s %8s ms\n' "whittle history docker:// ($s)" "$(m "history-$s")"
done
python3 - "$(m curl-http)" "$(m skopeo-http)" "$(m history-http)" "$(m curl-https)" "$(m skopeo-https)" \
  "$(m history-https)" "$(m start-whittle)" "$(m start-curl)" <<'PY'
import sys
ch, sh, wh, cs, ss, ws, w0, c0 = map(float, sys.argv[1:9])
for scheme, c, s, w in (("http", ch, sh, wh), ("https", cs, ss, ws)):
    print("history (%s): %.1f ms (target <= 50 ms), %.2fx curl, %.2fx skopeo inspect --config;"
          " above start-up: whittle %.1f ms, curl %.1f ms"
          % (scheme, w, w / c if c else float("nan"), w / s if s else float("nan"), w - w0, c - c0))
PY
