#!/usr/bin/env bash
# Benchmark for `whittle explore` (issue 13). On the explore fixture image
# plus a 4th layer of 100,000 files in one directory
# (tests/data/explore/make_explore_image.py --big 100000), prints:
#   - `whittle profile` wall time (median of 5),
#   - explore's time to first screen: from the command being typed in a
#     tmux pane to the first frame showing (median of 5),
#   - opening the 100,000-entry directory (one sort of its children),
#   - the cost per cursor key in that directory: 2,000 `j` keys sent at once,
#     timed until the title shows the cursor on row 2,001. It includes tmux's
#     own key and screen handling, so it is an upper bound.
# A printed figure, not a pass/fail test.
#
# usage: bench/explore_bench.sh [path/to/whittle]   (default build/whittle)
set -euo pipefail
WHITTLE=$(realpath "${1:-build/whittle}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/whittle-explore-bench.XXXXXX)
SOCK="whittle-bench-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1 || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK" "$WORK" -r' EXIT
python3 "$HERE/../tests/data/explore/make_explore_image.py" "$WORK/big.tar" --big 100000
IMG="$WORK/big.tar"

now() { date +%s.%N; }
sub() { python3 -c "print(f'{$1 - $2:.3f}')"; }
median() { sort -n | sed -n 3p; }
# until TEXT: polls the pane every 5 ms until TEXT shows.
until_text() { while ! T capture-pane -p -t b | grep -qF -- "$1"; do sleep 0.005; done; }

"$WHITTLE" profile "$IMG" >/dev/null  # warm the page cache
profile=$(for i in 1 2 3 4 5; do
  s=$(now); "$WHITTLE" profile "$IMG" >/dev/null; e=$(now); sub "$e" "$s"
done | median)

T new-session -d -s b -x 120 -y 40 "env -i PATH=/usr/bin:/bin TERM=screen PS1='P\$ ' bash --norc --noprofile"
T set-option -t b status off >/dev/null
until_text 'P$'
first=$(for i in 1 2 3 4 5; do
  T send-keys -t b clear Enter
  s=$(now); T send-keys -t b "$WHITTLE explore $IMG" Enter; until_text "row 1/"; e=$(now)
  T send-keys -t b q; until_text 'P$'
  sub "$e" "$s"
done | median)

T send-keys -t b "$WHITTLE explore $IMG" Enter
until_text "row 1/"
s=$(now); T send-keys -t b g Enter; until_text "row 1/100006"; e=$(now)
open=$(sub "$e" "$s")
s=$(now)
T send-keys -t b -N 2000 j
until_text "row 2001/100006"
e=$(now)
per_key=$(python3 -c "print(f'{($e - $s) / 2000 * 1e6:.0f}')")
T send-keys -t b q

printf 'whittle explore, fixture + 100,000 files in /big:\n'
printf '  whittle profile (median of 5):               %s s\n' "$profile"
printf '  explore, time to first screen (median of 5): %s s\n' "$first"
printf '  open the 100,000-entry directory:            %s s\n' "$open"
printf '  per cursor key in it (2,000 j keys):         %s us (tmux included)\n' "$per_key"
