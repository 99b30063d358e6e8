/**
 * Attack paths for people (table, with --explain per hop) and for tools: JSON (the contract of issue #22, plus
 * `nodes` and `cutInfo` so the dashboard needs nothing else), Graphviz DOT and Mermaid (the union of the paths'
 * hops, entry points and targets shaped apart).
 */
import type { PathsAnswer } from './analyze.js';
import type { NodeType } from './model.js';

export function renderPathsJson(a: PathsAnswer): string {
  return JSON.stringify({ paths: a.paths, cut: a.cut, nodes: a.nodes, cutInfo: a.cutInfo }, null, 2) + '\n';
}

export function renderPathsTable(a: PathsAnswer, explain = false): string {
  const lines: string[] = [];
  if (a.paths.length === 0) lines.push('No attack path found.');
  a.paths.forEach((p, i) => {
    lines.push(`${i + 1}. ${p.from} → ${p.to}  (score ${p.score}, ${p.hops.length} hop${p.hops.length === 1 ? '' : 's'})`);
    for (const h of p.hops) {
      lines.push(`   ${h.from} ─[${h.edge}]→ ${h.to}`);
      if (explain) lines.push(`      ${h.technique.id} ${h.technique.name}: ${h.evidence}`);
    }
  });
  if (a.paths.length > 0) {
    lines.push('', a.cut.length ? `Cut (${a.cut.length} change${a.cut.length === 1 ? '' : 's'}${a.cutInfo.exact ? ', minimum' : ', greedy: the exact search ran out of budget'}):` : 'Cut: none of the changes we know breaks these paths.');
    for (const c of a.cut) lines.push(`   - ${c.change}  (breaks ${c.breaks} path${c.breaks === 1 ? '' : 's'} shown)`);
    if (!a.cutInfo.complete) lines.push(`   ! ${a.cutInfo.uncuttable} path(s) remain that no known change breaks`);
  }
  return lines.join('\n') + '\n';
}

interface GEdge {
  from: string;
  to: string;
  label: string;
}

function union(a: PathsAnswer): GEdge[] {
  const edges = new Map<string, GEdge>();
  for (const p of a.paths) for (const h of p.hops) edges.set(`${h.from}\u0000${h.to}\u0000${h.edge}`, { from: h.from, to: h.to, label: h.edge });
  return [...edges.values()];
}

const DOT_SHAPE: Partial<Record<NodeType, string>> = { entry: 'invhouse', target: 'doubleoctagon', node: 'doubleoctagon', workload: 'box', container: 'component', secret: 'note', role: 'ellipse' };
const dotQuote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function renderPathsDot(a: PathsAnswer): string {
  const lines = ['digraph attack_paths {', '  rankdir=LR;'];
  for (const [id, n] of Object.entries(a.nodes)) lines.push(`  ${dotQuote(id)} [shape=${DOT_SHAPE[n.type] ?? 'box'}, tooltip=${dotQuote(n.label)}];`);
  for (const e of union(a)) lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)} [label=${dotQuote(e.label)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

const mermaidText = (s: string): string => s.replace(/"/g, '#quot;');

export function renderPathsMermaid(a: PathsAnswer): string {
  const ids = new Map<string, string>();
  const idOf = (n: string): string => {
    let id = ids.get(n);
    if (!id) ids.set(n, (id = `n${ids.size}`));
    return id;
  };
  const lines = ['flowchart LR'];
  for (const [id, n] of Object.entries(a.nodes)) {
    const t = `"${mermaidText(id)}"`;
    lines.push(`  ${idOf(id)}${n.type === 'entry' ? `>${t}]` : n.type === 'target' || n.type === 'node' ? `{{${t}}}` : n.type === 'workload' || n.type === 'container' ? `[${t}]` : `(${t})`}`);
  }
  for (const e of union(a)) lines.push(`  ${idOf(e.from)} -->|"${mermaidText(e.label)}"| ${idOf(e.to)}`);
  return lines.join('\n') + '\n';
}
