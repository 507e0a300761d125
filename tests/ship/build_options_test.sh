#!/usr/bin/env bash
# -DWHITTLE_BUILD_TESTS=OFF (or -DBUILD_TESTING=OFF) configures the tool
# alone: the whittle target and its libraries, no test, perf or test-support
# target, and no GoogleTest lookup.
#   tests/ship/build_options_test.sh SOURCE_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for flag in -DWHITTLE_BUILD_TESTS=OFF -DBUILD_TESTING=OFF; do
  dir=$tmp/${flag#-D}
  cmake -G Ninja -S "$src" -B "$dir" "$flag" >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log" >&2; exit 1; }
  ninja -C "$dir" -t targets all | sed 's/:.*//' >"$tmp/targets"
  grep -qx whittle "$tmp/targets" || { echo "$flag: no whittle target" >&2; exit 1; }
  if grep -E '(_test|_perftest|_replay|golden_driver|whittle_testing|image_builder)$' "$tmp/targets" | grep -v '/' ; then
    echo "$flag: test targets are configured" >&2
    exit 1
  fi
  if grep -q '^GTest_DIR:' "$dir/CMakeCache.txt"; then
    echo "$flag: GoogleTest was looked up" >&2
    exit 1
  fi
  grep -q 'WHITTLE_BUILD_TESTS:BOOL=OFF' "$dir/CMakeCache.txt"
done
# The default still configures the tests.
cmake -G Ninja -S "$src" -B "$tmp/default" >/dev/null
# (the list goes to a file first: `grep -q` stops reading early, and under
# pipefail ninja's SIGPIPE would fail the test at random)
ninja -C "$tmp/default" -t targets all | sed 's/:.*//' >"$tmp/default_targets"
grep -qx cli_unit_test "$tmp/default_targets"
echo "build options: ok"
