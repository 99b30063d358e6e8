import { defineDetector } from '../../../core/detector.js';
import type { NetEndpoint, NetworkEvent, RuntimeEvent, WorkloadIdentity } from '../../../core/events/model.js';
import { isNetworkEvent } from '../../../core/events/model.js';
import { DistinctCounter } from '../../../analysis/runtime/state.js';
import { workloadFromPodName } from '../../../core/ref.js';

interface Options extends Record<string, unknown> {
  windowMs: number;
  /** Distinct ports of one host that make a port scan. */
  ports: number;
  /** Distinct hosts on one port that make a sweep. */
  hosts: number;
  /** Sources or targets tracked at once. */
  capacity: number;
}

/** Who initiated a network event, seen from the event: the workload for an outgoing one, the peer for an incoming one. */
function initiator(e: NetworkEvent): { key: string; workload?: WorkloadIdentity; peer: NetEndpoint; target: NetEndpoint } | undefined {
  const n = e.network;
  if (n.reply) return undefined;
  const incoming = e.kind === 'network.accept' || n.direction === 'ingress';
  const src = n.src;
  const target = n.dst;
  if (!target.ip || target.port === undefined) return undefined;
  if (incoming) {
    // the scanner is the peer: a pod when the producer knows it, else its address
    const key = src.pod && src.namespace ? `pod:${src.namespace}/${src.workload ?? workloadFromPodName(src.pod)}` : src.ip ? `ip:${src.ip}` : undefined;
    if (!key) return undefined;
    const workload = src.pod && src.namespace ? { namespace: src.namespace, pod: src.pod, ...(src.workload ? { owner: { name: src.workload } } : {}) } : undefined;
    return { key, workload, peer: src, target };
  }
  const w = e.workload;
  const key = w.pod ? `pod:${w.namespace ?? ''}/${w.owner?.name ?? workloadFromPodName(w.pod)}` : w.host ? `node:${w.node ?? src.ip ?? ''}` : src.ip ? `ip:${src.ip}` : undefined;
  return key ? { key, workload: w, peer: src, target } : undefined;
}

/**
 * The windowed detection Falco cannot express (falcosecurity/rules#196): one source touching many distinct ports of
 * one host (a port scan), or one port on many hosts (a sweep), within a window. Connections, accepted connections
 * and flows all count, dropped ones included — scans are mostly refused. A sweep counts only hosts outside the
 * cluster, refused or dropped attempts, and hosts the source's locked baseline lacks, so that a monitoring system
 * scraping every node on one port is not a sweep.
 */
export default defineDetector<Options>({
  id: 'runtime-port-scan',
  title: 'Port scan or network sweep',
  description:
    'One source connected to many distinct ports of one host (a port scan) or to one port on many hosts (a sweep) ' +
    'within a short window. Scanning is how an intruder in a pod maps what it can reach next.',
  category: 'runtime',
  severity: 'high',
  events: ['network.connect', 'network.accept', 'network.flow'],
  messages: {
    scan: '{{source}} touched {{count}} ports of {{host}} within {{window}} s (ports {{sample}}…)',
    sweep: '{{source}} touched port {{port}}/{{protocol}} on {{count}} hosts within {{window}} s ({{sample}}…)',
  },
  remediation:
    'Find the process behind the source (the evidence has it when the producer saw it); isolate the pod with a ' +
    'NetworkPolicy (kubeguard quarantine) and limit its egress to the peers it needs.',
  references: ['https://attack.mitre.org/techniques/T1046/'],
  compliance: { mitre: ['T1046'] },
  state: 'per source and host, the distinct ports seen within `windowMs`; per source and port, the distinct hosts; at most `capacity` of each',
  defaultOptions: { windowMs: 60_000, ports: 25, hosts: 32, capacity: 100_000 },
  optionsSchema: {
    type: 'object',
    properties: { windowMs: { type: 'integer', minimum: 1 }, ports: { type: 'integer', minimum: 2 }, hosts: { type: 'integer', minimum: 2 }, capacity: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
  create(options) {
    const scans = new DistinctCounter(options.windowMs, options.ports, options.capacity);
    const sweeps = new DistinctCounter(options.windowMs, options.hosts, options.capacity);
    const seconds = Math.round(options.windowMs / 1000);
    return (ctx, e: RuntimeEvent) => {
      if (!isNetworkEvent(e)) return;
      const who = initiator(e);
      if (!who) return;
      const { key, target } = who;
      const source = who.workload?.pod ? `${who.workload.namespace ?? '?'}/${who.workload.owner?.name ?? workloadFromPodName(who.workload.pod)}` : who.peer.ip ?? key;
      const report = who.workload ? { workload: who.workload } : {};
      const scanKey = `${key}|${target.ip}`;
      if (scans.add(scanKey, `${e.network.protocol}/${target.port}`, e.ts)) {
        const sample = scans.values(scanKey).slice(0, 10).join(', ');
        ctx.report({ messageId: 'scan', data: { source, host: target.ip!, count: options.ports, window: seconds, sample }, key: `scan|${key}|${target.ip}`, ...report });
      }
      const external = !ctx.isClusterAddress(target.ip!);
      const refused = e.kind === 'network.flow' && e.network.verdict !== undefined && e.network.verdict !== 'FORWARDED';
      const unknownPeer = who.workload && !external && !refused ? ctx.baseline(who.workload)?.hasPeer(target.ip!, target.port, e.network.protocol) === false : false;
      if (!external && !refused && !unknownPeer) return;
      const sweepKey = `${key}|${e.network.protocol}/${target.port}`;
      if (sweeps.add(sweepKey, target.ip!, e.ts)) {
        const sample = sweeps.values(sweepKey).slice(0, 5).join(', ');
        ctx.report({ messageId: 'sweep', data: { source, port: target.port!, protocol: e.network.protocol, count: options.hosts, window: seconds, sample }, key: `sweep|${key}|${target.port}`, ...report });
      }
    };
  },
});
