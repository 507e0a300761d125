#!/usr/bin/env bash
# Validates SARIF files with Microsoft's SARIF Multitool (npm
# @microsoft/sarif-multitool, `validate` verb). The tool exits 0 even when
# it finds problems, so its own SARIF log is read back and any error or
# warning result fails this script.
#   tests/data/lint/validate_sarif.sh [FILE.sarif...]   (default: the golden)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WHITTLE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle/sarif-multitool}
files=("$@")
((${#files[@]})) || files=("$here/golden/sarif.json")
if [[ ! -x $cache/node_modules/.bin/sarif-multitool ]]; then
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund @microsoft/sarif-multitool >/dev/null)
fi
# The platform package ships its binary without the execute bit until its
# postinstall runs; npm may skip install scripts.
chmod u+x "$cache"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool 2>/dev/null || true
status=0
for f in "${files[@]}"; do
  out=$(mktemp --suffix=.sarif)
  (cd "$cache" && npx --no-install sarif-multitool validate "$f" -o "$out" --log ForceOverwrite >/dev/null)
  if ! python3 - "$out" "$f" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
bad = [r for run in log.get("runs", []) for r in run.get("results", [])
       if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print(f"{sys.argv[2]}: {r.get('level', 'warning')} {r['ruleId']} {r['message'].get('arguments') or r['message'].get('text')}")
sys.exit(1 if bad else 0)
PY
  then status=1; fi
  rm -f "$out"
done
((status == 0)) && echo "validate_sarif: ok (${#files[@]} file(s))"
exit $status
