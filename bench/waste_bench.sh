#!/usr/bin/env bash
# Benchmark for `whittle waste` (issue 3): does a layer of 10,000 file
# whiteouts and 1,000 directory whiteouts over a 100,000-file base cost at
# most 1.5x the same image without it? (dive re-stacks all lower layers per
# whiteout; whittle must stay near-linear.) Prints both medians of 5 runs and
# the ratio; a printed figure, not a pass/fail test.
#
# usage: bench/waste_bench.sh [path/to/whittle]   (default build/whittle)
set -euo pipefail
WHITTLE=${1:-build/whittle}
WORK=$(mktemp -d /tmp/whittle-waste-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import hashlib, io, json, os, sys, tarfile
work = sys.argv[1]
DIRS, PER_DIR = 2000, 50                      # 100,000 files
def layer_tar(build):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        build(t)
    return buf.getvalue()
def add_dir(t, name):
    ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
def add_file(t, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
def base(t):
    add_dir(t, "data")
    for d in range(DIRS):
        add_dir(t, f"data/d{d:04}")
        for f in range(PER_DIR):
            add_file(t, f"data/d{d:04}/f{f:02}", b"x" * (f + 1))
def whiteouts(t):
    add_dir(t, "data")
    for d in range(1000):                      # 1,000 directory whiteouts
        add_file(t, f"data/.wh.d{d:04}", b"")
    for d in range(1000, 2000):                # 10,000 file whiteouts
        add_dir(t, f"data/d{d:04}")
        for f in range(10):
            add_file(t, f"data/d{d:04}/.wh.f{f:02}", b"")
def small(t):
    add_file(t, "marker", b"m")
def write_image(path, layers):
    out = tarfile.open(path, "w")
    diff_ids, names = [], []
    for i, data in enumerate(layers):
        name = f"l{i}/layer.tar"
        ti = tarfile.TarInfo(name); ti.size = len(data); out.addfile(ti, io.BytesIO(data))
        diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest()); names.append(name)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": [{"created_by": f"layer {i}"} for i in range(len(layers))]}).encode()
    ti = tarfile.TarInfo("config.json"); ti.size = len(config); out.addfile(ti, io.BytesIO(config))
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["bench:latest"], "Layers": names}]).encode()
    ti = tarfile.TarInfo("manifest.json"); ti.size = len(manifest); out.addfile(ti, io.BytesIO(manifest))
    out.close()
b = layer_tar(base)
write_image(os.path.join(work, "plain.tar"), [b, layer_tar(small)])
write_image(os.path.join(work, "whiteouts.tar"), [b, layer_tar(whiteouts)])
PY

median() {  # median wall seconds of 5 runs of: whittle waste IMAGE
  local img=$1 t
  for i in 1 2 3 4 5; do
    local s e
    s=$(date +%s.%N)
    "$WHITTLE" waste "$img" >/dev/null
    e=$(date +%s.%N)
    python3 -c "print($e - $s)"
  done | sort -n | sed -n 3p
}
"$WHITTLE" waste "$WORK/plain.tar" >/dev/null  # warm the page cache
"$WHITTLE" waste "$WORK/whiteouts.tar" >/dev/null
plain=$(median "$WORK/plain.tar")
wh=$(median "$WORK/whiteouts.tar")
ratio=$(python3 -c "print($wh / $plain)")
printf 'whittle waste, 100,000-file base, median of 5:\n'
printf '  without whiteout layer:                          %.3f s\n' "$plain"
printf '  with 10,000 file + 1,000 dir whiteouts on top:   %.3f s\n' "$wh"
printf '  ratio: %.2fx (target <= 1.5x)\n' "$ratio"
