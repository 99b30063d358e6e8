/**
 * Shortest escalation paths. One reverse breadth-first search per capability gives, for every node, the
 * next edge on a shortest path to that capability; a subject's path is then read off in O(length).
 * Cost: O(capabilities × edges), independent of the number of subjects asking.
 */
import type { EscalationGraph } from './graph.js';
import type { CapabilityId, EscalationPath, GraphEdge, PathStep } from './model.js';
import { CAPABILITY_IDS, capNode } from './model.js';

export class ShortestPaths {
  /** capability → node → next edge toward it. */
  private readonly next = new Map<CapabilityId, Map<string, GraphEdge>>();

  constructor(private readonly graph: EscalationGraph) {
    const reverse = new Map<string, GraphEdge[]>();
    for (const list of graph.out.values()) {
      for (const e of list) {
        const r = reverse.get(e.to);
        if (r) r.push(e);
        else reverse.set(e.to, [e]);
      }
    }
    for (const cap of CAPABILITY_IDS) {
      const target = capNode(cap);
      const next = new Map<string, GraphEdge>();
      const seen = new Set<string>([target]);
      let frontier = [target];
      while (frontier.length > 0) {
        const nextFrontier: string[] = [];
        for (const node of frontier) {
          for (const e of reverse.get(node) ?? []) {
            if (seen.has(e.from)) continue;
            seen.add(e.from);
            next.set(e.from, e);
            nextFrontier.push(e.from);
          }
        }
        frontier = nextFrontier;
      }
      this.next.set(cap, next);
    }
  }

  /** The shortest path from an identity node to a capability, or undefined when unreachable. */
  pathFrom(identity: string, cap: CapabilityId): EscalationPath | undefined {
    const node = this.graph.nodes.get(identity);
    if (!node?.subject) return undefined;
    const next = this.next.get(cap);
    if (!next) return undefined;
    const target = capNode(cap);
    let first: GraphEdge | undefined = next.get(identity);
    if (!first) {
      // A node added after the search (graph.ensureIdentity) has no incoming edges: take its best out-edge.
      let best = Infinity;
      for (const e of this.graph.edgesFrom(identity)) {
        const d = e.to === target ? 0 : next.has(e.to) ? this.length(e.to, next, target) : Infinity;
        if (d < best) {
          best = d;
          first = e;
        }
      }
      if (!first) return undefined;
    }
    const steps: PathStep[] = [];
    let actor = identity;
    let cur = identity;
    let e: GraphEdge | undefined = first;
    while (cur !== target) {
      if (!e) return undefined;
      steps.push({ subject: actor, action: e.action, permission: e.permission, via: e.via });
      cur = e.to;
      if (this.graph.nodes.get(cur)?.type === 'identity') actor = cur;
      e = next.get(cur);
    }
    return { from: { ...node.subject }, to: cap, steps };
  }

  private length(from: string, next: Map<string, GraphEdge>, target: string): number {
    let n = 0;
    for (let cur = from; cur !== target; n++) {
      const e = next.get(cur);
      if (!e) return Infinity;
      cur = e.to;
    }
    return n;
  }

  /** Every identity's shortest path to each capability it can reach. */
  allPaths(filter: { from?: string; to?: CapabilityId } = {}): EscalationPath[] {
    const out: EscalationPath[] = [];
    const caps = filter.to ? [filter.to] : CAPABILITY_IDS;
    const ids = filter.from ? [filter.from] : [...this.graph.nodes.values()].filter((n) => n.type === 'identity').map((n) => n.id).sort();
    for (const id of ids) {
      for (const cap of caps) {
        const p = this.pathFrom(id, cap);
        if (p) out.push(p);
      }
    }
    return out;
  }

  /** Number of steps from the identity to the capability (undefined when unreachable). */
  distance(identity: string, cap: CapabilityId): number | undefined {
    return this.pathFrom(identity, cap)?.steps.length;
  }
}
