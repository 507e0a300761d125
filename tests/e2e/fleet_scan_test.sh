#!/usr/bin/env bash
# whittle scan end to end (issue 16), on a local distribution registry
# (Debian's docker-registry) holding 50 images that share their bases: the
# explain fixture's app and base-slim images plus a layer all 50 share and
# one of their own (tests/support/make_fleet_images.py), as
# fleet/svc-00..24:v1,v2.
#
#   tests/e2e/fleet_scan_test.sh WHITTLE EXPLAIN_IMAGES_DIR WORK_DIR
#
# 1. the catalog walk (in pages of 7: WHITTLE_SCAN_PAGE_SIZE) finds all 50
#    and scans them; every blob is fetched at most once (the registry's
#    access log), so the layer all 50 share is read once;
# 2. 4 processes with --shard 0/4..3/4 into one SQLite file at once give the
#    same `--report --format csv` (and json) as the one process;
# 3. a rerun skips every image: 50 "skipped" lines, each image's manifest
#    fetched once and no blob, neither config nor layer (access log), and
#    the same report;
# 4. --from FILE scans what it lists; a bad line is exit 2 with FILE:LINE;
# 5. a worker SIGKILLed mid-scan leaves claims behind; another worker
#    started after it scans what is pending, then waits for the dead one's
#    lease (saying so) instead of stopping, and when the lease ends takes
#    its images over in the same run: the final table equals the
#    one-process table, with 50 rows and no duplicates;
# 6. --report on a missing store, --format without --report, and a store of
#    a newer schema are exit 2.
set -euo pipefail

# shellcheck source=tests/support/fleet_e2e.sh
source "$(dirname "$0")/../support/fleet_e2e.sh"
fleet_args "" "$@"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is missing (scripts/install-deps.sh)" >&2; exit 1; }
fleet_start

export WHITTLE_SCAN_PAGE_SIZE=7
# GET lines of blobs in the access log from line $1 on: "DIGEST" per fetch.
blob_gets() {
  tail -n +"$1" "$OUT/registry.log" | grep -o '"GET /v2/[^ ]*/blobs/sha256:[0-9a-f]*' | sed 's/.*blobs\///' || true
}
# GET lines of manifests from line $1 on: "REPO/manifests/REFERENCE" per fetch.
manifest_gets() {
  tail -n +"$1" "$OUT/registry.log" | grep -o '"GET /v2/[^ ]*/manifests/[^ ]*' | sed 's/^"GET \/v2\///' || true
}
log_lines() { wc -l <"$OUT/registry.log"; }

# 1. One process over the catalog.
mark=$(log_lines)
rc=0
"${W[@]}" "docker://$REG" --db "$OUT/one.sqlite" --cache-dir "$OUT/cache-one" >"$OUT/one.out" 2>"$OUT/one.err" || rc=$?
check "one process: exit $rc, want 0 ($(tail -3 "$OUT/one.err"))" test $rc -eq 0
check "one process: the catalog walk lists 50 references" grep -qx 'whittle: scan: 50 references' "$OUT/one.err"
check "one process: 50 scanned lines" test "$(grep -c ' scanned: ' "$OUT/one.err")" -eq 50
check "one process: the summary" grep -q '^whittle: scan: 50 scanned, 0 skipped, 0 failed; ' "$OUT/one.err"
check "one process: the catalog was read in pages" test "$(grep -c 'GET /v2/_catalog' "$OUT/registry.log")" -ge 4
blob_gets $((mark + 1)) >"$OUT/one.gets"
sort "$OUT/one.gets" | uniq -d >"$OUT/one.dupes"
check "one process: a blob fetched twice: $(head -3 "$OUT/one.dupes")" test ! -s "$OUT/one.dupes"
# The CA bundle layer is in all 50 images: fetched exactly once.
base_layer=$(sqlite3 "$OUT/one.sqlite" \
  "SELECT layer FROM image_layers GROUP BY layer ORDER BY COUNT(*) DESC, layer LIMIT 1")
check "one process: the most shared layer is in 50 images" test \
  "$(sqlite3 "$OUT/one.sqlite" "SELECT COUNT(*) FROM image_layers WHERE layer='$base_layer'")" -eq 50
