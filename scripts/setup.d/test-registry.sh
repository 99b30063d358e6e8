#!/usr/bin/env bash
# The image tests push to and pull from a real OCI registry (Debian docker-registry) and check with skopeo.
# Install them (the tests start their own registries on free loopback ports).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/test-registry/start.sh --install-only
