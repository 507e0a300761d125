#!/usr/bin/env bash
# A private Docker Engine for the docker-daemon: tests (tests/e2e/engine_cli_test.cc),
# started and stopped as a CTest fixture:
#
#   tests/data/engine_fixture.sh start DIR REAL_IMAGES   dockerd on unix://DIR/docker.sock
#   tests/data/engine_fixture.sh stop DIR                stops the dockerd started above (by PID)
#
# dockerd (Debian's docker.io) runs with its own --data-root and --exec-root
# under DIR, a private socket, no iptables and no bridge. `start` loads
# REAL_IMAGES/docker-archive.tar (tests/data/make_real_images.sh) as
# whittle-test:latest, builds whittle-built:latest from a FROM-scratch
# Dockerfile with BuildKit, and writes the Engine's own `docker save` of both
# to DIR/whittle-test.save.tar and DIR/whittle-built.save.tar.
#
# Beside it, Podman's Engine-compatible API: `podman system service` on
# unix://DIR/podman.sock, with its own storage under DIR/podman (the storage
# flags of ../shared/corpus/lib.sh, vfs driver), holding the same
# REAL_IMAGES/docker-archive.tar loaded as whittle-test:latest, and podman's
# own `podman save` of it in DIR/whittle-test.podman-save.tar.
set -euo pipefail

cmd=${1:-}
DIR=${2:-}
if [[ -z $cmd || -z $DIR ]]; then
  echo "usage: $0 start DIR REAL_IMAGES | stop DIR" >&2
  exit 2
fi
PIDF=$DIR/dockerd.pid
SOCK=$DIR/docker.sock
DOCKER=(/usr/bin/docker --host "unix://$SOCK")

PODMAN=(podman --storage-driver vfs --root "$DIR/podman/root" --runroot "$DIR/podman/run"
  --cgroup-manager cgroupfs --events-backend file)

stop() {
  if [[ -s $DIR/podman.pid ]]; then
    local ppid
    ppid=$(cat "$DIR/podman.pid")
    kill "$ppid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$ppid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$DIR/podman.pid"
  fi
  if [[ -s $PIDF ]]; then
    local pid
    pid=$(cat "$PIDF")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$PIDF"
  fi
}

case $cmd in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *)
    echo "$0: unknown command $cmd" >&2
    exit 2
    ;;
esac

IMAGES=${3:?REAL_IMAGES directory}
command -v dockerd >/dev/null || { echo "$0: dockerd not installed (scripts/install-deps.sh)" >&2; exit 1; }
stop
mkdir -p "$DIR"
rm -f "$SOCK"
dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" --host "unix://$SOCK" --pidfile "$PIDF" \
  --iptables=false --ip-masq=false --bridge=none >"$DIR/dockerd.log" 2>&1 &
for _ in $(seq 150); do "${DOCKER[@]}" version >/dev/null 2>&1 && break; sleep 0.2; done
if ! "${DOCKER[@]}" version >/dev/null 2>&1; then
  tail -20 "$DIR/dockerd.log" >&2
  stop
  exit 1
fi

"${DOCKER[@]}" load -q -i "$IMAGES/docker-archive.tar" >/dev/null
"${DOCKER[@]}" tag "$("${DOCKER[@]}" images -q | head -1)" whittle-test:latest
"${DOCKER[@]}" save -o "$DIR/whittle-test.save.tar" whittle-test:latest

CTX=$DIR/ctx
rm -rf "$CTX"
mkdir -p "$CTX"
cp /bin/busybox "$CTX/busybox"
cat >"$CTX/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /data && echo hello > /data/a.txt && /bin/busybox ln -s a.txt /data/link"]
RUN ["/bin/busybox", "rm", "/data/a.txt"]
DOCKERFILE
DOCKER_BUILDKIT=1 "${DOCKER[@]}" build -q --network=host -t whittle-built:latest "$CTX" >"$DIR/build.log" 2>&1 ||
  { tail -20 "$DIR/build.log" >&2; stop; exit 1; }
"${DOCKER[@]}" save -o "$DIR/whittle-built.save.tar" whittle-built:latest
command -v podman >/dev/null || { echo "$0: podman not installed (scripts/install-deps.sh)" >&2; stop; exit 1; }
"${PODMAN[@]}" load -q -i "$IMAGES/docker-archive.tar" >/dev/null
"${PODMAN[@]}" tag "$("${PODMAN[@]}" images -q | head -1)" whittle-test:latest
rm -f "$DIR/whittle-test.podman-save.tar"
"${PODMAN[@]}" save -q --format docker-archive -o "$DIR/whittle-test.podman-save.tar" whittle-test:latest
rm -f "$DIR/podman.sock"
"${PODMAN[@]}" system service --time=0 "unix://$DIR/podman.sock" >"$DIR/podman.log" 2>&1 &
echo $! >"$DIR/podman.pid"
for _ in $(seq 100); do curl -sf --unix-socket "$DIR/podman.sock" http://d/_ping >/dev/null && break; sleep 0.2; done
curl -sf --unix-socket "$DIR/podman.sock" http://d/_ping >/dev/null || { tail -20 "$DIR/podman.log" >&2; stop; exit 1; }
echo "engine fixture: dockerd PID $(cat "$PIDF") on unix://$SOCK"
