/**
 * A queue with a fixed capacity between the sources (which must never block: the kernel drops what a slow reader
 * leaves in its socket) and the sink (which may be slow: a pipe, a disk, a network). When it is full, new items
 * are dropped and counted — memory stays bounded whatever the event rate.
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  dropped = 0;
  accepted = 0;
  private waiter?: () => void;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** false (and counted) when full. */
  push(item: T): boolean {
    if (this.count === this.capacity) {
      this.dropped++;
      return false;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    this.accepted++;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w();
    }
    return true;
  }

  /** Up to `max` items, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const at = (this.head + i) % this.capacity;
      out[i] = this.items[at] as T;
      this.items[at] = undefined;
    }
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    return out;
  }

  /** Resolves when an item is queued (at once when one is). */
  wait(): Promise<void> {
    if (this.count > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Wakes a pending wait() without an item (to stop). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
