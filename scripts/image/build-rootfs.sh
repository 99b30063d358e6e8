#!/usr/bin/env bash
# The Debian rootfs the image test builds kubeguard in (the stand-in for node:20-bookworm, which cannot be pulled
# here): debootstrap'd bookworm minbase with the toolchain better-sqlite3's native addon needs. Cached in
# .cache/image-bases/bookworm-build (a complete tree only: built beside it and renamed into place). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.cache/image-bases/bookworm-build
[[ -x "$out/usr/bin/g++" ]] && { echo "image bases: $out present"; exit 0; }
command -v debootstrap >/dev/null 2>&1 || bash scripts/apt-install.sh debootstrap
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"
tmp="$out.partial.$$"
rm -rf "$tmp"
mkdir -p "$(dirname "$out")"
debootstrap --variant=minbase --include=python3,make,g++ bookworm "$tmp" "$mirror" >"$tmp.log" 2>&1 || { tail -20 "$tmp.log" >&2; exit 1; }
rm -rf "$tmp/var/cache/apt/archives"/*.deb "$tmp/var/lib/apt/lists"/* "$tmp.log"
rm -rf "$out" && mv "$tmp" "$out"
echo "image bases: debootstrapped $out"