check "one process: the layer of all 50 fetched once" test "$(grep -c "$base_layer" "$OUT/one.gets")" -eq 1
check "one process: 50 image rows" test "$(sqlite3 "$OUT/one.sqlite" 'SELECT COUNT(*) FROM images')" -eq 50
check "one process: the digests are those pushed" diff <(cut -d' ' -f2 "$OUT/pushed.txt" | sort) \
  <(sqlite3 "$OUT/one.sqlite" 'SELECT digest FROM images ORDER BY digest')
report "$OUT/one.sqlite" csv >"$OUT/one.csv"
report "$OUT/one.sqlite" json >"$OUT/one.json"
report "$OUT/one.sqlite" tty >"$OUT/one.txt"
check "report csv: 50 image rows" test "$(grep -c '^image,' "$OUT/one.csv")" -eq 50
check "report csv: a layer shared by 50 images" grep -q "^layer,[^,]*,$base_layer,,50," "$OUT/one.csv"
check "report csv: the two bases' 7 layers, each in 25 images" test "$(grep -c '^layer,[^,]*,[^,]*,,25,' "$OUT/one.csv")" -eq 7
check "report: findings across the fleet" grep -q '^finding,' "$OUT/one.csv"
# The 25 app images delete their apt lists and a scratch file; 5 slim ones
# delete a file of their own (make_fleet_images.py).
check "report: 30 images with reclaimable bytes" test \
  "$(sqlite3 "$OUT/one.sqlite" 'SELECT COUNT(*) FROM images WHERE reclaimable > 0')" -eq 30
check "report tty: the header line" grep -q '^50 images, ' "$OUT/one.txt"

# 2. Four shards, four processes at once, one file, a cold cache of their own.
pids=()
for i in 0 1 2 3; do
  "${W[@]}" "docker://$REG" --shard "$i/4" --db "$OUT/four.sqlite" --cache-dir "$OUT/cache-four" \
    >"$OUT/shard$i.out" 2>"$OUT/shard$i.err" &
  pids+=($!)
done
for i in 0 1 2 3; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  check "shard $i/4: exit $rc, want 0 ($(tail -2 "$OUT/shard$i.err"))" test $rc -eq 0
done
total=0
for i in 0 1 2 3; do
  n=$(sed -n 's/^whittle: scan: 50 references, \([0-9]*\) in shard .*/\1/p' "$OUT/shard$i.err")
  check "shard $i/4: its share of the 50 is printed" test -n "$n"
  total=$((total + ${n:-0}))
done
check "shards: the four shares add up to 50 (got $total)" test $total -eq 50
report "$OUT/four.sqlite" csv >"$OUT/four.csv"
report "$OUT/four.sqlite" json >"$OUT/four.json"
check "shards: the same report csv as one process" cmp -s "$OUT/one.csv" "$OUT/four.csv"
check "shards: the same report json as one process" cmp -s "$OUT/one.json" "$OUT/four.json"

# 3. A rerun skips every image and fetches no blob.
mark=$(log_lines)
rc=0
"${W[@]}" "docker://$REG" --db "$OUT/one.sqlite" --cache-dir "$OUT/cache-one" >/dev/null 2>"$OUT/rerun.err" || rc=$?
check "rerun: exit $rc, want 0" test $rc -eq 0
check "rerun: 50 skipped lines" test "$(grep -c ' skipped: stored already' "$OUT/rerun.err")" -eq 50
check "rerun: the summary" grep -q '^whittle: scan: 0 scanned, 50 skipped, 0 failed; 0 layers' "$OUT/rerun.err"
# The rerun reads each manifest (its digest is what the store keys on) and
# no blob: neither a config nor a layer.
blob_gets $((mark + 1)) >"$OUT/rerun.gets"
check "rerun: no blob fetched ($(head -3 "$OUT/rerun.gets"))" test ! -s "$OUT/rerun.gets"
manifest_gets $((mark + 1)) >"$OUT/rerun.manifests"
check "rerun: 50 manifests fetched ($(wc -l <"$OUT/rerun.manifests"))" test "$(wc -l <"$OUT/rerun.manifests")" -eq 50
check "rerun: each image's manifest once" test -z "$(sort "$OUT/rerun.manifests" | uniq -d)"
report "$OUT/one.sqlite" csv >"$OUT/rerun.csv"
check "rerun: the report is unchanged" cmp -s "$OUT/one.csv" "$OUT/rerun.csv"

