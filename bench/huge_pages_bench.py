#!/usr/bin/env python3
"""Huge pages for a big scan (src/util/huge_pages.h): cold `whittle profile`,
`waste` and `ci` on synthetic docker-archives of one layer of N empty files,
each run twice side by side, interleaved after a warm-up: with
WHITTLE_HUGE_PAGES=1 (a big local image re-executes with
GLIBC_TUNABLES=glibc.malloc.hugetlb=1) and by default (4 KiB pages). Prints the median wall and CPU time
(user + sys from wait4), the page faults (minor, from wait4), the peak RSS
and the CPU ratio huge pages / 4 KiB. Figures, not a pass/fail test; the gain
depends on what a page fault costs on the machine (a VM pays most).

usage: bench/huge_pages_bench.py [path/to/whittle] [SIZES]
  SIZES: comma-separated entry counts (default 100000,300000,1000000)
  RUNS:  runs per command, size and mode (default 3)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WHITTLE = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "whittle"))
SIZES = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "100000,300000,1000000").split(",")]
RUNS = int(os.environ.get("RUNS", "3"))
VERBS = ("profile", "waste", "ci")
MODES = (("thp", {"WHITTLE_HUGE_PAGES": "1"}), ("4k", {}))


def run(cmd, extra_env):
    env = dict(os.environ)
    env.pop("WHITTLE_HUGE_PAGES", None)
    env.update(extra_env)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {cmd}")
    return dt, ru.ru_utime + ru.ru_stime, ru.ru_minflt, ru.ru_maxrss * 1024


def main():
    if not os.access(WHITTLE, os.X_OK):
        raise SystemExit(f"build whittle first: {WHITTLE}")
    thp = open("/sys/kernel/mm/transparent_hugepage/enabled").read().strip()
    print(f"whittle: {WHITTLE}; THP: {thp}; median of {RUNS} runs, interleaved; "
          f"load {open('/proc/loadavg').read().split()[0]}")
    print("%9s %-8s | %-8s %8s %8s %8s %8s | %6s" % ("entries", "verb", "mode", "wall s", "CPU s", "faults", "RSS MiB",
                                                   "CPU ×"))
    with tempfile.TemporaryDirectory(prefix="whittle-thp-bench-") as tmp:
        for n in SIZES:
            image = os.path.join(tmp, f"flat-{n}.tar")
            subprocess.run([sys.executable, os.path.join(HERE, "make_flat_image.py"), str(n), image], check=True)
            cmds = {v: [WHITTLE, v, image, "--no-cache"] for v in VERBS}
            for v in VERBS:
                for _, env in MODES:
                    run(cmds[v], env)  # warm-up: the page cache
            got = {(v, m): [] for v in VERBS for m, _ in MODES}
            for _ in range(RUNS):
                for v in VERBS:
                    for m, env in MODES:
                        got[(v, m)].append(run(cmds[v], env))
            for v in VERBS:
                med = {m: [statistics.median(r[i] for r in got[(v, m)]) for i in range(4)] for m, _ in MODES}
                for m, _ in MODES:
                    wall, cpu, flt, rss = med[m]
                    ratio = "%5.2fx" % (cpu / med["4k"][1]) if m == "thp" else ""
                    print("%9d %-8s | %-8s %8.3f %8.3f %8d %8.1f | %6s" % (n, v, m, wall, cpu, flt, rss / 2**20, ratio))
            os.unlink(image)


if __name__ == "__main__":
    main()
