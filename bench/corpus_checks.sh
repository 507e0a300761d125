#!/usr/bin/env bash
# Opt-in integration checks on the real corpus (../shared/corpus; not run by
# .ci/run: it takes ~15 minutes to build). Exits non-zero on any failure.
#  - every export format of driftwood:naive gives the same dive efficiency,
#    the same reclaimable bytes and the same TAR total (dive itself scores the
#    same image 0.945 as a docker-archive and 0.961 as an oci-archive);
#  - the waste report names what issue #3 lists: the apt lists, the deleted
#    context backup, the opaque /app/build-cache, the rewritten model.bin and
#    the .deb files removed by `apt-get clean`, each with its storing layer.
#  - explain (issue #8) on naive Driftwood with Dockerfile.naive: the top two
#    findings are the base (line 2) and the toolchain (line 8), the toolchain
#    bytes equal `profile -d layers,kinds`'s toolchain rows, and with
#    --try-base on the slim base projectedAll lands within 25% of the real
#    slim image; on the slim image the report says it is short;
#  - the corpus examples of docs/explain.md and docs/using.md are current.
#   bench/corpus_checks.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-$ROOT/build}/whittle
E=${CORPUS_OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus}/export
[[ -d $E ]] || { echo "corpus missing: run ../shared/corpus/run-all.sh" >&2; exit 2; }
fail=0
refs=("docker-archive:$E/driftwood-naive.docker-archive.tar"
      "$E/driftwood-naive.docker25-save.tar"
      "oci-archive:$E/driftwood-naive.oci-archive.tar"
      "oci-archive:$E/driftwood-naive.oci-zstd-archive.tar"
      "oci:$E/oci-gzip:corpus/driftwood:naive"
      "oci:$E/oci-zstd:corpus/driftwood:naive"
      "oci:$E/oci-plain:corpus/driftwood:naive"
      "dir:$E/dir-docker/driftwood-naive")
first=""
for r in "${refs[@]}"; do
  line=$("$W" waste --json "$r" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["efficiency"], d["reclaimableBytes"], d["wastedBytes"])')
  tar=$("$W" profile --json "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["tarSize"])')
  printf '%-75s efficiency/reclaimable/wasted %s  tar %s\n' "${r/$E\//}" "$line" "$tar"
  if [[ -z $first ]]; then first="$line $tar"; elif [[ "$line $tar" != "$first" ]]; then
    echo "  MISMATCH with the first format" >&2; fail=1; fi
done
report=$("$W" waste -n 0 "docker-archive:$E/driftwood-naive.docker-archive.tar")
check() {  # $1 = description, $2 = regex that a report line must match
  if grep -Eq "$2" <<<"$report"; then echo "ok: $1"; else echo "MISSING: $1" >&2; fail=1; fi
}
check "apt lists deleted (stored by #2 apt-get update)" '#2 +#[0-9]+ +deleted +/var/lib/apt/lists/'
check "context backup deleted" 'deleted +/tmp/context-backup.tar.gz'
check "/app/build-cache hidden by an opaque dir" 'hidden-by-opaque +/app/build-cache'
check "model.bin overwritten" 'overwritten +/app/data/model.bin'
check ".deb files removed by apt-get clean" 'deleted +/var/cache/apt/archives/.*\.deb'

# explain (issue #8)
S=${CORPUS_SRC:-$ROOT/../shared/corpus/driftwood}
NAIVE_JSON=$("$W" explain --json --dockerfile "$S/Dockerfile.naive" \
  --try-base "$E/base-slim-bookworm.oci-archive.tar" "$E/driftwood-naive.oci-archive.tar" || true)
TOOLCHAIN=$("$W" profile --csv -n 0 -d layers,kinds "$E/driftwood-naive.oci-archive.tar" |
  awk -F, '$2 == "toolchain" { s += $4 } END { print s + 0 }')
SLIM_TAR=$("$W" profile --json "$E/driftwood-slim.oci-archive.tar" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["tarSize"])')
SLIM_REPORT=$("$W" explain --dockerfile "$S/Dockerfile.slim" "$E/driftwood-slim.oci-archive.tar" || true)
export NAIVE_JSON TOOLCHAIN SLIM_TAR
if python3 -c '
import json, os, sys
d = json.loads(os.environ["NAIVE_JSON"])
toolchain, slim = int(os.environ["TOOLCHAIN"]), int(os.environ["SLIM_TAR"])
f = d["findings"]
ok = True
def want(cond, what):
    global ok
    if not cond:
        print("MISMATCH: explain " + what, file=sys.stderr)
        ok = False
top = {(x["id"], x["line"]) for x in f[:2]}
want(top == {("base", 2), ("toolchain", 8)}, "top findings %s" % top)
tc = [x["bytes"] for x in f if x["id"] == "toolchain"]
want(tc == [toolchain], "toolchain bytes %s vs profile %d" % (tc, toolchain))
proj = d["projectedAll"]["sizeBytes"]
want(abs(proj - slim) <= slim // 4, "projectedAll %d vs the slim image %d" % (proj, slim))
print("explain: projectedAll %d vs slim %d (%+.1f%%)" % (proj, slim, (proj - slim) * 100 / slim))
sys.exit(0 if ok else 1)
'; then echo "ok: explain on naive Driftwood"; else fail=1; fi
check_slim() { if grep -q "short report" <<<"$SLIM_REPORT"; then echo "ok: explain on slim Driftwood is short"; else
  echo "MISSING: explain on slim Driftwood says it is short" >&2; fail=1; fi; }
check_slim
if python3 "$ROOT/scripts/regen-docs.py" --check --bin "$W" --corpus "$E" --corpus-src "$S" "$ROOT/docs/explain.md" "$ROOT/docs/using.md"; then
  echo "ok: docs/explain.md and docs/using.md corpus examples current"; else fail=1; fi
exit $fail
