#!/usr/bin/env bash
# Installs (when missing) and starts a real OCI registry (Debian's docker-registry, i.e. CNCF distribution)
# plus skopeo for the image tests.
#
#   bash scripts/test-registry/start.sh                 install if needed, start on 127.0.0.1:5000 (or $REGISTRY_PORT)
#   bash scripts/test-registry/start.sh --install-only  install only (the tests start their own registries)
#
# The pid goes to $REGISTRY_DIR/registry.pid; stop with scripts/test-registry/stop.sh.
set -euo pipefail

install_only=0
[[ "${1:-}" == "--install-only" ]] && install_only=1

SUDO=""
[[ "$(id -u)" != 0 ]] && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if ((${#need[@]})); then
  if ! $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update >/dev/null 2>&1 || true
    $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
# Optional tools that let more image tests compare against upstream (rpm/rpmbuild for a real rpmdb.sqlite,
# go for `go version -m` and building a Go binary, a JDK's jar): best effort, tests say when they skip.
optional=()
command -v rpmbuild >/dev/null 2>&1 || optional+=(rpm)
command -v go >/dev/null 2>&1 || optional+=(golang-go)
if ((${#optional[@]})); then
  ${SUDO:-} apt-get install -y --no-install-recommends "${optional[@]}" >/dev/null 2>&1 || echo "test-registry: optional ${optional[*]} not installed (some image tests will skip parts)" >&2
fi
echo "test-registry: docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'), skopeo $(skopeo --version | awk '{print $3}')"
((install_only)) && exit 0

port="${REGISTRY_PORT:-5000}"
dir="${REGISTRY_DIR:-/tmp/kubeguard-test-registry}"
mkdir -p "$dir/data"
if [[ -f "$dir/registry.pid" ]] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
  echo "test-registry: already running (pid $(cat "$dir/registry.pid")) on 127.0.0.1:$port"
  exit 0
fi
cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
echo $! >"$dir/registry.pid"
for _ in $(seq 1 50); do
  if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
    echo "test-registry: listening on 127.0.0.1:$port (pid $(cat "$dir/registry.pid"))"
    exit 0
  fi
  sleep 0.2
done
echo "test-registry: did not start; log:" >&2
cat "$dir/registry.log" >&2
exit 1
