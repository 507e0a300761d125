#!/usr/bin/env bash
# Issue 16, "faster than dive, by a wider margin": cold `whittle waste`
# (--no-cache) against dive v0.13's own analysis core on the corpus' naive
# Driftwood docker-archive (1.1 GB, 11 layers), side by side in one run,
# interleaved after a warm-up of each. Prints, per tool, the medians of wall
# time, CPU time (user + system) and peak RSS, and the ratios: speed
# dive / whittle (target >= 20x) and memory whittle / dive (target <= 0.25x).
# It first checks that both report the same dive metrics for the image
# (efficiency, wasted bytes, user-wasted percent, inefficient files).
#
# dive's analysis core is the peer build `dive-core` (the unmodified
# dive/image, dive/image/docker and dive/filetree packages behind a small
# CLI that runs what `dive --ci` runs on a docker-archive), built from a git
# copy of github.com/wagoodman/dive:
#   DIVE_CORE   the binary (default /tmp/divecore/dive-core)
#   DIVE_GIT    a git copy of wagoodman/dive: when DIVE_CORE is missing, the
#               peer build script ($PEERS/dive-core/build.sh, PEERS default
#               ../shared/peers next to this checkout) builds it from there.
# With neither, it prints the figures last recorded in bench/README.md.
#
# usage: bench/dive_bench.sh [path/to/whittle] [IMAGE]      (RUNS, default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=${1:-$ROOT/build/whittle}
CORPUS=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
IMG=${2:-$CORPUS/export/driftwood-naive.docker-archive.tar}
RUNS=${RUNS:-5}
DIVE_CORE=${DIVE_CORE:-/tmp/divecore/dive-core}
PEERS=${PEERS:-$ROOT/../shared/peers}
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -f $IMG ]] || { echo "no image $IMG (run ../shared/corpus/run-all.sh)" >&2; exit 2; }

if [[ ! -x $DIVE_CORE && -n ${DIVE_GIT:-} && -f $PEERS/dive-core/build.sh ]]; then
  DIVE_CORE_OUT=$(dirname "$DIVE_CORE") ANCHORS=${ANCHORS:-$PEERS/../anchors/dive} \
    bash "$PEERS/dive-core/build.sh" >&2
fi
if [[ ! -x $DIVE_CORE ]]; then
  echo "dive's analysis core is not built ($DIVE_CORE; set DIVE_GIT to build it): the recorded figures," >&2
  echo "from bench/README.md (\"dive_bench.sh\"):" >&2
  sed -n '/^`dive_bench.sh`/,/^$/p' "$ROOT/bench/README.md"
  exit 0
fi

python3 - "$WHITTLE" "$DIVE_CORE" "$IMG" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time

whittle, dive, img, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cmds = {"whittle": [whittle, "waste", "--no-cache", "--json", img], "dive": [dive, img]}

def once(argv):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s" % " ".join(argv))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, out

# Same metrics first (the warm-up runs).
w = json.loads(once(cmds["whittle"])[3])
d = json.loads(once(cmds["dive"])[3])
same = (abs(w["efficiency"] - d["efficiency"]) < 1e-12 and w["wastedBytes"] == d["wastedBytes"]
        and abs(w["userWastedPercent"] - d["userWastedPercent"]) < 1e-12
        and len(w["inefficientFiles"]) == d["inefficientFiles"])
print("image: %s (%d bytes)" % (img, os.path.getsize(img)))
print("dive metrics agree: %s (efficiency %.6f, wasted %d bytes, %d inefficient files)"
      % ("yes" if same else "NO", d["efficiency"], d["wastedBytes"], d["inefficientFiles"]))

fig = {k: {"wall": [], "cpu": [], "rss": []} for k in cmds}
ratios = {"wall": [], "cpu": [], "rss": []}
for _ in range(runs):
    r = {}
    for k in ("whittle", "dive"):
        wall, cpu, rss, _ = once(cmds[k])
        r[k] = (wall, cpu, rss)
        fig[k]["wall"].append(wall); fig[k]["cpu"].append(cpu); fig[k]["rss"].append(rss)
    ratios["wall"].append(r["dive"][0] / r["whittle"][0])
    ratios["cpu"].append(r["dive"][1] / r["whittle"][1])
    ratios["rss"].append(r["whittle"][2] / r["dive"][2])
med = statistics.median
print("%d runs each, interleaved; medians" % runs)
for k in ("whittle", "dive"):
    label = "whittle waste --no-cache" if k == "whittle" else "dive-core (dive v0.13 analysis)"
    print("  %-32s wall %7.3f s  cpu %7.3f s  peak RSS %7.1f MiB"
          % (label, med(fig[k]["wall"]), med(fig[k]["cpu"]), med(fig[k]["rss"])))
print("  speed, dive / whittle:   wall %.1fx, cpu %.1fx   (target >= 20x)" % (med(ratios["wall"]), med(ratios["cpu"])))
print("  memory, whittle / dive:  %.2fx                 (target <= 0.25x)" % med(ratios["rss"]))
PY
