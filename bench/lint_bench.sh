#!/usr/bin/env bash
# Issue 4 lint throughput and memory, one `whittle lint` process over a
# corpus of real Dockerfiles:
#   - the BuildKit parser cases (tests/data/buildkit-parser/testfiles)
#   - tests/data/lint/corpus/*.Dockerfile and tests/data/lint/golden/Dockerfile
# copied and varied (tags, a label, a RUN) into N files (default 2000) in a
# temp dir. Prints files/s against the 20,000 files/s target and peak RSS
# above `whittle --version`'s own (GNU time -v) against the 10 MiB target.
#   bench/lint_bench.sh [BUILD_DIR] [N]      (default: build 2000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-2000}
RUNS=${RUNS:-5}
BUILD=$(cd "$BUILD" && pwd)
WHITTLE=$BUILD/whittle
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -x /usr/bin/time ]] || "$ROOT/scripts/install-deps.sh" >/dev/null

work=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$work" "$work.time"' EXIT; echo "corpus dir: $work" >&2

python3 - "$ROOT" "$work" "$N" <<'PY'
import glob, os, re, sys
root, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
srcs = sorted(glob.glob(os.path.join(root, "tests/data/buildkit-parser/testfiles/*/Dockerfile")))
srcs += sorted(glob.glob(os.path.join(root, "tests/data/lint/corpus/*.Dockerfile")))
srcs += [os.path.join(root, "tests/data/lint/golden/Dockerfile")]
texts = [open(p, "rb").read() for p in srcs if os.path.exists(p)]
if not texts:
    sys.exit("no corpus found")
for i in range(n):
    t = texts[i % len(texts)]
    v = i // len(texts)
    if v:
        # Vary like real repos do: other tags, an extra label and RUN.
        t = re.sub(rb"(FROM\s+[\w./-]+:)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + v % 3).encode(), t)
        t += b"\nLABEL bench.variant=\"%d\"\nRUN echo variant %d && true\n" % (v, v)
    with open(os.path.join(out, "f%05d.Dockerfile" % i), "wb") as f:
        f.write(t)
print(f"corpus: {n} files from {len(texts)} sources, {sum(os.path.getsize(os.path.join(out, x)) for x in os.listdir(out))} bytes", file=sys.stderr)
PY

rss_kib() {  # peak RSS (KiB) of a command, from GNU time -v
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
base=$(rss_kib "$WHITTLE" --version)

best=""; best_cpu=""; peak=0
for ((r = 0; r < RUNS; r++)); do
  # GNU time: wall seconds, user+system CPU seconds, peak RSS (KiB).
  (cd "$work" && /usr/bin/time -f "%e %U %S %M" -o "$work.time" \
      "$WHITTLE" lint --no-color --failure-threshold none --context "$work" ./*.Dockerfile >/dev/null 2>&1) || true
  read -r wall user sys rss < <(tail -1 "$work.time")
  cpu=$(python3 -c "print($user + $sys)")
  [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $wall < $best else 1)" && best=$wall
  [[ -z $best_cpu ]] || python3 -c "import sys; sys.exit(0 if $cpu < $best_cpu else 1)" && best_cpu=$cpu
  ((rss > peak)) && peak=$rss
done
findings=$(cd "$work" && "$WHITTLE" lint --json --failure-threshold none ./*.Dockerfile 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' || true)

python3 - "$N" "$best" "$base" "$peak" "$findings" "$best_cpu" "$RUNS" <<'PY'
import sys
n, wall, base, peak, findings, cpu, runs = (int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]),
                                            int(sys.argv[4]), int(sys.argv[5] or 0), float(sys.argv[6]), sys.argv[7])
fps = n / max(wall, 0.01)   # GNU time's wall clock has 10 ms resolution
cpu_fps = n / max(cpu, 0.01)
extra = (peak - base) / 1024
print(f"lint throughput (wall): {fps:,.0f} files/s ({n} files in {wall:.2f} s, best of {runs}, {findings} findings)  "
      f"target >= 20,000  {'OK' if fps >= 20000 else 'MISS'}")
print(f"lint throughput (CPU user+sys): {cpu_fps:,.0f} files/s ({cpu:.2f} s)  "
      f"(wall is inflated when other jobs share the cores)")
print(f"peak RSS: {peak/1024:.1f} MiB, baseline (whittle --version) {base/1024:.1f} MiB, "
      f"above baseline {extra:.2f} MiB  target <= 10 MiB  {'OK' if extra <= 10 else 'MISS'}")
PY
