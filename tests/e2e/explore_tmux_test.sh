#!/usr/bin/env bash
# whittle explore end to end: tmux drives the real binary in a 120x40
# terminal (send-keys, capture-pane), on the deterministic fixture image of
# tests/data/explore/make_explore_image.py and on the busybox image of
# tests/data/make_real_images.sh. Screens are compared with the goldens in
# tests/cli/explore/ (trailing blanks stripped); each wait polls the pane
# until the expected screen or text shows, so nothing depends on speed.
#
# usage: explore_tmux_test.sh WHITTLE REAL_IMAGES_DIR
#        WHITTLE_UPDATE_GOLDENS=1 ... rewrites the goldens from this run.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 WHITTLE REAL_IMAGES_DIR" >&2
  exit 2
fi
WHITTLE=$(realpath "$1")
REAL=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
GOLDEN="$HERE/../cli/explore"
command -v tmux >/dev/null || { echo "FAIL: tmux is missing (scripts/install-deps.sh installs it)"; exit 1; }

WORK=$(mktemp -d /tmp/whittle-explore-e2e.XXXXXX)
SOCK="whittle-test-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
  T kill-server >/dev/null 2>&1 || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
  rm -rf "$WORK"
}
trap cleanup EXIT
python3 "$HERE/../data/explore/make_explore_image.py" "$WORK/img.tar"
cp "$REAL/docker-archive.tar" "$WORK/busybox.tar"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
capture() { T capture-pane -p -t t | sed 's/[[:space:]]*$//'; }
# The screen without the shell's lines above the UI is what ncurses drew:
# ncurses uses the alternate screen, so the pane holds only the UI.

# wait_for TEXT: polls until TEXT is on the screen (60 s guard against hangs).
wait_for() {
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    capture | grep -F -- "$1" >/dev/null && return 0
    sleep 0.05
  done
  fail "timed out waiting for: $1"
  capture | sed 's/^/  | /'
  return 1
}
# wait_gone TEXT: polls until TEXT is no longer on the screen.
wait_gone() {
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    capture | grep -F -- "$1" >/dev/null || return 0
    sleep 0.05
  done
  fail "still on screen after 60 s: $1"
  return 1
}
# screen NAME MARKER: waits for MARKER, then for the screen to equal the
# golden tests/cli/explore/NAME.screen (or, updating, to settle, and writes it).
screen() {
  local name=$1 marker=$2 file="$GOLDEN/$1.screen"
  wait_for "$marker" || return 0
  if [[ "${WHITTLE_UPDATE_GOLDENS:-}" == 1 ]]; then
    local a b
    a=$(capture)
    while sleep 0.2; b=$(capture); [[ "$a" != "$b" ]]; do a=$b; done
    mkdir -p "$GOLDEN"
    printf '%s\n' "$b" >"$file"
    echo "updated $file"
    return 0
  fi
  local want deadline=$((SECONDS + 60))
  want=$(cat "$file")
  while ((SECONDS < deadline)); do
    [[ "$(capture)" == "$want" ]] && { echo "ok: $name"; return 0; }
    sleep 0.05
  done
  fail "screen $name differs from $file:"
  diff <(printf '%s\n' "$want") <(capture) | sed 's/^/  /' || true
}
keys() { T send-keys -t t "$@"; }

start_shell() {  # a clean shell in a fresh 120x40 session
  T kill-session -t t >/dev/null 2>&1 || true
  T new-session -d -s t -x 120 -y 40 \
    "env -i PATH=/usr/bin:/bin HOME=$WORK TERM=screen LANG=C.UTF-8 $* PS1='PROMPT\$ ' bash --norc --noprofile"
  T set-option -t t status off >/dev/null
  wait_for 'PROMPT$' || true
  keys "cd $WORK && clear" Enter
}
# The terminal modes a shell expects back: canonical input, echo, signals.
check_sane() {
  keys "stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo|isig|icrnl|opost)' | tr '\n' ' '; echo END-\$((1+1))" Enter
  wait_for "END-2" || return 0
  local modes
  modes=$(capture | grep -E 'END-2$' | tail -1)
  for m in icanon echo isig icrnl opost; do
    [[ " $modes " == *" $m "* ]] || fail "terminal mode $m not restored: $modes"
  done
}

