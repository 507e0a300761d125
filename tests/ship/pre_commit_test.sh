#!/usr/bin/env bash
# .pre-commit-hooks.yaml, run by pre-commit itself (Debian's) with
# `pre-commit try-repo` on a scratch git repository: a Dockerfile with a
# finding fails the hook and the finding is printed; a clean one passes;
# other files are not linted.
#   tests/ship/pre_commit_test.sh WHITTLE_BIN SOURCE_DIR
set -euo pipefail
bin=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v pre-commit >/dev/null || { echo "pre-commit is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
mkdir -p "$tmp/bin" "$tmp/repo"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/whittle"
export PATH=$tmp/bin:$PATH PRE_COMMIT_HOME=$tmp/cache HOME=$tmp
git config --global user.email test@example.invalid
git config --global user.name test
git config --global init.defaultBranch main
git config --global --add safe.directory '*'

# try-repo needs the hook definition in a git repository: a copy of it.
mkdir "$tmp/hooks"
cp "$src/.pre-commit-hooks.yaml" "$tmp/hooks/"
git -C "$tmp/hooks" init -q && git -C "$tmp/hooks" add -A && git -C "$tmp/hooks" commit -qm hooks

cd "$tmp/repo"
git init -q
printf 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n' >Dockerfile
printf 'RUN this is not a Dockerfile\n' >notes.txt
git add -A
set +e
pre-commit try-repo "$tmp/hooks" whittle-lint --all-files >"$tmp/bad.log" 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || { echo "hook on a Dockerfile with findings: exit $rc, want 1" >&2; cat "$tmp/bad.log" >&2; exit 1; }
grep -q 'Dockerfile:[0-9]*:[0-9]* .*DL' "$tmp/bad.log" || { cat "$tmp/bad.log" >&2; exit 1; }
grep -q 'notes.txt' "$tmp/bad.log" && { echo "the hook linted notes.txt" >&2; exit 1; }

printf 'FROM debian:bookworm@sha256:%064d\nUSER nobody\nCMD ["true"]\n' 0 >Dockerfile
git add -A
pre-commit try-repo "$tmp/hooks" whittle-lint --all-files >"$tmp/good.log" 2>&1 ||
  { echo "hook on a clean Dockerfile failed" >&2; cat "$tmp/good.log" >&2; exit 1; }
grep -q 'whittle lint.*Passed' "$tmp/good.log" || { cat "$tmp/good.log" >&2; exit 1; }
echo "pre-commit: ok"
