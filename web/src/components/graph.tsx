/**
 * A graph drawn by Cytoscape.js (loaded with the first graph). The canvas is a picture: every page that draws one
 * also lists the same nodes and edges as a table or list, which is what keyboard and screen-reader users read.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { EdgeKind, GraphEdge, GraphNode } from './cytoscape';

export type { EdgeKind, GraphEdge, GraphNode };

export function Graph({ nodes, edges, label, direction = 'LR' }: { nodes: GraphNode[]; edges: GraphEdge[]; label: string; direction?: 'LR' | 'TB' }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let graph: { destroy(): void } | undefined;
    let gone = false;
    const el = box.current;
    if (!el || nodes.length === 0) return;
    void import('./cytoscape').then(({ drawGraph }) => {
      if (!gone) graph = drawGraph(el, { nodes, edges, direction });
    });
    return () => {
      gone = true;
      graph?.destroy();
    };
  }, [nodes.map((n) => n.id).join(), edges.map((e) => `${e.from}>${e.to}:${e.label ?? ''}:${e.marked ? 1 : 0}:${e.kind ?? ''}`).join(), direction]);
  return <div ref={box} class="graph" role="img" aria-label={label} />;
}
