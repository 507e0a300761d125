#!/usr/bin/env bash
# Lints the Dockerfile corpus with `whittle lint --format sarif` and validates
# the SARIF it writes (and the checked-in golden) with Microsoft's SARIF
# Multitool, installed from npm into the build tree.
#   tests/lint_sarif_test.sh WHITTLE_BIN NPM_CACHE_DIR
set -euo pipefail
bin=$1
export WHITTLE_NPM_CACHE=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
"$bin" lint --format sarif "$here"/data/lint/corpus/*.Dockerfile > "$tmp/corpus.sarif"
rc=$?
set -e
# 1 = findings reached the threshold (expected on this corpus); 2 = error.
if [[ $rc -ne 1 ]]; then
  echo "whittle lint exited $rc, expected 1 (findings)" >&2
  exit 1
fi
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0"; assert d["runs"][0]["results"], "no results"' "$tmp/corpus.sarif"
"$here/data/lint/validate_sarif.sh" "$tmp/corpus.sarif" "$here/data/lint/golden/sarif.json"
