#!/usr/bin/env bash
# Opt-in fuzzing, not part of CI: builds the libFuzzer targets of tests/fuzz/
# with clang, ASan and UBSan (-DWHITTLE_FUZZ=ON) in build-fuzz/, then runs
# each for SECONDS (default 120) from its seed corpus tests/fuzz/corpus/NAME
# and its dictionary tests/fuzz/NAME.dict. New inputs go to
# build-fuzz/fuzz-corpus/TARGET, crashes to build-fuzz/crashes/TARGET/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # TARGET: tar image_json dockerfile pkgdb history_match
#
# clang and its runtime (libFuzzer, sanitizers) are installed here on demand
# rather than by install-deps.sh, so CI machines stay lean.
# Exit 0 when every target ran clean, 1 when one found a crash.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TIME=${1:-120}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(tar image_json dockerfile pkgdb history_match)
BUILD=${BUILD_DIR:-$ROOT/build-fuzz}

missing=()
command -v clang++ >/dev/null 2>&1 || missing+=(clang)
rt_status=$(dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null || true)
[[ "$rt_status" == *"install ok installed"* ]] || missing+=(libclang-rt-14-dev)
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Warnings are not errors here: this build is for finding crashes, and
# clang warns about things GCC's -Werror build (the CI one) does not.
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWHITTLE_FUZZ=ON -DWHITTLE_WERROR=OFF >/dev/null
cmake --build "$BUILD" -j "${JOBS:-2}" --target "${TARGETS[@]/%/_fuzzer}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${TARGETS[@]}"; do
  case $t in
    image_json) seeds=json ;;
    *) seeds=$t ;;
  esac
  work=$BUILD/fuzz-corpus/$t
  crashes=$BUILD/crashes/$t
  mkdir -p "$work" "$crashes"
  dict=()
  [[ -f $ROOT/tests/fuzz/$seeds.dict ]] && dict=(-dict="$ROOT/tests/fuzz/$seeds.dict")
  seed_dirs=()
  [[ -d $ROOT/tests/fuzz/corpus/$seeds ]] && seed_dirs=("$ROOT/tests/fuzz/corpus/$seeds")
  echo "== $t: ${TIME}s"
  if ! "$BUILD/tests/fuzz/${t}_fuzzer" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" -print_final_stats=1 "${dict[@]}" "$work" "${seed_dirs[@]}"; then
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]} (inputs in $BUILD/crashes/)" >&2
  exit 1
fi
echo "fuzz: ${TARGETS[*]} ran ${TIME}s each, clean"
