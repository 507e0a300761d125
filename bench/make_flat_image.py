"""Writes a docker-archive with one layer of N empty regular files.

The shape of issue #16's scaling figures: directories of 1,000 empty files
each ("d000123/f000456"), one directory member before its files, so the
layer holds N files plus N/1000 directories. Headers are written directly
(ustar, 512 bytes per member) so a million entries take seconds.

usage: python3 bench/make_flat_image.py N OUT.tar
"""
import hashlib
import json
import sys
import tarfile
import io

PER_DIR = 1000


def header(name, typeflag, mode):
    h = bytearray(512)
    nb = name.encode()
    h[0:len(nb)] = nb
    h[100:108] = b"%07o\0" % mode
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = b"00000000000\0"
    h[136:148] = b"14700000000\0"
    h[148:156] = b"        "
    h[156:157] = typeflag
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def layer_tar(n):
    parts = []
    for i in range(n):
        if i % PER_DIR == 0:
            parts.append(header("d%06d/" % (i // PER_DIR), b"5", 0o755))
        parts.append(header("d%06d/f%06d" % (i // PER_DIR, i % PER_DIR), b"0", 0o644))
    parts.append(bytes(1024))
    return b"".join(parts)


def write_image(path, layers):
    with tarfile.open(path, "w") as out:
        diff_ids, names = [], []
        for i, data in enumerate(layers):
            name = "l%d/layer.tar" % i
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            out.addfile(ti, io.BytesIO(data))
            diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest())
            names.append(name)
        config = json.dumps({"architecture": "amd64", "os": "linux",
                             "rootfs": {"type": "layers", "diff_ids": diff_ids},
                             "history": [{"created_by": "layer %d" % i} for i in range(len(layers))]}).encode()
        ti = tarfile.TarInfo("config.json")
        ti.size = len(config)
        out.addfile(ti, io.BytesIO(config))
        manifest = json.dumps([{"Config": "config.json", "RepoTags": ["scale:latest"], "Layers": names}]).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(manifest)
        out.addfile(ti, io.BytesIO(manifest))


if __name__ == "__main__":
    n, out = int(sys.argv[1]), sys.argv[2]
    write_image(out, [layer_tar(n)])
