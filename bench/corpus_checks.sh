#!/usr/bin/env bash
# Opt-in integration checks on the real corpus (../shared/corpus; not run by
# .ci/run: it takes ~15 minutes to build). Exits non-zero on any failure.
#  - every export format of driftwood:naive gives the same dive efficiency,
#    the same reclaimable bytes and the same TAR total (dive itself scores the
#    same image 0.945 as a docker-archive and 0.961 as an oci-archive);
#  - the waste report names what issue #3 lists: the apt lists, the deleted
#    context backup, the opaque /app/build-cache, the rewritten model.bin and
#    the .deb files removed by `apt-get clean`, each with its storing layer.
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
exit $fail
