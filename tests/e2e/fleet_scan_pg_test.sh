#!/usr/bin/env bash
# whittle scan on the PostgreSQL store (issue 16), end to end: the 50-image
# registry of tests/support/fleet_e2e.sh and the private server of
# tests/support/pg_fixture.sh (the whittle_pg CTest fixture; its URL in
# PG_DIR/url). Each part uses a fresh database of its own.
#
#   tests/e2e/fleet_scan_pg_test.sh WHITTLE EXPLAIN_IMAGES_DIR WORK_DIR PG_DIR
#
# 1. one process into SQLite and one into PostgreSQL give the same
#    `--report` (csv and json): the store does not change the table;
# 2. 4 processes with --shard 0/4..3/4 against one database at once give
#    that table too, with every reference done once;
# 3. a worker SIGKILLed mid-scan holds no claim afterwards (its connection
#    drop rolled its transaction back: no lease to wait for), and a second
#    worker started at once completes the table: 50 images, no duplicates;
# 4. a rerun skips every image; the password never appears in an error.
set -euo pipefail

# shellcheck source=tests/support/fleet_e2e.sh
source "$(dirname "$0")/../support/fleet_e2e.sh"
fleet_args PG_DIR "$@"
PG_DIR=${EXTRA_ARGS[0]}
command -v psql >/dev/null || { echo "FAIL: psql is missing (scripts/install-deps.sh: postgresql)" >&2; exit 1; }
[[ -s $PG_DIR/url ]] || { echo "FAIL: no server: $PG_DIR/url (the whittle_pg fixture)" >&2; exit 1; }
URL=$(cat "$PG_DIR/url")
fleet_start

# fresh_db NAME: an empty database NAME on the fixture's server; prints its URL.
fresh_db() {
  psql -q "$URL" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "${URL%/*}/$1"
}
sql() { psql -qAt "$1" -v ON_ERROR_STOP=1 -c "$2"; }

# 1. One process, each store.
rc=0
"${W[@]}" "docker://$REG" --db "$OUT/one.sqlite" --cache-dir "$OUT/cache" >/dev/null 2>"$OUT/sqlite.err" || rc=$?
check "sqlite: exit $rc, want 0 ($(tail -2 "$OUT/sqlite.err"))" test $rc -eq 0
ONE=$(fresh_db fleet_one)
rc=0
"${W[@]}" "docker://$REG" --db "$ONE" --cache-dir "$OUT/cache" >/dev/null 2>"$OUT/one.err" || rc=$?
check "postgres: exit $rc, want 0 ($(tail -2 "$OUT/one.err"))" test $rc -eq 0
check "postgres: 50 images" test "$(sql "$ONE" 'SELECT COUNT(*) FROM images')" -eq 50
for f in csv json; do
  report "$OUT/one.sqlite" $f >"$OUT/sqlite.$f"
  report "$ONE" $f >"$OUT/one.$f"
  check "postgres: the same report $f as sqlite" cmp -s "$OUT/sqlite.$f" "$OUT/one.$f"
done

# 2. Four shards, four processes, one database, cold caches of their own.
FOUR=$(fresh_db fleet_four)
pids=()
for i in 0 1 2 3; do
  "${W[@]}" "docker://$REG" --shard "$i/4" --db "$FOUR" --cache-dir "$OUT/cache-four$i" \
    >/dev/null 2>"$OUT/shard$i.err" &
  pids+=($!)
done
for i in 0 1 2 3; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  check "shard $i/4: exit $rc, want 0 ($(tail -2 "$OUT/shard$i.err"))" test $rc -eq 0
done
report "$FOUR" csv >"$OUT/four.csv"
check "shards: the same report as one process" cmp -s "$OUT/sqlite.csv" "$OUT/four.csv"
check "shards: 50 references, all done" test "$(sql "$FOUR" "SELECT COUNT(*) || '/' || COUNT(*) FILTER (WHERE state = 'done') FROM work")" = "50/50"
scanned=$(cat "$OUT"/shard?.err | grep -c ' scanned: ' || true)
check "shards: each image scanned once ($scanned)" test "$scanned" -eq 50

# 3. SIGKILL mid-scan: the claim goes with the connection.
KILLED=$(fresh_db fleet_killed)
"${W[@]}" "docker://$REG" --db "$KILLED" --cache-dir "$OUT/cache-killed" -j 1 --worker doomed \
  >/dev/null 2>"$OUT/doomed.err" &
doomed=$!
# Bounded by the process, not a short wall clock (slow under ASan beside
# other tests); 10 minutes is only a backstop.
for _ in $(seq 12000); do
  [[ $(grep -c ' scanned: ' "$OUT/doomed.err" || true) -ge 10 ]] && break
  kill -0 "$doomed" 2>/dev/null || break
  sleep 0.05
done
kill -KILL "$doomed"
wait "$doomed" 2>/dev/null || true
done_before=$(sql "$KILLED" "SELECT COUNT(*) FROM work WHERE state = 'done'")
check "killed: it finished some ($done_before) but not all" test "$done_before" -ge 10 -a "$done_before" -lt 50
# The server notices the dropped connection at once; give it a moment.
for _ in $(seq 50); do
  [[ $(sql "$KILLED" "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name LIKE 'whittle scan doomed%'") -eq 0 ]] && break
  sleep 0.1
done
locked=$(sql "$KILLED" "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name LIKE 'whittle scan doomed%'")
check "killed: its connection and locks are gone ($locked)" test "$locked" -eq 0
rc=0
"${W[@]}" "docker://$REG" --db "$KILLED" --cache-dir "$OUT/cache-killed" -j 1 --worker rescuer \
  >/dev/null 2>"$OUT/rescuer.err" || rc=$?
check "rescuer: exit $rc, want 0 ($(tail -2 "$OUT/rescuer.err"))" test $rc -eq 0
check "rescuer: every reference done" test "$(sql "$KILLED" "SELECT COUNT(*) FROM work WHERE state <> 'done'")" -eq 0
check "rescuer: 50 images, no duplicates" test "$(sql "$KILLED" 'SELECT COUNT(*) || '"'|'"' || COUNT(DISTINCT digest) FROM images')" = "50|50"
report "$KILLED" csv >"$OUT/killed.csv"
check "rescuer: the same report as one process" cmp -s "$OUT/sqlite.csv" "$OUT/killed.csv"

# 4. A rerun skips; a wrong password is named without the password.
rc=0
"${W[@]}" "docker://$REG" --db "$ONE" --cache-dir "$OUT/cache" >/dev/null 2>"$OUT/rerun.err" || rc=$?
check "rerun: exit $rc, want 0" test $rc -eq 0
check "rerun: 50 skipped" test "$(grep -c ' skipped: stored already' "$OUT/rerun.err" || true)" -eq 50
bad=$(echo "$ONE" | sed 's|://whittle:[^@]*@|://whittle:s3cret-wrong@|')
rc=0
"${W[@]}" --report --db "$bad" >/dev/null 2>"$OUT/badpw.err" || rc=$?
check "wrong password: exit $rc, want 2" test $rc -eq 2
check "wrong password: one line ($(cat "$OUT/badpw.err"))" test "$(wc -l <"$OUT/badpw.err")" -eq 1
check "wrong password: not printed" test -z "$(grep -F s3cret-wrong "$OUT/badpw.err" || true)"

for db in fleet_one fleet_four fleet_killed; do
  psql -q "$URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
done
fleet_finish fleet_scan_pg_test
