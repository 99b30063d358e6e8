/**
 * Path searches over the attack graph, with a set of removed changes (an edge is gone when one of its changes is
 * applied — how the cut is checked without rebuilding the graph):
 * - shortest: breadth-first search from one source, fewest hops to every node;
 * - most likely: Dijkstra on −log(likelihood), the path whose hops together most likely succeed.
 * Both run once per source and answer for every target.
 */
import type { AttackEdge } from './model.js';
import type { AttackGraph } from './build.js';

export type EdgePath = readonly AttackEdge[];

export function usable(e: AttackEdge, removed: ReadonlySet<string>): boolean {
  if (removed.size === 0) return true;
  for (const c of e.changes) if (removed.has(c.key)) return false;
  return true;
}

function walkBack(via: ReadonlyMap<string, AttackEdge>, source: string, target: string): EdgePath {
  const edges: AttackEdge[] = [];
  for (let cur = target; cur !== source; cur = via.get(cur)!.from) edges.push(via.get(cur)!);
  return edges.reverse();
}

/** Fewest-hop paths from `source` to each of `targets` it reaches. */
export function shortestPaths(g: AttackGraph, source: string, targets: readonly string[], removed: ReadonlySet<string> = new Set()): Map<string, EdgePath> {
  const want = new Set(targets);
  const found = new Map<string, EdgePath>();
  const via = new Map<string, AttackEdge>();
  const seen = new Set([source]);
  const queue = [source];
  for (let head = 0; head < queue.length && found.size < want.size; head++) {
    for (const e of g.out(queue[head])) {
      if (seen.has(e.to) || !usable(e, removed)) continue;
      seen.add(e.to);
      via.set(e.to, e);
      if (want.has(e.to)) found.set(e.to, walkBack(via, source, e.to));
      queue.push(e.to);
    }
  }
  return found;
}

/** Minimal binary heap of [cost, node]. */
class Heap {
  private readonly items: [number, string][] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: [number, string]): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p][0] <= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): [number, string] {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Most likely paths (largest product of hop likelihoods) from `source` to each of `targets` it reaches. */
export function likeliestPaths(g: AttackGraph, source: string, targets: readonly string[], removed: ReadonlySet<string> = new Set()): Map<string, EdgePath> {
  const want = new Set(targets);
  const found = new Map<string, EdgePath>();
  const via = new Map<string, AttackEdge>();
  const cost = new Map<string, number>([[source, 0]]);
  const done = new Set<string>();
  const heap = new Heap();
  heap.push([0, source]);
  while (heap.size > 0 && found.size < want.size) {
    const [c, node] = heap.pop();
    if (done.has(node)) continue;
    done.add(node);
    if (want.has(node)) found.set(node, walkBack(via, source, node));
    for (const e of g.out(node)) {
      if (done.has(e.to) || !usable(e, removed)) continue;
      const next = c - Math.log(e.likelihood);
      if (next < (cost.get(e.to) ?? Infinity)) {
        cost.set(e.to, next);
        via.set(e.to, e);
        heap.push([next, e.to]);
      }
    }
  }
  return found;
}

export function score(path: EdgePath): number {
  let p = 1;
  for (const e of path) p *= e.likelihood;
  return Math.round(p * 1000) / 1000;
}
