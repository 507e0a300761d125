#!/usr/bin/env python3
"""A registry token service for the docker:// tests (tests/data/registry_fixture.sh).

Speaks the Docker token protocol that Debian's docker-registry (CNCF
distribution) checks with `auth: token:`: GET /token?service=S&scope=SCOPE
(Basic credentials optional) answers {"token": JWT, "access_token": JWT}.
The JWT is RS256, signed by `openssl dgst` with KEY; its header carries the
self-signed certificate CERT (x5c), which the registry trusts as its root
bundle.

It also speaks the OAuth2 refresh-token grant of the distribution spec's
token authentication: POST /token with an application/x-www-form-urlencoded
body grant_type=refresh_token, service, scope, client_id and refresh_token
answers {"access_token": JWT}. A refresh token is valid when REFRESH (lines
"user:refresh_token") names it; it grants what that user's password would.

Grants:
  * user and password from USERS (lines "user:password"): every action asked for;
  * anonymous: "pull" on repositories under ANON_PREFIX only;
  * a wrong user or password: 401.

Each request is logged to LOG as one line: the scope, who asked
("anonymous" or the user name, never a password) and the actions granted,
so a test can see the exchange happened. A POST's line starts "oauth" and
names the form's fields in order with their values, but the refresh
token's value only as "<valid>" or "<invalid>".

  token_server.py PORT_FILE KEY CERT ISSUER SERVICE USERS ANON_PREFIX LOG [REFRESH]
"""
import base64
import http.server
import json
import os
import subprocess
import sys
import time
import urllib.parse

PORT_FILE, KEY, CERT, ISSUER, SERVICE, USERS, ANON_PREFIX, LOG = sys.argv[1:9]
REFRESH = sys.argv[9] if len(sys.argv) > 9 else None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cert_der_b64():
    der = subprocess.run(["openssl", "x509", "-in", CERT, "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return base64.b64encode(der).decode()


X5C = cert_der_b64()
with open(USERS) as f:
    ACCOUNTS = dict(line.rstrip("\n").split(":", 1) for line in f if ":" in line)
REFRESH_TOKENS = {}  # refresh token -> user
if REFRESH:
    with open(REFRESH) as f:
        for line in f:
            if ":" in line:
                user, tok = line.rstrip("\n").split(":", 1)
                REFRESH_TOKENS[tok] = user


def sign(claims):
    header = {"typ": "JWT", "alg": "RS256", "x5c": [X5C]}
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEY],
                         input=signing_input, check=True, capture_output=True).stdout
    return signing_input.decode() + "." + b64url(sig)


def parse_scope(scope):
    # repository:NAME:ACTION[,ACTION]; NAME may hold no ':' (no port in a repository name).
    parts = scope.split(":")
    if len(parts) != 3:
        return None
    return {"type": parts[0], "name": parts[1], "actions": [a for a in parts[2].split(",") if a]}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # no stderr chatter
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        query = urllib.parse.parse_qs(url.query)
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                name, password = base64.b64decode(auth[6:]).decode().split(":", 1)
            except Exception:
                name, password = "", None
            if ACCOUNTS.get(name) != password:
                self.log_line(query, "refused:" + name, [])
                body = json.dumps({"details": "incorrect username or password"}).encode()
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            user = name
        self.grant(query, user)

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode()
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
        form = dict(pairs)
        tok = form.get("refresh_token")
        user = REFRESH_TOKENS.get(tok) if tok else None
        shown = " ".join("%s=%s" % (k, ("<valid>" if user else "<invalid>") if k == "refresh_token" else v)
                         for k, v in pairs)
        ok = (self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded") and
              form.get("grant_type") == "refresh_token" and form.get("client_id") and
              form.get("service") == SERVICE and user is not None and
              "Authorization" not in self.headers and "Expect" not in self.headers)
        with open(LOG, "a") as f:
            f.write("oauth %s authorization=%s -> %s\n" %
                    (shown, "yes" if "Authorization" in self.headers else "no", "granted" if ok else "refused"))
        if not ok:
            body = json.dumps({"error": "invalid_grant"}).encode()
            self.send_response(400 if user is not None else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.grant({"scope": [form.get("scope", "")], "service": [form["service"]]}, user, oauth=True)

    def grant(self, query, user, oauth=False):
        access = []
        for scope in query.get("scope", []):
            for one in scope.split(" "):
                a = parse_scope(one)
                if a is None or a["type"] != "repository":
                    continue
                if user is None:
                    if not a["name"].startswith(ANON_PREFIX):
                        continue
                    a["actions"] = [x for x in a["actions"] if x == "pull"]
                access.append(a)
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": user or "", "aud": query.get("service", [""])[0],
                  "exp": now + 300, "nbf": now - 10, "iat": now, "jti": str(time.time_ns()),
                  "access": access}
        token = sign(claims)
        self.log_line(query, user or "anonymous", access)
        answer = {"token": token, "access_token": token, "expires_in": 300}
        if oauth:  # the OAuth2 answer has no "token", only "access_token"
            del answer["token"]
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_line(self, query, who, access):
        granted = ";".join(a["name"] + ":" + ",".join(a["actions"]) for a in access)
        with open(LOG, "a") as f:
            f.write("token scope=%s who=%s granted=%s\n" % (" ".join(query.get("scope", [])), who, granted))


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
