#!/usr/bin/env bash
# The shell completions as the build wrote them (build/share/): bash's
# function completes verbs, options, --format values, data sources and
# transports (COMP_WORDS/COMP_CWORD set, COMPREPLY checked); the zsh and
# fish files parse (zsh -n, fish -n).
#   tests/ship/completions_test.sh SHARE_DIR
set -euo pipefail
share=$1
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
echo "completions: ok"
