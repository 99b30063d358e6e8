/**
 * Incident sinks: where incidents go once detected. The interface is the plug for other consumers (the central
 * server of issue 19 implements it to ingest incidents from `runtime serve`):
 *
 *   interface IncidentSink { name; send(update): Promise<void>; close(): Promise<void> }
 *
 * An update is an incident when it opens (first detection: sent at once) or closes (final count and last seen).
 * Sinks never throw into the engine: a failed delivery is retried a few times, then counted as dropped.
 */
import type { Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import type { IncidentJson } from '../../reporters/incidents.js';

export interface IncidentUpdate {
  state: 'open' | 'closed';
  /** The node-independent key: the same problem seen on several nodes has the same key. */
  key: string;
  incident: IncidentJson;
}

export interface IncidentSink {
  readonly name: string;
  send(update: IncidentUpdate): Promise<void>;
  close(): Promise<void>;
}

export interface SinkStats {
  sent: number;
  failed: number;
  dropped: number;
}

/** Drops updates below a severity. */
export function minSeverity(sink: IncidentSink, min: Severity | undefined): IncidentSink {
  if (!min) return sink;
  return {
    name: sink.name,
    send: (u) => (severityRank(u.incident.severity) >= severityRank(min) ? sink.send(u) : Promise.resolve()),
    close: () => sink.close(),
  };
}

/**
 * Sends each incident key once within a time-to-live (the incident window): the opening update of a key seen
 * again — from another node, or reopened after a short gap — is not sent again, and neither is its close (a close
 * is sent only for an opening that was). Bounded: the oldest keys are forgotten past `capacity`.
 */
export class DedupeSink implements IncidentSink {
  readonly name: string;
  /** Key → when its opening update was last seen (sent or not). */
  private readonly seen = new Map<string, number>();
  /** Keys whose opening update was sent and whose close has not been: only those closes are sent. */
  private readonly sentOpen = new Set<string>();
  suppressed = 0;

  constructor(
    private readonly inner: IncidentSink,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly capacity = 100_000,
  ) {
    this.name = inner.name;
  }

  async send(u: IncidentUpdate): Promise<void> {
    if (u.state === 'closed') {
      if (!this.sentOpen.delete(u.key)) {
        this.suppressed++;
        return;
      }
      return this.inner.send(u);
    }
    const t = this.now();
    const last = this.seen.get(u.key);
    this.seen.delete(u.key);
    this.seen.set(u.key, t);
    if (last !== undefined && t - last <= this.ttlMs) {
      this.suppressed++;
      return;
    }
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
      this.sentOpen.delete(oldest);
    }
    this.sentOpen.add(u.key);
    await this.inner.send(u);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
