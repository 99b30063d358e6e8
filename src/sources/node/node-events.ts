/**
 * Turns what the node sources report (process connector records, conntrack lines) into runtime events
 * (src/core/events) with the workload each belongs to: a process by its cgroup (cgroup.ts) and the pods of this
 * node (pods.ts); a connection by the pod behind each address. Processes are read from /proc the moment their
 * exec is reported; one that is gone by then is counted, not guessed at. A fork hands the parent's identity to
 * the child, so a process's exit is still attributed after the process is gone.
 */
import { constants } from 'node:os';
import { baseName } from '../../core/events/index.js';
import type { NetEndpoint, NetworkInfo, Protocol, ProcessInfo, RuntimeEvent, WorkloadIdentity } from '../../core/events/index.js';
import { containerOfCgroupFile } from './cgroup.js';
import type { CgroupContainer } from './cgroup.js';
import type { ConntrackEvent } from './conntrack-line.js';
import type { UpperLayerCheck } from './drift.js';
import type { PodContainer, PodIndex } from './pods.js';
import type { ProcEvent } from './proc-events.js';
import type { ProcReader, ProcessFacts } from './procfs.js';
import { ProcessTable, processInfoOf } from './process-table.js';
import type { KnownProcess } from './process-table.js';

export interface NodeEventsOptions {
  pods: PodIndex;
  reader: ProcReader;
  upper?: UpperLayerCheck;
  node?: string;
  cluster?: string;
  /** Emit events of the node's own processes (default true). */
  hostProcesses?: boolean;
  /** Addresses of the node itself (a connection from one is the host's). */
  nodeAddresses?: ReadonlySet<string>;
  /** CLOCK_REALTIME − CLOCK_MONOTONIC in ns: turns the connector's timestamps into wall time. */
  monoToWallNs: bigint;
  tableCapacity?: number;
  /** Finds who listens where in one pod (listeners.ts); called when an accepted connection's listener is unknown or gone, at most once a second per pod. */
  findListeners?: (events: NodeEvents, pod: string) => Map<string, Map<number, KnownProcess>>;
}

export interface NodeEventsStats {
  execs: number;
  /** Execs whose process had ended before /proc could be read. */
  execGone: number;
  /** Execs followed by another exec of the same process before they could be read (what /proc shows is the later one). */
  execSuperseded: number;
  exits: number;
  connections: number;
  /** Connections between addresses that are neither a pod of this node nor the node. */
  connectionsElsewhere: number;
}

const PROTOCOLS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', icmp: 'ICMP', icmpv6: 'ICMPv6', ipv6: 'OTHER' };
const SIGNALS = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));
const ORIGIN = { source: 'kubeguard-sensor' } as const;

