#!/usr/bin/env bash
# Lints the Dockerfiles of the Docker official images (tests/data/official/,
# one directory per upstream repository with its LICENSE and SOURCE commit)
# and compares every finding with the reviewed golden file
# tests/data/official/findings.golden. Each finding in the golden was
# checked by eye; the review is the table in docs/rules.md. Every file must
# parse (exit 2 fails the test).
#   tests/official_lint_test.sh WHITTLE_BIN [--update]
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/data/official
golden=$dir/findings.golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir"
find . -name 'Dockerfile*' -type f | LC_ALL=C sort > "$tmp/files"
count=$(wc -l < "$tmp/files")
if [[ $count -lt 250 ]]; then
  echo "official corpus: only $count Dockerfiles found under $dir" >&2
  exit 1
fi
set +e
mapfile -t files < "$tmp/files"
"$bin" lint --no-color "${files[@]}" > "$tmp/findings" 2> "$tmp/stderr"
rc=$?
set -e
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
  echo "whittle lint exited $rc on the official corpus:" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi
if [[ ${2:-} == --update ]]; then
  cp "$tmp/findings" "$golden"
  echo "updated $golden ($(wc -l < "$golden") findings over $count files)"
  exit 0
fi
if ! diff -u "$golden" "$tmp/findings"; then
  echo "official corpus findings differ from $golden (review each change, then rerun with --update)" >&2
  exit 1
fi
echo "official corpus: $count Dockerfiles, $(wc -l < "$golden") findings, all as reviewed"
