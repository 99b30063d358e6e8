#!/usr/bin/env bash
# The dashboard's browser tests drive Debian's Chromium with playwright-core (never a browser download).
# Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null 2>&1 || bash scripts/apt-install.sh chromium fonts-dejavu-core
echo "chromium: $(chromium --version 2>/dev/null | head -1)"
