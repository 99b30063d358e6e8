/** Cytoscape.js (with the dagre layout) behind one function: its own chunk, loaded by the first page with a graph. */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';

cytoscape.use(dagre);

// Cytoscape adds a <style> to the page unless an element with this id exists; the Content-Security-Policy
// (style-src 'self') refuses inline styles, so styles.css carries its one rule (.graph is position: relative)
const STYLESHEET_ID = '__________cytoscape_stylesheet';
if (!document.getElementById(STYLESHEET_ID)) {
  const marker = document.createElement('meta');
  marker.id = STYLESHEET_ID;
  document.head.append(marker);
}

export interface GraphNode {
  id: string;
  label: string;
  /** Drawn by type: workload, namespace, internet, and the attack-path node types. */
  type: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** Drawn thicker and red: e.g. a hop the cut removes. */
  marked?: boolean;
  /** How the edge is known (default allowed): each is drawn in its own colour and line style. */
  kind?: EdgeKind;
}

export type EdgeKind = 'allowed' | 'observed' | 'gained' | 'lost';

/** Line colour and style of each kind (pages say so in words beside the graph: never colour alone). */
const EDGE_STYLES: Record<EdgeKind, { colour: string; line: 'solid' | 'dashed' | 'dotted'; width: number }> = {
  allowed: { colour: '#57606a', line: 'solid', width: 1.5 },
  observed: { colour: '#0550ae', line: 'dotted', width: 3 },
  gained: { colour: '#1a7f37', line: 'dashed', width: 3 },
  lost: { colour: '#b3261e', line: 'dashed', width: 3 },
};

const COLOURS: Record<string, string> = { peer: '#0550ae', internet: '#b3261e', entry: '#b3261e', target: '#6f42c1', node: '#6f42c1', namespace: '#57606a', workload: '#0b3d91', container: '#0b3d91', serviceaccount: '#1a7f37', identity: '#1a7f37', role: '#9a6700', secret: '#9a6700' };

export function drawGraph(el: HTMLElement, data: { nodes: GraphNode[]; edges: GraphEdge[]; direction: 'LR' | 'TB' }): { destroy(): void } {
  return cytoscape({
    container: el,
    elements: [
      ...data.nodes.map((n) => ({ data: { id: n.id, label: n.label, colour: COLOURS[n.type] ?? '#24292f', shape: n.type === 'namespace' ? 'round-rectangle' : n.type === 'peer' ? 'hexagon' : n.type === 'internet' || n.type === 'entry' ? 'diamond' : n.type === 'target' || n.type === 'node' ? 'octagon' : 'ellipse' } })),
      ...data.edges.map((e, i) => {
        const k = EDGE_STYLES[e.kind ?? 'allowed'];
        return { data: { id: `e${i}`, source: e.from, target: e.to, label: e.label ?? '', width: e.marked ? 4 : k.width, colour: e.marked ? '#b3261e' : k.colour, line: k.line } };
      }),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(colour)', shape: 'data(shape)' as never, color: '#1f2328', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'wrap', 'text-max-width': '160px', width: 18, height: 18 } },
      { selector: 'edge', style: { width: 'data(width)' as never, 'line-style': 'data(line)' as never, 'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#57606a', 'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
    ],
    layout: { name: 'dagre', rankDir: data.direction, nodeSep: 30, rankSep: 90 } as cytoscape.LayoutOptions,
    userZoomingEnabled: true,
    boxSelectionEnabled: false,
    autoungrabify: true,
  });
}
