#!/usr/bin/env python3
"""Pushes a fleet of 50 images that share bases into a registry, for
`whittle scan`'s end-to-end test (tests/e2e/fleet_scan_test.sh).

    make_fleet_images.py REGISTRY APP.oci-archive.tar SLIM.oci-archive.tar

The bases are the explain fixture's images (tests/data/make_explain_images.sh:
real dpkg databases, apt lists stored then deleted, a toolchain, a scratch
file deleted later), so every image carries explain's findings. Image i
(0..49) is the app image (even i) or base-slim (odd i) plus one layer of
its own: /srv/fleet-i.txt, and for i % 5 == 0 also a /srv/tmp-i.bin that a
last layer deletes (reclaimable bytes of its own). They are pushed as
fleet/svc-NN:v1 and :v2 (NN = i // 2), 25 repositories with two tags each,
through the distribution API (blobs mounted across repositories once
uploaded). Prints one line per image: REPO:TAG DIGEST.
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_archive(path):
    """The manifest, config and blobs of an OCI archive's one image."""
    blobs = {}
    with tarfile.open(path) as t:
        for m in t.getmembers():
            if m.isfile() and m.name.startswith("blobs/sha256/"):
                blobs["sha256:" + m.name.rsplit("/", 1)[1]] = t.extractfile(m).read()
        index = json.loads(t.extractfile("index.json").read())
    manifest = json.loads(blobs[index["manifests"][0]["digest"]])
    config = json.loads(blobs[manifest["config"]["digest"]])
    return manifest, config, blobs


def layer(files):
    """A gzip'd tar of {name: bytes or None (a whiteout)}; (blob, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files.items():
            if data is None:
                d, b = name.rsplit("/", 1)
                name, data = d + "/.wh." + b, b""
            info = tarfile.TarInfo(name.lstrip("/"))
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    tar = raw.getvalue()
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(tar)
    return out.getvalue(), sha(tar)


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Registry:
    def __init__(self, host):
        self.base = "http://" + host
        self.where = {}  # digest -> a repository that has it

    def push_blob(self, repo, digest, data):
        status, _, _ = request("HEAD", f"{self.base}/v2/{repo}/blobs/{digest}")
        if status == 200:
            return
        if digest in self.where:
            status, _, _ = request("POST", f"{self.base}/v2/{repo}/blobs/uploads/?mount={digest}&from={self.where[digest]}")
            if status == 201:
                return
        status, headers, body = request("POST", f"{self.base}/v2/{repo}/blobs/uploads/")
        assert status == 202, (status, body)
        loc = headers["Location"]
        if loc.startswith("/"):
            loc = self.base + loc
        loc += ("&" if "?" in loc else "?") + "digest=" + digest
        status, _, body = request("PUT", loc, data, {"Content-Type": "application/octet-stream"})
        assert status == 201, (status, body)
        self.where[digest] = repo

    def push_manifest(self, repo, tag, manifest):
        data = json.dumps(manifest, separators=(",", ":")).encode()
        status, _, body = request("PUT", f"{self.base}/v2/{repo}/manifests/{tag}", data,
                                  {"Content-Type": manifest["mediaType"]})
        assert status == 201, (status, body)
        return sha(data)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    registry = Registry(sys.argv[1])
    bases = [read_archive(sys.argv[2]), read_archive(sys.argv[3])]
    for i in range(50):
        manifest, config, blobs = bases[i % 2]
        repo, tag = f"fleet/svc-{i // 2:02d}", f"v{i % 2 + 1}"
        layers = [(d["mediaType"], blobs[d["digest"]], None) for d in manifest["layers"]]
        config = json.loads(json.dumps(config))
        config.setdefault("history", [])
        own = {f"/srv/fleet-{i}.txt": (f"image {i}\n" * (64 * (i + 1))).encode()}
        # One layer every image has, whatever its base: the fleet's CA bundle.
        steps = [({"/etc/fleet/ca.pem": b"-----BEGIN CERTIFICATE-----\n" + b"fleet\n" * 2048}, "COPY ca.pem /etc/fleet/"),
                 (own, f"COPY fleet-{i}.txt /srv/")]
        if i % 5 == 0:
            steps[1][0][f"/srv/tmp-{i}.bin"] = hashlib.sha512(str(i).encode()).digest() * 512
            steps.append(({f"/srv/tmp-{i}.bin": None}, f"RUN rm /srv/tmp-{i}.bin"))
        for files, created_by in steps:
            blob, diff_id = layer(files)
            layers.append(("application/vnd.oci.image.layer.v1.tar+gzip", blob, diff_id))
            config["rootfs"]["diff_ids"].append(diff_id)
            config["history"].append({"created": "2026-11-30T00:00:00Z", "created_by": "/bin/sh -c #(nop) " + created_by})
        config_bytes = json.dumps(config, separators=(",", ":")).encode()
        new = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(config_bytes),
                       "size": len(config_bytes)},
            "layers": [],
        }
        for media_type, blob, _ in layers:
            registry.push_blob(repo, sha(blob), blob)
            new["layers"].append({"mediaType": media_type, "digest": sha(blob), "size": len(blob)})
        registry.push_blob(repo, sha(config_bytes), config_bytes)
        print(f"{repo}:{tag} {registry.push_manifest(repo, tag, new)}")


if __name__ == "__main__":
    main()
