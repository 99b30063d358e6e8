/**
 * Bounded state for stateful detectors. Time is the events' own (milliseconds since the epoch); nothing here reads
 * a clock. Every structure has a capacity: when full, the least recently used key is dropped (and counted), so
 * memory stays bounded however many sources, hosts or workloads a run sees.
 */
import { BoundedMap } from '../../core/bounded-map.js';

interface DistinctEntry {
  start: number;
  values: Set<string | number>;
  fired: boolean;
}

/**
 * Counts distinct values per key within a window that opens at a key's first value (a tumbling window per key):
 * "this source touched N distinct ports of that host within 60 s". A key's set never grows past the threshold,
 * and `add` answers true exactly once per window, when the threshold is reached.
 */
export class DistinctCounter {
  private readonly entries: BoundedMap<string, DistinctEntry>;

  constructor(
    readonly windowMs: number,
    readonly threshold: number,
    capacity: number,
  ) {
    this.entries = new BoundedMap(capacity);
  }

  get evicted(): number {
    return this.entries.evicted;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds a value at time ts; true when this value makes the key reach the threshold in its window. */
  add(key: string, value: string | number, ts: number): boolean {
    let e = this.entries.get(key);
    if (!e || ts - e.start > this.windowMs) {
      e = { start: ts, values: new Set(), fired: false };
      this.entries.set(key, e);
    }
    if (e.fired || e.values.has(value)) return false;
    e.values.add(value);
    if (e.values.size < this.threshold) return false;
    e.fired = true;
    return true;
  }

  /** The distinct values of a key's current window (for evidence). */
  values(key: string): (string | number)[] {
    return [...(this.entries.peek(key)?.values ?? [])];
  }
}

/** Remembers keys (a written file, an RBAC change) for a time, bounded: `recall` answers within the window only. */
export class RecentSet<V> {
  private readonly entries: BoundedMap<string, { ts: number; value: V }>;

  constructor(
    readonly windowMs: number,
    capacity: number,
  ) {
    this.entries = new BoundedMap(capacity);
  }

  remember(key: string, ts: number, value: V): void {
    this.entries.set(key, { ts, value });
  }

  recall(key: string, ts: number): V | undefined {
    const e = this.entries.peek(key);
    if (!e) return undefined;
    if (ts - e.ts > this.windowMs || ts < e.ts - this.windowMs) return undefined;
    return e.value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
