/**
 * Runtime baselines: what each workload's containers normally do — processes (with their arguments' shape), network
 * peers and ports, DNS names, HTTP methods and paths — learnt from events, then locked. A locked baseline answers
 * "is this known?" for the detectors (core BaselineView); what it lacks is a deviation.
 *
 * The model is plain data in a fixed order, so its file (sources/events/baseline-file.ts) reads well and diffs
 * line by line. Learning is bounded: past `limits.perKind` entries of one kind, a container's entries collapse to a
 * wildcard (`binary *`, `*:443/TCP`), which is recorded, never silently dropped.
 */
import type { BaselineView } from '../../core/detector.js';
import type { ProcessInfo, RuntimeEvent, WorkloadIdentity } from '../../core/events/model.js';
import { isNetworkEvent } from '../../core/events/model.js';
import { workloadFromPodName } from '../../core/ref.js';
import { AddressSet, isIpAddress } from './networks.js';

export const BASELINE_API_VERSION = 'kubeguard.io/v1';

export interface ContainerBaseline {
  processes: string[];
  /** Peers this container connects to: `host:port/PROTO`; host is a DNS name, `namespace/workload`, an IP or a CIDR; `*` is any. */
  egress: string[];
  /** Peers that connect to it, in the same form (the port is the container's). */
  ingress: string[];
  dns: string[];
  /** `METHOD /path`, with `*` for variable path segments. */
  http: string[];
}

export interface WorkloadBaseline {
  namespace: string;
  /** The owning workload's name (a Deployment's), or the pod's. */
  workload: string;
  kind?: string;
  /** Per-workload lock, overriding the file's. */
  locked?: boolean;
  containers: Record<string, ContainerBaseline>;
}

export interface Baseline {
  apiVersion: typeof BASELINE_API_VERSION;
  kind: 'RuntimeBaseline';
  locked: boolean;
  learned: { from?: string; until?: string; events: number };
  lockedAt?: string;
  workloads: WorkloadBaseline[];
}

export interface BaselineLimits {
  /** Entries of one kind per container before they collapse to a wildcard. */
  perKind: number;
  /** Distinct argument shapes of one binary before it is recorded as `binary *`. */
  shapesPerBinary: number;
  /** Workloads learnt at once. */
  workloads: number;
}

export const DEFAULT_BASELINE_LIMITS: BaselineLimits = { perKind: 256, shapesPerBinary: 8, workloads: 20_000 };

export function emptyBaseline(): Baseline {
  return { apiVersion: BASELINE_API_VERSION, kind: 'RuntimeBaseline', locked: false, learned: { events: 0 }, workloads: [] };
}

