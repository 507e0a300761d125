#!/usr/bin/env bash
# The GitHub Action's last step: fails the job when whittle did, after the
# SARIF upload. An error (2) always fails; a failed check (1) fails unless
# fail-on-findings is false.
#   EXIT_CODE=N FAIL_ON_FINDINGS=true|false scripts/ci/action-finish.sh
set -euo pipefail
code=${EXIT_CODE:-2}
case $code in
  0) exit 0 ;;
  1) [[ ${FAIL_ON_FINDINGS:-true} == false ]] && { echo "whittle: findings, not failing (fail-on-findings: false)"; exit 0; }
     echo "::error::whittle: a check failed (findings or a ci rule); see the log and the job summary" >&2
     exit 1 ;;
  *) echo "::error::whittle: error (exit $code); see the log" >&2
     exit 2 ;;
esac
