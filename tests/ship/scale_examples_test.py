#!/usr/bin/env python3
"""docs/scale.md's many-worker examples, parsed and checked field by field.

kubeconform is not in Debian, so the Kubernetes Job is checked here against
what the batch/v1 API and `whittle scan` need: an Indexed Job whose
completions and parallelism equal the N of `--shard $(JOB_COMPLETION_INDEX)/N`,
the --db URL from a Secret, every $(VAR) defined. The GitHub Actions workflow:
a matrix of shards 0..N-1 whose N is the one in `--shard ${{ matrix.shard }}/N`.

usage: scale_examples_test.py SOURCE_DIR
"""
import re
import shlex
import sys

import yaml

src = sys.argv[1]
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)
    return cond


def flag(args, name):
    """The value after |name| in an argument list, or None."""
    for i, a in enumerate(args[:-1]):
        if a == name:
            return args[i + 1]
    return None


# --- the Kubernetes Indexed Job ---------------------------------------------
path = f"{src}/docs/examples/scan-indexed-job.yaml"
docs = list(yaml.safe_load_all(open(path)))
check(len(docs) == 1, f"{path}: one document, got {len(docs)}")
job = docs[0]
check(job.get("apiVersion") == "batch/v1", f"{path}: apiVersion {job.get('apiVersion')!r}")
check(job.get("kind") == "Job", f"{path}: kind {job.get('kind')!r}")
check(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", job["metadata"]["name"] or "") is not None,
      f"{path}: metadata.name is not a DNS label")
spec = job["spec"]
check(spec.get("completionMode") == "Indexed", f"{path}: completionMode {spec.get('completionMode')!r}")
n = spec.get("completions")
check(isinstance(n, int) and n > 0, f"{path}: completions {n!r}")
check(spec.get("parallelism") == n, f"{path}: parallelism {spec.get('parallelism')!r} != completions {n!r}")
pod = spec["template"]["spec"]
check(pod.get("restartPolicy") in ("Never", "OnFailure"),
      f"{path}: a Job's restartPolicy must be Never or OnFailure, got {pod.get('restartPolicy')!r}")
containers = pod["containers"]
check(len(containers) == 1, f"{path}: one container")
c = containers[0]
args = list(c.get("command", [])) + list(c.get("args", []))
check(all(isinstance(a, str) for a in args), f"{path}: every argument must be a string: {args!r}")
scan_at = args.index("scan") if "scan" in args else -1
check(scan_at >= 0, f"{path}: no `scan` verb in {args!r}")
check(scan_at >= 0 and scan_at + 1 < len(args) and args[scan_at + 1].startswith("docker://"),
      f"{path}: `scan` must be followed by docker://REGISTRY")
shard = flag(args, "--shard")
check(shard == f"$(JOB_COMPLETION_INDEX)/{n}", f"{path}: --shard {shard!r}, want $(JOB_COMPLETION_INDEX)/{n}")
env = {e["name"]: e for e in c.get("env", [])}
db = flag(args, "--db")
m = re.fullmatch(r"\$\((\w+)\)", db or "")
check(m is not None, f"{path}: --db {db!r} must be $(VAR), from a Secret")
if m:
    ref = env.get(m.group(1), {}).get("valueFrom", {}).get("secretKeyRef", {})
    check(ref.get("name") and ref.get("key"), f"{path}: {m.group(1)} must come from secretKeyRef name/key")
check("postgres://" not in open(path).read().split("apiVersion", 1)[1],
      f"{path}: no database URL in the manifest itself")
# $(VAR) only expands variables the container defines; the Job controller
# adds JOB_COMPLETION_INDEX.
for a in args:
    for var in re.findall(r"\$\((\w+)\)", a):
        check(var in env or var == "JOB_COMPLETION_INDEX", f"{path}: $({var}) is not defined in env")
mounts = {v["name"] for v in c.get("volumeMounts", [])}
volumes = {v["name"] for v in pod.get("volumes", [])}
check(mounts <= volumes, f"{path}: volumeMounts {mounts - volumes} have no volume")

# --- the GitHub Actions matrix ------------------------------------------------
path = f"{src}/docs/examples/scan-matrix.yml"
wf = yaml.safe_load(open(path))
on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true
check(isinstance(on, dict) and on, f"{path}: no triggers")
scan_job = wf["jobs"]["scan"]
matrix = scan_job["strategy"]["matrix"]
shards = matrix.get("shard")
check(isinstance(shards, list) and shards == list(range(len(shards))) and shards,
      f"{path}: matrix.shard must be 0..N-1, got {shards!r}")
check(scan_job["strategy"].get("fail-fast") is False, f"{path}: fail-fast must be false")
runs = [s for s in scan_job["steps"] if "whittle scan" in s.get("run", "")]
check(len(runs) == 1, f"{path}: one `whittle scan` step in jobs.scan")
if runs:
    step = runs[0]
    line = " ".join(step["run"].replace("\\\n", " ").split())
    words = shlex.split(line[line.index("whittle scan"):].split("\n")[0])
    check(words[2].startswith("docker://"), f"{path}: `whittle scan` must be followed by docker://REGISTRY")
    want = f"${{{{ matrix.shard }}}}/{len(shards or [])}"
    check(flag(words, "--shard") == want.replace(" ", "") or f"--shard {want}" in line,
          f"{path}: --shard must be {want}: {line}")
    m = re.search(r"--db \"?\$(\w+)\"?", line)
    check(m is not None, f"{path}: --db must be an environment variable")
    if m:
        check(re.fullmatch(r"\$\{\{ secrets\.\w+ \}\}", str(step.get("env", {}).get(m.group(1), ""))),
              f"{path}: {m.group(1)} must come from a secret")
report = wf["jobs"].get("report", {})
check(report.get("needs") == "scan", f"{path}: the report job must need scan")
check(any("whittle scan --report" in s.get("run", "") for s in report.get("steps", [])),
      f"{path}: the report job must run whittle scan --report")

# --- docs/scale.md names both ---------------------------------------------------
doc = open(f"{src}/docs/scale.md").read()
for name in ("examples/scan-indexed-job.yaml", "examples/scan-matrix.yml"):
    check(name in doc, f"docs/scale.md does not link {name}")

for e in errors:
    print(f"scale_examples_test: {e}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"scale_examples_test: ok (Job: {n} indexed workers; matrix: {len(shards)} shards)")
