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

function conns(side: Side, src: string, dst: string): ConnSet | undefined {
  const m = side.m;
  const id = (k: string): number | undefined => m.nodeIdOf(k) ?? m.externals.find((e) => e.name === k)?.id;
  const s = id(src);
  const d = id(dst);
  if (s === undefined || d === undefined) return undefined;
  return m.table.get(m.connId(s, d));
}

export function diff(before: NetCluster, after: NetCluster, opts: MatrixOptions = {}): DiffReport {
  const cut = [...policyBlocks(before), ...policyBlocks(after)];
  const sides: [Side, Side] = [before, after].map((c) => ({
    m: computeMatrix(c, { ...opts, extraBlocks: cut }),
    names: new Map(c.pods.map((p) => [p.key, `${p.key}[${p.kind}]`])),
  })) as [Side, Side];
  const podKeys = [...new Set([...before.pods.map((p) => p.key), ...after.pods.map((p) => p.key)])].sort();
  const extNames = sides[0].m.externals.map((e) => e.name);
  const display = (k: string): string => sides[1].names.get(k) ?? sides[0].names.get(k) ?? `${k}[External]`;
  const newlyAllowed: ConnChange[] = [];
  const newlyDenied: ConnChange[] = [];
  const visit = (src: string, dst: string): void => {
    const b = conns(sides[0], src, dst);
    const a = conns(sides[1], src, dst);
    const beforeC = b ?? ConnSet.NONE;
    const afterC = a ?? ConnSet.NONE;
    if (beforeC.equals(afterC)) return;
    const added = afterC.subtract(beforeC);
    const removed = beforeC.subtract(afterC);
    const change: ConnChange = { src: display(src), dst: display(dst), before: beforeC.toString(), after: afterC.toString() };
    if (!added.isEmpty()) newlyAllowed.push({ ...change, added: added.toString() });
    if (!removed.isEmpty()) newlyDenied.push({ ...change, removed: removed.toString() });
  };
  for (const s of podKeys) {
    for (const d of podKeys) if (s !== d) visit(s, d);
    for (const e of extNames) {
      visit(s, e);
      visit(e, s);
    }
  }
  return {
    newlyAllowed,
    newlyDenied,
    addedPods: podKeys.filter((k) => !sides[0].names.has(k)),
    removedPods: podKeys.filter((k) => !sides[1].names.has(k)),
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
