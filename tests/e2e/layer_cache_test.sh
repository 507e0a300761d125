#!/usr/bin/env bash
# The layer cache end to end (issue 16), on the explain fixture's images
# (gzip'd OCI archives with real dpkg databases, so package bodies are
# captured and cached too):
#
#   tests/e2e/layer_cache_test.sh WHITTLE IMAGES_DIR WORK_DIR
#
# 1. warm output is byte-identical to cold and to --no-cache (stdout,
#    stderr, exit code) for profile, profile -d packages, waste, waste
#    --hash, ci, history, explain and diff; and the warm run reads no layer:
#    it prints the same with every layer blob overwritten by garbage of the
#    same size ("spoiled"), which only the cache can answer for (ci
#    verifies, so it reads them and fails);
# 1b. the per-image results alone (every layer record deleted from the
#    file) answer waste in every format, -n and -v, profile and history;
#    --hash, --verify, --no-cache, ci and profile -d packages do not use them;
# 2. a damaged cache file (truncated, header scribbled, pages scribbled) is
#    reported in one warning line and rebuilt; the run succeeds unchanged;
# 3. four processes filling one cache at once all succeed;
# 4. --cache-max-size keeps the stored scans and the file under the limit;
# 5. a file of another schema version is dropped, not read;
# 6. --no-cache writes nothing; the default place is $XDG_CACHE_HOME/whittle,
#    else ~/.cache/whittle;
# 7. --verify still reads and hashes the blobs: a blob overwritten behind a
#    warm cache is caught by --verify;
# 8. a piped archive fills the cache for later runs on the file.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 WHITTLE IMAGES_DIR WORK_DIR" >&2
  exit 2
fi
WHITTLE=$1
IMAGES=$2
OUT=$3
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is missing (scripts/install-deps.sh)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
DOCKERFILE=$IMAGES/Dockerfile
[[ -f $IMAGES/app.oci-archive.tar && -f $IMAGES/base-slim.oci-archive.tar && -f $DOCKERFILE ]] ||
  { echo "FAIL: fixture images missing in $IMAGES" >&2; exit 1; }
# The archives unpacked to OCI layouts, whose layer blobs can be spoiled and
# restored (pristine copies in *.orig).
for name in app base-slim; do
  mkdir -p "$OUT/$name.orig"
  tar -xf "$IMAGES/$name.oci-archive.tar" -C "$OUT/$name.orig"
  cp -a "$OUT/$name.orig" "$OUT/$name"
done
APP=oci:$OUT/app
BASE=oci:$OUT/base-slim
# Anything run without --cache-dir lands here, never in the real home.
export HOME=$OUT/home XDG_CACHE_HOME=$OUT/xdg

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run NAME ARGS...: runs whittle, keeping NAME.out, NAME.err, NAME.rc.
run() {
  local name=$1
  shift
  set +e
  "$WHITTLE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
  set -e
}

# same A B: A and B printed the same bytes and exit code.
same() {
  for part in out err rc; do
    if ! cmp -s "$OUT/$1.$part" "$OUT/$2.$part"; then
      diff "$OUT/$1.$part" "$OUT/$2.$part" | head -20 >&2 || true
      fail "$1 and $2 differ on $part"
    fi
  done
}

db_sql() { sqlite3 "$1/layers.sqlite" "$2"; }

# spoil / restore: every layer blob of both layouts overwritten with garbage
# of its own size (so a run that reads one fails), and back.
spoil() {
  local layout manifest blob
  for layout in "$OUT/app" "$OUT/base-slim"; do
    manifest=$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)
    for blob in $(jq -r '.layers[].digest' "$layout/blobs/sha256/$manifest" | cut -d: -f2); do
      blob=$layout/blobs/sha256/$blob
      head -c "$(stat -c %s "$blob")" /dev/zero | tr '\0' 'x' >"$blob.tmp"
      mv "$blob.tmp" "$blob"
    done
  done
}
restore() {
  local name
  for name in app base-slim; do
    rm -rf "${OUT:?}/$name"
    cp -a "$OUT/$name.orig" "$OUT/$name"
  done
}

# warm NAME COLD ARGS...: runs ARGS on spoiled layouts as NAME, then
# restores them; NAME must print exactly what COLD printed.
warm() {
  local name=$1 cold=$2
  shift 2
  spoil
  run "$name" "$@"
  restore
  same "$cold" "$name"
}

