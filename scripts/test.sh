#!/usr/bin/env bash
# Builds whittle and runs the whole test suite (the command README.md and
# .ci/run use). `--sanitize` builds with ASan+UBSan in build-asan instead.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/install-deps.sh"

BUILD=${BUILD_DIR:-$ROOT/build}
EXTRA=()
if [[ ${1:-} == --sanitize ]]; then
  BUILD=${BUILD_DIR:-$ROOT/build-asan}
  EXTRA=(-DWHITTLE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DWHITTLE_BUILD_TESTS=ON "${EXTRA[@]}"
cmake --build "$BUILD" -j "$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j 2
