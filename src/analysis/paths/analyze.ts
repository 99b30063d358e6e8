/**
 * The questions `kubeguard paths` asks: from the entry points (or a workload, or a subject) to the critical targets
 * (or a workload), the shortest and the most likely path per (source, target) pair, ranked by score, and the
 * cut that breaks them all.
 */
import type { AttackPath, CutChange, AttackNode } from './model.js';
import { ENTRY_INCIDENTS, ENTRY_INTERNET, TARGETS } from './model.js';
import type { AttackGraph } from './build.js';
import { likeliestPaths, score, shortestPaths, type EdgePath } from './search.js';
import { changeKeys, minimumCut, type CutResult } from './cut.js';

export interface PathsQuery {
  /** Node ids to start from (default: the internet and workloads with runtime incidents). */
  from?: readonly string[];
  /** Node ids to reach (default: cluster-admin, secrets, nodes). */
  to?: readonly string[];
  /** At most this many paths in the answer (the cut is for all of them). */
  top?: number;
}

export interface PathsAnswer {
  paths: AttackPath[];
  cut: CutChange[];
  /** Nodes the paths pass through: type and words, so the JSON explains itself. */
  nodes: Record<string, Omit<AttackNode, 'id'>>;
  cutInfo: { exact: boolean; complete: boolean; rounds: number; uncuttable: number };
  /** The edge paths behind `paths`, same order (for the findings and the tests). */
  edgePaths: EdgePath[];
}

export function defaultSources(g: AttackGraph): string[] {
  return [ENTRY_INTERNET, ...(g.nodes.has(ENTRY_INCIDENTS) ? [ENTRY_INCIDENTS] : [])];
}

export function toAttackPath(p: EdgePath): AttackPath {
  return {
    from: p[0].from,
    to: p[p.length - 1].to,
    hops: p.map((e) => ({ from: e.from, to: e.to, edge: e.edge, evidence: e.evidence, technique: e.technique })),
    score: score(p),
  };
}

export function findPaths(g: AttackGraph, q: PathsQuery = {}): PathsAnswer {
  const sources = q.from?.length ? [...q.from] : defaultSources(g);
  const targets = q.to?.length ? [...q.to] : [...TARGETS];
  const found: EdgePath[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    for (const search of [shortestPaths, likeliestPaths]) {
      const answers = search(g, s, targets);
      for (const t of targets) {
        const p = answers.get(t);
        if (!p || p.length === 0) continue;
        const key = p.map((e) => `${e.from}>${e.to}:${e.edge}:${e.evidence}`).join('|');
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(p);
      }
    }
  }
  const cut: CutResult = minimumCut(g, sources, targets, found);
  // the paths the cut's checks found are paths too: shown with the others, so every change's `breaks` counts some
  for (const p of cut.more) {
    const key = p.map((e) => `${e.from}>${e.to}:${e.edge}:${e.evidence}`).join('|');
    if (!seen.has(key)) {
      seen.add(key);
      found.push(p);
    }
  }
  found.sort((a, b) => score(b) - score(a) || a.length - b.length || a[0].from.localeCompare(b[0].from) || a[a.length - 1].to.localeCompare(b[b.length - 1].to));
  const shown = q.top !== undefined ? found.slice(0, q.top) : found;
  const nodes: PathsAnswer['nodes'] = {};
  for (const p of shown) {
    for (const id of [p[0].from, ...p.map((e) => e.to)]) {
      const n = g.nodes.get(id);
      if (n) nodes[id] = { type: n.type, label: n.label };
    }
  }
  const shownKeys = shown.map((p) => new Set(changeKeys(p)));
  return {
    paths: shown.map(toAttackPath),
    cut: cut.changes.map((c) => ({ change: c.change, patch: c.patch, breaks: shownKeys.filter((k) => k.has(c.key)).length })),
    nodes,
    cutInfo: { exact: cut.exact, complete: cut.complete, rounds: cut.rounds, uncuttable: cut.uncuttable.length },
    edgePaths: shown,
  };
}