/** RFC 3339 with nanoseconds, from nanoseconds since the epoch. */
export function rfc3339Nanos(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

export class NodeEvents {
  readonly table: ProcessTable;
  readonly stats: NodeEventsStats = { execs: 0, execGone: 0, execSuperseded: 0, exits: 0, connections: 0, connectionsElsewhere: 0 };
  /** pod key → port → the process listening there. */
  private listeners = new Map<string, Map<number, KnownProcess>>();
  private readonly hostProcesses: boolean;

  constructor(private readonly o: NodeEventsOptions) {
    this.table = new ProcessTable(o.tableCapacity);
    this.hostProcesses = o.hostProcesses ?? true;
  }

  /** Learns the processes already running (the process tree), emitting nothing. */
  seed(): number {
    let n = 0;
    for (const pid of this.o.reader.pids()) {
      const facts = this.o.reader.read(pid);
      if (facts.gone) continue;
      this.table.set(this.known(facts, false));
      n++;
    }
    return n;
  }

  /** The workload of a process, from its cgroup and the pods of this node as they are now. */
  workloadOf(p: Pick<KnownProcess, 'cgroup'>): WorkloadIdentity {
    const c = p.cgroup;
    if (!c) return this.host();
    const byContainer = c.containerId ? this.o.pods.container(c.containerId) : undefined;
    if (byContainer) return this.identity(byContainer);
    const byPod = c.podUid ? this.o.pods.podByUid(c.podUid) : undefined;
    const w: WorkloadIdentity = byPod ? this.identity(byPod) : this.base();
    if (c.containerId) w.containerId = c.runtime ? `${c.runtime}://${c.containerId}` : c.containerId;
    if (!byPod && c.podUid) w.podUid = c.podUid;
    return w;
  }

  onProcEvents(events: readonly ProcEvent[], emit: (e: RuntimeEvent) => void): void {
    // /proc shows a process as it is now: of two execs of one pid in a batch only the last can be read truly
    let lastExec: Map<number, number> | undefined;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.what === 'exec') (lastExec ??= new Map()).set(e.pid, i);
    }
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.what === 'exec' && lastExec!.get(e.pid) !== i) {
        this.stats.execs++;
        this.stats.execSuperseded++;
        continue;
      }
      if (e.what === 'fork') {
        const parent = this.table.get(e.parentTgid);
        if (parent) this.table.set({ ...parent, pid: e.childPid, ppid: e.parentTgid, read: false });
      } else if (e.what === 'exec') {
        this.stats.execs++;
        const facts = this.o.reader.read(e.pid, { hostDetail: this.hostProcesses });
        const forked = this.table.get(e.pid);
        if (facts.gone || (facts.cgroup !== undefined && !containerOfCgroupFile(facts.cgroup) && !this.hostProcesses)) {
          // a host process whose events are not wanted: remembered (a container's parent may be one), not emitted
          if (!facts.gone) this.table.set(this.known(facts, true));
          else {
            this.stats.execGone++;
            this.table.delete(e.pid);
          }
          continue;
        }
        if (!facts.argv && !facts.exe) {
          // ended before anything of the new program could be read: counted, not guessed at
          this.stats.execGone++;
          this.table.delete(e.pid);
          continue;
        }
        // a process that ended between reads keeps what its fork inherited (cgroup, parent)
        if (facts.ppid === undefined && forked?.ppid !== undefined) facts.ppid = forked.ppid;
        const p = this.known(facts, true, facts.cgroup === undefined ? forked?.cgroup : undefined);
        this.table.set(p);
        const workload = this.workloadOf(p);
        if (workload.host && !this.hostProcesses) continue;
        const process = processInfoOf(p);
        const parent = facts.ppid !== undefined ? this.table.get(facts.ppid) : undefined;
        if (facts.ppid !== undefined) process.parent = parent ? { pid: parent.pid, name: parent.name, ...(parent.binary ? { binary: parent.binary } : {}) } : { pid: facts.ppid };
        emit({ kind: 'process.exec', time: this.wallTime(e.monoNs), ts: 0, workload, process, origin: ORIGIN });
      } else {
        const p = this.table.delete(e.pid);
        if (!p?.read) continue; // a fork that never exec'd, or a process we never knew
        this.stats.exits++;
        const workload = this.workloadOf(p);
        if (workload.host && !this.hostProcesses) continue;
        const process: ProcessInfo = processInfoOf(p);
        const status = e.exitCode;
        if ((status & 0x7f) === 0) process.exitCode = (status >> 8) & 0xff;
        else process.signal = SIGNALS.get(status & 0x7f) ?? String(status & 0x7f);
        emit({ kind: 'process.exit', time: this.wallTime(e.monoNs), ts: 0, workload, process, origin: ORIGIN });
      }
    }
  }

  onConntrack(e: ConntrackEvent, emit: (e: RuntimeEvent) => void): void {
    if (e.type !== 'NEW') return;
    this.stats.connections++;
    const srcPod = this.o.pods.podByIp(e.src);
    const dstPod = this.o.pods.podByIp(e.dst);
    const srcHost = !srcPod && (this.o.nodeAddresses?.has(e.src) ?? false);
    if (!srcPod && !dstPod && !srcHost) {
      this.stats.connectionsElsewhere++;
      return;
    }
    const time = Number.isFinite(e.time) ? rfc3339Nanos(BigInt(Math.round(e.time * 1e6)) * 1000n) : rfc3339Nanos(BigInt(Date.now()) * 1_000_000n);
    const network = (direction: 'egress' | 'ingress'): NetworkInfo => ({
      protocol: PROTOCOLS[e.proto] ?? 'OTHER',
      src: endpoint(e.src, e.sport, srcPod),
      dst: endpoint(e.dst, e.dport, dstPod),
      direction,
    });
    if (srcPod || (srcHost && this.hostProcesses)) {
      emit({ kind: 'network.connect', time, ts: 0, workload: srcPod ? this.identity(srcPod) : this.host(), network: network('egress'), origin: ORIGIN });
    }
    if (dstPod) {
      const listener = e.dport !== undefined ? this.listenerOf(dstPod, e.dport) : undefined;
      const ev: RuntimeEvent = { kind: 'network.accept', time, ts: 0, workload: listener ? this.workloadOf(listener) : this.identity(dstPod), network: network('ingress'), origin: ORIGIN };
      if (listener) ev.process = processInfoOf(listener);
      emit(ev);
    }
  }

  private readonly listenersAt = new Map<string, number>();

  private listenerOf(pod: PodContainer, port: number): KnownProcess | undefined {
    const key = podKey(pod);
    const known = this.listeners.get(key)?.get(port);
    // still running (an exit removes a process from the table), or looked for less than a second ago
    if ((known && this.table.get(known.pid) === known) || !this.o.findListeners || Date.now() - (this.listenersAt.get(key) ?? 0) < 1000) return known;
    if (this.listenersAt.size > 4 * this.table.capacity) this.listenersAt.clear();
    this.listenersAt.set(key, Date.now());
    const found = this.o.findListeners(this, key).get(key);
    if (found) this.listeners.set(key, found);
    else this.listeners.delete(key);
    return found?.get(port);
  }

  private known(facts: ProcessFacts, read: boolean, inherited?: CgroupContainer): KnownProcess {
    const argv = facts.argv ?? [];
    const binary = facts.exe;
    const name = binary ? baseName(binary) : argv[0] ? baseName(argv[0]) : (facts.comm ?? String(facts.pid));
    const cgroup: CgroupContainer | undefined = facts.cgroup !== undefined ? containerOfCgroupFile(facts.cgroup) : inherited;
    const p: KnownProcess = { pid: facts.pid, name, args: argv.slice(1), read, cgroup };
    if (facts.ppid !== undefined) p.ppid = facts.ppid;
    if (binary) p.binary = binary;
    if (facts.uid !== undefined) p.uid = facts.uid;
    if (facts.tty) p.tty = true;
    if (facts.exeDeleted || binary?.startsWith('/memfd:')) p.exeMemory = true;
    // drift: only a container's executables can be in an image's upper layer
    if (read && cgroup?.containerId && binary && !p.exeMemory && this.o.upper) {
      const upper = this.o.upper.exeInUpperLayer(facts.pid, binary);
      if (upper !== undefined) p.exeUpperLayer = upper;
    }
    return p;
  }

  private wallTime(monoNs: bigint): string {
    return rfc3339Nanos(monoNs + this.o.monoToWallNs);
  }

  private base(): WorkloadIdentity {
    const w: WorkloadIdentity = {};
    if (this.o.cluster) w.cluster = this.o.cluster;
    if (this.o.node) w.node = this.o.node;
    return w;
  }

  private host(): WorkloadIdentity {
    return { ...this.base(), host: true };
  }

  private identity(c: PodContainer): WorkloadIdentity {
    const w = this.base();
    w.namespace = c.namespace;
    w.pod = c.pod;
    if (c.podUid) w.podUid = c.podUid;
    if (c.node) w.node = c.node;
    if (c.owner) w.owner = c.owner;
    if (c.serviceAccount) w.serviceAccount = c.serviceAccount;
    if (c.container) w.container = c.container;
    if (c.containerId) w.containerId = c.containerId;
    if (c.image) w.image = c.image;
    if (c.imageDigest) w.imageDigest = c.imageDigest;
    if (c.labels) w.labels = c.labels;
    return w;
  }
}

export function podKey(c: { namespace: string; pod: string }): string {
  return `${c.namespace}/${c.pod}`;
}

function endpoint(ip: string, port: number | undefined, pod: PodContainer | undefined): NetEndpoint {
  const ep: NetEndpoint = { ip };
  if (port !== undefined) ep.port = port;
  if (pod) {
    ep.namespace = pod.namespace;
    ep.pod = pod.pod;
    if (pod.owner) ep.workload = pod.owner.name;
  }
  return ep;
}
