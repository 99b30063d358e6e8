/**
 * `kubeguard sensor run`: starts the node sources, attributes what they report to pods (src/sources/node), and
 * sends the events through a bounded queue to a sink. A source that cannot start is reported as unavailable and
 * the others go on. Stops after --duration or on SIGTERM/SIGINT: the sources stop, what is queued is written,
 * and a summary (events, drops per cause) goes to stderr.
 */
import { encodeEvent } from '../core/events/index.js';
import type { RuntimeEvent } from '../core/events/index.js';
import { errorMessage } from '../core/errors.js';
import { BoundedQueue } from '../sources/node/bounded-queue.js';
import { ConnectionSource, reasonOf } from '../sources/node/connections.js';
import { UpperLayerCheck } from '../sources/node/drift.js';
import { findListeners } from '../sources/node/listeners.js';
import { NodeEvents } from '../sources/node/node-events.js';
import { nodeAddresses } from '../sources/node/addresses.js';
import { PodIndex } from '../sources/node/pods.js';
import { ProcConnector } from '../sources/node/proc-connector.js';
import { ProcReader } from '../sources/node/procfs.js';
import { openSink } from './sink.js';

export const SENSOR_SOURCES = ['process', 'conntrack', 'proc'] as const;
export type SensorSource = (typeof SENSOR_SOURCES)[number];

export interface PodFeed {
  /** Fills the index (a snapshot's pods, or a list then a watch that keeps it current). */
  start(index: PodIndex): Promise<void>;
  stop(): void;
}

export interface SensorOptions {
  output: string;
  node?: string;
  cluster?: string;
  sources: readonly SensorSource[];
  pods?: PodFeed;
  durationMs?: number;
  /** A network namespace to read connections in (default: the sensor's own). */
  netns?: string;
  /** The host's / as mounted in the sensor (for overlay upper dirs), '' when the sensor runs on the host. */
  hostRoot?: string;
  hostProcesses?: boolean;
  queueCapacity?: number;
  statsIntervalMs?: number;
  token?: string;
  /** Where status lines go (default stderr). */
  log?: (line: string) => void;
  /** How long a stopping sensor keeps writing what is queued (default 10 s); the rest counts as lost. */
  flushTimeoutMs?: number;
  /** Resolves when the run should stop (tests); SIGTERM/SIGINT always stop it. */
  stopSignal?: Promise<void>;
}

export interface SourceStatus {
  state: 'running' | 'unavailable' | 'off' | 'failed';
  reason?: string;
  [counter: string]: unknown;
}

export interface SensorSummary {
  sensor: 'summary' | 'stats';
  time: string;
  node?: string;
  sources: Record<SensorSource, SourceStatus>;
  pods: number;
  processes: number;
  queue: { capacity: number; length: number; dropped: number };
  emitted: number;
  /** Events lost anywhere: the kernel's drops and overflows, the queue's drops, what the output refused or could not take before the flush deadline. */
  lost: { kernel: number; overflows: number; queue: number; sink: number };
}