# --- not a terminal: one line, exit 2, before any scan ---
set +e
"$WHITTLE" explore "$WORK/img.tar" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "explore with stdout to a file exited $rc, want 2"
[[ $(wc -l <"$WORK/err") -eq 1 ]] || fail "explore with stdout to a file: want one line, got: $(cat "$WORK/err")"
grep -q "whittle profile" "$WORK/err" || fail "no profile suggestion: $(cat "$WORK/err")"
[[ ! -s "$WORK/out" ]] || fail "explore wrote to a non-terminal stdout"

# --- the fixture image: screens ---
start_shell
keys "whittle() { $WHITTLE \"\$@\"; }; whittle explore img.tar; echo rc=\$?" Enter
screen first "row 1/5"
# Layers pane: the first layer has no /app; the second adds it.
keys Tab g
screen layer1 "layer 1/3"
capture | grep ' app/' >/dev/null && fail "app/ listed at layer 1"
keys j
screen layer2 "layer 2/3"
keys Tab
# Expand /app (first row at layer 2: largest), then its lib/ (third row).
keys g Enter
screen expand_app "row 1/9"
keys j j Enter
screen expand_lib "row 3/11"
# The details line names the owner: uid:gid and the tar header's names.
keys k
wait_for "-rwxr-xr-x  1000:1000 (app:app)  /app/main  48.8 KiB  stored in #2" || true
keys j
wait_for "row 3/11"
keys h
screen collapse_lib "row 3/9"
keys g h
wait_for "row 1/5"
# Sort by name, then back by size.
keys s
screen sort_name "sort:name"
keys s
wait_for "sort:size"
# Only waste at layer 2: /app/tmpdata, which #3 deletes.
keys w
screen waste_layer2 "  waste"
keys w
wait_gone "  waste  row"
# Only this layer's changes.
keys c
screen changes_layer2 "  changes"
keys c
wait_gone "  changes  row"
# The filter: a regex over paths; a bad one is an error line.
keys / 'lib' Enter
screen filter_lib "filter:/lib/"
keys / BSpace BSpace BSpace '(' Enter
wait_for "filter /(/" || true
keys / BSpace BSpace BSpace BSpace Enter
wait_gone "filter:/"
# Resize: the layout follows the new size.
T resize-window -t t -x 80 -y 24
screen resize_80x24 "INSTRUCTION"
T resize-window -t t -x 120 -y 40
wait_for "INSTRUCTION"
# Quit with q: the prompt is back, the exit code is 0, the modes are sane.
keys q
wait_for "rc=0"
wait_for 'PROMPT$'
check_sane

# --- An image that fails to load in a terminal: nothing is drawn, the error
# is one line on the shell's screen, exit 2, and the modes are as they were.
head -c "$(( $(stat -c %s "$WORK/img.tar") / 2 ))" "$WORK/img.tar" >"$WORK/cut.tar"
keys "clear; whittle explore cut.tar; echo rc=\$?" Enter
wait_for "rc=2"
capture | grep -E '^whittle: .*cut\.tar.*truncated' >/dev/null || fail "cut.tar: no one-line error on the screen: $(capture)"
[[ $(capture | grep -c '^whittle: ') -eq 1 ]] || fail "cut.tar: want one error line: $(capture)"
check_sane

