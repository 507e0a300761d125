#!/usr/bin/env bash
# `whittle report` end to end in a real browser: writes the page for the
# explain fixture's app image (with its Dockerfile and a base to diff
# against), then opens it in Debian's headless Chromium or Firefox ESR
# through puppeteer-core (npm, installed into the build tree on first run)
# and checks it (report_browser_test.js). Also: bad input writes no file.
#   tests/e2e/report_browser_test.sh WHITTLE_BIN IMAGES_DIR NPM_DIR OUT_DIR [chromium|firefox]
set -euo pipefail
bin=$1
images=$2
npm_dir=$3
out=$4
browser=${5:-chromium}
here=$(cd "$(dirname "$0")" && pwd)
# Pinned: the last release line that runs on Debian 12's Node.js 18/20
# (25.x needs Node 22).
puppeteer_version=24.43.1
case $browser in
  chromium) exe=$(command -v chromium || true) ;;
  firefox) exe=$(command -v firefox-esr || true) ;;
  *) echo "unknown browser: $browser (chromium or firefox)" >&2; exit 2 ;;
esac
if [[ -z $exe ]]; then
  echo "$browser is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [[ ! -f $npm_dir/node_modules/puppeteer-core/package.json ]] ||
   ! grep -q "\"version\": \"$puppeteer_version\"" "$npm_dir/node_modules/puppeteer-core/package.json"; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --no-audit --no-fund --no-save "puppeteer-core@$puppeteer_version" >/dev/null)
fi
mkdir -p "$out"
rm -f "$out"/report.html "$out"/report.png
app=$images/app.oci-archive.tar
args=(--dockerfile "$images/Dockerfile" --base "$images/base-slim.oci-archive.tar" "$app")
"$bin" report -o "$out/report.html" "${args[@]}"
"$bin" report --json "${args[@]}" >"$out/report.json"
"$bin" waste --json "$app" >"$out/waste.json"
"$bin" profile --json "$app" >"$out/profile.json"
# The paging page: a 5,000-file tree (tests/data/make_report_tree.py) whose
# /app/src holds 250 files, more than one view draws.
python3 "$here/../data/make_report_tree.py" 5000 --docker-archive "$out/tree5k.tar" >/dev/null
"$bin" report -o "$out/paging.html" "$out/tree5k.tar"
"$bin" report --json "$out/tree5k.tar" >"$out/paging.json"

# Bad input: one line on stderr, exit 2, the output file neither written
# nor replaced.
expect_error() {  # NAME ARGS...
  local name=$1 rc=0
  shift
  "$bin" report "$@" 2>"$out/$name.err" || rc=$?
  if [[ $rc -ne 2 || $(wc -l <"$out/$name.err") -ne 1 ]]; then
    echo "FAILED: report $* exited $rc, stderr:" >&2
    cat "$out/$name.err" >&2
    exit 1
  fi
  echo "ok: $name: $(cat "$out/$name.err")"
}
rm -f "$out/missing.html"
expect_error missing-image -o "$out/missing.html" "$out/no-such-image.tar"
[[ ! -e $out/missing.html ]] || { echo "FAILED: a page was written for a missing image" >&2; exit 1; }
head -c 40000 "$app" >"$out/truncated.tar"
echo keep >"$out/keep.html"
expect_error truncated-image -o "$out/keep.html" "$out/truncated.tar"
[[ $(cat "$out/keep.html") == keep ]] || { echo "FAILED: keep.html was replaced" >&2; exit 1; }
expect_error bad-dockerfile -o "$out/keep.html" --dockerfile "$out/no-such-Dockerfile" "$app"
expect_error no-output "$app"
[[ -z $(find "$out" -name '.whittle-tmp-*') ]] || { echo "FAILED: a temporary file was left" >&2; exit 1; }

node "$here/report_browser_test.js" "$npm_dir" "$browser" "$exe" "$out/report.html" "$out/report.json" \
  "$out/waste.json" "$out/profile.json" "$out/report.png" "$out/paging.html" "$out/paging.json"
echo "report_browser_test ($browser): ok (screenshot: $out/report.png)"
