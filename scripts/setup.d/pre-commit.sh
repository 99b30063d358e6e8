#!/usr/bin/env bash
# The pre-commit hook test drives Debian's pre-commit against a temporary git repository. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v pre-commit >/dev/null 2>&1 || need+=(pre-commit)
command -v git >/dev/null 2>&1 || need+=(git)
bash scripts/apt-install.sh "${need[@]}"
echo "pre-commit: $(pre-commit --version)"
