#!/usr/bin/env bash
# Acceptance of `whittle compact` on the corpus (opt-in: needs the corpus,
# /work/shared/corpus/README.md). For the naive Driftwood image:
#   1. compacted tar size == input tar size - `whittle waste`'s reclaimable
#      bytes, within the tar-header overhead of the dropped members (their
#      header blocks and padding, plus each replaced layer's end-of-archive
#      blocks). Reclaimable bytes stored in the base layers stay: compact
#      keeps the base byte for byte, so they are subtracted only when the
#      base is 0 layers (printed both ways);
#   2. the base layers keep their digests.
# Exit 0 when both hold, 1 otherwise.
#
# usage: bench/compact_acceptance.sh [path/to/whittle] [IMAGE]
set -euo pipefail
WHITTLE=$(realpath "${1:-build/whittle}")
CORPUS=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/whittle-corpus/export}
IMAGE=${2:-oci:$CORPUS/oci-gzip:corpus/driftwood:naive}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/whittle-compact-accept.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

"$WHITTLE" waste --json "$IMAGE" >"$WORK/waste.json"
"$WHITTLE" compact --json "$IMAGE" -o "oci:$WORK/out:compacted" >"$WORK/compact.json"
base=$(jq .base_layers "$WORK/compact.json")
before=$(jq .before.tar_size "$WORK/compact.json")
after=$(jq .after.tar_size "$WORK/compact.json")
reclaim_all=$(jq .reclaimableBytes "$WORK/waste.json")
# Dead bytes stored above the base: what compact can drop.
reclaim_upper=$(jq "[.layers[] | select(.layer > $base) | .deadBytes] | add // 0" "$WORK/waste.json")
dropped_members=$(jq '.members.total - .members.kept' "$WORK/compact.json")
replaced=$(jq '[.layers[] | select(.action=="replaced")] | length' "$WORK/compact.json")
# Overhead: each dropped member's headers (<= 3 blocks: pax + long name +
# ustar) and padding (< 1 block), and each replaced layer's end region
# (2 zero blocks + record padding, at most 10240 bytes).
overhead=$((dropped_members * 2048 + replaced * 10240))
expected=$((before - reclaim_upper))
gap=$((expected - after))
printf 'image:                 %s (base %s layers)\n' "$IMAGE" "$base"
printf 'input tar:             %s\n' "$before"
printf 'waste reclaimable:     %s (%s stored above the base)\n' "$reclaim_all" "$reclaim_upper"
printf 'expected tar:          %s (input - reclaimable above the base)\n' "$expected"
printf 'compacted tar:         %s\n' "$after"
printf 'difference:            %s (allowed 0..%s: headers of %s dropped members, %s end regions)\n' \
  "$gap" "$overhead" "$dropped_members" "$replaced"
ok=1
if ((gap < 0 || gap > overhead)); then
  echo "FAIL: compacted size is not input - reclaimable within the header overhead"
  ok=0
fi
in_base=$(skopeo inspect "$IMAGE" | jq -r ".Layers[0:$base][]")
out_base=$(skopeo inspect "oci:$WORK/out:compacted" | jq -r ".Layers[0:$base][]")
if [[ "$in_base" == "$out_base" ]]; then
  echo "base layer digests kept: $(echo "$in_base" | tr '\n' ' ')"
else
  echo "FAIL: base layer digests changed"
  ok=0
fi
# Ctrl-C in the middle of writing leaves nothing behind and exits 130.
mkdir "$WORK/int"
"$WHITTLE" compact "$IMAGE" -o "oci:$WORK/int/out" >/dev/null 2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 600); do
  compgen -G "$WORK/int/.whittle-compact-*/tmp-*" >/dev/null && break
  sleep 0.05
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
left=$(ls -A "$WORK/int")
if [[ $rc -eq 130 && -z "$left" ]]; then
  echo "interrupt while writing: exit 130, nothing left ($(cat "$WORK/int.err"))"
else
  echo "FAIL: interrupt: exit $rc, left: $left"
  ok=0
fi
((ok)) && echo "acceptance: PASS" || { echo "acceptance: FAIL"; exit 1; }
