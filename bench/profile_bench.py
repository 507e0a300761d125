"""Driver for bench/profile_bench.sh (see there for the targets)."""
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import compare  # noqa: E402

whittle, export, archive, ref, runs = sys.argv[1:6]
runs = int(runs)


def layout_layers(layout, ref_name):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    for m in index["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref_name:
            digest = m["digest"].split(":", 1)[1]
            with open(os.path.join(layout, "blobs", "sha256", digest)) as f:
                manifest = json.load(f)
            return [os.path.join(layout, "blobs", "sha256", l["digest"].split(":", 1)[1])
                    for l in manifest["layers"]]
    raise SystemExit(f"{ref_name} not in {layout}")


with tempfile.TemporaryDirectory(prefix="whittle-bench-") as tmp:
    # The 11 layer tars of the docker-archive, extracted beforehand.
    with open(archive, "rb") as f:
        manifest = None
        with tarfile.open(fileobj=f) as t:
            manifest = json.load(t.extractfile("manifest.json"))[0]
            for i, name in enumerate(manifest["Layers"]):
                with open(os.path.join(tmp, "%02d.tar" % i), "wb") as out:
                    shutil.copyfileobj(t.extractfile(name), out, 1 << 20)
    layer_tars = sorted(os.path.join(tmp, n) for n in os.listdir(tmp))
    entries = 0
    for lt in layer_tars:
        out = subprocess.run(["tar", "-tf", lt], capture_output=True, check=True).stdout
        entries += out.count(b"\n")
    print(f"driftwood:naive: {len(layer_tars)} layers, {entries} tar entries, "
          f"{os.path.getsize(archive) / 2**20:.0f} MiB docker-archive")
    tar_loop = "for f in %s; do tar -tf \"$f\"; done >/dev/null" % " ".join(layer_tars)

    results = []
    r1, rss1 = compare("1. docker-archive: whittle profile vs tar -tf over the layer tars",
                       [whittle, "profile", "docker-archive:" + archive], tar_loop, runs, 1.0,
                       b_label="tar -tf")
    gz_layers = layout_layers(os.path.join(export, "oci-gzip"), ref)
    igzip_loop = "for f in %s; do igzip -dc \"$f\"; done >/dev/null" % " ".join(gz_layers)
    r2, rss2 = compare("2. gzip OCI layout: whittle profile (digests checked) vs igzip -dc over the blobs",
                       [whittle, "profile", "oci:%s:%s" % (os.path.join(export, "oci-gzip"), ref)],
                       igzip_loop, runs, 1.15, b_label="igzip -dc")
    zst_layers = layout_layers(os.path.join(export, "oci-zstd"), ref)
    zstd_loop = "for f in %s; do zstd -qdc \"$f\"; done >/dev/null" % " ".join(zst_layers)
    r3, rss3 = compare("3. zstd OCI layout: whittle profile (digests checked) vs zstd -dc over the blobs",
                       [whittle, "profile", "oci:%s:%s" % (os.path.join(export, "oci-zstd"), ref)],
                       zstd_loop, runs, 1.15, b_label="zstd -dc")
    budget = 64 * 2**20 + 150 * entries
    peak = max(rss1, rss2, rss3)
    print("4. peak RSS: %.1f MiB, budget 64 MiB + 150 B x %d entries = %.1f MiB (%s)"
          % (peak / 2**20, entries, budget / 2**20, "MET" if peak <= budget else "NOT MET"))
