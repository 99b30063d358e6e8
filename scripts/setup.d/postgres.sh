#!/usr/bin/env bash
# The server store's tests run against a real PostgreSQL: each test file starts its own server with initdb and
# pg_ctl in a temporary directory on a free loopback port, and removes it after. Install the server binaries
# (Debian's postgresql package; no cluster is created or started here) and, since initdb and postgres refuse to
# run as root, make sure the unprivileged `postgres` user exists for the tests to run them as.
set -euo pipefail

have_initdb() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

if ! have_initdb; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and this is not root: install Debian's postgresql package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends postgresql; then
    flock /tmp/kubeguard-apt.lock apt-get update
    flock /tmp/kubeguard-apt.lock apt-get install -y --no-install-recommends postgresql
  fi
  # the package's own cluster is not what the tests use: leave it stopped
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for c in /etc/postgresql/*/main; do
      [ -d "$c" ] || continue
      v=$(basename "$(dirname "$c")")
      pg_ctlcluster "$v" main stop >/dev/null 2>&1 || true
    done
  fi
fi

if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi

echo "postgres.sh: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1 || command -v initdb) ready"
