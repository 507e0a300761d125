#!/usr/bin/env bash
# Puts a whittle binary on the PATH of a CI job (the GitHub Action's and the
# GitLab template's install step):
#   - WHITTLE_BIN set: that binary (a prebuilt or already installed one);
#   - else `whittle` already on PATH: that one;
#   - else builds this checkout with the tests off (-DWHITTLE_BUILD_TESTS=OFF),
#     after installing the toolchain and libraries (install-deps.sh --tool).
# The binary is linked as DEST/whittle; DEST (default $RUNNER_TEMP/whittle-bin
# or /tmp/whittle-bin) is appended to $GITHUB_PATH when that is set.
#   scripts/ci/install-whittle.sh [DEST]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-${RUNNER_TEMP:-/tmp}/whittle-bin}
mkdir -p "$dest"
bin=${WHITTLE_BIN:-}
if [[ -z $bin ]] && command -v whittle >/dev/null 2>&1; then
  bin=$(command -v whittle)
fi
if [[ -z $bin ]]; then
  "$root/scripts/install-deps.sh" --tool
  build=${WHITTLE_BUILD_DIR:-$dest/build}
  cmake -G Ninja -S "$root" -B "$build" -DWHITTLE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target whittle
  bin=$build/whittle
fi
[[ -x $bin ]] || { echo "install-whittle: $bin is not an executable" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[[ $bin == "$dest/whittle" ]] || ln -sf "$bin" "$dest/whittle"
if [[ -n ${GITHUB_PATH:-} ]]; then echo "$dest" >>"$GITHUB_PATH"; fi
"$dest/whittle" --version | head -2
