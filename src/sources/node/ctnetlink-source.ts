/**
 * New connections from netfilter's connection tracking, read straight from ctnetlink (netlink NETLINK_NETFILTER,
 * group NFNLGRP_CONNTRACK_NEW) through the same `netlink` binding as the process connector: no conntrack-tools
 * process printing a line per event (which flushes its output per event and overflows its own socket at ~10,000
 * events/s). Events are decoded into fixed records (ctnetlink.ts) and handed on in batches.
 *
 * A netlink socket belongs to the network namespace it was opened in. On a node the sensor runs in the host's
 * (hostNetwork), so the socket is opened here. For another namespace (--netns: the tests' and the bench's node
 * namespace) a small reader process is started inside it (`nsenter --net=PATH`) that writes the records to this
 * process over a pipe — fixed-size binary records of numbers and address bytes, nothing a workload can forge.
 *
 * Needs CAP_NET_ADMIN (and CAP_SYS_ADMIN for nsenter). Losses are counted: every ENOBUFS, the kernel's exact drop
 * count for the socket (/proc/net/netlink of its namespace), records the reader could not hand on.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RawNetlinkSocket as RawNetlinkSocketType } from 'netlink';
import { errorMessage } from '../../core/errors.js';
import type { ConntrackEvent } from './conntrack-line.js';
import { NETLINK_NETFILTER, NFNLGRP_CONNTRACK_NEW, RECORD_SIZE, REC_READY, decodeCtDatagram, recordToCounters, recordToEvent } from './ctnetlink.js';
import type { CtReaderCounters } from './ctnetlink.js';
import { loadNetlinkBinding, netlinkDrops } from './proc-connector.js';

/** Records per batch: what was waiting in the socket, handed on together. */
const BATCH_RECORDS = 1024;

export function emptyCounters(): CtReaderCounters {
  return { events: 0, malformed: 0, overflows: 0, kernelDrops: -1, errors: 0, relayDropped: 0 };
}

/** The ctnetlink socket in this process's network namespace; records go to `onRecords` in batches. */
export class CtnetlinkReader {
  readonly counters = emptyCounters();
  lastError?: string;
  private socket?: RawNetlinkSocketType;
  private port = 0;
  private pending = Buffer.allocUnsafe(BATCH_RECORDS * RECORD_SIZE);
  private used = 0;
  private scheduled = false;
  private onRecords: (records: Buffer) => void = () => {};

  /** Opens and subscribes; throws with the errno's code when it cannot (EPERM, EPROTONOSUPPORT, …). */
  start(onRecords: (records: Buffer) => void, receiveBuffer = 8 << 20): void {
    this.onRecords = onRecords;
    const { RawNetlinkSocket } = loadNetlinkBinding();
    const socket = new RawNetlinkSocket(NETLINK_NETFILTER, { recvBufferSize: receiveBuffer, sendBufferSize: 65536 });
    try {
      socket.addMembership(NFNLGRP_CONNTRACK_NEW);
    } catch (e) {
      socket.close();
      throw e;
    }
    this.socket = socket;
    this.port = socket.address().port;
    socket.on('message', (msg: Buffer) => {
      // nothing may throw back into the binding: an exception in a native callback aborts the process
      try {
        const before = this.used;
        const r = decodeCtDatagram(msg, Date.now() / 1000, this.pending, this.used);
        this.used = r.offset;
        this.counters.malformed += r.malformed;
        this.counters.events += (this.used - before) / RECORD_SIZE;
        if (this.used + RECORD_SIZE > this.pending.length) this.flush();
        else if (!this.scheduled && this.used) {
          this.scheduled = true;
          setImmediate(() => this.flush());
        }
      } catch (e) {
        this.fail(e);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOBUFS') this.counters.overflows++;
      else this.fail(e);
    });
  }

  private fail(e: unknown): void {
    this.counters.errors++;
    this.lastError ??= errorMessage(e).slice(0, 300);
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.used) return;
    const ready = this.pending.subarray(0, this.used);
    this.pending = Buffer.allocUnsafe(BATCH_RECORDS * RECORD_SIZE);
    this.used = 0;
    try {
      this.onRecords(ready);
    } catch (e) {
      this.fail(e);
    }
  }

