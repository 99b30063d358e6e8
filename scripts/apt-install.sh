#!/usr/bin/env bash
# apt-get install for the set-up scripts: under the shared apt lock (several checkouts may install at once), and
# `apt-get update` once if a package is not found.   bash scripts/apt-install.sh PACKAGE...
set -euo pipefail
(($#)) || exit 0
export DEBIAN_FRONTEND=noninteractive
if ! flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; then
  flock /tmp/kubeguard-apt.lock apt-get update >/dev/null 2>&1 || true
  flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends "$@" >/dev/null
fi
