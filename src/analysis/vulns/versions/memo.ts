/**
 * Parse memoisation for version schemes: matching compares the same few strings (the installed version, range
 * events) many times, and parsing dominates (node-semver objects, the PEP 440 regex, Maven item trees).
 * A bounded map: cleared when full, so memory stays flat however many versions a scan sees.
 */
export function memoize<T>(parse: (v: string) => T, max = 20_000): (v: string) => T {
  let cache = new Map<string, T>();
  return (v: string): T => {
    const hit = cache.get(v);
    if (hit !== undefined || cache.has(v)) return hit as T;
    const value = parse(v);
    if (cache.size >= max) cache = new Map();
    cache.set(v, value);
    return value;
  };
}
