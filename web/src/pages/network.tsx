/**
 * A namespace's network: which workloads may open connections to which (NetworkPolicy, as the last whole-cluster
 * scan found it), to and from other namespaces, and what outside traffic reaches. The graph is drawn by Cytoscape;
 * the table below it holds the same edges for keyboard and screen-reader users.
 */
import { useRef, useState } from 'preact/hooks';
import type { NetworkView, ProposalView } from '../api';
import { Empty, Failure, Loading, Section } from '../components/bits';
import { Graph, type GraphEdge, type GraphNode } from '../components/graph';
import { graphEndpoint, Proposal } from './network-proposal';
import { when } from '../format';
import { navigate, withQuery } from '../router';
import { useApi } from '../use-api';

function Pickers({ url, clusters, cluster, namespaces, namespace }: { url: URL; clusters: string[]; cluster: string; namespaces?: { namespace: string; workloads: number }[]; namespace?: string }) {
  return (
    <form class="filters" aria-label="Choose the network" onSubmit={(e) => e.preventDefault()}>
      <label>
        Cluster
        <select value={cluster} onChange={(e) => navigate(withQuery(url, { cluster: e.currentTarget.value, namespace: null }))}>
          {clusters.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {namespaces && (
        <label>
          Namespace
          <select value={namespace} onChange={(e) => navigate(withQuery(url, { namespace: e.currentTarget.value }))}>
            {namespaces.map((n) => (
              <option key={n.namespace} value={n.namespace}>
                {n.namespace} ({n.workloads})
              </option>
            ))}
          </select>
        </label>
      )}
    </form>
  );
}

/** The namespace's graph with a proposal's gained and lost connections drawn on it (those between its nodes). */
function proposalOn(v: NetworkView, p: ProposalView | undefined): { nodes: GraphNode[]; edges: GraphEdge[]; changed: number } {
  const nodes: GraphNode[] = [...v.nodes];
  const edges: GraphEdge[] = [...v.edges.map((e) => ({ from: e.from, to: e.to, label: e.conn })), ...(v.observed ?? []).map((e) => ({ from: e.from, to: e.to, label: `seen: ${e.conn}`, kind: 'observed' as const }))];
  let changed = 0;
  const draw = (list: ProposalView['gained'], kind: 'gained' | 'lost') => {
    for (const c of list) {
      const from = graphEndpoint(c.from, v.namespace);
      const to = graphEndpoint(c.to, v.namespace);
      if (!from || !to || (c.from.namespace !== v.namespace && c.to.namespace !== v.namespace)) continue;
      for (const id of [from, to]) if (!nodes.some((n) => n.id === id)) nodes.push({ id, label: id.startsWith('namespace:') ? `namespace ${id.slice(10)}` : id, type: id.startsWith('namespace:') ? 'namespace' : 'workload' });
      edges.push({ from, to, label: `${kind === 'gained' ? '+' : '−'} ${c.connections}`, kind });
      changed++;
    }
  };
  if (p) {
    draw(p.gained, 'gained');
    draw(p.lost, 'lost');
  }
  return { nodes, edges, changed };
}

const labelOf = (v: NetworkView, id: string) => v.nodes.find((n) => n.id === id)?.label ?? id;

export function NetworkPage({ url }: { url: URL }) {
  const { data, error } = useApi<NetworkView>('/network', { cluster: url.searchParams.get('cluster'), namespace: url.searchParams.get('namespace') });
  // the pickers stay while the next namespace loads, so keyboard focus stays on them
  const last = useRef<NetworkView | undefined>(undefined);
  if (data) last.current = data;
  const pick = data ?? last.current;
  const [proposal, setProposal] = useState<ProposalView | undefined>(undefined);
  const shown = data && proposalOn(data, proposal?.cluster === data.cluster ? proposal : undefined);
  return (
    <>
      {pick && <Pickers url={url} clusters={pick.clusters} cluster={pick.cluster} namespaces={pick.namespaces} namespace={pick.namespace} />}
      {error && <Failure error={error} />}
      {!data && !error && <Loading what="the network" />}
      {data && (
        <div class="grid">
          <Section title={`Who can reach whom in ${data.namespace}`} id="graph" wide>
            <p class="muted">
              NetworkPolicy as the whole-cluster scan of {when(data.scannedAt)} found it: a grey arrow is a connection the policies allow; other namespaces are one node each.
              {data.truncated && ' Only the first edges are shown: the namespace allows more connections than a graph can show.'}
              {data.baseline
                ? ` A blue dotted arrow ("seen") is a connection the runtime baseline observed (${data.baseline.learned.events} events, uploaded ${when(data.baseline.uploadedAt)}); they are listed under "Observed connections".`
                : ' No runtime baseline was uploaded for this cluster, so no observed connection is shown.'}
            </p>
            {shown && shown.changed > 0 && <p>The proposal is drawn too: a green dashed arrow is a connection it adds, a red dashed one a connection it takes away (listed under "A proposed policy").</p>}
            <Graph nodes={shown!.nodes} edges={shown!.edges} label={`Network graph of namespace ${data.namespace}: ${data.nodes.length} nodes and ${data.edges.length} allowed connections, listed in the table below.`} />
            <table class="edges">
              <caption>Allowed connections</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Connections</th>
                </tr>
              </thead>
              <tbody>
                {data.edges.map((e) => (
                  <tr key={`${e.from}>${e.to}`}>
                    <td>{labelOf(data, e.from)}</td>
                    <td>{labelOf(data, e.to)}</td>
                    <td>{e.conn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          {data.baseline && (
            <Section title="Observed connections" id="observed" wide>
              {(data.observed ?? []).length === 0 ? (
                <Empty>The runtime baseline saw no connection of the workloads of {data.namespace}.</Empty>
              ) : (
                <table class="edges">
                  <caption>Seen by the runtime baseline (allowed or not by policy)</caption>
                  <thead>
                    <tr>
                      <th scope="col">From</th>
                      <th scope="col">To</th>
                      <th scope="col">Connections</th>
                      <th scope="col">Policy allows some connection between them</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.observed!.map((e) => (
                      <tr key={`${e.from}>${e.to}`}>
                        <td>{labelOf(data, e.from)}</td>
                        <td>{labelOf(data, e.to)}</td>
                        <td>{e.conn}</td>
                        <td>{e.to.startsWith('peer:') || e.from.startsWith('peer:') ? 'not in the graph' : data.edges.some((a) => a.from === e.from && a.to === e.to) ? 'yes' : 'no'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          )}
          <Section title="A proposed policy: what would it change?" id="proposal" wide>
            <Proposal cluster={data.cluster} namespace={data.namespace} onResult={setProposal} />
          </Section>
          <Section title="Reachable from outside the cluster" id="exposure">
            {data.exposures.length === 0 ? (
              <Empty>Nothing in {data.namespace} is exposed to outside traffic.</Empty>
            ) : (
              <ul class="exposures">
                {data.exposures.map((x) => (
                  <li key={`${x.workload}/${x.via}/${x.connections}`}>
                    <strong>{labelOf(data, x.workload)}</strong> via {x.via}: {x.connections}
                    {x.admitted === 'no' ? ' — NetworkPolicy refuses it' : x.admitted === 'depends' ? ' — depends on where the traffic comes from' : ''}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </>
  );
}
