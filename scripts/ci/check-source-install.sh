#!/usr/bin/env bash
# Runs the GitHub Action's and GitLab template's install step the way a
# fresh runner does — no WHITTLE_BIN, no whittle on PATH, so it installs the
# tool's packages and builds this checkout with the tests off — then runs the
# README's example with the binary it made. .ci/run calls it; it also runs
# alone:
#   scripts/ci/check-source-install.sh [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
# A PATH with no whittle on it (the .deb test or a developer may have one).
clean_path=
IFS=':' read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [[ -n $d && ! -x $d/whittle ]] && clean_path=${clean_path:+$clean_path:}$d
done
log=$work/install.log
if ! env -u WHITTLE_BIN -u GITHUB_PATH PATH="$clean_path" RUNNER_TEMP="$work" \
    "$root/scripts/ci/install-whittle.sh" >"$log" 2>&1; then
  echo "check-source-install: the install step failed:" >&2
  tail -40 "$log" >&2
  exit 1
fi
bin=$work/whittle-bin/whittle
[[ -x $bin ]] || { echo "check-source-install: no $bin" >&2; exit 1; }
# It built from source, with the tests off.
grep -q 'WHITTLE_BUILD_TESTS:BOOL=OFF' "$work/whittle-bin/build/CMakeCache.txt" || {
  echo "check-source-install: $work/whittle-bin/build was not configured with the tests off" >&2; exit 1; }
"$bin" --version | head -1 | grep -E '^whittle [0-9]' >/dev/null || {
  echo "check-source-install: --version: $("$bin" --version | head -1)" >&2; exit 1; }
# The README's first set-up command ends with this run.
"$bin" profile -d layers,paths "$root/tests/data/dive/test-docker-image.tar" >"$work/profile.txt"
grep -F 'TOTAL' "$work/profile.txt" >/dev/null || {
  echo "check-source-install: the README example printed no TOTAL row:" >&2; cat "$work/profile.txt" >&2; exit 1; }
echo "source install: built $("$bin" --version | head -1) with the tests off; README example ran"
