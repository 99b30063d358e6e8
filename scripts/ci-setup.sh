#!/usr/bin/env bash
# Installs what the tests need beyond npm packages (real components the tests run against).
# Idempotent; safe on a developer machine. Each component's own script decides how to install and start it.
set -euo pipefail
cd "$(dirname "$0")/.."
for s in scripts/setup.d/*.sh; do
  [ -e "$s" ] || continue
  echo "== $s"
  bash "$s"
done
