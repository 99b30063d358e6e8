#!/usr/bin/env bash
# `kubectl kustomize` renders Kustomize directories for `scan` and checks the base `kubeguard install` writes.
# The machines come with kubectl; on one without, install Debian's kubernetes-client (kubectl with built-in
# kustomize). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v kubectl >/dev/null 2>&1 || bash scripts/apt-install.sh kubernetes-client
echo "kubectl: $(kubectl version --client 2>/dev/null | head -1)"
