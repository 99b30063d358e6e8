/**
 * Simulation: which observed flows a candidate policy set would block — the check to run before enforcing.
 */
import type { NetCluster } from './cluster.js';
import { evaluatePair, type EvalOptions } from './evaluate.js';
import { resolveFlowEndpoint, withFlowNamespaces } from './flow-endpoints.js';
import { dedupeFlows, flowKey, type Flow } from './flows.js';

export interface SimulatedFlow {
  flow: string;
  count: number;
  allowed: boolean;
  /** Which side blocks: the source's egress, the destination's ingress, or both. */
  blockedBy?: ('egress' | 'ingress')[];
  ingress: { isolated: boolean; allowedBy: string[] };
  egress: { isolated: boolean; allowedBy: string[] };
  /** Endpoints not found in the resource set (evaluated with the flow's own labels). */
  unknownEndpoints: string[];
  /** Hubble verdicts seen for this flow (FORWARDED, DROPPED, …), when the input had them. */
  observed?: string[];
}

export interface SimulationReport {
  flows: SimulatedFlow[];
  summary: { flows: number; allowed: number; blocked: number };
}

export function simulate(flows: readonly Flow[], base: NetCluster, opts: EvalOptions = {}): SimulationReport {
  const cluster = withFlowNamespaces(base, flows);
  const index = new Map(cluster.pods.map((p) => [p.key, p]));
  const out: SimulatedFlow[] = [];
  const verdicts = new Map<string, Set<string>>();
  for (const f of flows) if (f.verdict) (verdicts.get(flowKey(f)) ?? verdicts.set(flowKey(f), new Set()).get(flowKey(f))!).add(f.verdict);
  for (const { flow, count } of dedupeFlows(flows)) {
    const s = resolveFlowEndpoint(cluster, flow.src, index);
    const d = resolveFlowEndpoint(cluster, flow.dst, index);
    const v = evaluatePair(cluster, s.endpoint, d.endpoint, opts);
    const inOk = v.ingress.conns.has(flow.protocol, flow.port);
    const egOk = v.egress.conns.has(flow.protocol, flow.port);
    const by = (d2: typeof v.ingress) => d2.contributions.filter((c) => c.conns.has(flow.protocol, flow.port)).map((c) => c.policy);
    const blockedBy: ('egress' | 'ingress')[] = [];
    if (!egOk) blockedBy.push('egress');
    if (!inOk) blockedBy.push('ingress');
    out.push({
      flow: flowKey(flow),
      count,
      allowed: inOk && egOk,
      ...(blockedBy.length ? { blockedBy } : {}),
      ingress: { isolated: v.ingress.isolated, allowedBy: by(v.ingress) },
      egress: { isolated: v.egress.isolated, allowedBy: by(v.egress) },
      unknownEndpoints: [s, d].filter((x) => !x.known).map((x) => (x.endpoint.type === 'pod' ? x.endpoint.pod.key : x.endpoint.text)),
      ...(verdicts.get(flowKey(flow))?.size ? { observed: [...verdicts.get(flowKey(flow))!].sort() } : {}),
    });
  }
  const blocked = out.filter((f) => !f.allowed).length;
  return { flows: out, summary: { flows: out.length, allowed: out.length - blocked, blocked } };
}

export function renderSimulationTable(r: SimulationReport): string {
  const lines = r.flows.map(
    (f) =>
      `${f.allowed ? 'ALLOW' : 'BLOCK'}  ${f.flow}${f.count > 1 ? ` (${f.count}x)` : ''}${f.blockedBy ? `  blocked by ${f.blockedBy.join(' and ')} isolation` : ''}` +
      `${f.observed ? `  [observed ${f.observed.join('/')}]` : ''}${f.unknownEndpoints.length ? `  [not in the input: ${f.unknownEndpoints.join(', ')}]` : ''}`,
  );
  lines.push('', `${r.summary.flows} distinct flows: ${r.summary.allowed} allowed, ${r.summary.blocked} would be blocked`);
  return lines.join('\n');
}