# --- A second run reads every layer from the layer cache ($HOME/.cache, warm
# since the first): the details line still names the owner (the cache keeps
# it; a cache without owners showed "?:?").
[[ -n $(find "$WORK/.cache/whittle" -name 'layers.sqlite' 2>/dev/null) ]] || fail "no layer cache after the first run"
keys clear Enter
keys "whittle explore img.tar; echo rc=\$?" Enter
wait_for "row 1/5"
keys Tab g j Tab g Enter
wait_for "row 1/9"
keys j
wait_for "-rwxr-xr-x  1000:1000 (app:app)  /app/main  48.8 KiB  stored in #2" || true
keys q
wait_for "rc=0"

# --- Ctrl-C quits with 130, as a shell reports SIGINT; SIGINT, SIGTERM and
# SIGHUP restore the terminal and exit 128 + n. Each time the prompt is
# back, $? says so, and the modes are sane.
keys clear Enter
keys "whittle explore --changes img.tar; echo rc=\$?" Enter
wait_for "  changes  row"
keys C-c
wait_for "rc=130"
wait_for 'PROMPT$'
check_sane
for sig in INT:130 TERM:143 HUP:129; do
  keys clear Enter
  keys "sh -c 'echo \$\$ >pid; exec $WHITTLE explore img.tar'; echo rc=\$?" Enter
  wait_for "row 1/5"
  kill -"${sig%:*}" "$(cat "$WORK/pid")"
  wait_for "rc=${sig#*:}"
  wait_for 'PROMPT$'
  check_sane
done

# --- NO_COLOR: no colour escapes; without it, marks are coloured ---
keys clear Enter
keys "whittle explore img.tar" Enter
wait_for "row 1/5"
T capture-pane -e -p -t t | grep -P '\x1b\[([0-9;]*;)?3[1-6](;[0-9;]*)?m' >/dev/null || fail "no colour without NO_COLOR"
keys q
wait_for 'PROMPT$'
keys clear Enter
keys "NO_COLOR=1 whittle explore img.tar" Enter
wait_for "row 1/5"
T capture-pane -e -p -t t | grep -P '\x1b\[([0-9;]*;)?3[0-7](;[0-9;]*)?m' >/dev/null && fail "colour escapes despite NO_COLOR"
keys q
wait_for 'PROMPT$'

# --- The package column fills in after the first screen: the owners are
# resolved on their own thread, started once the first frame is drawn (the
# title says "packages..." until then). The fixture's dpkg database
# (var/lib/dpkg/status + info/hello.list) owns /usr/bin/hello. From the
# layer cache (warm), and cold, where the scan only queued the database's
# bodies and the owners' thread reads them first (ScanOptions::defer_capture).
for flags in "" "--no-cache "; do
  keys clear Enter
  keys "whittle explore ${flags}img.tar" Enter
  wait_for "row 1/5"
  keys j Enter j Enter  # open usr/ (second row by size), then its bin/
  wait_for "deb:hello"
  wait_gone "packages..."
  capture | grep -E ' deb:hello +hello$' >/dev/null ||
    fail "${flags}the package column does not name hello's package: $(capture | grep -F hello)"
  keys q
  wait_for 'PROMPT$'
done

# --- the busybox image: a file added in layer N shows only from N on ---
keys clear Enter
keys "whittle explore busybox.tar" Enter
wait_for "layer 3/3"
keys Tab g
wait_for "layer 1/3"
capture | grep ' data/' >/dev/null && fail "busybox.tar: /data listed at layer 1"
capture | grep ' bin/' >/dev/null || fail "busybox.tar: /bin not listed at layer 1"
keys j
wait_for "layer 2/3"
wait_for " data/"
capture | grep -E '^A .* data/' >/dev/null || fail "busybox.tar: /data not marked added at layer 2"
keys j Tab
wait_for "layer 3/3"
keys /  'keep' Enter
wait_for "filter:/keep/"
capture | grep -E '^D .* keep.txt' >/dev/null || fail "busybox.tar: keep.txt not marked removed at layer 3"
keys q
wait_for 'PROMPT$'
check_sane

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "explore e2e: all ok"
