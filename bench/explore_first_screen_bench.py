#!/usr/bin/env python3
"""Issue 13: "opens a 1 GB image in about the time `whittle profile` takes".

On one image (default: the corpus' driftwood:naive docker-archive, 1.1 GB,
11 layers) it measures side by side, interleaved after a warm-up, each command
on a pseudo-terminal of its own (120x40, TERM=xterm-256color), as a user at a
terminal runs it:
  - `whittle profile --no-cache IMAGE` (stdout to /dev/null, stderr the
    terminal): from the fork to the process's exit;
  - `whittle profile -d packages --no-cache IMAGE` the same way: the scan
    explore makes (it also reads the package databases for the owner column)
    and the attribution of every file to its package;
  - `whittle explore --no-cache IMAGE`: from the fork to the first frame's
    last line (the footer, "... q quit") arriving on the terminal; then `q`.
The terminal is read directly (no terminal multiplexer in between), so the
figure is the program's own latency. Every run is cold (--no-cache: the
layer cache would answer the scan). Prints the medians, each run, the ratios
explore / profile and explore / profile -d packages, the median CPU time
(user+sys of the child; explore's is the whole run to `q`, owners included:
they resolve after the first screen) and the load average. A printed
figure, not a pass/fail test.

usage: bench/explore_first_screen_bench.py [path/to/whittle] [IMAGE]
  RUNS: runs per command (default 7)
"""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHITTLE = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "whittle"))
CORPUS = os.environ.get("CORPUS_OUT") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "whittle-corpus")
IMG = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else
                       os.path.join(CORPUS, "export", "driftwood-naive.docker-archive.tar"))
RUNS = int(os.environ.get("RUNS", "7"))
# The footer: the last line of a frame that ncurses writes, so the whole first
# frame is on the terminal when it arrives.
FIRST_FRAME = b"q quit"


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def spawn(argv, stdout_devnull):
    """Forks argv on a new 120x40 pseudo-terminal; returns (pid, master fd, start time)."""
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            if stdout_devnull:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
            env = {"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "LANG": os.environ.get("LANG", "C.UTF-8"),
                   "HOME": os.environ.get("HOME", "/root")}
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd, start


def drain(fd, until=None, timeout=60.0):
    """Reads the terminal until |until| shows (returns True) or it closes (False)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        if until is not None:
            seen = seen[-len(until):] + chunk
            if until in seen:
                return True
    die(f"timed out waiting for {until!r}")


def reap(pid, fd, what):
    """Reads the terminal until the child closes it (so it never blocks on
    stderr's progress), waits for it; returns (end time, CPU seconds)."""
    drain(fd)
    _, status, usage = os.wait4(pid, 0)
    end = time.monotonic()
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        die(f"{what} exited with {os.waitstatus_to_exitcode(status)}")
    return end, usage.ru_utime + usage.ru_stime


def profile_once(extra):
    pid, fd, start = spawn([WHITTLE, "profile", "--no-cache", *extra, IMG], stdout_devnull=True)
    end, cpu = reap(pid, fd, "whittle profile")  # the end is the exit
    return end - start, cpu


def explore_once():
    pid, fd, start = spawn([WHITTLE, "explore", "--no-cache", IMG], stdout_devnull=False)
    if not drain(fd, FIRST_FRAME):
        die("explore ended before its first screen")
    first = time.monotonic()
    os.write(fd, b"q")
    _, cpu = reap(pid, fd, "whittle explore")
    return first - start, cpu


def main():
    if not os.access(WHITTLE, os.X_OK):
        die(f"build whittle first: {WHITTLE}")
    if not os.path.exists(IMG):
        die(f"no image {IMG} (run ../shared/corpus/run-all.sh)")
    profile_once([])  # warm-up: the page cache and the binary
    explore_once()
    load_before = open("/proc/loadavg").read().split()[:3]
    runs = {"p": [], "k": [], "e": []}
    for _ in range(RUNS):
        runs["p"].append(profile_once([]))
        runs["k"].append(profile_once(["-d", "packages"]))
        runs["e"].append(explore_once())
    load_after = open("/proc/loadavg").read().split()[:3]
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    each = {k: " ".join(f"{w:.3f}" for w, _ in v) for k, v in runs.items()}
    print(f"image: {IMG} ({os.path.getsize(IMG)} bytes)")
    print(f"load average: {' '.join(load_before)} before, {' '.join(load_after)} after")
    print(f"  whittle profile, median of {RUNS}:               {med['p'][0]:.3f} s  ({each['p']})  CPU {med['p'][1]:.3f} s")
    print(f"  whittle profile -d packages, median of {RUNS}:   {med['k'][0]:.3f} s  ({each['k']})  CPU {med['k'][1]:.3f} s")
    print(f"  explore, time to first screen, median of {RUNS}: {med['e'][0]:.3f} s  ({each['e']})  "
          f"CPU {med['e'][1]:.3f} s (whole run, owners included)")
    print(f"  explore / profile:                          {med['e'][0] / med['p'][0]:.2f}x")
    print(f"  explore / profile -d packages:              {med['e'][0] / med['k'][0]:.2f}x  "
          "(the same scan: both read the package databases)")
    # Each round runs the three side by side: the median of the rounds'
    # ratios is less moved by one slow run than the ratio of the medians.
    paired = statistics.median(e[0] / p[0] for e, p in zip(runs["e"], runs["p"]))
    print(f"  explore / profile, median of the {RUNS} rounds' ratios: {paired:.2f}x")


if __name__ == "__main__":
    main()