# 4. --from.
{
  echo "# three of the fleet"
  echo
  echo "docker://$REG/fleet/svc-03:v2"
  echo "  $REG/fleet/svc-07:v1"
  echo "$REG/fleet/svc-07:v1   "
  echo "$REG/fleet/svc-11:v1 # no"
} >"$OUT/bad-list.txt"
rc=0
"${W[@]}" --from "$OUT/bad-list.txt" --db "$OUT/from.sqlite" >/dev/null 2>"$OUT/bad-from.err" || rc=$?
check "bad --from: exit $rc, want 2" test $rc -eq 2
check "bad --from: FILE:LINE ($(cat "$OUT/bad-from.err"))" grep -q "^whittle: $OUT/bad-list.txt:6: " "$OUT/bad-from.err"
check "bad --from: no store written" test ! -e "$OUT/from.sqlite"
sed -i '$d' "$OUT/bad-list.txt"
rc=0
"${W[@]}" --from "$OUT/bad-list.txt" --db "$OUT/from.sqlite" --cache-dir "$OUT/cache-one" >/dev/null \
  2>"$OUT/from.err" || rc=$?
check "--from: exit $rc, want 0 ($(tail -2 "$OUT/from.err"))" test $rc -eq 0
check "--from: two references" grep -qx 'whittle: scan: 2 references' "$OUT/from.err"
check "--from: two images stored" test "$(sqlite3 "$OUT/from.sqlite" 'SELECT COUNT(*) FROM images')" -eq 2
check "--from: read from the layer cache only" grep -q '^whittle: scan: 2 scanned, 0 skipped, 0 failed; [0-9]* layers, 0 read, ' \
  "$OUT/from.err"
echo "$REG/fleet/svc-03:nonesuch" >>"$OUT/bad-list.txt"
rc=0
"${W[@]}" --from "$OUT/bad-list.txt" --db "$OUT/from.sqlite" --cache-dir "$OUT/cache-one" >/dev/null \
  2>"$OUT/from-missing.err" || rc=$?
check "--from with a missing tag: exit $rc, want 1" test $rc -eq 1
check "--from with a missing tag: its progress line" grep -q "^whittle: scan: $REG/fleet/svc-03:nonesuch: failed: .*404" \
  "$OUT/from-missing.err"
check "--from with a missing tag: listed at the end" grep -q "^whittle: scan: failed: $REG/fleet/svc-03:nonesuch: " \
  "$OUT/from-missing.err"
check "--from with a missing tag: the others skipped" grep -q '^whittle: scan: 0 scanned, 2 skipped, 1 failed; ' \
  "$OUT/from-missing.err"
rc=0
"${W[@]}" --from "$OUT/none.txt" --db "$OUT/from.sqlite" >/dev/null 2>"$OUT/none.err" || rc=$?
check "missing --from: exit $rc, want 2" test $rc -eq 2

# 5. A worker killed mid-scan; another, in one run, finishes after the lease.
# The dead worker's lease is an hour, so the rescuer surely runs out of
# pending images while it holds: it must wait, not stop. The test then ends
# the lease in the store (as the hour passing would) and the rescuer, which
# looks each second, takes the image over. One thread each (-j 1).
"${W[@]}" "docker://$REG" --db "$OUT/killed.sqlite" --cache-dir "$OUT/cache-killed" --lease 3600 -j 1 \
  --worker doomed >/dev/null 2>"$OUT/doomed.err" &
doomed=$!
# No short wall-clock bound on these waits: under ASan beside other tests
# the 40 images take a minute or more (a 60 s bound failed once in CI).
# Each wait ends when its process does; 10 minutes is only a backstop.
for _ in $(seq 12000); do
  [[ $(grep -c ' scanned: ' "$OUT/doomed.err" || true) -ge 10 ]] && break
  kill -0 "$doomed" 2>/dev/null || break
  sleep 0.05
