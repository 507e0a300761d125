#!/usr/bin/env python3
"""Regenerates the examples in docs/*.md from real runs of whittle.

A block to regenerate is a marker comment followed by a fenced block:

    <!-- run: whittle history tests/data/dive/test-docker-image.tar -->
    ```
    ...output...
    ```

The command runs in the repository root with `whittle` resolved to the
built binary; stdout and stderr are captured, and a non-zero exit code is
appended as `(exit N)`. `--check` fails (exit 1) when a block is stale,
which is how ctest keeps the user guide true.

    scripts/regen-docs.py [--check] [--bin build/whittle] [docs/using.md ...]
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"^<!-- run: ([^\n]*?) -->\n```[^\n]*\n(.*?)^```\n", re.S | re.M)


def run(cmd, binary):
    argv = shlex.split(cmd)
    if argv and argv[0] == "whittle":
        argv[0] = binary
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env)
    out = p.stdout + p.stderr
    if p.returncode != 0:
        out += f"(exit {p.returncode})\n"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "whittle"))
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or [os.path.join(ROOT, "docs", "using.md")]
    stale = []
    for path in files:
        text = open(path).read()

        def replace(m):
            out = run(m.group(1), a.bin)
            if out != m.group(2):
                stale.append(f"{path}: `{m.group(1)}`")
            return f"<!-- run: {m.group(1)} -->\n```\n{out}```\n"

        new = MARK.sub(replace, text)
        if not a.check and new != text:
            with open(path, "w") as f:
                f.write(new)
    if a.check and stale:
        print("stale examples (run scripts/regen-docs.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
