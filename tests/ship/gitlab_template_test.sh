#!/usr/bin/env bash
# The GitLab CI template (ci/gitlab/whittle.gitlab-ci.yml), without GitLab:
# each job's before_script and script lines run as GitLab runs them (one bash
# session, errexit, the template's variables plus ours), with whittle on
# PATH, on a fixture image and a Dockerfile with findings. Checks each job's
# exit status and that its report artifacts parse: JUnit XML and GitLab
# code-quality JSON.
#   tests/ship/gitlab_template_test.sh WHITTLE_BIN SOURCE_DIR
set -euo pipefail
bin=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/work"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/whittle"
cd "$tmp/work"
printf 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n' >Dockerfile

# Writes one job's script to JOB.sh: the variables, before_script, script.
python3 - "$src/ci/gitlab/whittle.gitlab-ci.yml" "$tmp" <<'PY'
import shlex, sys, yaml
t = yaml.safe_load(open(sys.argv[1]))
jobs = [k for k in t if k.startswith("whittle-")]
assert sorted(jobs) == ["whittle-ci", "whittle-explain", "whittle-lint"], jobs
for name in jobs:
    job = t[name]
    base = t[job["extends"]]
    lines = ["set -eo pipefail"]
    for k, v in t["variables"].items():
        lines.append(f'export {k}="${{{k}-{v}}}"')
    lines += base["before_script"] + job["script"]
    open(f"{sys.argv[2]}/{name}.sh", "w").write("\n".join(lines) + "\n")
    reports = job["artifacts"]["reports"]
    open(f"{sys.argv[2]}/{name}.reports", "w").write(
        "".join(f"{kind} {path}\n" for kind, path in reports.items()))
PY

run_job() {  # run_job NAME WANT_EXIT
  set +e
  PATH=$tmp/bin:$PATH WHITTLE_IMAGE=$src/tests/data/dive/test-docker-image.tar WHITTLE_DOCKERFILE=Dockerfile \
    bash "$tmp/$1.sh" >"$tmp/$1.log" 2>&1
  local rc=$?
  set -e
  if [[ $rc != "$2" ]]; then
    echo "$1: exit $rc, want $2" >&2
    cat "$tmp/$1.log" >&2
    exit 1
  fi
  while read -r kind path; do
    [[ -s $path ]] || { echo "$1: no $kind report $path" >&2; exit 1; }
    case $kind in
      junit) python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); assert r.tag in ("testsuites","testsuite"), r.tag; assert r.iter("testcase")' "$path" ;;
      codequality) python3 - "$path" <<'PY'
import json, sys
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list)
for i in issues:
    assert set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}, i
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i
    assert isinstance(i["location"]["lines"]["begin"], int) and i["location"]["lines"]["begin"] >= 1
    assert len(i["fingerprint"]) == 64
assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints repeat"
PY
      ;;
      *) echo "$1: unknown report kind $kind" >&2; exit 1 ;;
    esac
  done <"$tmp/$1.reports"
}
run_job whittle-lint 1      # the Dockerfile has findings
run_job whittle-ci 1        # dive's default rules fail dive's test image...
grep -q '<failure' whittle-ci-junit.xml
cp "$src/tests/data/dive/dive-ci.yaml" .dive-ci
run_job whittle-ci 0        # ...and its own .dive-ci passes it
run_job whittle-explain 1   # explain finds bytes to save in it
grep -q '"check_name": "DL' whittle-lint-codequality.json
echo "gitlab template: ok"
