/**
 * Shortest escalation paths. One reverse breadth-first search per capability gives, for every node, the
 * next edge on a shortest path to that capability; a subject's path is then read off in O(length).
 * Cost: O(capabilities × edges), independent of the number of subjects asking.
 */
import { reachSeverity } from './severity.js';
import type { EscalationGraph } from './graph.js';
import type { CapabilityId, EscalationPath, GraphEdge, GraphNode, PathStep } from './model.js';
import { CAPABILITY_IDS, capNode } from './model.js';

export class ShortestPaths {
  /** capability → node → next edge toward it. */
  private readonly next = new Map<CapabilityId, Map<string, GraphEdge>>();

  constructor(private readonly graph: EscalationGraph) {
    graph.expandAll();
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
    const edges: GraphEdge[] = [];
    for (let e: GraphEdge | undefined = first; ; e = next.get(e.to)) {
      if (!e) return undefined;
      edges.push(e);
      if (e.to === target) break;
    }
    return pathAlong(this.graph, node.subject, identity, cap, edges);
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

/** A path read off its edges: each step is done by the last identity reached (hubs act for no one). */
function pathAlong(graph: EscalationGraph, subject: NonNullable<GraphNode['subject']>, identity: string, cap: CapabilityId, edges: readonly GraphEdge[]): EscalationPath {
  const steps: PathStep[] = [];
  let actor = identity;
  for (const e of edges) {
    steps.push({ subject: actor, action: e.action, permission: e.permission, via: e.via });
    if (graph.nodes.get(e.to)?.type === 'identity') actor = e.to;
  }
  return { from: { ...subject }, to: cap, severity: reachSeverity(subject, cap, steps.length), steps };
}

/**
 * One identity's shortest path to a capability by a breadth-first search forward over edges built on demand
 * (graph.edgesFrom), so only what the identity can reach is built: for a scan asking about a few workload
 * service accounts this is far cheaper than ShortestPaths over the whole graph. Gives up (`exhausted`) after
 * visiting `budget` nodes, for the caller to fall back to ShortestPaths, whose cost does not grow per question.
 * A shortest path either way; among equally short ones the two may pick different paths.
 */
export function forwardPath(graph: EscalationGraph, identity: string, cap: CapabilityId, budget: number): { path?: EscalationPath; visited: number; exhausted: boolean } {
  const subject = graph.nodes.get(identity)?.subject;
  if (!subject) return { visited: 0, exhausted: false };
  const target = capNode(cap);
  const via = new Map<string, GraphEdge>();
  const queue = [identity];
  for (let head = 0; head < queue.length; head++) {
    if (head >= budget) return { visited: head, exhausted: true };
    for (const e of graph.edgesFrom(queue[head])) {
      if (e.to === identity || via.has(e.to)) continue;
      via.set(e.to, e);
      if (e.to === target) {
        const edges: GraphEdge[] = [];
        for (let cur = target; cur !== identity; cur = via.get(cur)!.from) edges.push(via.get(cur)!);
        return { path: pathAlong(graph, subject, identity, cap, edges.reverse()), visited: head + 1, exhausted: false };
      }
      queue.push(e.to);
    }
  }
  return { visited: queue.length, exhausted: false };
}