# --- 1. warm == cold == --no-cache, for every image verb -------------------
declare -A VERBS=(
  [profile]="profile $APP"
  [profile_pkgs]="profile -d packages,kinds --json $APP"
  [waste]="waste $APP"
  [waste_hash]="waste --hash --json $APP"
  [waste_csv]="waste --csv $APP"
  [waste_tsv]="waste --tsv $APP"
  [waste_md]="waste --format markdown -n 2 $APP"
  [waste_v]="waste -v -n 1 $APP"
  [ci]="ci --dive-defaults $APP"
  [history]="history $APP"
  [explain]="explain --dockerfile $DOCKERFILE --json $APP"
  [diff]="profile $APP -- $BASE"
)
for name in "${!VERBS[@]}"; do
  read -r -a args <<<"${VERBS[$name]}"
  cache=$OUT/cache-$name
  run "$name.none" "${args[0]}" --no-cache "${args[@]:1}"
  run "$name.cold" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
  [[ -f $cache/layers.sqlite ]] || fail "$name: the cold run wrote no cache"
  run "$name.warm" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
  same "$name.none" "$name.cold"
  same "$name.cold" "$name.warm"
  [[ $(cat "$OUT/$name.cold.rc") != 2 ]] || fail "$name: exit 2: $(cat "$OUT/$name.cold.err")"
  if [[ $name == ci ]]; then
    # ci always verifies: it reads every blob, and the spoiled ones fail.
    spoil
    run "$name.spoiled" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
    restore
    [[ $(cat "$OUT/$name.spoiled.rc") == 2 ]] || fail "ci did not read the layers"
  else
    warm "$name.spoiled" "$name.cold" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
  fi
done
echo "ok: warm output is byte-identical to cold for ${!VERBS[*]}"

# --- 1b. per-image results answer alone -----------------------------------
# waste stores its analysis of the image, and a totals-only scan (history,
# profile -d layers) each layer's totals, as one row per image ("waste
# <config digest>", "totals <config digest>"). With every layer record
# deleted from the file and every blob spoiled, only those rows can answer:
# every format and -n, -v's note and the exit code are still those of a run
# without the cache.
cache=$OUT/cache-result
run result.cold waste --cache-dir "$cache" "$APP"
same waste.none result.cold
run result.cold-profile profile --cache-dir "$cache" "$APP"
same profile.none result.cold-profile
run result.cold-history history --cache-dir "$cache" "$APP"
same history.none result.cold-history
for kind in waste totals; do
  [[ $(db_sql "$cache" "SELECT COUNT(*) FROM layers WHERE digest LIKE '$kind sha256:%'") == 1 ]] ||
    fail "result: no $kind row"
done
kept="digest LIKE 'waste %' OR digest LIKE 'totals %'"
db_sql "$cache" "DELETE FROM layer_values WHERE key IN (SELECT key FROM layers WHERE NOT ($kept));
                 DELETE FROM layers WHERE NOT ($kept)"
[[ $(db_sql "$cache" "SELECT COUNT(*) FROM layers") == 2 ]] || fail "result: layer rows left"
for name in waste waste_csv waste_tsv waste_md waste_v profile history; do
  read -r -a args <<<"${VERBS[$name]}"
  warm "result.$name" "$name.none" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
done
# What the rows do not answer: --hash (another key), --verify and
# --no-cache (which read every blob), ci (which always verifies), a verb
# that needs every entry (profile -d packages).
spoil
run result.hash waste --hash --json --cache-dir "$cache" "$APP"
run result.verify waste --verify --cache-dir "$cache" "$APP"
run result.nocache waste --no-cache "$APP"
run result.ci ci --dive-defaults --cache-dir "$cache" "$APP"
run result.pkgs profile -d packages,kinds --json --cache-dir "$cache" "$APP"
run result.hverify history --verify --cache-dir "$cache" "$APP"
restore
for name in hash verify nocache ci pkgs hverify; do
  [[ $(cat "$OUT/result.$name.rc") == 2 ]] || fail "result: $name was answered without reading the layers"
done
# Another schema version drops the results with the scans.
db_sql "$cache" "PRAGMA user_version=99" >/dev/null
spoil
run result.schema waste --cache-dir "$cache" "$APP"
restore
[[ $(cat "$OUT/result.schema.rc") == 2 ]] || fail "result: a file of another version was read"
echo "ok: per-image results answer waste (every format), profile and history alone; --hash, --verify," \
  "--no-cache, ci and profile -d packages read the layers"