done
kill -KILL "$doomed"
wait "$doomed" 2>/dev/null || true
done_before=$(sqlite3 "$OUT/killed.sqlite" "SELECT COUNT(*) FROM work WHERE state='done'")
claimed=$(sqlite3 "$OUT/killed.sqlite" "SELECT COUNT(*) FROM work WHERE state='claimed' AND worker='doomed'")
check "killed: it finished some ($done_before) but not all" test "$done_before" -ge 10 -a "$done_before" -lt 50
check "killed: it left claims behind ($claimed)" test "$claimed" -ge 1
"${W[@]}" "docker://$REG" --db "$OUT/killed.sqlite" --cache-dir "$OUT/cache-killed" --lease 1 -j 1 --worker rescuer \
  >/dev/null 2>"$OUT/rescuer.err" &
rescuer=$!
for _ in $(seq 12000); do
  grep -q ': waiting for ' "$OUT/rescuer.err" && break
  kill -0 "$rescuer" 2>/dev/null || break
  sleep 0.05
done
check "rescuer: waits for the dead worker's lease ($(tail -1 "$OUT/rescuer.err"))" \
  grep -qx "whittle: scan: nothing pending: waiting for the $claimed images\\? other workers hold (taken over if a lease ends: the first in [0-9]* s)" \
  "$OUT/rescuer.err"
check "rescuer: still running while the lease holds" kill -0 "$rescuer"
check "rescuer: every other image done meanwhile" test \
  "$(sqlite3 "$OUT/killed.sqlite" "SELECT COUNT(*) FROM work WHERE state<>'done'")" -eq "$claimed"
sqlite3 -cmd '.timeout 10000' "$OUT/killed.sqlite" \
  "UPDATE work SET lease_until=0 WHERE state='claimed' AND worker='doomed'"
rc=0
wait "$rescuer" || rc=$?
check "rescuer: exit $rc, want 0" test $rc -eq 0
check "rescuer: no claim left" test "$(sqlite3 "$OUT/killed.sqlite" "SELECT COUNT(*) FROM work WHERE state<>'done'")" -eq 0
check "rescuer: 50 images, no duplicates" test \
  "$(sqlite3 "$OUT/killed.sqlite" 'SELECT COUNT(*), COUNT(DISTINCT digest) FROM images')" = "50|50"
check "rescuer: no duplicate layer rows" test \
  "$(sqlite3 "$OUT/killed.sqlite" 'SELECT COUNT(*) FROM (SELECT image, position FROM image_layers GROUP BY 1, 2 HAVING COUNT(*) > 1)')" -eq 0
report "$OUT/killed.sqlite" csv >"$OUT/killed.csv"
check "rescuer: the same report csv as one process" cmp -s "$OUT/one.csv" "$OUT/killed.csv"

# 6. Usage and store errors.
rc=0; "${W[@]}" --report --db "$OUT/absent.sqlite" >/dev/null 2>"$OUT/err1" || rc=$?
check "--report on a missing store: exit $rc, want 2" test $rc -eq 2
check "--report on a missing store: nothing created" test ! -e "$OUT/absent.sqlite"
rc=0; "${W[@]}" "docker://$REG" --format csv --db "$OUT/x.sqlite" >/dev/null 2>"$OUT/err2" || rc=$?
check "--format without --report: exit $rc, want 2" test $rc -eq 2
cp "$OUT/one.sqlite" "$OUT/newer.sqlite"
sqlite3 "$OUT/newer.sqlite" 'INSERT INTO schema_version VALUES(99)'
rc=0; "${W[@]}" --report --db "$OUT/newer.sqlite" >/dev/null 2>"$OUT/err3" || rc=$?
check "a newer store: exit $rc, want 2" test $rc -eq 2
check "a newer store: says so ($(cat "$OUT/err3"))" grep -q 'schema version 99 is newer' "$OUT/err3"

fleet_finish fleet_scan_test
