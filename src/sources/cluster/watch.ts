/**
 * Watching the collections a cluster read listed (ClusterState.watchFrom) for changes that matter to a scan: each
 * collection is watched from its list's resourceVersion (client-go's ListWatch), bookmarks move it on, a watch the
 * server ends is resumed. An object counts as changed when what the rules read changed — its content without
 * `status`, `resourceVersion`, `generation` and `managedFields` — so status churn (pods starting, nodes
 * heartbeating) triggers nothing; additions and deletions always count. "410 Gone" (history compacted) and an
 * event larger than the bound count as a change of the collection, and its watch ends: the caller lists again.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { KubeObject } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import type { ApiConnection } from '../node/pod-watch.js';
import { WatchGone, streamGet } from '../node/pod-watch.js';
import type { WatchStart } from './collect.js';
import { sanitizeObject } from './sanitize.js';

/** What a scan reads of an object (sanitized as the cluster read sanitizes it), as a short hash. */
export function contentFingerprint(o: KubeObject): string {
  const { status: _status, ...rest } = o as KubeObject & { status?: unknown };
  const { resourceVersion: _rv, generation: _g, managedFields: _m, ...metadata } = (rest.metadata ?? {}) as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify({ ...rest, metadata })).digest('base64url').slice(0, 22);
}

export function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export interface ChangeWatchOptions {
  conn: ApiConnection;
  from: readonly WatchStart[];
  /** objectKey → contentFingerprint of what the last read saw; kept current by the watch. */
  known: Map<string, string>;
  /** The key the cluster read sanitized Secrets with, so fingerprints compare. */
  hmacKey: Buffer;
  onChange: (kind: string, why: string) => void;
  /** Largest event accepted (bytes); default 16 MiB. */
  maxEventBytes?: number;
  userAgent?: string;
  maxBackoffMs?: number;
}

export interface ChangeWatchStats {
  watches: number;
  events: number;
  changes: number;
  errors: number;
  lastError?: string;
}

class Ended extends Error {}

/** How long the API server keeps each watch request open before ending it (the watch then opens the next). */
export const WATCH_TIMEOUT_SECONDS = 300;

export class ClusterChangeWatch {
  readonly stats: ChangeWatchStats = { watches: 0, events: 0, changes: 0, errors: 0 };
  private stopped = false;
  private readonly requests = new Set<http.ClientRequest>();
  private loops: Promise<void>[] = [];
  /** Each running collection's last sign of progress (a request opened or ended, bytes read, a retry). */
  private readonly progress = new Map<WatchStart, number>();

  constructor(private readonly o: ChangeWatchOptions) {}

  start(): void {
    this.loops = this.o.from.map((c) => this.run(c));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.requests) r.destroy();
    await Promise.all(this.loops);
  }

  /**
   * The longest any running collection's watch has gone without progress (ms): the API server ends every watch
   * within WATCH_TIMEOUT_SECONDS, so much longer means a connection that died without closing. Collections whose
   * watch ended (the caller lists again) do not count.
   */
  silence(now = Date.now()): number {
    let most = 0;
    for (const at of this.progress.values()) most = Math.max(most, now - at);
    return most;
  }

  private async run(c: WatchStart): Promise<void> {
    let rv = c.resourceVersion;
    let backoff = 500;
    this.progress.set(c, Date.now());
    try {
      while (!this.stopped) {
        try {
          rv = await this.watch(c, rv);
          backoff = 500;
        } catch (e) {
          if (this.stopped) return;
          if (e instanceof Ended) {
            this.changed(c.kind, e.message);
            return;
          }
          this.stats.errors++;
          this.stats.lastError = errorMessage(e).slice(0, 300);
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? 30_000);
        }
        this.progress.set(c, Date.now());
      }
    } finally {
      this.progress.delete(c);
    }
  }

  private changed(kind: string, why: string): void {
    this.stats.changes++;
    this.o.onChange(kind, why);
  }

  private event(c: WatchStart, line: string): string | undefined {
    const ev = JSON.parse(line) as { type?: string; object?: KubeObject & { code?: number } };
    const obj = ev.object;
    if (!obj) return undefined;
    if (ev.type === 'ERROR') {
      if (obj.code === 410) throw new Ended(`${c.kind}: the watch history was compacted (410 Gone)`);
      throw new Error(`watch of ${c.path}: error ${obj.code ?? ''}`);
    }
    const rv = typeof obj.metadata?.resourceVersion === 'string' ? obj.metadata.resourceVersion : undefined;
    if (ev.type === 'BOOKMARK') return rv;
    this.stats.events++;
    const o = sanitizeObject({ ...obj, kind: obj.kind ?? c.kind }, this.o.hmacKey);
    const key = objectKey(o);
    if (ev.type === 'DELETED') {
      this.o.known.delete(key);
      this.changed(c.kind, `${key} deleted`);
    } else {
      const fp = contentFingerprint(o);
      if (this.o.known.get(key) !== fp) {
        this.o.known.set(key, fp);
        this.changed(c.kind, `${key} ${ev.type === 'ADDED' ? 'added' : 'changed'}`);
      }
    }
    return rv;
  }

  /** One watch request; the resourceVersion to resume from when the server ends it. */
  private async watch(c: WatchStart, from: string): Promise<string> {
    const res = await this.request(`${c.path}?watch=true&allowWatchBookmarks=true&timeoutSeconds=${WATCH_TIMEOUT_SECONDS}&resourceVersion=${encodeURIComponent(from)}`);
    this.stats.watches++;
    this.progress.set(c, Date.now());
    const max = this.o.maxEventBytes ?? 16 * 1024 * 1024;
    let rv = from;
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      this.progress.set(c, Date.now());
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending).toString('utf8');
        pending = [];
        size = 0;
        start = nl + 1;
        if (line.trim()) rv = this.event(c, line) ?? rv;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        size += chunk.length - start;
        if (size > max) {
          res.destroy();
          throw new Ended(`${c.kind}: an event larger than ${max} bytes`);
        }
      }
    }
    return rv;
  }

  private async request(path: string): Promise<http.IncomingMessage> {
    try {
      return await streamGet(this.o.conn, path, this.o.userAgent ?? 'kubeguard-agent', (req) => {
        this.requests.add(req);
        req.on('close', () => this.requests.delete(req));
      });
    } catch (e) {
      throw e instanceof WatchGone ? new Ended(`${path.split('?')[0]}: 410 Gone`) : e;
    }
  }
}
