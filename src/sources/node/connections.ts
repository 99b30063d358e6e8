/**
 * The connection source: ctnetlink read by us (ctnetlink-source.ts), or — only when that socket cannot be opened —
 * `conntrack -E` (conntrack-tools, conntrack.ts). Which one runs, and why the first did not, is part of its status.
 */
import { errorMessage } from '../../core/errors.js';
import { ConntrackSource } from './conntrack.js';
import type { ConntrackEvent } from './conntrack-line.js';
import { CtnetlinkSource } from './ctnetlink-source.js';

export interface ConnectionReader {
  start(onEvents: (events: ConntrackEvent[]) => void, options: { netns?: string }, onExit?: (why: string) => void): Promise<void>;
  stop(): Promise<void>;
  refreshKernelDrops?(): void;
  readonly stats: object;
}

/** `conntrack -E` behind the same face (one event at a time). */
class ConntrackToolReader implements ConnectionReader {
  private readonly source = new ConntrackSource();
  get stats(): object {
    return this.source.stats;
  }
  start(onEvents: (events: ConntrackEvent[]) => void, options: { netns?: string }, onExit?: (why: string) => void): Promise<void> {
    return this.source.start((e) => onEvents([e]), options, onExit);
  }
  stop(): Promise<void> {
    return this.source.stop();
  }
}

export type ReaderName = 'ctnetlink' | 'conntrack-tools';

export class ConnectionSource {
  /** The reader that runs, once started. */
  reader?: ReaderName;
  /** Why ctnetlink could not be opened, when conntrack -E runs instead. */
  ctnetlinkUnavailable?: string;
  private active?: ConnectionReader;

  private readonly readers: Record<ReaderName, ConnectionReader>;

  /** `readers` replaces the default of either (tests). */
  constructor(readers: Partial<Record<ReaderName, ConnectionReader>> = {}) {
    this.readers = { ctnetlink: readers.ctnetlink ?? new CtnetlinkSource(), 'conntrack-tools': readers['conntrack-tools'] ?? new ConntrackToolReader() };
  }

  /** Starts ctnetlink, else conntrack -E; rejects with both reasons when neither runs. */
  async start(onEvents: (events: ConntrackEvent[]) => void, options: { netns?: string }, onExit?: (why: string) => void): Promise<void> {
    let first = '';
    for (const name of ['ctnetlink', 'conntrack-tools'] as const) {
      try {
        await this.readers[name].start(onEvents, options, onExit);
        this.reader = name;
        this.active = this.readers[name];
        if (first) this.ctnetlinkUnavailable = first;
        return;
      } catch (e) {
        if (!first) first = reasonOf(e);
        else throw new Error(`ctnetlink: ${first}; conntrack -E: ${reasonOf(e)}`);
      }
    }
  }

  /** The running reader's name and counters (both readers: `overflows`; ctnetlink: `kernelDrops`, `relayDropped`, …). */
  get stats(): Record<string, unknown> {
    if (!this.active) return {};
    return { reader: this.reader, ...(this.ctnetlinkUnavailable ? { ctnetlinkUnavailable: this.ctnetlinkUnavailable } : {}), ...this.active.stats };
  }

  /** What the reader lost: kernel drops (exact, where known), ENOBUFS reports, records not handed on. */
  lost(): { kernel: number; overflows: number; relay: number } {
    const s = (this.active?.stats ?? {}) as { kernelDrops?: number; overflows?: number; relayDropped?: number };
    return { kernel: Math.max(0, s.kernelDrops ?? 0), overflows: s.overflows ?? 0, relay: s.relayDropped ?? 0 };
  }

  refreshKernelDrops(): void {
    this.active?.refreshKernelDrops?.();
  }

  async stop(): Promise<void> {
    await this.active?.stop();
  }
}

/** An error's message with its errno code in front when the message does not say it. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const msg = errorMessage(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}
