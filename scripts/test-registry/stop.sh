#!/usr/bin/env bash
# Stops the registry started by start.sh (by its recorded pid only).
set -euo pipefail
dir="${REGISTRY_DIR:-/tmp/kubeguard-test-registry}"
if [[ -f "$dir/registry.pid" ]]; then
  kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
  rm -f "$dir/registry.pid"
fi
