#!/usr/bin/env python3
"""A registry that misbehaves on purpose, for the docker:// fault tests.

  fault_server.py PORT_FILE LAYOUT FAULTS LOG

Serves the OCI layout LAYOUT read-only as the v2 API of any repository: no
auth, GET/HEAD /v2/, /v2/REPO/manifests/REF (REF: a ref name of LAYOUT's
index.json or a digest) and /v2/REPO/blobs/DIGEST, with `Range: bytes=N-`
answered 206 (like the real registry). /storage/DIGEST serves the same
blobs (the target of the "redirect" fault).

FAULTS is a JSON list of rules, re-read whenever the file changes (and the
rule counters reset then). The first rule whose "path" is a substring of
the request path and whose "times" is not used up applies:
  {"path": "/blobs/", "times": 2, "fault": "status", "code": 429, "retry_after": 1}
  {"fault": "drop", "after": N}      send the headers and N body bytes, then close
  {"fault": "stall", "after": N}     send N bytes, then send nothing (until the client leaves)
  {"fault": "corrupt"}               flip one byte of the body (offset "at", default the middle)
  {"fault": "norange"}               ignore Range: answer 200 with the whole body
  {"fault": "redirect"}              307 to /storage/DIGEST
  {"fault": "redirect-loop"}         302 to the same path, forever
"times" defaults to unlimited. Every request is logged to LOG as one line:
"METHOD PATH range=R -> STATUS [fault]".
"""
import http.server
import json
import os
import sys
import threading
import time

PORT_FILE, LAYOUT, FAULTS, LOG = sys.argv[1:5]
lock = threading.Lock()
state = {"mtime": None, "rules": [], "used": []}


def current_rules():
    try:
        mtime = os.stat(FAULTS).st_mtime_ns
    except FileNotFoundError:
        mtime = None
    if mtime != state["mtime"]:
        state["mtime"] = mtime
        state["rules"] = json.load(open(FAULTS)) if mtime is not None else []
        state["used"] = [0] * len(state["rules"])
    return state["rules"]


def take_rule(path):
    with lock:
        rules = current_rules()
        for i, r in enumerate(rules):
            if r.get("path", "") in path and ("times" not in r or state["used"][i] < r["times"]):
                state["used"][i] += 1
                return r
    return None


def blob_path(digest):
    if not digest.startswith("sha256:") or "/" in digest:
        return None
    p = os.path.join(LAYOUT, "blobs", "sha256", digest[7:])
    return p if os.path.isfile(p) else None


def resolve_manifest(ref):
    index = json.load(open(os.path.join(LAYOUT, "index.json")))
    for m in index["manifests"]:
        if m["digest"] == ref or m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref:
            return m["digest"], m["mediaType"]
    if blob_path(ref):
        media = json.load(open(blob_path(ref))).get("mediaType", "application/vnd.oci.image.manifest.v1+json")
        return ref, media
    return None, None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_line(self, status, fault=""):
        with lock, open(LOG, "a") as f:
            f.write("%s %s range=%s -> %s %s\n" % (self.command, self.path, self.headers.get("Range", "-"),
                                                    status, fault))

    def error(self, code, what, extra=None):
        body = json.dumps({"errors": [{"code": what, "message": what.lower()}]}).encode()
        self.send_response(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        rule = take_rule(path)
        fault = rule["fault"] if rule else ""
        if fault == "status":
            extra = {"Retry-After": str(rule["retry_after"])} if "retry_after" in rule else {}
            self.log_line(rule["code"], fault)
            return self.error(rule["code"], "FAULT", extra)
        if fault == "redirect-loop":
            self.log_line(302, fault)
            return self.redirect(302, self.path)
        if path in ("/v2", "/v2/"):
            self.log_line(200)
            return self.send_body(b"{}", "application/json", rule)
        parts = path.split("/")
        if path.startswith("/storage/"):
            digest, media = parts[2], "application/octet-stream"
        elif path.startswith("/v2/") and len(parts) >= 5 and parts[-2] in ("manifests", "blobs"):
            kind, ref = parts[-2], parts[-1]
            if kind == "manifests":
                digest, media = resolve_manifest(ref)
                if digest is None:
                    self.log_line(404)
                    return self.error(404, "MANIFEST_UNKNOWN")
            else:
                digest, media = ref, "application/octet-stream"
                if fault == "redirect" and blob_path(digest):
                    self.log_line(307, fault)
                    return self.redirect(307, "/storage/" + digest)
        else:
            self.log_line(404)
            return self.error(404, "NAME_UNKNOWN")
        p = blob_path(digest)
        if p is None:
            self.log_line(404)
            return self.error(404, "BLOB_UNKNOWN")
        with open(p, "rb") as f:
            data = f.read()
        self.send_body(data, media, rule, digest)

    def redirect(self, code, location):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_body(self, data, media, rule, digest=None):
        fault = rule["fault"] if rule else ""
        start = 0
        rng = self.headers.get("Range", "")
        if rng.startswith("bytes=") and rng.endswith("-") and fault != "norange":
            start = int(rng[6:-1])
        if fault == "corrupt":
            at = rule.get("at", len(data) // 2)
            data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
        status = 206 if start > 0 else 200
        body = data[start:]
        self.log_line(status, fault)
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        if digest:
            self.send_header("Docker-Content-Digest", digest)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if fault in ("drop", "stall"):
            n = rule.get("after", len(body) // 2)
            self.wfile.write(body[:n])
            self.wfile.flush()
            if fault == "stall":
                # Hold the connection open, sending nothing, until the client goes.
                while True:
                    time.sleep(0.2)
                    try:
                        self.connection.getpeername()
                        if self.connection.recv(1, 0x40) == b"":  # MSG_DONTWAIT
                            break
                    except BlockingIOError:
                        continue
                    except OSError:
                        break
            self.close_connection = True
            return
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORT_FILE + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