# --- 2. damage is reported once and rebuilt --------------------------------
damage_cases=(truncate header pages)
for how in "${damage_cases[@]}"; do
  cache=$OUT/cache-damage-$how
  run "damage-$how.cold" profile "$APP" --cache-dir "$cache"
  db=$cache/layers.sqlite
  size=$(stat -c %s "$db")
  ((size > 8192)) || fail "damage: cache file only $size bytes"
  case $how in
    truncate) truncate -s $((size / 2)) "$db" ;;
    header) printf '%0100d' 0 | tr 0 '\245' | dd of="$db" conv=notrunc status=none ;;
    pages) head -c $((size - 4096)) /dev/zero | tr '\0' '\245' | dd of="$db" bs=4096 seek=1 conv=notrunc status=none ;;
  esac
  run "damage-$how.run" profile "$APP" --cache-dir "$cache"
  [[ $(cat "$OUT/damage-$how.run.rc") == 0 ]] || fail "damage $how: exit $(cat "$OUT/damage-$how.run.rc")"
  cmp -s "$OUT/damage-$how.cold.out" "$OUT/damage-$how.run.out" || fail "damage $how: output changed"
  [[ $(wc -l <"$OUT/damage-$how.run.err") == 1 ]] || fail "damage $how: want one warning, got: $(cat "$OUT/damage-$how.run.err")"
  grep -E "^whittle: warning: layer cache .*layers\.sqlite is damaged \(.+\); rebuilding it$" \
    "$OUT/damage-$how.run.err" >/dev/null || fail "damage $how: $(cat "$OUT/damage-$how.run.err")"
  # Rebuilt: the next run is warm (reads no layer), silent and the same.
  warm "damage-$how.after" "damage-$how.cold" profile "$APP" --cache-dir "$cache"
done
echo "ok: a damaged cache file is reported in one line and rebuilt (${damage_cases[*]})"

# --- 3. processes filling one cache at once --------------------------------
cache=$OUT/cache-concurrent
pids=()
for name in profile waste history profile_pkgs; do
  read -r -a args <<<"${VERBS[$name]}"
  ("$WHITTLE" "${args[0]}" --cache-dir "$cache" "${args[@]:1}" >"$OUT/conc-$name.out" 2>"$OUT/conc-$name.err"
   echo $? >"$OUT/conc-$name.rc") &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
for name in profile waste history profile_pkgs; do
  for part in out err rc; do
    cmp -s "$OUT/$name.none.$part" "$OUT/conc-$name.$part" || fail "concurrent $name: $part differs"
  done
  read -r -a args <<<"${VERBS[$name]}"
  warm "conc-$name.after" "$name.none" "${args[0]}" --cache-dir "$cache" "${args[@]:1}"
done
[[ $(db_sql "$cache" "PRAGMA integrity_check") == ok ]] || fail "concurrent: integrity_check"
echo "ok: four processes filled one cache at once"

# --- 4. --cache-max-size ----------------------------------------------------
cache=$OUT/cache-evict
run evict.tiny profile "$APP" --cache-dir "$cache" --cache-max-size 1
[[ $(db_sql "$cache" "SELECT COUNT(*) FROM layers") == 0 ]] || fail "evict: --cache-max-size 1 kept rows"
[[ $(db_sql "$cache" "SELECT COUNT(*) FROM layer_values") == 0 ]] || fail "evict: --cache-max-size 1 kept values"
run evict.full profile "$APP" --cache-dir "$cache"
total=$(db_sql "$cache" "SELECT SUM(bytes) FROM layers")
rows=$(db_sql "$cache" "SELECT COUNT(*) FROM layers")
((rows >= 2)) || fail "evict: want at least two layers, got $rows"
limit=$((total * 2 / 3))
for name in waste history profile_pkgs; do
  read -r -a args <<<"${VERBS[$name]}"
  run "evict.$name" "${args[0]}" --cache-dir "$cache" --cache-max-size "$limit" "${args[@]:1}"
  same "$name.none" "evict.$name"
  now=$(db_sql "$cache" "SELECT COALESCE(SUM(length(value)), 0) FROM layer_values")
  ((now <= limit)) || fail "evict: $now bytes stored, limit $limit"
  file=$(stat -c %s "$cache/layers.sqlite")
  ((file <= limit + 65536 + rows * 8192)) || fail "evict: file $file bytes, limit $limit"
