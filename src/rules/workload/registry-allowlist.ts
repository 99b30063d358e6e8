/**
 * Registry allowlist matching. An entry allows an image when:
 * - it has no wildcard and is a path prefix of the image, compared both as written and fully qualified
 *   ("nginx" is "docker.io/library/nginx"): "ghcr.io/acme" allows "ghcr.io/acme/api:1", not "ghcr.io/acme-evil/x";
 *   "docker.io" allows every Docker Hub image; a trailing "/" is optional;
 * - it has a wildcard (`*` any characters, `?` one) and matches the whole reference, as written or fully
 *   qualified (the Kyverno style "eu.foo.io/*").
 */
import { globMatch } from '../../core/glob.js';
import { normalizedName } from '../../core/image-ref.js';
import type { ImageRef } from '../../core/image-ref.js';

function withSuffix(name: string, ref: ImageRef): string {
  return name + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

function isPathPrefix(prefix: string, name: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p !== '' && (name === p || name.startsWith(p + '/'));
}

export function registryAllowed(ref: ImageRef, allowed: readonly string[]): boolean {
  const written = ref.registry !== undefined ? `${ref.registry}/${ref.repository}` : ref.repository;
  const qualified = normalizedName(ref);
  for (const entry of allowed) {
    if (/[*?]/.test(entry)) {
      if (globMatch(entry, ref.raw) || globMatch(entry, withSuffix(qualified, ref))) return true;
    } else if (isPathPrefix(entry, written) || isPathPrefix(entry, qualified)) {
      return true;
    }
  }
  return false;
}
