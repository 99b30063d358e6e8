#!/usr/bin/env bash
# The Scan step of action.yml: inputs arrive as environment variables (never interpolated into the script), the
# SARIF report is written for upload and a table goes to the log; outputs go to $GITHUB_OUTPUT. The step itself
# always succeeds so the SARIF is uploaded; the Verdict step fails the job on kubeguard's exit code.
#   KG_PATHS (spaces/newlines)  KG_PRESET  KG_CONFIG  KG_FAIL_ON (severity or never)  KG_SARIF
#   KUBEGUARD: the command to run (default: node $GITHUB_ACTION_PATH/bin/kubeguard.js)
set -uo pipefail
read -r -d '' -a paths <<<"${KG_PATHS:-.}" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)
read -r -a kubeguard <<<"${KUBEGUARD:-node ${GITHUB_ACTION_PATH:-.}/bin/kubeguard.js}"
args=(scan)
[ -n "${KG_PRESET:-}" ] && args+=(--preset "$KG_PRESET")
[ -n "${KG_CONFIG:-}" ] && args+=(--config "$KG_CONFIG")
fail_on="${KG_FAIL_ON:-high}"
[ "$fail_on" = never ] && fail_on=critical
args+=(--fail-on "$fail_on")
sarif="${KG_SARIF:-kubeguard.sarif}"

"${kubeguard[@]}" "${args[@]}" --format sarif --output "$sarif" -- "${paths[@]}"
code=$?
if [ -s "$sarif" ]; then
  echo "sarif-file=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"
  # the same findings for people reading the log (the exit code above is the verdict)
  "${kubeguard[@]}" "${args[@]}" --format table --quiet -- "${paths[@]}" || true
fi
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
