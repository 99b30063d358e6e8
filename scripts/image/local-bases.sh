#!/usr/bin/env bash
# Assembles the two base images the image test builds kubeguard's Dockerfile from, and pushes them to a registry:
#   runtime  — the distroless Node.js 20 layout: this machine's node binary at /nodejs/bin/node, the shared
#              libraries it links (with their Debian packages' records in /var/lib/dpkg/status.d, as distroless
#              keeps them), CA certificates, passwd/group with nonroot 65532; no shell, no package manager.
#   build    — the debootstrap'd bookworm toolchain (build-rootfs.sh) plus this machine's node, npm and headers
#              (npm_config_nodedir points node-gyp at them: the headers cannot be downloaded here).
#
#   local-bases.sh REGISTRY_HOST STORAGE_DIR EPOCH   → prints BUILD_IMAGE=<ref@digest> and BASE_IMAGE=<ref@digest>
set -euo pipefail
reg="$1"; storage="$2"; epoch="$3"
cd "$(dirname "$0")/../.."
buildroot=.cache/image-bases/bookworm-build
[[ -x "$buildroot/usr/bin/g++" ]] || bash scripts/image/build-rootfs.sh >&2
bh=(buildah --root "$storage/root" --runroot "$storage/run" --storage-driver vfs)
node="$(readlink -f "$(command -v node)")"
mkdir -p "$storage"
work="$(mktemp -d "$storage/bases.XXXXXX")"

# runtime base
rt="$work/runtime"
mkdir -p "$rt/nodejs/bin" "$rt/etc/ssl/certs" "$rt/var/lib/dpkg/status.d" "$rt/home/nonroot" "$rt/tmp"
chmod 1777 "$rt/tmp"
chown 65532:65532 "$rt/home/nonroot"
cp "$node" "$rt/nodejs/bin/node"
pkgs=()
for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}'); do
  cp -L --parents "$lib" "$rt/"
  real="$(readlink -f "$lib")"
  pkg="$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1 || true)"
  [[ -z "$pkg" ]] && pkg="$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)"
  [[ -n "$pkg" ]] && pkgs+=("$pkg")
done
for p in $(printf '%s\n' "${pkgs[@]}" | sort -u); do dpkg-query -s "$p" >"$rt/var/lib/dpkg/status.d/$p"; done
cp /etc/ssl/certs/ca-certificates.crt "$rt/etc/ssl/certs/"
cp -L /etc/os-release "$rt/etc/os-release"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rt/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$rt/etc/group"

# build base
bd="$work/build"
mkdir -p "$bd/usr/bin" "$bd/usr/lib/node_modules" "$bd/usr/include"
cp "$node" "$bd/usr/bin/node"
cp -a /usr/lib/node_modules/npm "$bd/usr/lib/node_modules/"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$bd/usr/bin/npm"
cp -a /usr/include/node "$bd/usr/include/"

commit() { # name rootfs-dirs... ; config flags in the array cfg
  local name="$1"; shift
  local c; c="$("${bh[@]}" from scratch)"
  for d in "$@"; do "${bh[@]}" copy --quiet "$c" "$d/" / >/dev/null; done
  "${bh[@]}" config "${cfg[@]}" "$c"
  "${bh[@]}" commit --quiet --timestamp "$epoch" --rm "$c" "$reg/kubeguard-test/$name:local" >/dev/null
  "${bh[@]}" push --quiet --tls-verify=false --digestfile "$work/$name.digest" "$reg/kubeguard-test/$name:local" >/dev/null
  echo "$reg/kubeguard-test/$name@$(cat "$work/$name.digest")"
}
cfg=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --user 65532:65532 --workingdir /home/nonroot --entrypoint '["/nodejs/bin/node"]' --os linux --arch amd64)
echo "BASE_IMAGE=$(commit nodejs20 "$rt")"
cfg=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env npm_config_nodedir=/usr --user 0:0 --cmd node --os linux --arch amd64)
echo "BUILD_IMAGE=$(commit node20-build "$buildroot" "$bd")"
rm -rf "$work"
