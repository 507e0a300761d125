#!/usr/bin/env python3
"""Builds a two-platform OCI image index for the docker:// tests.

  make_platform_index.py OUT SRC_AMD64:REF SRC_ARM64:REF

OUT becomes an OCI layout whose index.json has one entry (ref "multi"), an
image index with two manifests: linux/amd64 is SRC_AMD64's image as it is;
linux/arm64/v8 is SRC_ARM64's image with "architecture": "arm64" and
"variant": "v8" written into its config (so a new config and manifest
digest). Blobs are copied, the layers unchanged. The registry fixture pushes
it with `skopeo copy --all`.
"""
import hashlib
import json
import os
import shutil
import sys


def load_manifest(layout, ref):
    index = json.load(open(os.path.join(layout, "index.json")))
    for m in index["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref:
            return m
    sys.exit("%s: no ref %s" % (layout, ref))


def blob(layout, digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])


def put(out, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob(out, digest), "wb") as f:
        f.write(data)
    return digest, len(data)


def copy_image(out, layout, desc, arch=None, variant=None):
    manifest = json.load(open(blob(layout, desc["digest"]), "rb"))
    for layer in manifest["layers"]:
        shutil.copyfile(blob(layout, layer["digest"]), blob(out, layer["digest"]))
    config = json.load(open(blob(layout, manifest["config"]["digest"]), "rb"))
    if arch:
        config["architecture"] = arch
        if variant:
            config["variant"] = variant
    cdigest, csize = put(out, json.dumps(config, separators=(",", ":")).encode())
    manifest["config"]["digest"], manifest["config"]["size"] = cdigest, csize
    mdigest, msize = put(out, json.dumps(manifest, separators=(",", ":")).encode())
    platform = {"architecture": config["architecture"], "os": config.get("os", "linux")}
    if config.get("variant"):
        platform["variant"] = config["variant"]
    return {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest, "size": msize,
            "platform": platform}


out, amd64, arm64 = sys.argv[1:4]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(os.path.join(out, "blobs", "sha256"))
with open(os.path.join(out, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
entries = []
for spec, arch, variant in ((amd64, "amd64", None), (arm64, "arm64", "v8")):
    layout, ref = spec.rsplit(":", 1)
    entries.append(copy_image(out, layout, load_manifest(layout, ref), arch, variant))
idx = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
idigest, isize = put(out, json.dumps(idx, separators=(",", ":")).encode())
top = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                                          "digest": idigest, "size": isize,
                                          "annotations": {"org.opencontainers.image.ref.name": "multi"}}]}
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump(top, f)
