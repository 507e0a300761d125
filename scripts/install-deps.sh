#!/usr/bin/env bash
# Installs every Debian package whittle's build, tests and benchmarks need.
# The one install list: README.md, .ci/run and bench/ all call this script.
# Idempotent; runs `apt-get update` only when something is missing.
set -euo pipefail

PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # libraries (see docs/architecture.md for why each)
  libisal-dev zlib1g-dev libzstd-dev libssl-dev nlohmann-json3-dev libyaml-dev libsqlite3-dev
  libcurl4-openssl-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # real producers and cross-checkers used by the tests
  tar libarchive-tools busybox-static buildah skopeo umoci podman
  fuse-overlayfs uidmap crun
  # a real Docker Engine (dockerd 20.10) for the docker-daemon: tests; local
  # registries (CNCF distribution, htpasswd), curl, openssl (the token
  # service's JWTs) and script (a pty) for the docker:// tests
  docker.io docker-registry apache2-utils curl openssl bsdutils
  # real package managers that write the package-database test fixtures
  # (tests/data/make_pkg_fixtures.sh); rpm ships rpmbuild
  dpkg-dev rpm python3-pip python3-setuptools python3-wheel
  # compressors used by tests and as benchmark baselines
  gzip isal zstd pigz jq python3 time
)

# node + npm run Microsoft's SARIF Multitool in the tests (npm registry);
# machines that ship Node.js already have them.
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == *"install ok installed"* ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "install-deps: ok (${#PKGS[@]} packages)"
