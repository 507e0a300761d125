#!/usr/bin/env bash
# Benchmark for `whittle report` at scale (issue 12: "a 200,000-file image
# must not freeze the page"). Builds a real image with buildah from scratch
# (Debian's static busybox and the N-file build context of
# tests/data/make_report_tree.py: python packages, locales, node_modules, an app,
# and docs a later layer deletes), writes its report, and opens the page
# from file:// in headless Chromium and Firefox (puppeteer-core, as the
# browser test does), printing:
#   - the time `whittle report` takes, the HTML size, the embedded tree's
#     node budget (nodes kept of all, fold threshold);
#   - per browser: time to first contentful paint and to the page being
#     drawn (body[data-ready]), the longest main-thread block while loading
#     and after, the time to drill down three directories and back up;
#     in Chromium the longest main-thread task in CPU time, at load and
#     for each interaction (the figure a freeze is made of);
#     in Chromium also every long task (PerformanceObserver 'longtask').
# Figures, not a pass/fail test (report_browser_bench.js explains each).
#
# usage: bench/report_bench.sh [path/to/whittle] [N]     (N default 200000)
#   WORK  where the image is kept between runs (default build/report_bench);
#         it is rebuilt when N or the generator changes.
#   BROWSERS  default "chromium firefox"
#   IMAGE     time this image instead of building one (e.g. the one-layer
#             archive of the same tree that ctest -R report_scale writes:
#             build/report_scale/image.tar). The buildah build is slow:
#             73 minutes on a loaded 2-core machine on 2026-11-30 (the
#             node_modules COPY alone 31), and buildah then held the storage
#             lock for over ten minutes removing its build containers.
#   RUNS      page loads per browser (default 3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=${1:-$ROOT/build/whittle}
N=${2:-200000}
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
WHITTLE=$(cd "$(dirname "$WHITTLE")" && pwd)/$(basename "$WHITTLE")
WORK=${WORK:-$ROOT/build/report_bench}
BROWSERS=${BROWSERS:-chromium firefox}
NPM_DIR=$ROOT/build/npm-puppeteer
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
IMG=$WORK/image-$N.oci-archive.tar
STAMP="n=$N gen=$(cat "$ROOT/tests/data/make_report_tree.py" "$0" | sha256sum | cut -c1-16)"

build_image() {
  local ctx=$WORK/ctx store=$WORK/storage
  local bopts=(--root "$store/root" --runroot "$store/run")
  rm -rf "$ctx" "$IMG"
  echo "building the $N-file image (once; kept in $WORK)..." >&2
  python3 "$ROOT/tests/data/make_report_tree.py" "$N" "$ctx" >&2
  cp /bin/busybox "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
COPY usr /usr
COPY doc/usr /usr
COPY app/node_modules /app/node_modules
COPY app/src /app/src
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox rm -rf /usr/share/doc && /bin/busybox cp -r /app/src/m000 /app/src/m000.bak"]
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox rm -rf /app/src/m000.bak"]
DOCKERFILE
  # overlay when the kernel lets us mount it, vfs (slow, a copy per layer)
  # otherwise.
  local driver=overlay
  buildah "${bopts[@]}" --storage-driver overlay images >/dev/null 2>&1 || driver=vfs
  buildah "${bopts[@]}" --storage-driver "$driver" bud --quiet --isolation chroot --layers \
    -t localhost/report-bench:latest "$ctx" >/dev/null
  skopeo copy -q "containers-storage:[$driver@$store/root+$store/run]localhost/report-bench:latest" \
    "oci-archive:$IMG:report-bench"
  buildah "${bopts[@]}" --storage-driver "$driver" rmi -a -f >/dev/null 2>&1 || true
  rm -rf "$ctx" "$store"
  echo "$STAMP" >"$IMG.stamp"
}
if [[ -n ${IMAGE:-} ]]; then
  IMG=$(cd "$(dirname "$IMAGE")" && pwd)/$(basename "$IMAGE")
elif [[ ! -f $IMG || ! -f $IMG.stamp || $(cat "$IMG.stamp") != "$STAMP" ]]; then
  build_image
fi

if [[ ! -f $NPM_DIR/node_modules/puppeteer-core/package.json ]]; then
  echo "puppeteer-core is not in $NPM_DIR: run ctest -R report_browser once (it installs it)" >&2
  exit 2
fi

now() { date +%s.%N; }
s=$(now)
"$WHITTLE" report -o "$WORK/report.html" "$IMG"
e=$(now)
"$WHITTLE" report --json "$IMG" >"$WORK/report.json"
"$WHITTLE" profile --json "$IMG" >"$WORK/profile.json"
python3 - "$WORK" "$IMG" "$s" "$e" <<'PY'
import json, os, sys
work, img, s, e = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
r = json.load(open(os.path.join(work, "report.json")))
p = json.load(open(os.path.join(work, "profile.json")))
b = r["tree"]["budget"]
root = r["tree"]["root"]
print("image: %s (%d layers, %.1f MiB uncompressed, %.1f MiB pull), %d visible files with bytes" % (
    os.path.basename(img), r["header"]["layerCount"], p["total"]["tarSize"] / 2**20, p["total"]["blobSize"] / 2**20,
    root[2]))
print("whittle report:            %.2f s" % (e - s))
print("report.html:               %.2f MB (%d bytes)" % (os.path.getsize(os.path.join(work, "report.html")) / 1e6,
                                                     os.path.getsize(os.path.join(work, "report.html"))))
print("embedded tree:             %d of %d nodes (budget %d), threshold %d bytes, %d files folded" % (
    b["nodes"], b["allNodes"], b["maxNodes"], b["thresholdBytes"], b["foldedFiles"]))
PY
for browser in $BROWSERS; do
  case $browser in
    chromium) exe=$(command -v chromium) ;;
    firefox) exe=$(command -v firefox-esr) ;;
    *) echo "unknown browser $browser" >&2; exit 2 ;;
  esac
  node "$ROOT/bench/report_browser_bench.js" "$NPM_DIR" "$browser" "$exe" "$WORK/report.html" "${RUNS:-3}"
done
