#!/usr/bin/env bash
# Two local registries for the docker:// tests (tests/e2e/registry_cli_test.cc),
# started and stopped as a CTest fixture:
#
#   tests/data/registry_fixture.sh start DIR REAL_IMAGES
#   tests/data/registry_fixture.sh stop DIR
#
# Debian's docker-registry (CNCF distribution) on 127.0.0.1, each on an
# ephemeral port (DIR/open.port, DIR/auth.port), storage under DIR, request
# logs (with the access log: one line per request) in DIR/*.log:
#   open   no auth; holds whittle/test:v2s2 (Docker v2s2, gzip), :oci (OCI,
#          gzip), :zstd (OCI, zstd), whittle/umoci:1 and whittle/multi:1, an
#          OCI index of linux/amd64 (whittle-test) and linux/arm64/v8
#          (whittle-small), built as the layout DIR/platform-index
#          (tests/support/make_platform_index.py) and pushed with --all
#   auth   htpasswd basic auth (user whittle, password DIR/auth.password);
#          holds whittle/test:oci
#   token  token auth (`auth: token:`) against tests/support/token_server.py
#          on DIR/tokensrv.port (log DIR/tokensrv.log): user whittle with
#          DIR/auth.password gets any action, and so does the OAuth2
#          refresh token DIR/token.refresh-token (POST /token); anonymous
#          gets pull on whittle/public* only. Holds whittle/test:oci and whittle/public:oci.
#   fault  tests/support/fault_server.py (DIR/fault.port): the oci/ layout
#          served as any repository (tags: its ref names), misbehaving as
#          DIR/faults.json says (the tests write it); its log is DIR/fault.log
# Images come from tests/data/make_real_images.sh's layouts, pushed with
# skopeo copy --dest-tls-verify=false. `stop` kills the PIDs `start` wrote.
set -euo pipefail

cmd=${1:-}
DIR=${2:-}
if [[ -z $cmd || -z $DIR ]]; then
  echo "usage: $0 start DIR REAL_IMAGES | stop DIR" >&2
  exit 2
fi

SRC=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/support/registry_lib.sh
source "$SRC/tests/support/registry_lib.sh"
stop() { stop_registries "$DIR"; }

case $cmd in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "$0: unknown command $cmd" >&2; exit 2 ;;
esac
IMAGES=${3:?REAL_IMAGES directory}
command -v docker-registry >/dev/null || { echo "$0: docker-registry not installed (scripts/install-deps.sh)" >&2; exit 1; }
stop 2>/dev/null || true
rm -rf "$DIR"
mkdir -p "$DIR"
ln -s "$(cd "$IMAGES" && pwd)" "$DIR/images"

# start NAME [AUTH_YAML]: one registry, DIR/NAME.{yml,log,pid,port}
start() {
  start_registry "$DIR" "$1" ${2:+--config "$2"} || { stop; exit 1; }
}

head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/auth.password"
htpasswd -Bbn whittle "$(cat "$DIR/auth.password")" >"$DIR/htpasswd"
start open

# The token service: an RSA key and its self-signed certificate, which the
# registry takes as its root bundle (the token's x5c header carries it).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=whittle-token-issuer \
  -keyout "$DIR/token.key" -out "$DIR/token.crt" 2>/dev/null
printf 'whittle:%s\n' "$(cat "$DIR/auth.password")" >"$DIR/token.users"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/token.refresh-token"
printf 'whittle:%s\n' "$(cat "$DIR/token.refresh-token")" >"$DIR/token.refresh"
python3 "$SRC/tests/support/token_server.py" "$DIR/tokensrv.port" "$DIR/token.key" "$DIR/token.crt" \
  whittle-token-issuer whittle-registry "$DIR/token.users" whittle/public "$DIR/tokensrv.log" \
  "$DIR/token.refresh" >"$DIR/tokensrv.out" 2>&1 &
echo $! >"$DIR/tokensrv.pid"
for _ in $(seq 100); do [[ -s $DIR/tokensrv.port ]] && break; sleep 0.1; done
[[ -s $DIR/tokensrv.port ]] || { echo "$0: the token server did not start" >&2; stop; exit 1; }
start token "auth:
  token:
    realm: http://127.0.0.1:$(cat "$DIR/tokensrv.port")/token
    service: whittle-registry
    issuer: whittle-token-issuer
    rootcertbundle: $DIR/token.crt"
start auth "auth:
  htpasswd:
    realm: whittle-test
    path: $DIR/htpasswd"

echo '[]' >"$DIR/faults.json"
python3 "$SRC/tests/support/fault_server.py" "$DIR/fault.port" "$IMAGES/oci" "$DIR/faults.json" "$DIR/fault.log" \
  >"$DIR/fault.out" 2>&1 &
echo $! >"$DIR/fault.pid"
for _ in $(seq 100); do [[ -s $DIR/fault.port ]] && break; sleep 0.1; done
[[ -s $DIR/fault.port ]] || { echo "$0: the fault server did not start" >&2; stop; exit 1; }

OPEN=127.0.0.1:$(cat "$DIR/open.port")
AUTH=127.0.0.1:$(cat "$DIR/auth.port")
TOKEN=127.0.0.1:$(cat "$DIR/token.port")
export REGISTRY_AUTH_FILE=$DIR/skopeo-auth.json  # keep skopeo away from the user's logins
SK=(skopeo copy -q --dest-tls-verify=false)
"${SK[@]}" --format v2s2 "oci:$IMAGES/oci:whittle-test" "docker://$OPEN/whittle/test:v2s2"
"${SK[@]}" --format oci "oci:$IMAGES/oci:whittle-test" "docker://$OPEN/whittle/test:oci"
# skopeo would substitute the gzip blobs its blob-info cache knows for the
# same layers: push the zstd form with an empty, throw-away cache.
mkdir -p /var/lib/containers/cache
unshare --mount --propagation private -- sh -c 'mount -t tmpfs tmpfs /var/lib/containers/cache && exec "$@"' _ \
  "${SK[@]}" --format oci "oci:$IMAGES/oci-zstd" "docker://$OPEN/whittle/test:zstd"
"${SK[@]}" --format oci "oci:$IMAGES/umoci:latest" "docker://$OPEN/whittle/umoci:1"
python3 "$SRC/tests/support/make_platform_index.py" "$DIR/platform-index" "$IMAGES/oci:whittle-test" \
  "$IMAGES/multi:second"
"${SK[@]}" --all "oci:$DIR/platform-index:multi" "docker://$OPEN/whittle/multi:1"
"${SK[@]}" --format oci --dest-creds "whittle:$(cat "$DIR/auth.password")" "oci:$IMAGES/oci:whittle-test" \
  "docker://$AUTH/whittle/test:oci"
for repo in whittle/test whittle/public; do
  "${SK[@]}" --format oci --dest-creds "whittle:$(cat "$DIR/auth.password")" "oci:$IMAGES/oci:whittle-test" \
    "docker://$TOKEN/$repo:oci"
done
echo "registry fixture: open on $OPEN, auth on $AUTH, token on $TOKEN"
