/** Shell-style globs (`*`, `?`) for names, namespaces and registries in config. */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

export function globMatch(glob: string, value: string): boolean {
  return glob === '*' || glob === value || globToRegExp(glob).test(value);
}
