/** A bounded cache with expiry (core/bounded-map.ts plus a time to live); the clock is passed in, so tests set it. */
import { BoundedMap } from '../../../core/bounded-map.js';

export class ExpiringCache<V> {
  private readonly entries: BoundedMap<string, { value: V; expires: number }>;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(key: string, now: number): V | undefined {
    const e = this.entries.peek(key);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, now: number): void {
    this.entries.set(key, { value, expires: now + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
