#!/usr/bin/env bash
# `kubectl kustomize` renders Kustomize directories for `scan` and checks the base `kubeguard install` writes.
# The machines come with kubectl; on one without, install Debian's kubernetes-client (kubectl with built-in
# kustomize). Idempotent.
set -euo pipefail
command -v kubectl >/dev/null 2>&1 && { echo "kubectl: $(kubectl version --client 2>/dev/null | head -1)"; exit 0; }
export DEBIAN_FRONTEND=noninteractive
if ! flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends kubernetes-client >/dev/null 2>&1; then
  flock /tmp/kubeguard-apt.lock apt-get update >/dev/null 2>&1 || true
  flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends kubernetes-client >/dev/null
fi
echo "kubectl: $(kubectl version --client 2>/dev/null | head -1)"