export async function runSensor(o: SensorOptions): Promise<SensorSummary> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const status = Object.fromEntries(SENSOR_SOURCES.map((s) => [s, { state: o.sources.includes(s) ? 'failed' : 'off' } as SourceStatus])) as Record<SensorSource, SourceStatus>;
  const pods = new PodIndex(o.node);
  if (o.pods) await o.pods.start(pods);
  const monoToWallNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const events = new NodeEvents({
    pods,
    reader: new ProcReader(),
    upper: new UpperLayerCheck('/proc', o.hostRoot ?? ''),
    node: o.node,
    cluster: o.cluster,
    hostProcesses: o.hostProcesses,
    nodeAddresses: nodeAddresses(o.netns),
    monoToWallNs,
    findListeners: o.sources.includes('proc') ? (ev, pod) => findListeners(ev, pod) : undefined,
  });
  const queue = new BoundedQueue<RuntimeEvent>(o.queueCapacity ?? 65_536);
  const emit = (e: RuntimeEvent) => void queue.push(e);
  const sink = openSink(o.output, { token: o.token });
  let written = 0;

  // sources: each on its own; one that cannot start is reported and the others go on
  const proc = new ProcConnector();
  const connections = new ConnectionSource();
  if (o.sources.includes('proc')) {
    try {
      const seeded = events.seed();
      status.proc = { state: 'running', seeded };
    } catch (e) {
      status.proc = { state: 'unavailable', reason: errorMessage(e) };
    }
  }
  if (o.sources.includes('process')) {
    try {
      await proc.start((batch) => events.onProcEvents(batch, emit));
      status.process = { state: 'running' };
    } catch (e) {
      status.process = { state: 'unavailable', reason: reasonOf(e) };
    }
  }
  // a source that fails after it started stops the run (exit 3): under a DaemonSet the kubelet starts it again
  let onSourceFailed!: () => void;
  const sourceFailed = new Promise<void>((resolve) => (onSourceFailed = resolve));
  if (o.sources.includes('conntrack')) {
    const failed = (why: string) => {
      status.conntrack = { ...status.conntrack, state: 'failed', reason: why };
      log(JSON.stringify({ sensor: 'source', source: 'conntrack', state: 'failed', reason: why }));
      onSourceFailed();
    };
    // ctnetlink read by us; `conntrack -E` (conntrack-tools) only when that socket cannot be opened
    try {
      await connections.start((batch) => {
        for (const e of batch) events.onConntrack(e, emit);
      }, { netns: o.netns }, failed);
      status.conntrack = { state: 'running', reader: connections.reader, ...(connections.ctnetlinkUnavailable ? { ctnetlinkUnavailable: connections.ctnetlinkUnavailable } : {}) };
    } catch (e) {
      status.conntrack = { state: 'unavailable', reason: reasonOf(e) };
    }
  }
  log(JSON.stringify({ sensor: 'started', time: new Date().toISOString(), ...(o.node ? { node: o.node } : {}), sources: status, pods: pods.size }));

  const summary = (kind: 'summary' | 'stats'): SensorSummary => {
    proc.refreshKernelDrops();
    connections.refreshKernelDrops();
    const conn = connections.lost();
    const s = { ...status };
    if (s.process.state !== 'off') s.process = { ...s.process, ...proc.stats, execs: events.stats.execs, execGone: events.stats.execGone, execSuperseded: events.stats.execSuperseded, exits: events.stats.exits };
    if (s.conntrack.state !== 'off') s.conntrack = { ...s.conntrack, ...connections.stats, connections: events.stats.connections, elsewhere: events.stats.connectionsElsewhere };
    return {
      sensor: kind,
      time: new Date().toISOString(),
      ...(o.node ? { node: o.node } : {}),
      sources: s,
      pods: pods.size,
      processes: events.table.size,
      queue: { capacity: queue.capacity, length: queue.length, dropped: queue.dropped },
      // handed to the output and not refused by it
      emitted: written - sink.failedEvents,
      lost: {
        kernel: (proc.stats.kernelDrops ?? 0) + conn.kernel,
        overflows: proc.stats.overflows + conn.overflows,
        // the bounded queue, and the pipe from a ctnetlink reader in another namespace
        queue: queue.dropped + conn.relay,
        sink: sink.failedEvents + unsent,
      },
    };
  };

  // the writer: drains the queue into the sink in batches until stopped and empty — or, once stopping, until
  // the flush deadline (a receiver that is down must not hold a terminating pod past its grace period)
  let stopping = false;
  let flushUntil = Infinity;
  let unsent = 0;
  const writer = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (stopping) return;
        await queue.wait();
        continue;
      }
      if (Date.now() > flushUntil) {
        unsent += queue.take(queue.length).length;
        return;
      }
      const batch = queue.take(512);
      if (batch.length) {
        await sink.write(batch.map(encodeEvent));
        written += batch.length;
      }
    }
  })();

  const statsTimer = setInterval(() => log(JSON.stringify(summary('stats'))), o.statsIntervalMs ?? 60_000);
  statsTimer.unref();
  let onSignal!: () => void;
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const waits: Promise<void>[] = [signalled, sourceFailed];
  if (o.stopSignal) waits.push(o.stopSignal);
  let durationTimer: NodeJS.Timeout | undefined;
  if (o.durationMs !== undefined) waits.push(new Promise((resolve) => (durationTimer = setTimeout(resolve, o.durationMs))));
  await Promise.race(waits);

  clearTimeout(durationTimer);
  clearInterval(statsTimer);
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGINT', onSignal);
  o.pods?.stop();
  proc.refreshKernelDrops();
  proc.stop();
  await connections.stop();
  stopping = true;
  flushUntil = Date.now() + (o.flushTimeoutMs ?? 10_000);
  queue.wake();
  await writer;
  await sink.close();
  const final = summary('summary');
  log(JSON.stringify(final));
  return final;
}
