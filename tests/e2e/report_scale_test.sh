#!/usr/bin/env bash
# `whittle report` on a 200,000-file image keeps the page within its
# documented budget (docs/report.md, "Scale"): the image is
# tests/data/make_report_tree.py's tree (python packages, locales,
# node_modules, an app; log-normal sizes) as a one-layer docker-archive.
# Structure only, no timing (bench/report_bench.sh times the page in the
# browsers):
#   - every file is counted: the root holds the 200,000 files (but the
#     empty ones, which carry no bytes) and liveBytes;
#   - the embedded tree holds at most maxNodes (20,000) nodes, and it was
#     cut (the whole tree is larger), and budget.nodes is the nodes there;
#   - the page is under 5 MB, all ASCII, and embeds exactly report --json.
#   tests/e2e/report_scale_test.sh WHITTLE_BIN OUT_DIR
set -euo pipefail
bin=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
n=200000
mkdir -p "$out"
gen=$root/tests/data/make_report_tree.py
stamp="n=$n $(sha256sum "$gen" | cut -c1-16)"
if [[ ! -f $out/image.tar || ! -f $out/image.stamp || $(cat "$out/image.stamp") != "$stamp" ]]; then
  rm -f "$out/image.tar" "$out/image.tar.files.json" "$out/image.stamp"
  python3 "$gen" "$n" --docker-archive "$out/image.tar"
  echo "$stamp" >"$out/image.stamp"
fi
"$bin" report --json "$out/image.tar" >"$out/report.json"
"$bin" report -o "$out/report.html" "$out/image.tar"
python3 - "$out" "$n" <<'PY'
import html.parser, json, os, sys
out, n = sys.argv[1], int(sys.argv[2])
r = json.load(open(os.path.join(out, "report.json")))
root, budget, header = r["tree"]["root"], r["tree"]["budget"], r["header"]


def check(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)
    print("ok: " + what)


def count(node):
    kids = node[5] if len(node) > 5 and isinstance(node[5], list) else []
    return 1 + sum(count(k) for k in kids)


made = json.load(open(os.path.join(out, "image.tar.files.json")))
check(made["files"] == n, "the image holds %d files" % n)
check(root[2] == n - made["empty"], "the root holds them all but the %d empty ones (%d)" % (made["empty"], root[2]))
check(root[1] == header["liveBytes"], "the root holds the live bytes (%d)" % root[1])
check(budget["maxNodes"] == 20000, "the budget is 20,000 nodes")
check(budget["allNodes"] > budget["maxNodes"], "the whole tree (%d nodes) is over the budget" % budget["allNodes"])
nodes = count(root)
check(nodes == budget["nodes"] and nodes <= budget["maxNodes"],
      "the embedded tree has %d nodes, as budget.nodes says, within the budget" % nodes)
check(budget["thresholdBytes"] > 0 and budget["foldedFiles"] > 0,
      "files under %d bytes are folded (%d files)" % (budget["thresholdBytes"], budget["foldedFiles"]))
size = os.path.getsize(os.path.join(out, "report.html"))
check(size < 5_000_000, "the page is %d bytes, under 5 MB" % size)
raw = open(os.path.join(out, "report.html"), "rb").read()
check(max(raw) < 0x80, "the page is ASCII (browsers decode it as 8-bit text, several times faster)")


class Data(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.text = False, []

    def handle_starttag(self, tag, attrs):
        self.inside = dict(attrs).get("id") == "whittle-data"

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, d):
        if self.inside:
            self.text.append(d)


p = Data()
p.feed(open(os.path.join(out, "report.html"), encoding="utf-8").read())
check(json.loads("".join(p.text)) == r, "the page embeds exactly report --json")
PY
echo "report_scale_test: ok"
