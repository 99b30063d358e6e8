import { ImageSecurityError } from '../errors.js';

/**
 * Normalises a tar entry name to path components relative to the image root. Leading `/` and `./` are
 * dropped (absolute entries are relative to the image root, never to the host). Any `..` component is a
 * tar-slip attempt and is refused, as containerd's archive code refuses breakouts.
 */
export function entryComponents(name: string): string[] {
  // Fast path for the usual `dir/dir/name` (what every layer is made of): nothing to drop or refuse.
  if (!name.startsWith('.') && !name.startsWith('/') && !name.includes('//') && !name.includes('/.') && !name.includes('\0')) {
    const parts = name.split('/');
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new ImageSecurityError(`refused archive entry "${name}": ".." escapes the image root (tar-slip)`, name);
    if (p.includes('\0')) throw new ImageSecurityError(`refused archive entry with NUL byte`, name);
    parts.push(p);
  }
  return parts;
}

/** Joins components into an absolute in-image path. */
export function toAbsolute(parts: readonly string[]): string {
  return '/' + parts.join('/');
}

/**
 * Resolves a symlink target lexically against the directory holding the link, as the kernel would inside a
 * chroot: absolute targets start at the image root and `..` at the root stays at the root.
 * Returns also whether the target tried to climb above the root (an escape attempt when seen in an archive).
 */
export function resolveLinkTarget(linkDir: readonly string[], target: string): { parts: string[]; escapes: boolean } {
  const parts = target.startsWith('/') ? [] : [...linkDir];
  let escapes = false;
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) escapes = true;
      else parts.pop();
    } else parts.push(p);
  }
  return { parts, escapes };
}
