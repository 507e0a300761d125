#!/usr/bin/env bash
# The GitHub Action (action.yml) on a fixture image, without GitHub: every
# run: step of the composite calls a script in scripts/ci/, and those scripts
# run here with the environment the runner would give them
# (GITHUB_PATH/OUTPUT/STEP_SUMMARY files, the inputs as INPUT_*). Checks the
# SARIF files, the outputs, the job summary's markdown tables, and that the
# last step fails on findings only when asked to.
#   tests/ship/action_test.sh WHITTLE_BIN SOURCE_DIR
set -euo pipefail
bin=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
image=$src/tests/data/dive/test-docker-image.tar

# action.yml: a composite whose run: steps are one script call each, all present.
python3 - "$src/action.yml" "$src" <<'PY'
import os, re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
assert action["runs"]["using"] == "composite", action["runs"]
runs = [s["run"] for s in action["runs"]["steps"] if "run" in s]
assert len(runs) == 3, runs
for r in runs:
    m = re.fullmatch(r"\$\{\{ github\.action_path \}\}/(scripts/ci/[a-z-]+\.sh)", r.strip())
    assert m, f"a run: step is not one script call: {r!r}"
    assert os.access(os.path.join(sys.argv[2], m.group(1)), os.X_OK), m.group(1)
uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
assert all(u.startswith("github/codeql-action/upload-sarif@") for u in uses), uses
for name in ("image", "dockerfile", "commands", "fail-on-findings", "whittle-bin"):
    assert name in action["inputs"], name
PY

export RUNNER_TEMP=$tmp/runner GITHUB_PATH=$tmp/github_path GITHUB_OUTPUT=$tmp/github_output
export GITHUB_STEP_SUMMARY=$tmp/summary.md
mkdir -p "$RUNNER_TEMP" "$tmp/work"
: >"$GITHUB_PATH"; : >"$GITHUB_OUTPUT"; : >"$GITHUB_STEP_SUMMARY"

# Step 1: install (a given binary), which goes on GITHUB_PATH.
WHITTLE_BIN=$bin "$src/scripts/ci/install-whittle.sh" >"$tmp/install.log"
dir=$(tail -1 "$GITHUB_PATH")
[[ -x $dir/whittle ]] || { echo "install: no whittle in $dir" >&2; exit 1; }
export PATH=$dir:$PATH

# Step 2: run, in a job's working directory, with a Dockerfile that has findings.
cd "$tmp/work"
printf 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n' >Dockerfile
INPUT_IMAGE=$image INPUT_DOCKERFILE=Dockerfile "$src/scripts/ci/action-run.sh" >"$tmp/run.log" 2>&1 ||
  { cat "$tmp/run.log" >&2; echo "action-run.sh must exit 0" >&2; exit 1; }
grep -qx 'exit-code=1' "$GITHUB_OUTPUT" || { cat "$tmp/run.log" "$GITHUB_OUTPUT" >&2; exit 1; }
grep -qx 'lint-sarif=whittle-results/lint.sarif' "$GITHUB_OUTPUT"
grep -qx 'explain-sarif=whittle-results/explain.sarif' "$GITHUB_OUTPUT"
for f in lint explain; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0"; assert d["runs"][0]["tool"]["driver"]["name"]=="whittle"' \
    "whittle-results/$f.sarif"
done
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert any(x["ruleId"].startswith("DL") for x in r), r' \
  whittle-results/lint.sarif
# The summary: the layer table, the waste table, the findings.
grep -q '^| Layer | Created | Created by | Size | Tar | Blob | Files |$' "$GITHUB_STEP_SUMMARY"
grep -q '^| \*\*Total\*\* |' "$GITHUB_STEP_SUMMARY"
grep -q '^| Layer | Created by | Stored | Dead |' "$GITHUB_STEP_SUMMARY"
grep -q '^### Findings$' "$GITHUB_STEP_SUMMARY"
[[ $(grep -c '^|---' "$GITHUB_STEP_SUMMARY") -ge 3 ]]
# The same numbers as the verbs print.
whittle history --format markdown "$image" >"$tmp/history.md"
grep -qFf "$tmp/history.md" "$GITHUB_STEP_SUMMARY"

# Step 5: the result. Findings fail, unless fail-on-findings is false.
if EXIT_CODE=1 "$src/scripts/ci/action-finish.sh" 2>/dev/null; then echo "finish: 1 must fail" >&2; exit 1; fi
EXIT_CODE=1 FAIL_ON_FINDINGS=false "$src/scripts/ci/action-finish.sh" >/dev/null
EXIT_CODE=0 "$src/scripts/ci/action-finish.sh"
set +e
EXIT_CODE=2 FAIL_ON_FINDINGS=false "$src/scripts/ci/action-finish.sh" 2>/dev/null
[[ $? == 2 ]] || { echo "finish: an error must fail even with fail-on-findings false" >&2; exit 1; }
set -e

# ci reads the job's .dive-ci: dive's default rules fail this image (run
# above), dive's own test rules pass it.
grep -q 'FAIL  highestUserWastedPercent' "$tmp/run.log"
cp "$src/tests/data/dive/dive-ci.yaml" .dive-ci
: >"$GITHUB_OUTPUT"
INPUT_IMAGE=$image INPUT_COMMANDS=ci INPUT_OUTPUT_DIR=out2 "$src/scripts/ci/action-run.sh" >"$tmp/run2.log" 2>&1
grep -qx 'exit-code=0' "$GITHUB_OUTPUT" || { cat "$tmp/run2.log" "$GITHUB_OUTPUT" >&2; exit 1; }
grep -qx 'lint-sarif=' "$GITHUB_OUTPUT"

# A missing input is an error (2), reported, not a crash.
: >"$GITHUB_OUTPUT"
INPUT_COMMANDS=lint "$src/scripts/ci/action-run.sh" >"$tmp/run3.log" 2>&1
grep -qx 'exit-code=2' "$GITHUB_OUTPUT" || { cat "$tmp/run3.log" >&2; exit 1; }
grep -q "::error::whittle lint needs the 'dockerfile' input" "$tmp/run3.log"
echo "action: ok"
