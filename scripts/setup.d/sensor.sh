#!/usr/bin/env bash
# The node sensor's tests run against the real kernel: conntrack-tools (`conntrack -E`, which the sensor runs), nftables (turns connection tracking on inside the test's own "node" namespace), iproute2 and
# util-linux (network namespaces, veths, nsenter) and nmap (a real TCP connect scan between test "pods").
set -euo pipefail
SUDO=""
[[ "$(id -u)" != 0 ]] && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
need=()
command -v conntrack >/dev/null 2>&1 || need+=(conntrack)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v nmap >/dev/null 2>&1 || need+=(nmap)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
if ((${#need[@]})); then
  if ! flock /tmp/kubeguard-apt.lock $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    flock /tmp/kubeguard-apt.lock $SUDO apt-get update >/dev/null 2>&1 || true
    flock /tmp/kubeguard-apt.lock $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
echo "sensor: conntrack $(conntrack --version 2>&1 | awk '{print $2}'), nmap $(nmap --version | head -1 | awk '{print $3}')"
