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

Examples on the real corpus (../shared/corpus, too slow to build in CI) use
a second marker, `<!-- corpus-run: CMD -->`. They run in a scratch
directory holding links to every file of the corpus' export directory and
copies of its Driftwood Dockerfiles, so the docs show short relative names.
They are regenerated or checked only with `--corpus EXPORT_DIR`
(bench/corpus_checks.sh does that); otherwise they are left as they are.

    scripts/regen-docs.py [--check] [--bin build/whittle] [--corpus DIR] [docs/using.md ...]
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"^<!-- (run|corpus-run): ([^\n]*?) -->\n```[^\n]*\n(.*?)^```\n", re.S | re.M)


def corpus_workdir(export_dir, src_dir):
    """A scratch directory: links to the export's files, the Dockerfiles copied."""
    work = tempfile.mkdtemp(prefix="whittle-docs-corpus-")
    for name in sorted(os.listdir(export_dir)):
        os.symlink(os.path.join(export_dir, name), os.path.join(work, name))
    for name in sorted(os.listdir(src_dir)):
        if name.startswith("Dockerfile"):
            with open(os.path.join(src_dir, name)) as f, open(os.path.join(work, name), "w") as g:
                g.write(f.read())
    return work


def run(cmd, binary, cwd=ROOT):
    argv = shlex.split(cmd)
    if argv and argv[0] == "whittle":
        argv[0] = binary
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    out = p.stdout + p.stderr
    if p.returncode != 0:
        out += f"(exit {p.returncode})\n"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "whittle"))
    ap.add_argument("--corpus", help="the corpus export directory; enables corpus-run blocks")
    ap.add_argument("--corpus-src", default=os.path.join(ROOT, "..", "shared", "corpus", "driftwood"),
                    help="where the Driftwood Dockerfiles are")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    work = corpus_workdir(os.path.abspath(a.corpus), a.corpus_src) if a.corpus else None
    try:
        return regenerate(a, work)
    finally:
        if work is not None:
            shutil.rmtree(work)


def regenerate(a, work):
    files = a.files or [os.path.join(ROOT, "docs", "using.md")]
    stale = []
    for path in files:
        text = open(path).read()

        def replace(m):
            kind, cmd, old = m.group(1), m.group(2), m.group(3)
            if kind == "corpus-run" and work is None:
                return m.group(0)
            out = run(cmd, a.bin, work if kind == "corpus-run" else ROOT)
            if out != old:
                stale.append(f"{path}: `{cmd}`")
            return f"<!-- {kind}: {cmd} -->\n```\n{out}```\n"

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
