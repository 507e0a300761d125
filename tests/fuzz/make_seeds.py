#!/usr/bin/env python3
"""Writes the starting seeds of the fuzz targets whose inputs are made from
the test fixtures rather than copied from them (pipeline, image_ref, config,
shell_split, registry, history_match) into tests/fuzz/corpus/TARGET/.

Run once to (re)seed a target, then minimise with `fuzz/run --merge TARGET`,
which replaces the directory with the inputs that add coverage. The
checked-in corpora are that minimised result.

  tests/fuzz/make_seeds.py [TARGET...]
"""
import gzip
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-19"], input=data, check=True, capture_output=True).stdout


def pipeline():
    seeds = {}
    for kind in ("gzip", "zstd", "uncompressed", "estargz"):
        seeds[f"oci-{kind}-image.tar"] = read(DATA, "dive", f"test-oci-{kind}-image.tar")
    seeds["oci-uncompressed-image.tar.gz"] = gzip.compress(seeds["oci-uncompressed-image.tar"], mtime=0)
    seeds["oci-uncompressed-image.tar.zst"] = zstd(seeds["oci-uncompressed-image.tar"])
    for name in ("pax.tar", "gnu-longname.tar", "ustar-whiteouts.tar", "truncated-data.tar"):
        tar = read(CORPUS, "tar", name)
        seeds["layer-" + name] = tar
        seeds["layer-" + name + ".gz"] = gzip.compress(tar, mtime=0)
        seeds["layer-" + name + ".zst"] = zstd(tar)
    return seeds


def image_ref():
    lines = [
        "app.tar", "/abs/path/img", "weird:name.tar", "docker-archive:app.tar", "docker-archive:app.tar:myapp:1.0",
        "docker-archive:app.tar:@2", "oci:layout", "oci:layout:latest", "oci:layout:@0", "oci-archive:img.tar:v2",
        "dir:some/dir", "docker-archive:-", "-", "oci:dir:@x1", "containers-storage:x", "alpine:3.19",
        "bitnami/redis:7", "docker.io/library/alpine\nalpine:latest", "127.0.0.1:5000/a/b:v1", "localhost/app",
        "ghcr.io/o/r@sha256:" + "a" * 64, "linux/arm64/v8", "linux/amd64", "windows/x86_64",
        "docker://ghcr.io/o/r:tag", "docker-daemon:alpine:3.19",
    ]
    return {f"ref-{i:02d}": l.encode() for i, l in enumerate(lines)}


def config():
    seeds = {"dive-ci.yaml": read(DATA, "dive", "dive-ci.yaml")}
    text = read(ROOT, "tests", "cli", "ci.test").decode() + read(ROOT, "tests", "cli", "lint.test").decode()
    for i, m in enumerate(re.finditer(r"^write (\S+) <<END\n(.*?)^END$", text, re.S | re.M)):
        if m.group(1).endswith((".yaml", ".yml", "dive-ci")):
            seeds[f"cli-{i:02d}-{os.path.basename(m.group(1))}"] = m.group(2).encode()
    seeds["hadolint.yaml"] = (b"ignored: [DL3009, DL3015]\noverride:\n  error: [DL3008]\n  info: [DL3059]\n"
                              b"failure-threshold: warning\ntrustedRegistries: [docker.io, \"*\"]\n")
    seeds["anchors.yaml"] = (b"base: &b {maxLayers: 3}\nci:\n  <<: *b\n  maxImageSize: 1MB\n"
                             b"lint: {ignored: [DL3009]}\n")
    return seeds


def shell_split():
    seeds = {}
    files = []
    for d in (os.path.join(DATA, "lint", "corpus"), os.path.join(DATA, "fix")):
        files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith("Dockerfile")]
    for path in files:
        text = open(path, encoding="utf-8", errors="replace").read().replace("\\\n", "\\\n")
        # RUN bodies, continuation lines joined as the parser hands them over.
        for i, m in enumerate(re.finditer(r"^RUN\s+((?:[^\n]*\\\n)*[^\n]*)", text, re.M)):
            body = m.group(1)
            if body.startswith("["):
                continue
            seeds[f"{os.path.basename(path)}-{i:02d}"] = body.encode()
    seeds["sh-c-nested"] = b"sh -c 'bash -c \"apt-get update && apt-get install -y x\"' || true"
    seeds["groups"] = b"set -eux; (cd /tmp && make) ; { echo a; echo b; } | tee log &"
    return seeds


def registry():
    seeds = {
        "challenge-bearer": b"\x00Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                            b"scope=\"repository:library/alpine:pull\"",
        "challenge-basic": b"\x04Basic realm=\"Registry\"",
        "token": b"\x01{\"token\":\"abc\",\"access_token\":\"abc\",\"expires_in\":300}",
        "token-access": b"\x05{\"access_token\":\"xyz\"}",
        "error-errors": b"\x02{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}",
        "error-message": b"\x06{\"message\":\"pull access denied\"}",
        "base64": b"\x01dXNlcjpwYXNz",
    }
    for name in sorted(os.listdir(os.path.join(CORPUS, "image_json"))):
        body = read(CORPUS, "image_json", name)
        # image_json's first byte picks the parser; odd is a manifest/index.
        if body[:1] and body[0] % 2 == 1:
            seeds["manifest-" + name] = b"\x03" + body[1:]
    return seeds


def history_match():
    d = os.path.join(DATA, "explain")
    seeds = {}
    for df in ("Dockerfile.naive", "Dockerfile.slim", "Dockerfile.stages", "Dockerfile.heredoc"):
        for cfg in sorted(f for f in os.listdir(d) if f.endswith(".config.json")):
            history = json.loads(read(d, cfg)).get("history", [])
            lines = ""
            for h in history:
                lines += "1" if h.get("empty_layer") else "0"
                lines += h.get("created_by", "").replace("\n", "\\n")
                if h.get("comment"):
                    lines += "\t" + h["comment"]
                lines += "\n"
            seeds[f"{df.split('.')[1]}-{cfg.replace('.config.json', '')}"] = (
                read(d, df) + b"\n#---\n" + lines.encode())
    return seeds


TARGETS = {f.__name__: f for f in (pipeline, image_ref, config, shell_split, registry, history_match)}

if __name__ == "__main__":
    for name in sys.argv[1:] or TARGETS:
        out = os.path.join(CORPUS, name)
        os.makedirs(out, exist_ok=True)
        seeds = TARGETS[name]()
        for f, data in seeds.items():
            with open(os.path.join(out, f), "wb") as fh:
                fh.write(data)
        print(f"{name}: {len(seeds)} seeds")
