#!/usr/bin/env bash
# fuzz_run_list: `fuzz/run --list` prints exactly the targets
# tests/fuzz/CMakeLists.txt registers (given as arguments), one per line, so
# a target cannot be fuzzed without being replayed, nor the reverse.
# Usage: run_list_test.sh FUZZ_RUN TARGET...
set -euo pipefail
run=$1
shift
want=$(printf '%s\n' "$@" | sort)
have=$("$run" --list | sort)
if [[ "$want" != "$have" ]]; then
  echo "fuzz/run --list and the CMake targets differ:" >&2
  diff <(echo "$want") <(echo "$have") >&2 || true
  exit 1
fi
echo "fuzz/run --list: $(echo "$have" | wc -l) targets, as in CMake"
