/**
 * The one bounded map: a capacity, least-recently-used eviction (counted), on lru-cache. Every bounded cache or
 * table of the product (runtime detector state, the sensor's process table and mount namespaces, verified
 * signatures, the webhook's scan-result lookups, parse memos, compiled CEL programs and regular expressions) is one
 * of these rather than a Map trimmed by hand.
 */
import { LRUCache } from 'lru-cache';

/** Entries a bounded map has room for before it first grows. */
const INITIAL_ROOM = 256;

/**
 * A Map with a capacity; `get` refreshes a key; inserting past the capacity evicts the least recently used key.
 * Built on lru-cache: a native Map used as an LRU (delete + re-insert) leaves holes that `keys().next()` walks on
 * every eviction, which made a full 100,000-key window quadratic.
 */
export class BoundedMap<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private lru?: LRUCache<K, V>;
  evicted = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isSafeInteger(capacity) && capacity > 0)) throw new RangeError('capacity must be a positive integer');
  }

  /**
   * lru-cache allocates room for its whole `max` at once (a 50,000-entry cache cost a small scan ~10 ms, #25), so the
   * cache starts small and grows fourfold, its entries moved in order, each time it fills below the capacity: the
   * room allocated stays within four times what is used. Reads of a map never written allocate nothing.
   */
  private cacheFor(adding: K): LRUCache<K, V> {
    const lru = this.lru;
    if (lru && (lru.size < lru.max || lru.max === this.capacity || lru.has(adding))) return lru;
    const grown = new LRUCache<K, V>({
      max: Math.min(this.capacity, lru ? lru.max * 4 : INITIAL_ROOM),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.evicted++;
      },
    });
    if (lru) for (const [k, v] of lru.rentries()) grown.set(k as K, v as V);
    return (this.lru = grown);
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }

  get(key: K): V | undefined {
    return this.lru?.get(key);
  }

  /** Reads without refreshing. */
  peek(key: K): V | undefined {
    return this.lru?.peek(key);
  }

  set(key: K, value: V): void {
    this.cacheFor(key).set(key, value);
  }

  delete(key: K): boolean {
    return this.lru?.delete(key) ?? false;
  }

  /** Oldest (least recently used) first. */
  entries(): IterableIterator<[K, V]> {
    return (this.lru?.rentries() ?? [][Symbol.iterator]()) as IterableIterator<[K, V]>;
  }
}

/**
 * A pure one-argument function remembered for its last `capacity` distinct arguments (least recently used
 * forgotten first), so memory stays flat however many arguments a scan sees. Results may be null or undefined.
 */
export function memoize<A extends NonNullable<unknown>, T>(fn: (arg: A) => T, capacity: number): (arg: A) => T {
  const cache = new BoundedMap<A, { value: T }>(capacity);
  return (arg: A): T => {
    const hit = cache.get(arg);
    if (hit) return hit.value;
    const value = fn(arg);
    cache.set(arg, { value });
    return value;
  };
}
