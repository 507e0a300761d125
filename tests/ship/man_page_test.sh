#!/usr/bin/env bash
# whittle(1) as the build wrote it (build/share/man/man1/whittle.1): man-db
# renders it without a groff warning, and every line `whittle --help` and
# `whittle VERB --help` print is in the rendered page, in order, so the two
# cannot drift.
#   tests/ship/man_page_test.sh WHITTLE_BIN MAN_PAGE
set -euo pipefail
bin=$1
page=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v man >/dev/null || { echo "man (man-db) is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
[[ -s $page ]] || { echo "$page: missing or empty" >&2; exit 1; }

# --warnings turns on groff's warnings; any output on stderr fails the test.
LC_ALL=C.UTF-8 MANWIDTH=120 man --warnings -l "$page" >"$tmp/page.txt" 2>"$tmp/warnings.txt"
if [[ -s $tmp/warnings.txt ]]; then
  echo "man -l $page warned:" >&2
  cat "$tmp/warnings.txt" >&2
  exit 1
fi

"$bin" --help >"$tmp/help.top"
verbs=$(sed -n '/^verbs:/,/^$/p' "$tmp/help.top" | awk 'NF && $1 != "verbs:" {print $1}')
[[ $(wc -w <<<"$verbs") -ge 9 ]] || { echo "too few verbs in --help: $verbs" >&2; exit 1; }
for v in $verbs; do "$bin" "$v" --help >"$tmp/help.$v"; done

# Each help text's non-blank lines appear in the page in order, each as one
# rendered line (left indentation aside).
python3 - "$tmp/page.txt" "$tmp"/help.* <<'PY'
import sys
page = [l.strip() for l in open(sys.argv[1], encoding="utf-8")]
bad = 0
for path in sys.argv[2:]:
    want = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
    at = 0
    for line in want:
        try:
            at = page.index(line, at) + 1
        except ValueError:
            print(f"{path}: not in the man page (in order): {line!r}", file=sys.stderr)
            bad += 1
            break
sys.exit(1 if bad else 0)
PY
grep -q '^VERBS' "$tmp/page.txt" || { echo "no VERBS section" >&2; exit 1; }
for v in $verbs; do
  grep -qx "   whittle $v" "$tmp/page.txt" || { echo "no section for $v" >&2; exit 1; }
done
echo "man page: ok ($(wc -l <"$tmp/page.txt") lines, $(wc -w <<<"$verbs") verbs)"
