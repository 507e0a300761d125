#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): runs whittle's checks on the
# job's image and Dockerfile, writes SARIF for code scanning and a markdown
# job summary, and records the outcome for action-finish.sh. It never fails
# itself, so the SARIF upload that follows always runs.
#
# Environment (the action's inputs):
#   INPUT_IMAGE        image reference (docker-archive:, oci:, docker-daemon:..., a path)
#   INPUT_DOCKERFILE   the Dockerfile (optional)
#   INPUT_COMMANDS     space-separated subset of "ci lint explain"; default:
#                      lint with a Dockerfile, ci and explain with an image
#   INPUT_ARGS         extra options for every whittle command (optional)
#   INPUT_OUTPUT_DIR   where reports go (default whittle-results)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT  set by the runner (optional here)
# Outputs (to $GITHUB_OUTPUT): exit-code (the worst whittle exit: 0, 1 or 2),
# output-dir, lint-sarif and explain-sarif (paths, "" when not written).
set -uo pipefail
whittle=${WHITTLE:-whittle}
image=${INPUT_IMAGE:-}
dockerfile=${INPUT_DOCKERFILE:-}
out=${INPUT_OUTPUT_DIR:-whittle-results}
read -r -a extra <<<"${INPUT_ARGS:-}"
commands=${INPUT_COMMANDS:-}
if [[ -z $commands ]]; then
  [[ -n $dockerfile ]] && commands+=" lint"
  [[ -n $image ]] && commands+=" ci explain"
fi
mkdir -p "$out"
summary=${GITHUB_STEP_SUMMARY:-$out/summary.md}
worst=0
lint_sarif= explain_sarif=

# record RC WHAT: keeps the worst exit status (2 error > 1 check failed > 0).
record() {
  local rc=$1
  if ((rc > 2)); then rc=2; fi
  echo "whittle $2: exit $rc"
  if ((rc > worst)); then worst=$rc; fi
}

need() {  # need VAR COMMAND
  if [[ -z ${!1} ]]; then
    echo "::error::whittle $2 needs the '$1' input" >&2
    record 2 "$2"
    return 1
  fi
}

for cmd in $commands; do
  case $cmd in
    lint)
      need dockerfile lint || continue
      "$whittle" lint "${extra[@]}" "$dockerfile"
      "$whittle" lint "${extra[@]}" --format sarif "$dockerfile" >"$out/lint.sarif"
      record $? lint
      lint_sarif=$out/lint.sarif
      ;;
    ci)
      need image ci || continue
      "$whittle" ci "${extra[@]}" "$image"
      record $? ci
      ;;
    explain)
      need image explain || continue
      df=()
      [[ -n $dockerfile ]] && df=(--dockerfile "$dockerfile")
      "$whittle" explain "${extra[@]}" "${df[@]}" --format sarif "$image" >"$out/explain.sarif"
      record $? explain
      explain_sarif=$out/explain.sarif
      ;;
    *)
      echo "::error::unknown command '$cmd' (ci, lint or explain)" >&2
      record 2 "$cmd"
      ;;
  esac
done

# The job summary: layers and their sizes, reclaimable bytes, the findings.
if [[ -n $image ]]; then
  {
    echo "## whittle: \`$image\`"
    echo
    echo "### Layers"
    echo
    "$whittle" history "${extra[@]}" --format markdown "$image"
    echo
    echo "### Reclaimable bytes"
    echo
    "$whittle" waste "${extra[@]}" --format markdown -n 10 "$image"
    if [[ " $commands " == *" explain "* ]]; then
      echo
      echo "### Findings"
      echo
      df=()
      [[ -n $dockerfile ]] && df=(--dockerfile "$dockerfile")
      "$whittle" explain "${extra[@]}" "${df[@]}" --fail-level none --format markdown "$image"
    fi
  } >>"$summary" || record 2 summary
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  {
    echo "exit-code=$worst"
    echo "output-dir=$out"
    echo "lint-sarif=$lint_sarif"
    echo "explain-sarif=$explain_sarif"
  } >>"$GITHUB_OUTPUT"
fi
echo "whittle: worst exit status $worst"
exit 0
