"""Side-by-side whole-command timing for whittle's benchmarks.

Runs each command N times, interleaved (A B A B ...) after one warm-up of
each, so drift in machine speed hits both alike. Reports the median wall
time of each, the median of the per-pair ratios A/B, and peak RSS (from
wait4's rusage). Only public tools; no wall-clock asserts anywhere.
"""
import os
import statistics
import subprocess
import sys
import time


def peak_rss(cmd):
    """Peak RSS in bytes of one run of |cmd| (a list), from GNU time's %M."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, check=True)
    return int(r.stderr.decode().strip().splitlines()[-1]) * 1024


def run_timed(cmd):
    """Runs |cmd| (a list, or a string for bash); returns (wall_seconds,
    cpu_seconds, maxrss_bytes, rc). CPU is the child's user + system time
    from wait4 (microsecond resolution, unlike GNU time's 10 ms)."""
    shell = isinstance(cmd, str)
    argv = ["bash", "-c", cmd] if shell else cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace") if p.stderr else ""
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        sys.stderr.write(f"command failed (rc={rc}): {cmd}\n{err}\n")
    return dt, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, rc


def run_once(cmd):
    """Runs |cmd| (a list, or a string for bash), returns (seconds, maxrss_bytes, rc)."""
    dt, _, rss, rc = run_timed(cmd)
    return dt, rss, rc


def compare(name, a, b, runs=5, target=None, a_label="whittle", b_label="baseline"):
    """Times a vs b; prints medians and the ratio; returns (ratio, a_rss_peak)."""
    run_once(a)
    run_once(b)
    at, bt, ratios, a_rss = [], [], [], []
    for _ in range(runs):
        ta, ra, rca = run_once(a)
        tb, _, rcb = run_once(b)
        if rca or rcb:
            raise SystemExit(f"{name}: a command failed")
        at.append(ta)
        bt.append(tb)
        a_rss.append(ra)
        ratios.append(ta / tb)
    ratio = statistics.median(ratios)
    verdict = ""
    if target is not None:
        verdict = "  (target <= %.2fx: %s)" % (target, "MET" if ratio <= target else "NOT MET")
    print(f"{name}")
    print(f"  {a_label:<9} median {statistics.median(at):8.3f} s   (min {min(at):.3f}, max {max(at):.3f})")
    print(f"  {b_label:<9} median {statistics.median(bt):8.3f} s   (min {min(bt):.3f}, max {max(bt):.3f})")
    print(f"  ratio     median {ratio:8.3f}x{verdict}")
    # RSS from a separate run under GNU time: wait4's figure for a child of
    # this (large) Python process can include pages it shared before exec.
    rss = peak_rss(a) if isinstance(a, list) else max(a_rss)
    print(f"  {a_label} peak RSS {rss / 2**20:.1f} MiB")
    return ratio, rss


if __name__ == "__main__":
    # bench/benchlib.py CMD [ARG]...: one run, "WALL_MS CPU_MS" on stdout
    # (what the shell benchmarks time with); exits 1 when CMD fails.
    wall, cpu, _, code = run_timed(sys.argv[1:])
    if code != 0:
        sys.exit(1)
    print("%.1f %.1f" % (wall * 1000, cpu * 1000))
