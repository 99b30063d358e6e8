/**
 * Process exec/fork/exit from the kernel's process events connector (netlink NETLINK_CONNECTOR, group CN_IDX_PROC),
 * through the `netlink` package's RawNetlinkSocket (an N-API binding with prebuilt binaries): no socket code of
 * ours, no text to parse. Why not Debian's forkstat, the standard command-line reader of the same connector: it
 * prints each process's argv verbatim, newlines included, so a process could forge whole event lines; it reports
 * no parent on exec; and it wants euid 0. The connector answers only in the initial network namespace (as the
 * kernel registers it there) and needs CAP_NET_ADMIN.
 *
 * Lost events are counted twice over: every ENOBUFS the socket reports (the receive buffer overflowed), and the
 * kernel's own drop counter for this socket (/proc/net/netlink, column Drops), which is exact.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as NetlinkModule from 'netlink';
import type { RawNetlinkSocket as RawNetlinkSocketType } from 'netlink';
import { CN_IDX_PROC, NETLINK_CONNECTOR, PROC_CN_MCAST_IGNORE, decodeProcEvents, mcastRequest } from './proc-events.js';
import type { ProcEvent } from './proc-events.js';
import { errorMessage } from '../../core/errors.js';

export interface ProcConnectorStats {
  datagrams: number;
  events: number;
  malformed: number;
  /** ENOBUFS reports: the socket's buffer overflowed at least once each time. */
  overflows: number;
  /** Batches whose handling failed (the first failure's message in lastError). */
  errors: number;
  lastError?: string;
  /** Events the kernel could not queue for this socket (exact; undefined when /proc/net/netlink is unreadable). */
  kernelDrops?: number;
}

export interface ProcConnectorOptions {
  /** SO_RCVBUF in bytes (root may exceed net.core.rmem_max). Default 8 MiB: about 10,000 queued events. */
  receiveBuffer?: number;
}

const MAX_BATCH = 4096;

export class ProcConnector {
  readonly stats: ProcConnectorStats = { datagrams: 0, events: 0, malformed: 0, overflows: 0, errors: 0 };
  private socket?: RawNetlinkSocketType;
  private port = 0;

  /**
   * Opens the socket and subscribes; events go to `onEvents` in batches (what was waiting in the socket). Throws (with the
   * errno's code) when the connector cannot be used here: EPERM without CAP_NET_ADMIN, EPROTONOSUPPORT outside the
   * initial network namespace or on a kernel without CONFIG_PROC_EVENTS.
   */
  async start(onEvents: (events: ProcEvent[]) => void, options: ProcConnectorOptions = {}): Promise<void> {
    const { RawNetlinkSocket } = loadNetlinkBinding();
    const socket = new RawNetlinkSocket(NETLINK_CONNECTOR, {
      recvBufferSize: options.receiveBuffer ?? 8 << 20,
      sendBufferSize: 65536,
    });
    this.socket = socket;
    this.port = socket.address().port;
    socket.addMembership(CN_IDX_PROC);
    // the binding reads every datagram waiting in the socket in one go; they are handed on together once it is
    // done (setImmediate), so a reader sees, say, two execs of one pid side by side (bounded by MAX_BATCH)
    let batch: ProcEvent[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      const ready = batch;
      batch = [];
      if (!ready.length) return;
      try {
        onEvents(ready);
      } catch (e) {
        this.stats.errors++;
        this.stats.lastError ??= errorMessage(e).slice(0, 300);
      }
    };
    socket.on('message', (msg: Buffer) => {
      // nothing may throw back into the binding: an exception in a native callback aborts the process
      try {
        this.stats.datagrams++;
        const before = batch.length;
        const { malformed } = decodeProcEvents(msg, batch);
        this.stats.malformed += malformed;
        this.stats.events += batch.length - before;
        if (batch.length >= MAX_BATCH) flush();
        else if (!scheduled && batch.length) {
          scheduled = true;
          setImmediate(flush);
        }
      } catch (e) {
        this.stats.errors++;
        this.stats.lastError ??= errorMessage(e).slice(0, 300);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOBUFS') this.stats.overflows++;
      else {
        this.stats.errors++;
        this.stats.lastError ??= errorMessage(e).slice(0, 300);
      }
    });
    try {
      await new Promise<void>((resolve, reject) => socket.send(mcastRequest(this.port), {}, (e) => (e ? reject(e) : resolve())));
    } catch (e) {
      this.socket = undefined;
      socket.close();
      throw e;
    }
  }

  /** The kernel's drop count for this socket, refreshed into `stats`. */
  refreshKernelDrops(): void {
    if (!this.socket) return;
    this.stats.kernelDrops = netlinkDrops(this.port, NETLINK_CONNECTOR);
  }

  stop(): void {
    const socket = this.socket;
    if (!socket) return;
    this.refreshKernelDrops();
    this.socket = undefined;
    try {
      socket.send(mcastRequest(this.port, PROC_CN_MCAST_IGNORE), {}, () => socket.close());
    } catch {
      socket.close();
    }
  }
}

/** The native binding, loaded on first use (commands other than `sensor run` never need it). */
export function loadNetlinkBinding(): typeof NetlinkModule {
  return createRequire(import.meta.url)('netlink') as typeof NetlinkModule;
}

/**
 * Drops column of /proc/net/netlink (of this process's network namespace) for the `protocol` socket bound to `port`
 * (sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode).
 */
export function netlinkDrops(port: number, protocol: number, text?: string): number | undefined {
  let t = text;
  if (t === undefined) {
    try {
      t = readFileSync('/proc/net/netlink', 'utf8');
    } catch {
      return undefined;
    }
  }
  for (const line of t.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 9 && f[1] === String(protocol) && f[2] === String(port >>> 0)) return Number(f[8]);
  }
  return undefined;
}
