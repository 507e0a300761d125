#!/usr/bin/env bash
# Issue 13, "opens a 1 GB image in about the time `whittle profile` takes":
# on one image (default: the corpus' driftwood:naive docker-archive, 1.1 GB,
# 11 layers), measures side by side in one run, interleaved after a warm-up:
#   - `whittle profile IMAGE >/dev/null`: from the command line being sent
#     to a tmux pane (120x40) to the shell printing a marker after it;
#   - `whittle profile -d packages IMAGE >/dev/null` the same way: the scan
#     explore makes, which also reads the package databases (the owner
#     column), and attributes every file to its package;
#   - `whittle explore IMAGE`'s time to first screen in the same pane: from
#     the command line being sent to the first frame showing ("row 1/" in
#     the title), then q.
# Both go through the same shell and the same 5 ms polling of the pane, so
# the overhead (a few ms) is the same on both sides. Every run is cold
# (--no-cache: the layer cache would answer the scan). Prints both medians
# and the ratios explore / profile and explore / profile -d packages, the
# median CPU time (user+sys, GNU time) of each command (explore's is the
# whole run to q, owners included: they resolve after the first screen),
# and the load average. A printed figure, not a pass/fail test.
#
# usage: bench/explore_first_screen_bench.sh [path/to/whittle] [IMAGE]
#   RUNS: runs per command (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHITTLE=$(realpath "${1:-$ROOT/build/whittle}")
CORPUS=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}
IMG=$(realpath "${2:-$CORPUS/export/driftwood-naive.docker-archive.tar}")
RUNS=${RUNS:-5}
[[ -x $WHITTLE ]] || { echo "build whittle first: $WHITTLE" >&2; exit 2; }
[[ -e $IMG ]] || { echo "no image $IMG (run ../shared/corpus/run-all.sh)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is missing (scripts/install-deps.sh)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "GNU time is missing (/usr/bin/time)" >&2; exit 2; }

SOCK="whittle-first-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1 || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"' EXIT

now() { date +%s.%N; }
sub() { python3 -c "print(f'{$1 - $2:.3f}')"; }
median() { sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(f'{v[len(v)//2]:.3f}')"; }
# until_text TEXT: polls the pane every 5 ms until TEXT shows (60 s guard).
until_text() {
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    T capture-pane -p -t b >"$OUT" && grep -F -- "$1" "$OUT" >/dev/null && return 0
    sleep 0.005
  done
  echo "timed out waiting for: $1" >&2
  cat "$OUT" >&2
  exit 1
}
OUT=$(mktemp /tmp/whittle-first-pane.XXXXXX)
CPU=$(mktemp /tmp/whittle-first-cpu.XXXXXX)
trap 'T kill-server >/dev/null 2>&1 || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK" "$OUT" "$CPU"' EXIT
TIME="/usr/bin/time -f %U+%S -o $CPU"
# cpu: the last command's user+sys seconds.
cpu() { python3 -c "print(f'{$(tail -1 "$CPU"):.3f}')"; }

T new-session -d -s b -x 120 -y 40 "env -i PATH=/usr/bin:/bin TERM=screen PS1='P\$ ' bash --norc --noprofile"
T set-option -t b status off >/dev/null
until_text 'P$'

explore_once() {
  T send-keys -t b clear Enter
  until_text 'P$'
  local s e
  s=$(now)
  T send-keys -t b "$TIME $WHITTLE explore --no-cache $IMG; echo done-\$((1000+$1))" Enter
  until_text "row 1/"
  e=$(now)
  T send-keys -t b q
  until_text "done-$((1000 + $1))"
  echo "$(sub "$e" "$s") $(cpu)"
}
# profile_once N: N makes the marker unique ("done-" 1000+N, which the command
# line itself does not contain: the shell computes it).
profile_once() {
  T send-keys -t b clear Enter
  until_text 'P$'
  local s e
  s=$(now)
  T send-keys -t b "$TIME $WHITTLE profile --no-cache ${PROFILE_ARGS:-} $IMG >/dev/null; echo done-\$((1000+$1))" Enter
  until_text "done-$((1000 + $1))"
  e=$(now)
  echo "$(sub "$e" "$s") $(cpu)"
}

# Warm-up: the page cache and the binary.
profile_once 0 >/dev/null
explore_once 500 >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
p_times=() k_times=() e_times=() p_cpu=() k_cpu=() e_cpu=()
for ((i = 0; i < RUNS; i++)); do
  read -r t c < <(profile_once $((i + 1))); p_times+=("$t"); p_cpu+=("$c")
  read -r t c < <(PROFILE_ARGS='-d packages' profile_once $((i + 101))); k_times+=("$t"); k_cpu+=("$c")
  read -r t c < <(explore_once $((i + 201))); e_times+=("$t"); e_cpu+=("$c")
done
p=$(printf '%s\n' "${p_times[@]}" | median)
k=$(printf '%s\n' "${k_times[@]}" | median)
e=$(printf '%s\n' "${e_times[@]}" | median)
pc=$(printf '%s\n' "${p_cpu[@]}" | median)
kc=$(printf '%s\n' "${k_cpu[@]}" | median)
ec=$(printf '%s\n' "${e_cpu[@]}" | median)
printf 'image: %s (%s bytes)\n' "$IMG" "$(stat -c %s "$IMG")"
printf 'load average: %s before, %s after\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  whittle profile, median of %d:               %s s  (%s)  CPU %s s\n' "$RUNS" "$p" "${p_times[*]}" "$pc"
printf '  whittle profile -d packages, median of %d:   %s s  (%s)  CPU %s s\n' "$RUNS" "$k" "${k_times[*]}" "$kc"
printf '  explore, time to first screen, median of %d: %s s  (%s)  CPU %s s (whole run, owners included)\n' \
  "$RUNS" "$e" "${e_times[*]}" "$ec"
printf '  explore / profile:                          %sx\n' "$(python3 -c "print(f'{$e / $p:.2f}')")"
printf '  explore / profile -d packages:              %sx  (the same scan: both read the package databases)\n' \
  "$(python3 -c "print(f'{$e / $k:.2f}')")"
