#!/usr/bin/env bash
# Huge pages for a big scan (util/huge_pages.h), on the real binary:
#   - with WHITTLE_HUGE_PAGES=1 (opt-in), a 40 MiB docker-archive, cold, is
#     scanned by a re-run of the same process
#     (one pid, two execve) whose environment has
#     GLIBC_TUNABLES=glibc.malloc.hugetlb=1 and WHITTLE_HUGE_PAGES=held, when
#     the kernel offers huge pages on request ("[madvise]");
#   - other tunables the user set are kept;
#   - a Ctrl-C while the re-run starts is one line and exit 130;
#   - by default, WHITTLE_HUGE_PAGES=0, a warm run (the layer cache answers), a small
#     image and stdin run once, as typed;
#   - the output is the same either way.
#
#   tests/e2e/huge_pages_test.sh WHITTLE WORK_DIR
set -euo pipefail
W=$1
OUT=$2
rm -rf "$OUT"
mkdir -p "$OUT/img" "$OUT/fs"
command -v strace >/dev/null || { echo "FAIL: strace is missing (scripts/install-deps.sh)" >&2; exit 1; }
fail=0
check() {
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fail=1; fi
}

# A docker-archive of one layer: a 40 MiB file (over the 32 MiB line) and a
# small one.
head -c $((40 << 20)) /dev/zero >"$OUT/fs/big"
echo small >"$OUT/fs/small"
tar -C "$OUT/fs" -cf "$OUT/img/layer.tar" big small
diff_id=$(sha256sum "$OUT/img/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"COPY . /"}]}' \
  "$diff_id" >"$OUT/img/config.json"
echo '[{"Config":"config.json","RepoTags":["big:latest"],"Layers":["layer.tar"]}]' >"$OUT/img/manifest.json"
tar -C "$OUT/img" -cf "$OUT/big.tar" manifest.json config.json layer.tar
tar -C "$OUT/fs" -cf "$OUT/img/layer.tar" small
diff_id=$(sha256sum "$OUT/img/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"COPY . /"}]}' \
  "$diff_id" >"$OUT/img/config.json"
tar -C "$OUT/img" -cf "$OUT/small.tar" manifest.json config.json layer.tar

# Runs whittle under strace; prints the execve lines of whittle (with their
# environment) to $OUT/NAME.trace and whittle's stdout to $OUT/NAME.out.
traced() {
  local name=$1
  shift
  # LeakSanitizer cannot run under ptrace: in a sanitizer build (CI's ASan
  # suite) a traced whittle that exits normally would abort at exit.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -v -s 4096 -e trace=execve -o "$OUT/$name.strace" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  grep 'execve(' "$OUT/$name.strace" | grep -v 'resumed>' >"$OUT/$name.trace" || true
}
execs() { wc -l <"$OUT/$1.trace"; }

thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
unset GLIBC_TUNABLES WHITTLE_HUGE_PAGES
traced big env WHITTLE_HUGE_PAGES=1 "$W" profile --no-cache --format json "$OUT/big.tar"
traced off env WHITTLE_HUGE_PAGES=0 "$W" profile --no-cache --format json "$OUT/big.tar"
traced default env "$W" profile --no-cache --format json "$OUT/big.tar"
check "WHITTLE_HUGE_PAGES=0: one exec ($(execs off))" test "$(execs off)" -eq 2  # env, then whittle
check "by default (opt-in): one exec ($(execs default))" test "$(execs default)" -eq 2
check "the same output either way" cmp -s "$OUT/big.out" "$OUT/off.out"
check "the same output by default" cmp -s "$OUT/big.out" "$OUT/default.out"
if [[ $thp == *"[madvise]"* ]]; then
  check "a big image: whittle executed twice ($(execs big))" test "$(execs big)" -eq 3
  check "the re-run has the tunable and the switch" \
    grep -q 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1".*"WHITTLE_HUGE_PAGES=held"\|"WHITTLE_HUGE_PAGES=held".*GLIBC_TUNABLES=glibc.malloc.hugetlb=1"' \
    <(tail -1 "$OUT/big.trace")
  check "the re-run is the same process" test "$(tail -2 "$OUT/big.trace" | cut -d' ' -f1 | sort -u | wc -l)" -eq 1
  check "the re-run runs /proc/self/exe with the same arguments" \
    grep -q "execve(\"/proc/self/exe\", \[\"$W\", \"profile\", \"--no-cache\", \"--format\", \"json\", \"$OUT/big.tar\"\]" \
    <(tail -1 "$OUT/big.trace")
  traced kept env WHITTLE_HUGE_PAGES=1 GLIBC_TUNABLES=glibc.malloc.trim_threshold=1048576 "$W" profile --no-cache "$OUT/big.tar"
  check "other tunables are kept" \
    grep -q 'GLIBC_TUNABLES=glibc.malloc.trim_threshold=1048576:glibc.malloc.hugetlb=1"' <(tail -1 "$OUT/kept.trace")
  traced chosen env WHITTLE_HUGE_PAGES=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=0 "$W" profile --no-cache "$OUT/big.tar"
  check "a hugetlb tunable the user set is left alone: one exec" test "$(execs chosen)" -eq 2
else
  echo "note: this kernel's THP setting is '$thp', not madvise: whittle must not re-execute"
  check "a big image: one exec ($(execs big))" test "$(execs big)" -eq 2
fi
if [[ $thp == *"[madvise]"* ]]; then
  traced cold env WHITTLE_HUGE_PAGES=1 XDG_CACHE_HOME="$OUT/xdg" "$W" waste "$OUT/big.tar"
  traced warm env WHITTLE_HUGE_PAGES=1 XDG_CACHE_HOME="$OUT/xdg" "$W" waste "$OUT/big.tar"
  check "a cold run with the cache: executed twice ($(execs cold))" test "$(execs cold)" -eq 3
  check "a warm run (the cache answers, no layer is read): one exec ($(execs warm))" test "$(execs warm)" -eq 2
  check "warm and cold print the same" cmp -s "$OUT/cold.out" "$OUT/warm.out"
fi
if [[ $thp == *"[madvise]"* ]]; then
  # SIGINT while the re-run starts: strace sends it as the process enters
  # the second execve (the first, strace's own start, gets none), after
  # SIGINT was blocked for the exec. It must stay pending across the exec
  # and reach the re-run's handler once that is installed (strace logs it
  # after the exec), not kill the new program before it has one.
  # Job control: without it bash starts a background job with SIGINT
  # ignored, and whittle leaves an ignored signal ignored.
  set -m
  rc=0
  WHITTLE_HUGE_PAGES=1 ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -o "$OUT/int.strace" -e trace=execve -e inject=execve:signal=SIGINT \
    "$W" profile --no-cache "$OUT/big.tar" >"$OUT/int.out" 2>"$OUT/int.err" || rc=$?
  set +m
  check "Ctrl-C during the re-exec: exit $rc, want 130" test "$rc" -eq 130
  check "Ctrl-C during the re-exec: one line ($(cat "$OUT/int.err"))" test "$(cat "$OUT/int.err")" = "whittle: interrupted"
  check "Ctrl-C during the re-exec: delivered after the exec, to the re-run" \
    grep -A1 'execve("/proc/self/exe", .* = 0$' "$OUT/int.strace" -q
  check "Ctrl-C during the re-exec: the SIGINT follows the re-exec" \
    test "$(grep -v 'exited with' "$OUT/int.strace" | tail -1 | grep -c -- '--- SIGINT')" -eq 1
  check "Ctrl-C during the re-exec: nothing printed" test ! -s "$OUT/int.out"
fi
traced small env WHITTLE_HUGE_PAGES=1 "$W" profile --no-cache "$OUT/small.tar"
check "a small image: one exec ($(execs small))" test "$(execs small)" -eq 2
traced stdin env WHITTLE_HUGE_PAGES=1 "$W" profile --no-cache - <"$OUT/big.tar"
check "stdin: one exec ($(execs stdin))" test "$(execs stdin)" -eq 2
check "stdin: the layer is read" grep -q '40.0Mi    #1 COPY . /' "$OUT/stdin.out"

[[ $fail -eq 0 ]] && echo "huge_pages_test: ok"
exit $fail
