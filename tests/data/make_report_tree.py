#!/usr/bin/env python3
"""Writes the build context of bench/report_bench.sh's image: N regular files in
the shape of a real application image, byte for byte the same every run
(seeded sizes and contents):

  usr/lib/python3/dist-packages/pyNNNN/...  about 25% of the files
  usr/share/locale/LL/LC_MESSAGES/*.mo      about 5%
  app/node_modules/[@scope/]pkg/...         about 65%, nested node_modules
  app/src/...                               the rest
  doc/usr/share/doc/pkgNNNN/...             EXTRA files the image deletes
                                            later (reclaimable bytes)

Sizes are log-normal (median about 650 B, mean about 2 KiB, a few of MiBs), so the
treemap has a long tail to fold. Contents repeat a seeded random block,
so they compress about as source code does.

usage: tests/data/make_report_tree.py N OUT_DIR [EXTRA]   (EXTRA default 4000)
       tests/data/make_report_tree.py N --docker-archive OUT.tar
The second form writes the N files (not the docs) straight into a one-layer
docker-archive (fixed owners and mtimes), in seconds: the shape without the
build, for tests/e2e/report_scale_test.sh; OUT.tar.files.json says how many
files it holds and how many of them are empty.
"""
import hashlib
import io
import json
import os
import random
import sys
import tarfile

N = int(sys.argv[1])
ARCHIVE = sys.argv[2] == "--docker-archive"
OUT = sys.argv[3] if ARCHIVE else sys.argv[2]
EXTRA = 0 if ARCHIVE else (int(sys.argv[3]) if len(sys.argv) > 3 else 4000)
rng = random.Random(12)
BLOCK = bytes(rng.getrandbits(8) for _ in range(4096)) + b"function x(a,b){return a+b}\n" * 2048
WORDS = ["core", "util", "http", "parse", "stream", "json", "path", "async", "glob", "color", "yaml", "lodash",
         "react", "dom", "babel", "plugin", "types", "test", "cli", "config", "fs", "net", "crypto", "buffer"]
made = 0
empty = 0  # files of 0 bytes (the log-normal rounds a few down to 0)


def size():
    s = int(rng.lognormvariate(6.5, 1.5))  # median e^6.5 ~ 650 B, mean ~2 KiB
    return min(s, 8 << 20)


def content(n):
    out = []
    off = rng.randrange(len(BLOCK))
    while n > 0:
        chunk = BLOCK[off:off + n]
        out.append(chunk)
        n -= len(chunk)
        off = 0
    return b"".join(out)


LAYER = sys.argv[3] + ".layer.tmp" if ARCHIVE else None
layer_tar = tarfile.open(LAYER, mode="w", format=tarfile.GNU_FORMAT) if ARCHIVE else None
dirs_made = set()


def put(path, n=None):
    global made, empty
    data = content(size() if n is None else n)
    empty += len(data) == 0
    if ARCHIVE:
        rel = os.path.relpath(path, OUT_ROOT)
        parts = rel.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs_made:
                dirs_made.add(d)
                ti = tarfile.TarInfo(d)
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                layer_tar.addfile(ti)
        ti = tarfile.TarInfo(rel)
        ti.size, ti.mode = len(data), 0o644
        layer_tar.addfile(ti, io.BytesIO(data))
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    made += 1


def name():
    return "-".join(rng.sample(WORDS, rng.choice((1, 2, 2, 3))))


def package(root, files, depth=0):
    """A package directory of |files| files in a few nested directories."""
    dirs = [""] + ["lib", "dist", "src", "lib/internal", "dist/esm", "dist/cjs", "types", "test"][: rng.randint(1, 8)]
    for i in range(files):
        d = rng.choice(dirs)
        ext = rng.choice((".js", ".js", ".js", ".d.ts", ".map", ".json", ".md", ".py", ".so"))
        put(os.path.join(root, d, "%s-%d%s" % (name(), i, ext)))


def budget(fraction):
    return int(N * fraction)


OUT_ROOT = "/nonexistent-root" if ARCHIVE else OUT
if ARCHIVE:
    OUT = OUT_ROOT
# Python packages.
target = budget(0.25)
start = made
i = 0
while made - start < target:
    package(os.path.join(OUT, "usr/lib/python3/dist-packages/py%04d" % i), min(rng.randint(5, 200), target - (made - start)))
    i += 1
# Locales.
target = budget(0.05)
start = made
langs = ["%s_%s" % (a, b) for a in ("de", "fr", "es", "it", "pt", "nl", "sv", "pl", "ru", "ja", "zh", "ko")
         for b in ("AA", "BB", "CC", "DD", "EE")]
while made - start < target:
    lang = rng.choice(langs)
    put(os.path.join(OUT, "usr/share/locale", lang, "LC_MESSAGES", "%s-%d.mo" % (name(), made)))
# node_modules, some packages with their own nested node_modules.
target = budget(0.65)
start = made
i = 0
while made - start < target:
    scope = "@%s/" % rng.choice(WORDS) if rng.random() < 0.2 else ""
    root = os.path.join(OUT, "app/node_modules", "%s%s-%d" % (scope, name(), i))
    package(root, min(rng.randint(3, 150), target - (made - start)))
    if rng.random() < 0.1 and made - start < target:
        package(os.path.join(root, "node_modules", name()), min(rng.randint(3, 40), target - (made - start)))
    i += 1
# The application itself: the rest.
while made < N:
    put(os.path.join(OUT, "app/src", "m%03d" % (made % 300), "%s-%d.ts" % (name(), made)))
# Docs, deleted by a later layer.
for j in range(EXTRA):
    put(os.path.join(OUT, "doc/usr/share/doc/pkg%04d" % (j // 8), "%s-%d" % (name(), j)))
if not ARCHIVE:
    print("%d files (+%d deleted later) in %s" % (N, EXTRA, OUT))
    sys.exit(0)

layer_tar.close()
h = hashlib.sha256()
with open(LAYER, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff_id = "sha256:" + h.hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                     "history": [{"created_by": "COPY tree / # %d files" % N}]}).encode()
manifest = json.dumps([{"Config": "config.json", "RepoTags": ["report-scale:latest"],
                         "Layers": ["layer/layer.tar"]}]).encode()
with tarfile.open(sys.argv[3], "w") as out:
    out.add(LAYER, arcname="layer/layer.tar")
    for member, blob in (("config.json", config), ("manifest.json", manifest)):
        ti = tarfile.TarInfo(member)
        ti.size = len(blob)
        out.addfile(ti, io.BytesIO(blob))
os.remove(LAYER)
with open(sys.argv[3] + ".files.json", "w") as f:
    json.dump({"files": N, "empty": empty}, f)
print("%d files (%d empty) in %s (%d bytes)" % (N, empty, sys.argv[3], os.path.getsize(sys.argv[3])))
