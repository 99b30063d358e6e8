/**
 * Escalation paths as a graph for Graphviz (dot) or Mermaid: the union of the paths' steps, identities as
 * boxes, capabilities as double octagons / hexagons, edges labelled with the action.
 */
import type { EscalationPath } from '../escalation/model.js';
import { CAPABILITIES } from '../escalation/model.js';
import { subjectText } from './subject.js';

interface Edge {
  from: string;
  to: string;
  label: string;
}

function collect(paths: readonly EscalationPath[]): { nodes: Map<string, 'identity' | 'step' | 'capability'>; edges: Edge[] } {
  const nodes = new Map<string, 'identity' | 'step' | 'capability'>();
  const edges = new Map<string, Edge>();
  for (const p of paths) {
    const target = CAPABILITIES[p.to];
    nodes.set(subjectText(p.from), 'identity');
    nodes.set(target, 'capability');
    // Node after step i: the next step's acting subject when it changes, else an intermediate foothold.
    let cur = subjectText(p.from);
    p.steps.forEach((s, i) => {
      const next = p.steps[i + 1];
      let to: string;
      if (!next) to = target;
      else if (next.subject !== s.subject) to = next.subject;
      else to = `${s.subject}: ${s.action}`;
      if (!nodes.has(to)) nodes.set(to, !next ? 'capability' : next.subject !== s.subject ? 'identity' : 'step');
      const e = { from: cur, to, label: s.action };
      edges.set(`${e.from}\u0000${e.to}\u0000${e.label}`, e);
      cur = to;
    });
  }
  return { nodes, edges: [...edges.values()] };
}

const dotQuote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function renderPathsDot(paths: readonly EscalationPath[]): string {
  const { nodes, edges } = collect(paths);
  const lines = ['digraph escalation {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const [id, type] of nodes) {
    const shape = type === 'capability' ? 'doubleoctagon' : type === 'identity' ? 'box' : 'ellipse';
    const color = type === 'capability' ? ', style=filled, fillcolor="#f8d7da"' : '';
    lines.push(`  ${dotQuote(id)} [shape=${shape}${color}];`);
  }
  for (const e of edges) lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)} [label=${dotQuote(e.label)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

const mermaidText = (s: string): string => s.replace(/"/g, '#quot;');

export function renderPathsMermaid(paths: readonly EscalationPath[]): string {
  const { nodes, edges } = collect(paths);
  const ids = new Map<string, string>();
  let n = 0;
  for (const id of nodes.keys()) ids.set(id, `n${n++}`);
  const lines = ['flowchart LR'];
  for (const [id, type] of nodes) {
    const text = `"${mermaidText(id)}"`;
    lines.push(`  ${ids.get(id)}${type === 'capability' ? `{{${text}}}` : type === 'identity' ? `[${text}]` : `(${text})`}`);
  }
  for (const e of edges) lines.push(`  ${ids.get(e.from)} -->|"${mermaidText(e.label)}"| ${ids.get(e.to)}`);
  return lines.join('\n') + '\n';
}
