#!/usr/bin/env bash
# The shell completions as the build wrote them (build/share/): bash's
# function completes verbs, options, --format values, data sources and
# transports (COMP_WORDS/COMP_CWORD set, COMPREPLY checked); the zsh and
# fish files parse (zsh -n, fish -n); fish completes verbs and formats; an
# interactive zsh with compinit, driven through tmux, completes verbs,
# option values, data sources, transports and files when Tab is pressed.
#   tests/ship/completions_test.sh SHARE_DIR
set -euo pipefail
share=$(cd "$1" && pwd)
for tool in zsh fish; do
  command -v $tool >/dev/null || { echo "$tool is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
done
zsh -n "$share/zsh/vendor-completions/_whittle"
fish -n "$share/fish/vendor_completions.d/whittle.fish"
# fish loads it too: the verbs complete with their summaries.
got=$(fish --no-config -c "source $share/fish/vendor_completions.d/whittle.fish; complete -C 'whittle his'")
[[ $got == history* ]] || { echo "fish: 'whittle his' completed to: $got" >&2; exit 1; }
got=$(fish --no-config -c "source $share/fish/vendor_completions.d/whittle.fish; complete -C 'whittle lint --format '")
grep -qx codequality <<<"$got" || { echo "fish: lint --format completed to: $got" >&2; exit 1; }

bash --norc --noprofile -s "$share/bash-completion/completions/whittle" <<'BASH'
set -u
source "$1"
fail=0
# complete WORDS... : COMPREPLY for the last word, sorted, one line.
complete_line() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _whittle
  printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {  # expect WANT WORDS...
  local want=$1; shift
  local got
  got=$(complete_line "$@")
  if [[ $got != "$want" ]]; then
    echo "bash: '$*' completed to '$got', want '$want'" >&2
    fail=1
  fi
}
cd "$(mktemp -d)"
expect "history" whittle hist
expect "ci compact" whittle c
expect "--format" whittle history --form
expect "codequality" whittle lint --format co
expect "csv json markdown tsv tty" whittle history --format ""
expect "markdown" whittle waste --format m
expect "layers,packages layers,paths" whittle profile -d layers,pa
expect "kinds" whittle -d ki
expect "docker-archive: docker-daemon: docker://" whittle history dock
expect "blob both" whittle profile -s b
expect "error" whittle lint --failure-threshold e
expect "--reverse" whittle history --rev
touch Dockerfile
expect "Dockerfile" whittle lint Dock
exit $fail
BASH
# zsh: the real completion system (compinit) in an interactive zsh, driven
# through tmux: what a user sees after pressing Tab.
command -v tmux >/dev/null || { echo "tmux is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
work=$(mktemp -d)
sock="whittle-zsh-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
touch "$work/Dockerfile"
T new-session -d -x 160 -y 30 -s t -c "$work" \
  "env -i HOME=$work TERM=xterm PATH=/usr/bin:/bin zsh -f"
T send-keys -t t "fpath=($share/zsh/vendor-completions \$fpath); autoload -Uz compinit; compinit -u -D; PS1='%% '; clear; echo ready-\$((6 * 7))" Enter
screen() { T capture-pane -p -t t | sed 's/[[:space:]]*$//'; }
wait_screen() {  # wait_screen FIXED-TEXT: polls until the pane shows it (30 s guard)
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    screen | grep -F -- "$1" >/dev/null && return 0
    sleep 0.05
  done
  return 1
}
zfail=0
zsh_expect() {  # zsh_expect TYPED WANT [TABS]: type TYPED, press Tab TABS times, want WANT on screen
  local typed=$1 want=$2 tabs=${3:-1}
  T send-keys -t t -l "$typed"
  for ((k = 0; k < tabs; k++)); do T send-keys -t t Tab; sleep 0.5; done
  if ! wait_screen "$want"; then
    echo "zsh: '$typed' + $tabs Tab: '$want' is not on the screen:" >&2
    screen | sed 's/^/  | /' >&2
    zfail=1
  fi
  T send-keys -t t C-u C-l
  sleep 0.2
}
# compinit scans fpath: wait for the shell to run the line after it.
wait_screen "ready-42" || { echo "zsh did not start:" >&2; screen >&2; exit 1; }
T send-keys -t t C-l
zsh_expect "whittle hist" "% whittle history"
zsh_expect "whittle lint --format co" "% whittle lint --format codequality"
zsh_expect "whittle waste --format m" "% whittle waste --format markdown"
zsh_expect "whittle profile -d layers,pac" "% whittle profile -d layers,packages"
zsh_expect "whittle lint --failure-threshold e" "% whittle lint --failure-threshold error"
zsh_expect "whittle lint Dock" "% whittle lint Dockerfile"
zsh_expect "whittle history dock" "docker-daemon:" 2
zsh_expect "whittle history --format " "markdown" 2
[[ $zfail -eq 0 ]] || exit 1
echo "completions: ok"
