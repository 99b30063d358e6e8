/**
 * Incidents, not alerts: detections of one detector on one workload (and one detection key) that follow each
 * other with gaps shorter than `gapMs` are one incident, with a count, first and last seen, the nodes that saw it
 * and a bounded sample of evidence (the first events and the latest ones).
 *
 * An incident's `key` is stable across nodes and runs: a hash of the detector, the cluster, the workload (its
 * owner, or the pod, or the node for host processes) and the detection key — never of the node that saw it or
 * the time. Two nodes that see the same problem produce the same key, so a sink (or the central server) sends it
 * once. The incident's own `id` adds the first-seen time.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import type { RuntimeEvent, WorkloadIdentity } from '../../core/events/model.js';
import { BoundedMap } from '../../core/bounded-map.js';
import { workloadFromPodName } from '../../core/ref.js';

/** The workload of an incident, as the analyze JSON shows it. */
export interface IncidentWorkload {
  namespace?: string;
  /** The owning workload's name (a Deployment), else the pod's, else the node's for host processes. */
  name?: string;
  /** Deployment, DaemonSet, … when known; Pod for a bare pod; Node for host processes. */
  kind?: string;
  pod?: string;
  container?: string;
  cluster?: string;
  serviceAccount?: string;
}

export interface Detection {
  ruleId: string;
  severity: Severity;
  message: string;
  workload: WorkloadIdentity;
  key?: string;
  evidence: RuntimeEvent[];
  /** The time of the judged event. */
  ts: number;
  time: string;
}

export interface Incident {
  key: string;
  id: string;
  ruleId: string;
  severity: Severity;
  message: string;
  workload: IncidentWorkload;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Nodes that saw it (bounded). */
  nodes: string[];
  /** Pods and containers it was seen in (bounded), beyond the first in `workload`. */
  pods: string[];
  evidence: RuntimeEvent[];
  /** Set when the incident is decorated with posture context (context.ts). */
  context?: Record<string, unknown>;
  /** Ranking score: severity first, then posture context. */
  score: number;
  firstTs: number;
  lastTs: number;
}

export interface IncidentLimits {
  /** A gap longer than this between detections starts a new incident (ms). */
  gapMs: number;
  /** Evidence events kept per incident: half the first ones, half the latest. */
  evidence: number;
  /** Open incidents kept at once; beyond it the least recently active is closed early. */
  open: number;
  /** Distinct nodes / pods listed per incident. */
  list: number;
}

export const DEFAULT_INCIDENT_LIMITS: IncidentLimits = { gapMs: 10 * 60_000, evidence: 10, open: 100_000, list: 20 };

export function incidentWorkload(w: WorkloadIdentity): IncidentWorkload {
  const out: IncidentWorkload = {};
  if (w.cluster) out.cluster = w.cluster;
  if (w.host) {
    out.kind = 'Node';
    if (w.node) out.name = w.node;
    return out;
  }
  if (w.namespace) out.namespace = w.namespace;
  if (w.owner) {
    out.name = w.owner.name;
    if (w.owner.kind) out.kind = w.owner.kind;
  } else if (w.pod) {
    // the producer named no owner: derive it from the pod name as the adapters do (ReplicaSet, DaemonSet, StatefulSet)
    const owner = workloadFromPodName(w.pod);
    out.name = owner;
    if (owner === w.pod) out.kind = 'Pod';
  } else if (w.serviceAccount) {
    out.name = w.serviceAccount;
    out.kind = 'ServiceAccount';
  }
  if (w.pod) out.pod = w.pod;
  if (w.container) out.container = w.container;
  if (w.serviceAccount) out.serviceAccount = w.serviceAccount;
  return out;
}

/** The node-independent identity of what an incident is about. */
export function incidentKey(ruleId: string, w: IncidentWorkload, detectionKey: string | undefined): string {
  const parts = [ruleId, w.cluster ?? '', w.namespace ?? '', w.kind === 'Pod' || w.kind === 'Node' || w.kind === 'ServiceAccount' ? w.kind : 'Workload', w.name ?? '', detectionKey ?? ''];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export class IncidentBook {
  private readonly open: BoundedMap<string, Incident>;

  constructor(
    private readonly limits: IncidentLimits,
    private readonly onClose: (i: Incident) => void,
    private readonly onOpen?: (i: Incident) => void,
  ) {
    this.open = new BoundedMap(limits.open);
  }

  get openCount(): number {
    return this.open.size;
  }

  add(d: Detection): Incident {
    const workload = incidentWorkload(d.workload);
    const key = incidentKey(d.ruleId, workload, d.key);
    let inc = this.open.get(key);
    if (inc && d.ts - inc.lastTs > this.limits.gapMs) {
      this.open.delete(key);
      this.onClose(inc);
      inc = undefined;
    }
    if (!inc) {
      if (this.open.size >= this.limits.open) {
        // close the least recently active incident rather than lose it
        const [oldKey, oldest] = this.open.entries().next().value as [string, Incident];
        this.open.delete(oldKey);
        this.onClose(oldest);
      }
      inc = {
        key,
        id: `${key}-${d.ts}`,
        ruleId: d.ruleId,
        severity: d.severity,
        message: d.message,
        workload,
        count: 0,
        firstSeen: d.time,
        lastSeen: d.time,
        nodes: [],
        pods: [],
        evidence: [],
        score: 0,
        firstTs: d.ts,
        lastTs: d.ts,
      };
      this.open.set(key, inc);
      this.record(inc, d);
      this.onOpen?.(inc);
      return inc;
    }
    this.record(inc, d);
    return inc;
  }

  private record(inc: Incident, d: Detection): void {
    inc.count++;
    if (severityRank(d.severity) > severityRank(inc.severity)) {
      inc.severity = d.severity;
      inc.message = d.message;
    }
    if (d.ts < inc.firstTs) {
      inc.firstTs = d.ts;
      inc.firstSeen = d.time;
    }
    if (d.ts >= inc.lastTs) {
      inc.lastTs = d.ts;
      inc.lastSeen = d.time;
    }
    const node = d.workload.node;
    if (node && inc.nodes.length < this.limits.list && !inc.nodes.includes(node)) inc.nodes.push(node);
    const pod = d.workload.pod;
    if (pod && pod !== inc.workload.pod && inc.pods.length < this.limits.list && !inc.pods.includes(pod)) inc.pods.push(pod);
    const half = Math.ceil(this.limits.evidence / 2);
    for (const e of d.evidence) {
      if (inc.evidence.includes(e)) continue;
      // keep the first half, slide the latest through the second
      if (inc.evidence.length >= this.limits.evidence) inc.evidence.splice(half, 1);
      inc.evidence.push(e);
    }
  }

  /** Closes incidents idle for longer than the gap at time `now` (an event time). */
  closeIdle(now: number): void {
    // least recently active first: stop at the first one still active (one that a late event refreshed out of
    // order waits for the next sweep; `add` judges the gap itself, so grouping does not depend on the sweep)
    const idle: [string, Incident][] = [];
    for (const entry of this.open.entries()) {
      if (now - entry[1].lastTs <= this.limits.gapMs) break;
      idle.push(entry);
    }
    for (const [key, inc] of idle) {
      this.open.delete(key);
      this.onClose(inc);
    }
  }

  closeAll(): void {
    for (const [key, inc] of [...this.open.entries()]) {
      this.open.delete(key);
      this.onClose(inc);
    }
  }
}
