#!/usr/bin/env bash
# Colour on stdout, the same rule in every verb (cli/console.cc): on only on
# a terminal whose TERM is not dumb, off with NO_COLOR set, on with
# CLICOLOR_FORCE set (not 0) even into a pipe, off with lint's --no-color.
# `script` (util-linux) gives the binary a real terminal.
#   tests/ship/colour_test.sh WHITTLE_BIN
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
printf 'FROM debian:bookworm\nRUN apt-get update\n' >Dockerfile
esc=$'\033['
fail=0
check() {  # check WANT(colour|plain) WHAT OUTPUT_FILE
  if grep -qF "$esc" "$3"; then got=colour; else got=plain; fi
  if [[ $got != "$1" ]]; then echo "$2: $got, want $1" >&2; fail=1; fi
}
on_tty() {  # on_tty ENV... -- ARGS... : stdout of whittle ARGS on a terminal
  env "$@" script -qec "$bin lint Dockerfile" /dev/null >"$tmp/out" 2>&1 || true
}
unset NO_COLOR CLICOLOR_FORCE
"$bin" lint Dockerfile >"$tmp/pipe" || true
check plain "a pipe" "$tmp/pipe"
CLICOLOR_FORCE=1 "$bin" lint Dockerfile >"$tmp/forced" || true
check colour "a pipe with CLICOLOR_FORCE=1" "$tmp/forced"
CLICOLOR_FORCE=0 "$bin" lint Dockerfile >"$tmp/force0" || true
check plain "a pipe with CLICOLOR_FORCE=0" "$tmp/force0"
on_tty TERM=xterm
check colour "a terminal" "$tmp/out"
on_tty TERM=xterm NO_COLOR=1
check plain "a terminal with NO_COLOR=1" "$tmp/out"
on_tty TERM=dumb
check plain "a dumb terminal" "$tmp/out"
env TERM=xterm script -qec "$bin lint --no-color Dockerfile" /dev/null >"$tmp/out" 2>&1 || true
check plain "a terminal with --no-color" "$tmp/out"
# The finding is there in every case.
grep -q DL3009 "$tmp/out" || { echo "no finding in the output" >&2; cat "$tmp/out" >&2; fail=1; }
[[ $fail == 0 ]] && echo "colour: ok"
exit $fail
