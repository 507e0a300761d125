#!/usr/bin/env bash
# Issue 4 lint throughput and memory, one `whittle lint` process over a
# corpus of real Dockerfiles:
#   - the BuildKit parser cases (tests/data/buildkit-parser/testfiles)
#   - tests/data/lint/corpus/*.Dockerfile and tests/data/lint/golden/Dockerfile
# copied and varied (tags, a label, a RUN) into N files (default 2000) in a
# temp dir. Prints files/s against the 20,000 files/s target and peak RSS
# above `whittle --version`'s own (GNU time -v) against the 10 MiB target.
#   bench/lint_bench.sh [BUILD_DIR] [N]      (default: build 4000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-4000}
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

python3 - "$WHITTLE" "$work" "$RUNS" "$ROOT" <<'PY'
import glob, os, shutil, statistics, subprocess, sys, time
whittle, work, runs, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = sorted(glob.glob(os.path.join(work, "*.Dockerfile")))
n = len(files)
cmd = [whittle, "lint", "--no-color", "--failure-threshold", "none", "--context", work] + files

def timed(argv):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime

def peak_kib(argv):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1])

timed(cmd)  # warm-up
walls, cpus = zip(*[timed(cmd) for _ in range(runs)])
wall, cpu = statistics.median(walls), statistics.median(cpus)
fps = n / wall
print(f"whittle lint: {n} files in {wall:.3f} s (median of {runs}): {fps:,.0f} files/s  "
      f"target >= 20,000  {'OK' if fps >= 20000 else 'MISS'}   (CPU {n / cpu:,.0f} files/s)")
base, peak = peak_kib([whittle, "--version"]), peak_kib(cmd)
extra = (peak - base) / 1024
print(f"peak RSS {peak / 1024:.1f} MiB, `whittle --version` {base / 1024:.1f} MiB: "
      f"{extra:.2f} MiB above baseline  target <= 10 MiB  {'OK' if extra <= 10 else 'MISS'}")

# Side by side: dockerfilelint (npm), in-process over the same files.
npm = shutil.which("npm")
if not npm:
    print("dockerfilelint baseline: skipped (no npm on this machine)")
    sys.exit(0)
cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "whittle", "dockerfilelint")
if not os.path.isdir(os.path.join(cache, "node_modules", "dockerfilelint")):
    os.makedirs(cache, exist_ok=True)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "dockerfilelint"], cwd=cache,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
js = r"""
const fs = require('fs'), path = require('path');
const lint = require(path.join(process.argv[1], 'node_modules', 'dockerfilelint'));
const files = fs.readdirSync(process.argv[2]).filter(f => f.endsWith('.Dockerfile')).sort()
  .map(f => path.join(process.argv[2], f));
const t0 = process.hrtime.bigint();
let items = 0;
for (const f of files) {
  try { items += lint.run(process.argv[2], fs.readFileSync(f, 'utf8')).length; } catch (e) { items += 0; }
}
const dt = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(files.length + ' ' + dt + ' ' + items);
"""
dts = []
for _ in range(3):
    out = subprocess.run(["node", "-e", js, cache, work], capture_output=True, text=True, check=True).stdout.split()
    dts.append(float(out[1]))
dfl = n / statistics.median(dts)
print(f"dockerfilelint (in-process, same files): {dfl:,.0f} files/s (median of 3)")
print(f"ratio whittle/dockerfilelint: {fps / dfl:.1f}x faster (whittle timed as a whole process)")
PY