done
run evict.bad profile "$APP" --cache-dir "$cache" --cache-max-size lots
[[ $(cat "$OUT/evict.bad.rc") == 2 ]] || fail "evict: a bad size is not a usage error"
grep -- "--cache-max-size needs a size" "$OUT/evict.bad.err" >/dev/null || fail "evict: $(cat "$OUT/evict.bad.err")"
echo "ok: --cache-max-size keeps the cache under $limit bytes"

# --- 5. another schema version is dropped ----------------------------------
cache=$OUT/cache-profile
db_sql "$cache" "PRAGMA user_version=99" >/dev/null
spoil
run schema.run profile "$APP" --cache-dir "$cache"
restore
[[ $(cat "$OUT/schema.run.rc") == 2 ]] || fail "schema: a file of another version was read"
[[ $(db_sql "$cache" "PRAGMA user_version") == 1 ]] || fail "schema: not re-created"
run schema.fill profile "$APP" --cache-dir "$cache"
same profile.cold schema.fill
warm schema.after profile.cold profile "$APP" --cache-dir "$cache"
echo "ok: a cache of another schema version is dropped, not read"

# --- 6. where the cache goes, and --no-cache --------------------------------
HOME=$OUT/home-none XDG_CACHE_HOME=$OUT/xdg-none run nocache profile "$APP" --no-cache
[[ ! -e $OUT/home-none && ! -e $OUT/xdg-none ]] || fail "--no-cache wrote something"
[[ ! -e $OUT/xdg && ! -e $OUT/home ]] || fail "a run with --cache-dir wrote to the default place"
HOME=$OUT/home-default XDG_CACHE_HOME=$OUT/xdg-default run default profile "$APP"
[[ -f $OUT/xdg-default/whittle/layers.sqlite ]] || fail "default: nothing in \$XDG_CACHE_HOME/whittle"
(unset XDG_CACHE_HOME; HOME=$OUT/home-default2 run default2 profile "$APP")
[[ -f $OUT/home-default2/.cache/whittle/layers.sqlite ]] || fail "default: nothing in ~/.cache/whittle"
cmp -s "$OUT/profile.cold.out" "$OUT/default2.out" || fail "default: output changed"
echo "ok: --no-cache writes nothing; the cache defaults to \$XDG_CACHE_HOME/whittle, else ~/.cache/whittle"

# --- 7. --verify reads every blob, and neither reads nor fills the cache ----
cache=$OUT/cache-verify
run verify.cold profile "$APP" --cache-dir "$cache" --verify
[[ $(cat "$OUT/verify.cold.rc") == 0 ]] || fail "verify: $(cat "$OUT/verify.cold.err")"
[[ $(db_sql "$cache" "SELECT COUNT(*) FROM layers") == 0 ]] || fail "verify: --verify filled the cache"
run verify.fill profile "$APP" --cache-dir "$cache"
spoil
run verify.cached profile "$APP" --cache-dir "$cache"
run verify.verify profile "$APP" --cache-dir "$cache" --verify
run verify.nocache profile "$APP" --no-cache
restore
same profile.cold verify.cached  # the digests name the bytes the cache holds
[[ $(cat "$OUT/verify.verify.rc") == 2 ]] || fail "verify: --verify did not read the blobs"
# Garbage fails as gzip before its digest is complete: either error names a blob.
grep -E "blobs/sha256/[0-9a-f]{64}: " "$OUT/verify.verify.err" >/dev/null || fail "verify: $(cat "$OUT/verify.verify.err")"
[[ $(cat "$OUT/verify.nocache.rc") == 2 ]] || fail "verify: --no-cache did not read the blobs"
echo "ok: --verify reads and hashes every blob behind a warm cache"

# --- 8. a piped archive fills the cache -------------------------------------
cache=$OUT/cache-stream
set +e
"$WHITTLE" profile - --cache-dir "$cache" <"$IMAGES/app.oci-archive.tar" >"$OUT/stream.out" 2>"$OUT/stream.err"
rc=$?
set -e
[[ $rc == 0 ]] || fail "stream: exit $rc: $(cat "$OUT/stream.err")"
warm stream.file profile.cold profile "$APP" --cache-dir "$cache"
echo "ok: a piped archive fills the cache for later runs"
echo "PASS"
