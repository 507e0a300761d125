#!/usr/bin/env bash
# Runs every case of tests/data/hadolint_agreement/cases.txt through
# `whittle lint` and checks the named rule's verdict. Each case states what
# whittle must report and what hadolint reports (taken from hadolint's rule
# documentation and specification, in our own words). A whittle verdict that
# differs from the case fails the test; a case where whittle and hadolint
# differ must be listed, by its description, in docs/rules.md. Prints the
# agreement with hadolint.
#   tests/hadolint_agreement_test.sh WHITTLE_BIN
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
cases=$here/data/hadolint_agreement/cases.txt
rules_doc=$here/../docs/rules.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Split the file: one Dockerfile per case, and a header table.
awk -v dir="$tmp" '
  /^== / {
    n++; file = sprintf("%s/case%03d", dir, n)
    print substr($0, 4) > (file ".head"); close(file ".head")
    printf "" > file; close(file); next
  }
  /^#/ && !n { next }
  /^## / { next }
  /^$/ { next }
  n { print >> file; close(file) }
' "$cases"

total=0 agree=0 failures=0 differ=0
declare -A rule_total rule_agree
for head in "$tmp"/case*.head; do
  case_file=${head%.head}
  IFS='|' read -r rule verdicts what < "$head"
  rule=$(echo "$rule" | xargs)
  what=$(echo "$what" | sed 's/^ *//; s/ *$//')
  want="" hado="" trusted=""
  for v in $verdicts; do
    case $v in
      whittle=*) want=${v#whittle=} ;;
      hadolint=*) hado=${v#hadolint=} ;;
      trusted=*) trusted=${v#trusted=} ;;
      *) echo "$cases: bad field '$v' in case '$what'" >&2; exit 1 ;;
    esac
  done
  if [[ -z $want || -z $hado || -z $what ]]; then
    echo "$cases: case '$what' lacks whittle=, hadolint= or a description" >&2; exit 1
  fi
  args=(lint --no-color --format json)
  if [[ -n $trusted ]]; then
    {
      echo "trustedRegistries:"
      IFS=',' read -ra regs <<< "$trusted"
      for r in "${regs[@]}"; do echo "  - \"$r\""; done
    } > "$case_file.yaml"
    args+=(--config "$case_file.yaml")
  else
    printf 'ignored: []\n' > "$case_file.yaml"
    args+=(--config "$case_file.yaml")
  fi
  set +e
  "$bin" "${args[@]}" "$case_file" > "$case_file.out" 2> "$case_file.err"
  rc=$?
  set -e
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "FAIL [$rule] $what: whittle lint exited $rc: $(cat "$case_file.err")" >&2
    failures=$((failures + 1)); continue
  fi
  got=quiet
  jq -e --arg r "$rule" 'any(.[]; .code == $r)' "$case_file.out" > /dev/null && got=fire
  if [[ $got != "$want" ]]; then
    echo "FAIL [$rule] $what: whittle says $got, the case says $want" >&2
    sed 's/^/    /' "$case_file" >&2
    failures=$((failures + 1))
  fi
  total=$((total + 1))
  rule_total[$rule]=$(( ${rule_total[$rule]:-0} + 1 ))
  if [[ $want == "$hado" ]]; then
    agree=$((agree + 1))
    rule_agree[$rule]=$(( ${rule_agree[$rule]:-0} + 1 ))
  else
    differ=$((differ + 1))
    if ! grep -F -- "$what" "$rules_doc" > /dev/null; then
      echo "FAIL [$rule] $what: whittle differs from hadolint here, but docs/rules.md does not list the case" >&2
      failures=$((failures + 1))
    fi
  fi
done

if [[ $total -lt 100 ]]; then
  echo "only $total cases read from $cases" >&2; exit 1
fi
for r in $(printf '%s\n' "${!rule_total[@]}" | sort); do
  printf '  %s  %3d of %3d agree\n' "$r" "${rule_agree[$r]:-0}" "${rule_total[$r]}"
done
printf 'hadolint agreement: %d of %d cases (%d%%); %d deliberate differences, each in docs/rules.md\n' \
  "$agree" "$total" $(( agree * 100 / total )) "$differ"
if [[ $failures -ne 0 ]]; then
  echo "$failures case(s) failed" >&2; exit 1
fi
