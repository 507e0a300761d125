#!/usr/bin/env bash
# Installs every Debian package whittle's build, tests and benchmarks need.
# The one install list: README.md, .ci/run and bench/ all call this script.
# Idempotent; runs `apt-get update` only when something is missing.
# `--tool`: only what building the whittle binary needs (the CI install step,
# scripts/ci/install-whittle.sh), not the test and benchmark tools.
set -euo pipefail

TOOL_PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # libraries (see docs/architecture.md for why each)
  libisal-dev zlib1g-dev libzstd-dev libssl-dev nlohmann-json3-dev libyaml-dev libsqlite3-dev
  libcurl4-openssl-dev libncurses-dev libpq-dev
)
PKGS=(
  "${TOOL_PKGS[@]}"
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
  # a terminal multiplexer that drives `whittle explore` in its end-to-end test
  tmux
  # the sqlite3 shell: the layer cache test reads and damages the cache file
  sqlite3
  # a real PostgreSQL server for the `whittle scan --db postgres://` store's
  # tests (tests/support/pg_fixture.sh)
  postgresql
  # strace holds a writer at the moment its temp file exists, for the signal
  # test (tests/e2e/signals_test.sh); util-linux's unshare and mount give the
  # full-disk test its private tmpfs
  strace util-linux mount
  # compressors used by tests and as benchmark baselines
  gzip isal zstd pigz jq python3 time
  # shipping (tests/ship/): the man page rendered by man-db, the zsh and fish
  # completions parsed by their shells, the pre-commit hook run by pre-commit,
  # the GitHub Action and GitLab template read with PyYAML
  man-db groff-base zsh fish pre-commit python3-yaml
  # real browsers for `whittle report`'s page test and bench/report_bench.sh
  # (driven by puppeteer-core from npm: Chromium over CDP, Firefox over
  # WebDriver BiDi)
  chromium firefox-esr
)
if [[ ${1:-} == --tool ]]; then
  PKGS=("${TOOL_PKGS[@]}")
fi

# node + npm run Microsoft's SARIF Multitool and puppeteer-core (which drives
# the browsers for the report page test) in the tests (npm registry, installed
# into the build tree by the tests); machines that ship Node.js already have
# them. The tool alone (--tool) does not need them.
[[ ${1:-} == --tool ]] || command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)

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
