/**
 * Reachability between a pod and an external CIDR: the block is cut at every ipBlock boundary of the policies, so
 * each piece is judged once; the connection is allowed for the CIDR only when every piece allows it, and the
 * notes say which pieces differ.
 */
import type { NetCluster } from './cluster.js';
import type { Protocol } from './conns.js';
import { reach, type Endpoint, type EvalOptions, type ReachResult } from './evaluate.js';
import { elementaryIntervals, formatInterval, parseCidr, parseIpBlock } from './ip.js';
import { policyBlocks } from './matrix.js';

export function reachCidr(
  cluster: NetCluster,
  direction: 'from-cidr' | 'to-cidr',
  pod: Endpoint,
  cidr: string,
  port?: number,
  protocol: Protocol = 'TCP',
  opts: EvalOptions = {},
): ReachResult {
  const block = parseIpBlock(cidr);
  const whole = parseCidr(cidr);
  const pieces = elementaryIntervals([...policyBlocks(cluster), block]).filter((r) => r.family === whole.family && r.start >= whole.start && r.end <= whole.end);
  const results = pieces.map((r) => {
    const ep: Endpoint = { type: 'ip', family: r.family, value: r.start, text: formatInterval(r) };
    return { range: formatInterval(r), res: direction === 'from-cidr' ? reach(cluster, ep, pod, port, protocol, opts) : reach(cluster, pod, ep, port, protocol, opts) };
  });
  const allowed = results.every((x) => x.res.allowed);
  const first = results[0].res;
  const union = (pick: (r: ReachResult) => string[]) => [...new Set(results.flatMap((x) => pick(x.res)))].sort();
  const notes = [...new Set(results.flatMap((x) => x.res.notes))];
  const partly = results.filter((x) => x.res.allowed);
  if (!allowed && partly.length > 0) notes.push(`allowed only for part of ${cidr}: ${partly.map((x) => x.range).join(', ')}`);
  const connections = [...new Set(results.map((x) => x.res.connections))];
  return {
    from: direction === 'from-cidr' ? cidr : first.from,
    to: direction === 'to-cidr' ? cidr : first.to,
    ...(port !== undefined ? { port, protocol } : {}),
    allowed,
    connections: connections.length === 1 ? connections[0] : results.map((x) => `${x.range}: ${x.res.connections}`).join('; '),
    ingress: { isolated: first.ingress.isolated, allowedBy: union((r) => r.ingress.allowedBy) },
    egress: { isolated: first.egress.isolated, allowedBy: union((r) => r.egress.allowedBy) },
    notes,
  };
}
