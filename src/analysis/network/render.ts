/**
 * Pure renderers of a reachability matrix: table (np-guard connlist style `src => dst : conns`), JSON and
 * Graphviz dot. Pods appear as `ns/name[Kind]`, external ranges as `a-b[External]`.
 */
import { isExternal, type ExternalNode, type MatrixPair, type ReachabilityMatrix } from './matrix.js';
import type { NetPod } from './cluster.js';

export type MatrixFormat = 'table' | 'json' | 'dot';

export interface MatrixConnection {
  src: string;
  dst: string;
  conn: string;
}

export function displayName(n: NetPod | ExternalNode): string {
  return isExternal(n) ? `${n.name}[External]` : `${n.key}[${n.kind}]`;
}

/** Allowed connections, sorted by source then destination. */
export function matrixConnections(m: ReachabilityMatrix): MatrixConnection[] {
  const out: MatrixConnection[] = [];
  for (const p of m.pairs() as Iterable<MatrixPair>) out.push({ src: displayName(p.src), dst: displayName(p.dst), conn: p.conns.toString() });
  return out.sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}

export function renderMatrixTable(m: ReachabilityMatrix): string {
  const lines = matrixConnections(m).map((c) => `${c.src} => ${c.dst} : ${c.conn}`);
  const hostNet = m.classes.flatMap((c) => c.members).filter((p) => p.hostNetwork);
  for (const p of hostNet) lines.push(`# ${displayName(p)} uses hostNetwork: outside NetworkPolicy control, its lines may not hold`);
  return lines.join('\n');
}

export function renderMatrixJson(m: ReachabilityMatrix): string {
  const nodes = [
    ...m.classes.flatMap((c) => c.members.map((p) => ({ name: displayName(p), namespace: p.namespace, kind: p.kind, hostNetwork: p.hostNetwork }))),
    ...m.externals.map((e) => ({ name: displayName(e), kind: 'External' })),
  ];
  return JSON.stringify({ nodes, connections: matrixConnections(m) }, null, 2);
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderMatrixDot(m: ReachabilityMatrix): string {
  const lines = ['digraph netpol {', '  rankdir=LR;', '  node [shape=box, fontsize=10];', '  edge [fontsize=8];'];
  const byNs = new Map<string, NetPod[]>();
  for (const c of m.classes) for (const p of c.members) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  [...byNs.keys()].sort().forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${dotId(ns)};`);
    for (const p of byNs.get(ns)!) lines.push(`    ${dotId(displayName(p))} [label=${dotId(`${p.name}\\n${p.kind}`)}${p.hostNetwork ? ', style=dashed' : ''}];`);
    lines.push('  }');
  });
  for (const e of m.externals) lines.push(`  ${dotId(displayName(e))} [shape=ellipse, label=${dotId(e.name)}];`);
  for (const c of matrixConnections(m)) lines.push(`  ${dotId(c.src)} -> ${dotId(c.dst)} [label=${dotId(c.conn)}];`);
  lines.push('}');
  return lines.join('\n');
}

export function renderMatrix(m: ReachabilityMatrix, format: MatrixFormat): string {
  const renderers: Record<MatrixFormat, (m: ReachabilityMatrix) => string> = { table: renderMatrixTable, json: renderMatrixJson, dot: renderMatrixDot };
  return renderers[format](m);
}
