#!/usr/bin/env python3
"""Writes explore's fixture image, a docker-archive tar, byte for byte the
same on every machine (fixed mtimes, owners and contents):

  #1 COPY rootfs /      /bin/sh, /etc/{passwd,motd}, a dpkg database owning
                        /usr/bin/hello and its docs, an apt cache
  #2 RUN make app       /app/{main,tmpdata,lib/...}, /etc/passwd rewritten,
                        /usr/share/doc/hello deleted (whiteout), the apt
                        cache emptied (opaque), a symlink /app/current
  #3 RUN rm tmpdata     /app/tmpdata deleted, /app/config.json added

usage: make_explore_image.py OUT.tar [--big N]
  --big N adds a 4th layer with N files in /big (the explore benchmark).
"""
import hashlib, io, json, sys, tarfile

def layer(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for m in members:
            kind, name = m[0], m[1]
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            if kind == "d":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            elif kind == "l":
                ti.type, ti.mode, ti.linkname = tarfile.SYMTYPE, 0o777, m[2]
                t.addfile(ti)
            else:
                data = m[2] if isinstance(m[2], bytes) else b"x" * m[2]
                ti.size, ti.mode = len(data), (m[3] if len(m) > 3 else 0o644)
                if len(m) > 4:
                    ti.uid, ti.gid = m[4]
                    ti.uname = ti.gname = "app"
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()

STATUS = (b"Package: hello\nStatus: install ok installed\nPriority: optional\n"
          b"Architecture: amd64\nVersion: 2.10-3\nDescription: hello\n\n")
LIST = b"/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/share\n/usr/share/doc\n/usr/share/doc/hello\n" \
       b"/usr/share/doc/hello/README\n/usr/share/doc/hello/changelog.gz\n"

def layers(big):
    out = [
        ("COPY rootfs /", [
            ("d", "bin"), ("f", "bin/sh", 9000, 0o755),
            ("d", "etc"), ("f", "etc/passwd", 300), ("f", "etc/motd", 50),
            ("d", "usr"), ("d", "usr/bin"), ("f", "usr/bin/hello", 30000, 0o755),
            ("d", "usr/share"), ("d", "usr/share/doc"), ("d", "usr/share/doc/hello"),
            ("f", "usr/share/doc/hello/README", 4000), ("f", "usr/share/doc/hello/changelog.gz", 6000),
            ("d", "var"), ("d", "var/lib"), ("d", "var/lib/dpkg"), ("f", "var/lib/dpkg/status", STATUS),
            ("d", "var/lib/dpkg/info"), ("f", "var/lib/dpkg/info/hello.list", LIST),
            ("d", "var/cache"), ("d", "var/cache/apt"), ("d", "var/cache/apt/archives"),
            ("f", "var/cache/apt/archives/hello_2.10-3_amd64.deb", 20000),
        ]),
        ("/bin/sh -c make app", [
            ("d", "app"), ("f", "app/main", 50000, 0o755, (1000, 1000)), ("f", "app/tmpdata", 12000),
            ("d", "app/lib"), ("f", "app/lib/libapp.so", 8000), ("f", "app/lib/libapp.a", 16000),
            ("l", "app/current", "/app/main"),
            ("d", "etc"), ("f", "etc/passwd", 350),
            ("d", "usr/share/doc"), ("f", "usr/share/doc/.wh.hello", b""),
            ("d", "var/cache/apt/archives"), ("f", "var/cache/apt/archives/.wh..wh..opq", b""),
        ]),
        ("/bin/sh -c rm /app/tmpdata", [
            ("d", "app"), ("f", "app/.wh.tmpdata", b""), ("f", "app/config.json", b'{"port": 8080}\n'),
        ]),
    ]
    if big:
        out.append(("/bin/sh -c make big", [("d", "big")] +
                    [("f", "big/f%06d" % i, i % 997) for i in range(big)]))
    return out

def main():
    path = sys.argv[1]
    big = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--big" else 0
    out = tarfile.open(path, "w", format=tarfile.GNU_FORMAT)
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        out.addfile(ti, io.BytesIO(data))
    diff_ids, names, history = [], [], []
    for i, (created_by, members) in enumerate(layers(big)):
        data = layer(members)
        name = "l%d/layer.tar" % i
        add(name, data)
        diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest())
        names.append(name)
        history.append({"created": "2026-01-01T00:00:00Z", "created_by": created_by})
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Cmd": ["/app/main"]},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": history}, sort_keys=True).encode()
    add("config.json", config)
    add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["explore:test"],
                                      "Layers": names}]).encode())
    out.close()

main()