/** The workload key of an identity: `namespace/owner` (owner derived from the pod name when not given); host processes have none. */
export function workloadKey(w: WorkloadIdentity): string | undefined {
  if (w.host) return undefined;
  const name = w.owner?.name ?? (w.pod ? workloadFromPodName(w.pod) : undefined);
  return name && w.namespace ? `${w.namespace}/${name}` : undefined;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const ID = /^(?:[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** An argument with its variable part replaced: numbers, ids, addresses. Flags and words stay, as they define behaviour. */
function argShape(a: string): string {
  if (NUMBER.test(a)) return '<n>';
  if (ID.test(a)) return '<id>';
  if (isIpAddress(a)) return '<ip>';
  const eq = a.indexOf('=');
  if (a.startsWith('-') && eq > 0) return `${a.slice(0, eq + 1)}${argShape(a.slice(eq + 1))}`;
  return a.length > 64 ? '<long>' : a;
}

/** `binary arg-shapes…` (a process as the baseline records it). */
export function processShape(p: ProcessInfo): string {
  const bin = p.binary ?? p.name;
  return p.args.length ? `${bin} ${p.args.slice(0, 16).map(argShape).join(' ')}` : bin;
}

function httpShape(method: string, url: string): string {
  let path = url;
  try {
    path = new URL(url, 'http://x').pathname;
  } catch {
    /* keep as given */
  }
  const segs = path.split('/').map((s) => (NUMBER.test(s) || ID.test(s) ? '*' : s));
  return `${method.toUpperCase()} ${segs.join('/') || '/'}`;
}

/** A network peer in baseline form: a DNS name, a pod's workload, or the address. */
function peerOf(ep: { ip?: string; namespace?: string; pod?: string; workload?: string; names?: string[] }): string | undefined {
  if (ep.names?.length) return ep.names[0].toLowerCase().replace(/\.$/, '');
  if (ep.namespace && (ep.workload || ep.pod)) return `${ep.namespace}/${ep.workload ?? workloadFromPodName(ep.pod!)}`;
  return ep.ip;
}

/** What an egress/ingress entry names: a workload of the cluster, or another peer (a DNS name, an address, a CIDR, `*`). */
export type BaselinePeer = { workload: { namespace: string; name: string }; port: string; protocol: string } | { other: string; port: string; protocol: string };

/** Reads an egress/ingress entry (`peer:port/PROTO`, as the learner writes it); undefined when it is not one. */
export function parsePeerEntry(entry: string): BaselinePeer | undefined {
  const m = /^(.+):(\*|\d+)\/(\w+)$/.exec(entry);
  if (!m) return undefined;
  const [, host, port, protocol] = m;
  const slash = host.indexOf('/');
  // namespace/workload (what peerOf writes for a pod of the cluster), never an address range
  if (slash > 0 && slash === host.lastIndexOf('/') && !isIpAddress(host.slice(0, slash)) && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host.slice(0, slash))) {
    return { workload: { namespace: host.slice(0, slash), name: host.slice(slash + 1) }, port, protocol };
  }
  return { other: host, port, protocol };
}

function emptyContainer(): ContainerBaseline {
  return { processes: [], egress: [], ingress: [], dns: [], http: [] };
}

/** Learns a baseline from events; `finish` returns it sorted. Bounded by `limits`. */
export class BaselineLearner {
  private readonly workloads = new Map<string, { w: WorkloadBaseline; sets: Map<string, Record<keyof ContainerBaseline, Set<string>>>; shapes: Map<string, Set<string>> }>();
  private events = 0;
  private from = Infinity;
  private until = -Infinity;
  private fromText?: string;
  private untilText?: string;
  /** Workloads not learnt because the limit was reached. */
  dropped = 0;

  constructor(private readonly limits: BaselineLimits = DEFAULT_BASELINE_LIMITS) {}

  private container(w: WorkloadIdentity): Record<keyof ContainerBaseline, Set<string>> | undefined {
    const key = workloadKey(w);
    if (!key) return undefined;
    let entry = this.workloads.get(key);
    if (!entry) {
      if (this.workloads.size >= this.limits.workloads) {
        this.dropped++;
        return undefined;
      }
      const [namespace, ...rest] = key.split('/');
      entry = { w: { namespace, workload: rest.join('/'), ...(w.owner?.kind ? { kind: w.owner.kind } : {}), containers: {} }, sets: new Map(), shapes: new Map() };
      this.workloads.set(key, entry);
    }
    const name = w.container ?? '*';
    let sets = entry.sets.get(name);
    if (!sets) {
      sets = { processes: new Set(), egress: new Set(), ingress: new Set(), dns: new Set(), http: new Set() };
      entry.sets.set(name, sets);
    }
    return sets;
  }

  private add(set: Set<string>, value: string, wildcard: string): void {
    if (set.has(value) || set.has(wildcard)) return;
    if (set.size >= this.limits.perKind) {
      set.clear();
      set.add(wildcard);
      return;
    }
    set.add(value);
  }

  learn(e: RuntimeEvent): void {
    this.events++;
    if (e.ts < this.from) [this.from, this.fromText] = [e.ts, e.time];
    if (e.ts > this.until) [this.until, this.untilText] = [e.ts, e.time];
    const sets = this.container(e.workload);
    if (!sets) return;
    if (e.kind === 'process.exec') {
      const p = e.process;
      const bin = p.binary ?? p.name;
      if (sets.processes.has(`${bin} *`)) return;
      const entry = this.workloads.get(workloadKey(e.workload)!)!;
      const shapeKey = `${e.workload.container ?? '*'}|${bin}`;
      let shapes = entry.shapes.get(shapeKey);
      if (!shapes) entry.shapes.set(shapeKey, (shapes = new Set()));
      const shape = processShape(p);
      shapes.add(shape);
      if (shapes.size > this.limits.shapesPerBinary) {
        for (const s of shapes) sets.processes.delete(s);
        sets.processes.add(`${bin} *`);
        return;
      }
      this.add(sets.processes, shape, '*');
      return;
    }
    if (!isNetworkEvent(e)) return;
    const n = e.network;
    if (n.reply) return;
    if (n.dns) {
      if (!n.dns.response) this.add(sets.dns, n.dns.query.toLowerCase().replace(/\.$/, ''), '*');
      return;
    }
    if (n.http) {
      if (!n.http.response && n.http.method && n.http.url) this.add(sets.http, httpShape(n.http.method, n.http.url), '*');
    }
    const incoming = e.kind === 'network.accept' || n.direction === 'ingress';
    const peer = peerOf(incoming ? n.src : n.dst);
    const port = (incoming ? n.dst : n.dst).port;
    if (!peer || port === undefined) return;
    this.add(incoming ? sets.ingress : sets.egress, `${peer}:${port}/${n.protocol}`, `*:${port}/${n.protocol}`);
  }

  finish(locked = false): Baseline {
    const workloads: WorkloadBaseline[] = [];
    for (const { w, sets } of [...this.workloads.values()].sort((a, b) => `${a.w.namespace}/${a.w.workload}`.localeCompare(`${b.w.namespace}/${b.w.workload}`))) {
      const containers: Record<string, ContainerBaseline> = {};
      for (const name of [...sets.keys()].sort()) {
        const s = sets.get(name)!;
        const c = emptyContainer();
        for (const k of Object.keys(c) as (keyof ContainerBaseline)[]) c[k] = [...s[k]].sort();
        containers[name] = c;
      }
      workloads.push({ ...w, containers });
    }
    return {
      apiVersion: BASELINE_API_VERSION,
      kind: 'RuntimeBaseline',
      locked,
      learned: { ...(this.fromText ? { from: this.fromText } : {}), ...(this.untilText ? { until: this.untilText } : {}), events: this.events },
      workloads,
    };
  }
}

/** Merges baselines (a new learning into an existing file): union of every list, locks kept. */
export function mergeBaselines(a: Baseline, b: Baseline): Baseline {
  const map = new Map<string, WorkloadBaseline>();
  for (const w of [...a.workloads, ...b.workloads]) {
    const key = `${w.namespace}/${w.workload}`;
    const prev = map.get(key);
    if (!prev) {
      map.set(key, structuredClone(w));
      continue;
    }
    for (const [name, c] of Object.entries(w.containers)) {
      const p = (prev.containers[name] ??= emptyContainer());
      for (const k of Object.keys(p) as (keyof ContainerBaseline)[]) p[k] = [...new Set([...p[k], ...c[k]])].sort();
    }
    if (w.locked !== undefined) prev.locked = w.locked;
  }
  const times = [a.learned.from, b.learned.from].filter(Boolean).sort();
  const ends = [a.learned.until, b.learned.until].filter(Boolean).sort();
  return {
    ...a,
    learned: { ...(times[0] ? { from: times[0] } : {}), ...(ends.length ? { until: ends[ends.length - 1] } : {}), events: a.learned.events + b.learned.events },
    workloads: [...map.values()].sort((x, y) => `${x.namespace}/${x.workload}`.localeCompare(`${y.namespace}/${y.workload}`)),
  };
}

class ContainerView implements BaselineView {
  private readonly processes: Set<string>;
  private readonly binaries = new Set<string>();
  private readonly peers: Set<string>;
  private readonly cidrs: { set: AddressSet; port: string }[] = [];
  private readonly dns: Set<string>;
  private readonly http: string[];
  private readonly any: boolean;

  constructor(c: ContainerBaseline) {
    this.processes = new Set(c.processes);
    this.any = this.processes.has('*');
    for (const p of c.processes) if (p.endsWith(' *')) this.binaries.add(p.slice(0, -2));
    this.peers = new Set([...c.egress, ...c.ingress]);
    for (const p of this.peers) {
      const m = /^(.+\/\d+):(\*|\d+)\/(\w+)$/.exec(p);
      if (!m) continue;
      try {
        this.cidrs.push({ set: new AddressSet([m[1]]), port: `${m[2]}/${m[3]}` });
      } catch {
        /* not a CIDR */
      }
    }
    this.dns = new Set(c.dns);
    this.http = c.http;
  }

  hasProcess(p: ProcessInfo): boolean {
    const bin = p.binary ?? p.name;
    return this.any || this.binaries.has(bin) || this.processes.has(processShape(p));
  }

  hasPeer(peer: string, port: number | undefined, protocol: string): boolean {
    const host = peer.toLowerCase().replace(/\.$/, '');
    const p = port === undefined ? '*' : String(port);
    if (this.peers.has(`${host}:${p}/${protocol}`) || this.peers.has(`${host}:*/${protocol}`) || this.peers.has(`*:${p}/${protocol}`)) return true;
    return isIpAddress(host) && this.cidrs.some((c) => (c.port === `${p}/${protocol}` || c.port === `*/${protocol}`) && c.set.has(host));
  }

  hasDns(name: string): boolean {
    const n = name.toLowerCase().replace(/\.$/, '');
    return this.dns.has('*') || this.dns.has(n);
  }

  hasHttp(method: string, path: string): boolean {
    if (this.http.includes('*')) return true;
    const shape = httpShape(method, path);
    return this.http.some((h) => h === shape || (h.endsWith('/*') && shape.startsWith(h.slice(0, -1))));
  }
}

/** Lookup of locked baselines by workload and container: what the detectors' context asks. */
export class BaselineIndex {
  private readonly views = new Map<string, ContainerView | null>();
  private readonly locked = new Map<string, WorkloadBaseline>();

  constructor(baseline: Baseline) {
    for (const w of baseline.workloads) if (w.locked ?? baseline.locked) this.locked.set(`${w.namespace}/${w.workload}`, w);
  }

  get size(): number {
    return this.locked.size;
  }

  /** The view for an event's workload and container; undefined when that workload has no locked baseline. */
  view(w: WorkloadIdentity): BaselineView | undefined {
    const key = workloadKey(w);
    if (!key) return undefined;
    const container = w.container ?? '*';
    const cacheKey = `${key}|${container}`;
    const cached = this.views.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const wb = this.locked.get(key);
    const c = wb ? (wb.containers[container] ?? wb.containers['*'] ?? emptyContainer()) : undefined;
    const view = c ? new ContainerView(c) : null;
    this.views.set(cacheKey, view);
    return view ?? undefined;
  }
}
