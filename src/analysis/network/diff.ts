/**
 * Semantic diff of two policy sets (or two whole resource sets): which connections become allowed and which
 * become denied, pair by pair, not a text diff. Both sides are evaluated on one partition of the external address
 * space so external ranges line up.
 */
import type { NetCluster } from './cluster.js';
import { ConnSet } from './conns.js';
import { computeMatrix, policyBlocks, type MatrixOptions, type ReachabilityMatrix } from './matrix.js';

export interface ConnChange {
  src: string;
  dst: string;
  before: string;
  after: string;
  /** Connections allowed after but not before. */
  added?: string;
  /** Connections allowed before but not after. */
  removed?: string;
}

export interface DiffReport {
  newlyAllowed: ConnChange[];
  newlyDenied: ConnChange[];
  /** Pods/workloads present on one side only (their connections are listed as changes too). */
  addedPods: string[];
  removedPods: string[];
}

interface Side {
  m: ReachabilityMatrix;
  names: Map<string, string>;
}

/**
 * Pods are grouped by their (old class, new class) pair: members of one group behave identically on both sides,
 * so each group pair is compared once and expanded to pods only when it changed.
 */
export function diff(before: NetCluster, after: NetCluster, opts: MatrixOptions = {}): DiffReport {
  const cut = [...policyBlocks(before), ...policyBlocks(after)];
  const sides: [Side, Side] = [before, after].map((c) => ({
    m: computeMatrix(c, { ...opts, extraBlocks: cut }),
    names: new Map(c.pods.map((p) => [p.key, `${p.key}[${p.kind}]`])),
  })) as [Side, Side];
  const [b, a] = sides;
  const podKeys = [...new Set([...before.pods.map((p) => p.key), ...after.pods.map((p) => p.key)])].sort();
  const display = (k: string): string => a.names.get(k) ?? b.names.get(k) ?? k;

  // Nodes: groups of pods with the same (old node, new node); externals line up by construction (same cuts).
  interface Group {
    old?: number;
    neu?: number;
    members: string[];
  }
  const groups = new Map<string, Group>();
  for (const k of podKeys) {
    const o = b.m.nodeIdOf(k);
    const n = a.m.nodeIdOf(k);
    const gk = `${o ?? '-'}|${n ?? '-'}`;
    const g = groups.get(gk);
    if (g) g.members.push(k);
    else groups.set(gk, { old: o, neu: n, members: [k] });
  }
  const nodes: Group[] = [...groups.values()];
  b.m.externals.forEach((e, i) => nodes.push({ old: e.id, neu: a.m.externals[i].id, members: [`${e.name}[External]`] }));
  const isExt = (g: Group) => g.members[0].endsWith('[External]');

  const NONE = ConnSet.NONE;
  const connOf = (side: Side, s?: number, d?: number): ConnSet => (s === undefined || d === undefined ? NONE : side.m.table.get(side.m.connId(s, d)));
  const newlyAllowed: ConnChange[] = [];
  const newlyDenied: ConnChange[] = [];
  for (const gs of nodes) {
    for (const gd of nodes) {
      if (isExt(gs) && isExt(gd)) continue;
      const beforeC = connOf(b, gs.old, gd.old);
      const afterC = connOf(a, gs.neu, gd.neu);
      if (beforeC === afterC || beforeC.equals(afterC)) continue;
      const added = afterC.subtract(beforeC);
      const removed = beforeC.subtract(afterC);
      for (const src of gs.members) {
        for (const dst of gd.members) {
          if (src === dst) continue;
          const change: ConnChange = { src: display(src), dst: display(dst), before: beforeC.toString(), after: afterC.toString() };
          if (!added.isEmpty()) newlyAllowed.push({ ...change, added: added.toString() });
          if (!removed.isEmpty()) newlyDenied.push({ ...change, removed: removed.toString() });
        }
      }
    }
  }
  const order = (x: ConnChange, y: ConnChange) => (x.src < y.src ? -1 : x.src > y.src ? 1 : x.dst < y.dst ? -1 : x.dst > y.dst ? 1 : 0);
  return {
    newlyAllowed: newlyAllowed.sort(order),
    newlyDenied: newlyDenied.sort(order),
    addedPods: podKeys.filter((k) => !b.names.has(k)),
    removedPods: podKeys.filter((k) => !a.names.has(k)),
  };
}

export function renderDiffTable(r: DiffReport): string {
  const lines: string[] = [];
  lines.push(`Newly allowed (${r.newlyAllowed.length}):`);
  for (const c of r.newlyAllowed) lines.push(`  + ${c.src} => ${c.dst} : ${c.added}   (before: ${c.before})`);
  lines.push(`Newly denied (${r.newlyDenied.length}):`);
  for (const c of r.newlyDenied) lines.push(`  - ${c.src} => ${c.dst} : ${c.removed}   (after: ${c.after})`);
  if (r.addedPods.length) lines.push(`Workloads only in the new set: ${r.addedPods.join(', ')}`);
  if (r.removedPods.length) lines.push(`Workloads only in the old set: ${r.removedPods.join(', ')}`);
  return lines.join('\n');
}