  refreshKernelDrops(): void {
    if (this.socket) this.counters.kernelDrops = netlinkDrops(this.port, NETLINK_NETFILTER) ?? -1;
  }

  /** Hands on what is pending and closes the socket. */
  stop(): void {
    if (!this.socket) return;
    this.refreshKernelDrops();
    this.flush();
    this.socket.close();
    this.socket = undefined;
  }
}

export interface CtnetlinkOptions {
  /** A network namespace file (/proc/PID/ns/net, /run/netns/NAME) to watch instead of this process's own. */
  netns?: string;
  /** SO_RCVBUF in bytes (the kernel caps it at net.core.rmem_max, doubled). Default 8 MiB. */
  receiveBuffer?: number;
}

export interface CtnetlinkStats extends CtReaderCounters {
  reader: 'ctnetlink';
  /** Where the socket is: this process, or a reader process inside --netns. */
  where: 'in-process' | 'netns-reader';
}

/** `ConntrackEvent`s from ctnetlink, in this namespace or (through a reader process) in another. */
export class CtnetlinkSource {
  stats: CtnetlinkStats = { reader: 'ctnetlink', where: 'in-process', ...emptyCounters() };
  private reader?: CtnetlinkReader;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private stopRequested = false;

  /** Resolves once subscribed; rejects with the reason when ctnetlink cannot be read. `onExit`: a reader process died. */
  start(onEvents: (events: ConntrackEvent[]) => void, options: CtnetlinkOptions = {}, onExit?: (why: string) => void): Promise<void> {
    const handle = (records: Buffer) => {
      const events: ConntrackEvent[] = [];
      for (let at = 0; at + RECORD_SIZE <= records.length; at += RECORD_SIZE) {
        const e = recordToEvent(records, at);
        if (e) events.push(e);
        else {
          const c = recordToCounters(records, at);
          if (c) this.stats = { ...this.stats, ...c };
        }
      }
      if (events.length) onEvents(events);
    };
    if (!options.netns) {
      const reader = new CtnetlinkReader();
      reader.start(handle, options.receiveBuffer);
      this.reader = reader;
      return Promise.resolve();
    }
    this.stats.where = 'netns-reader';
    return this.startChild(options.netns, options.receiveBuffer, handle, onExit);
  }

  private startChild(netns: string, receiveBuffer: number | undefined, handle: (records: Buffer) => void, onExit?: (why: string) => void): Promise<void> {
    const script = fileURLToPath(new URL(`./ctnetlink-child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
    const argv = [`--net=${netns}`, '--', process.execPath, ...process.execArgv, script, String(receiveBuffer ?? 8 << 20)];
    const child = spawn('nsenter', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    let stderr = '';
    let ready = false;
    let partial = Buffer.alloc(0);
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    return new Promise((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`cannot run nsenter: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
      child.stdout!.on('data', (d: Buffer) => {
        const data = partial.length ? Buffer.concat([partial, d]) : d;
        const whole = data.length - (data.length % RECORD_SIZE);
        partial = Buffer.from(data.subarray(whole));
        if (!ready && whole && data[0] === REC_READY) {
          ready = true;
          resolve();
        }
        try {
          handle(data.subarray(0, whole));
        } catch (e) {
          this.stats.errors++;
          void e;
        }
      });
      child.once('close', (code, signal) => {
        const why = (stderr.trim().split('\n').slice(-3).join('; ') || `reader exited with ${signal ?? code}`).slice(0, 500);
        if (!ready) reject(new Error(why));
        else if (!this.stopRequested) onExit?.(why);
      });
    });
  }

  /** The kernel's drop count, refreshed into `stats` (the reader process sends its own every second). */
  refreshKernelDrops(): void {
    if (!this.reader) return;
    this.reader.refreshKernelDrops();
    this.stats = { ...this.stats, ...this.reader.counters };
  }

  /** Stops reading; a reader process hands on what it holds and its last counters first. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.reader) {
      this.reader.stop();
      this.stats = { ...this.stats, ...this.reader.counters };
      this.reader = undefined;
    }
    if (this.child) {
      this.child.stdin?.end();
      await this.exited;
    }
  }
}
