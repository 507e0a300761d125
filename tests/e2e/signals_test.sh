#!/usr/bin/env bash
# SIGINT and SIGTERM during a run (issue 14, "Faults and signals"):
#
#   tests/e2e/signals_test.sh WHITTLE WORK_DIR
#
# On a synthetic image of 200,000 entries (bench/make_flat_image.py), each
# verb is signalled while it works: profile and waste mid-scan, report -o and
# ci --junit mid-scan and while their temporary file exists, compact -o
# mid-index and while its staging directory exists, fix --write while its
# temporary file exists. Every run must exit 128 + the signal (130 for
# SIGINT, 143 for SIGTERM) with one line on stderr, leave no .whittle-*
# temporary file or directory, and leave the old output byte-identical.
#
# "While the temporary file exists" is made certain, not likely: the run is
# traced by strace, which holds the writer's fchmod (or compact's first
# rename inside its staging directory) for a few seconds, and the signal is
# sent once the file is there.
set -euo pipefail
# Job control: background jobs keep SIGINT (without it, bash starts them
# with SIGINT ignored, and whittle leaves an ignored signal ignored).
set -m

if [[ $# -ne 2 ]]; then
  echo "usage: $0 WHITTLE WORK_DIR" >&2
  exit 2
fi
WHITTLE=$(realpath "$1")
OUT=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

command -v strace >/dev/null || fail "strace is missing (scripts/install-deps.sh)"
command -v python3 >/dev/null || fail "python3 is missing (scripts/install-deps.sh)"
rm -rf "$OUT"
mkdir -p "$OUT"
export HOME=$OUT/home XDG_CACHE_HOME=$OUT/xdg
IMG=$OUT/flat.tar
python3 "$SRC/bench/make_flat_image.py" 200000 "$IMG"

# wait_open PID FILE: until PID has FILE open (it is reading the image, so
# its handlers are installed). Fails if PID ends first.
wait_open() {
  local pid=$1 file=$2 fd
  for ((i = 0; i < 3000; i++)); do
    # -ef (same device and inode, through the fd's link) forks nothing: a
    # readlink per fd made each look slow enough, on a loaded machine, to
    # miss a scan of a few tenths of a second.
    for fd in /proc/"$pid"/fd/*; do
      [[ $fd -ef $file ]] && return 0
    done
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# wait_glob PID DIR NAME-GLOB: until DIR holds an entry matching NAME-GLOB.
wait_glob() {
  local pid=$1 dir=$2 glob=$3
  for ((i = 0; i < 3000; i++)); do
    [[ -n $(find "$dir" -maxdepth 1 -name "$glob" -print -quit) ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# The traced whittle: the child of strace running $WHITTLE (strace forks
# short-lived probes too, and its child runs strace until it execs).
child_of() {
  local pid=$1 kid
  for ((i = 0; i < 1000; i++)); do
    for kid in $(cat /proc/"$pid"/task/*/children 2>/dev/null || true); do
      [[ $(readlink /proc/"$kid"/exe 2>/dev/null) == "$WHITTLE" ]] && { echo "$kid"; return 0; }
    done
    sleep 0.01
  done
  return 1
}

# check NAME RC WANT_RC WANT_ERR DIR [OLD_FILE]: the exit status, the one
# stderr line (WANT_ERR, a glob), nothing .whittle-* left in DIR, OLD_FILE unchanged (its
# pristine copy is OLD_FILE.pristine, outside DIR).
check() {
  local name=$1 rc=$2 want_rc=$3 want_err=$4 dir=$5 old=${6:-}
  [[ $rc == "$want_rc" ]] || fail "$name: exit $rc, expected $want_rc; stderr: $(cat "$OUT/$name.err")"
  # shellcheck disable=SC2053  # WANT_ERR may be a glob
  [[ $(cat "$OUT/$name.err") == $want_err ]] || fail "$name: stderr '$(cat "$OUT/$name.err")', expected '$want_err'"
  local left
  left=$(find "$dir" -name '.whittle-*')
  [[ -z $left ]] || fail "$name: left behind: $left"
  if [[ -n $old ]]; then
    cmp -s "$old" "$OUT/$(basename "$old").pristine" || fail "$name: $old was changed"
  fi
  echo "ok: $name (exit $rc)"
}

# fresh DIR FILE CONTENT: an empty DIR holding FILE (and its pristine copy).
fresh() {
  rm -rf "$1"
  mkdir -p "$1"
  printf '%s' "$3" >"$1/$2"
  cp "$1/$2" "$OUT/$2.pristine"
}

# signal_mid_scan NAME SIG WANT_RC DIR OLD ARGS...: runs whittle ARGS, sends
# SIG once the image is open, checks.
signal_mid_scan() {
  local name=$1 sig=$2 want_rc=$3 dir=$4 old=$5
  shift 5
  "$WHITTLE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
  local pid=$! rc=0
  wait_open "$pid" "$IMG" || fail "$name: whittle ended before it opened the image"
  kill -"$sig" "$pid"
  wait "$pid" || rc=$?
  [[ ! -s $OUT/$name.out ]] || fail "$name: wrote to stdout: the scan had finished"
  check "$name" "$rc" "$want_rc" "whittle: interrupted" "$dir" "$old"
}

# signal_traced NAME SIG WANT_RC WANT_ERR DIR OLD GLOB SYSCALL ARGS...: runs
# whittle ARGS under strace holding SYSCALL for 4 s, sends SIG once DIR
# holds GLOB, checks.
signal_traced() {
  local name=$1 sig=$2 want_rc=$3 want_err=$4 dir=$5 old=$6 glob=$7 syscall=$8
  shift 8
  # LeakSanitizer cannot run under ptrace: in a sanitizer build (CI's ASan
  # suite) a traced whittle that exits normally would abort at exit.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f --seccomp-bpf -o /dev/null -e trace="$syscall" -e inject="$syscall":delay_enter=4000000 \
    "$WHITTLE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
  local spid=$! rc=0 pid
  pid=$(child_of "$spid") || fail "$name: no traced whittle"
  wait_glob "$pid" "$dir" "$glob" || fail "$name: $glob never appeared in $dir"
  kill -"$sig" "$pid"
  wait "$spid" || rc=$?
  check "$name" "$rc" "$want_rc" "$want_err" "$dir" "$old"
}

D=$OUT/d

# profile and waste: nothing written, nothing left, 128 + n.
fresh "$D" keep ""
signal_mid_scan profile-int INT 130 "$D" "" profile --no-cache "$IMG"
signal_mid_scan profile-term TERM 143 "$D" "" profile --no-cache "$IMG"
signal_mid_scan waste-int INT 130 "$D" "" waste --no-cache "$IMG"

# report -o: the old page survives a signal mid-scan and one while the new
# page sits written in its temporary file.
fresh "$D" report.html "<p>the old report</p>"
signal_mid_scan report-int INT 130 "$D" "$D/report.html" report --no-cache -o "$D/report.html" "$IMG"
signal_traced report-term-writing TERM 143 "whittle: interrupted" "$D" "$D/report.html" '.whittle-tmp-*' fchmod \
  report --no-cache -o "$D/report.html" "$IMG"

# ci --junit FILE, the same two moments.
fresh "$D" junit.xml "<testsuites/>"
signal_mid_scan ci-term TERM 143 "$D" "$D/junit.xml" ci --no-cache --junit "$D/junit.xml" "$IMG"
signal_traced ci-int-writing INT 130 "whittle: interrupted" "$D" "$D/junit.xml" '.whittle-tmp-*' fchmod \
  ci --no-cache --junit "$D/junit.xml" "$IMG"

# compact -o: cooperative (it must remove a staging directory): its own
# message, the same exit codes, no staging directory and no output.
fresh "$D" keep ""
"$WHITTLE" compact -o "oci:$D/out" "$IMG" >"$OUT/compact-term.out" 2>"$OUT/compact-term.err" &
pid=$!
rc=0
wait_open "$pid" "$IMG" || fail "compact-term: whittle ended before it opened the image"
kill -TERM "$pid"
wait "$pid" || rc=$?
# The image is open from before compact starts indexing: the signal may
# come just before (the plain handler's line) or during (compact's).
check compact-term "$rc" 143 "whittle: interrupted*" "$D"
[[ ! -e $D/out ]] || fail "compact-term: wrote $D/out"
signal_traced compact-int-staged INT 130 "whittle: interrupted; nothing written" "$D" "" '.whittle-compact-*' rename \
  compact -o "oci:$D/out" "$IMG"
[[ ! -e $D/out ]] || fail "compact-int-staged: wrote $D/out"

# fix --write: the Dockerfile and no .orig while the first temp file waits.
fresh "$D" Dockerfile $'FROM alpine:3.19\nRUN apk add curl\n'
"$WHITTLE" fix "$D/Dockerfile" >"$OUT/fix-diff.out" 2>&1 || true
[[ -s $OUT/fix-diff.out ]] || fail "fix: the test Dockerfile needs no fix, so --write would write nothing"
signal_traced fix-int-writing INT 130 "whittle: interrupted" "$D" "$D/Dockerfile" '.whittle-tmp-*' fchmod \
  fix --write "$D/Dockerfile"
[[ ! -e $D/Dockerfile.orig ]] || fail "fix-int-writing: wrote Dockerfile.orig"

rm -f "$IMG"  # 100 MB; kept only when a check failed
echo "all signal checks passed"
