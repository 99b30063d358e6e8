#!/usr/bin/env bash
# The image test builds kubeguard's Dockerfile with Debian's buildah (vfs storage, chroot isolation: no daemon),
# from bases it assembles locally; the build base needs a debootstrap'd bookworm toolchain, cached once in
# .cache/image-bases (scripts/image/build-rootfs.sh). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v buildah >/dev/null 2>&1 || need+=(buildah)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
bash scripts/apt-install.sh "${need[@]}"
bash scripts/image/build-rootfs.sh
echo "buildah: $(buildah --version)"
