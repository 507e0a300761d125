#!/usr/bin/env bash
# Rebuilds third_party/echarts/echarts.min.js and its licences from npm:
# Apache ECharts and esbuild at the versions package.json and
# package-lock.json pin (npm ci checks their integrity), entry.js's parts
# of ECharts bundled and minified by esbuild into one script that sets the
# global `echarts`. Prints the sha256 of the result (docs/report.md keeps
# it). Deterministic: the same lock gives the same bytes.
#   third_party/echarts/build/update.sh
# To move to another version: edit package.json, run `npm install
# --package-lock-only` here, then this script, then the browser tests
# (docs/report.md, "how to update it").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
(cd "$work" && node -e '
require("esbuild").buildSync({
  entryPoints: ["entry.js"], outfile: "echarts.min.js", bundle: true, minify: true, format: "iife",
  globalName: "echarts", target: "es2017", legalComments: "none",
  define: { "process.env.NODE_ENV": "\"production\"" },
});')
js=$work/echarts.min.js
# The page inlines it in a <script> element, and it must make no request.
if grep -qi '</script' "$js"; then echo "update.sh: the bundle holds </script" >&2; exit 1; fi
if grep -q 'process\.env' "$js"; then echo "update.sh: the bundle reads process.env" >&2; exit 1; fi
nm=$work/node_modules
{
  # The licence header of ECharts' own build, then what this file is.
  sed -n '1,/\*\//p' "$nm/echarts/dist/echarts.min.js"
  echo "/* $(tr '\n' ' ' <"$nm/echarts/NOTICE" | sed 's/  */ /g; s/ $//')"
  echo "   This file: the parts of Apache ECharts $(node -p "require('$nm/echarts/package.json').version") that"
  echo "   third_party/echarts/build/entry.js names, with ZRender $(node -p "require('$nm/zrender/package.json').version")"
  echo "   (BSD-3-Clause, LICENSE-zrender) and tslib's helpers (0BSD, LICENSE-tslib), bundled"
  echo "   by esbuild $(node -p "require('$nm/esbuild/package.json').version") (third_party/echarts/build/update.sh). */"
  cat "$js"
} >"$out/echarts.min.js"
cp "$nm/echarts/LICENSE" "$nm/echarts/NOTICE" "$out/"
cp "$nm/echarts/licenses/LICENSE-d3" "$out/LICENSE-d3"
cp "$nm/zrender/LICENSE" "$out/LICENSE-zrender"
cp "$nm/tslib/LICENSE.txt" "$out/LICENSE-tslib"
sha256sum "$out/echarts.min.js"
