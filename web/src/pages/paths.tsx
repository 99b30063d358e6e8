/**
 * Attack paths as the last whole-cluster scan found them: from the internet (or a workload with runtime incidents)
 * to cluster-admin, every Secret or root on a node — each step explained (what it needs, its MITRE ATT&CK
 * technique) and the step the cut removes marked; the cut itself (the fewest changes that break every path). The
 * graph shows all paths, the one chosen in red; the list is the same content for keyboard and screen readers.
 */
import { useRef, useState } from 'preact/hooks';
import type { AttackPathsView } from '../api';
import { Empty, Failure, Loading, Section } from '../components/bits';
import { Graph } from '../components/graph';
import { when } from '../format';
import { navigate, withQuery } from '../router';
import { useApi } from '../use-api';

export function PathsPage({ url }: { url: URL }) {
  const { data, error } = useApi<AttackPathsView>('/attack-paths', { cluster: url.searchParams.get('cluster') });
  const [chosen, setChosen] = useState(0);
  // the picker stays while the next cluster loads, so keyboard focus stays on it
  const last = useRef<AttackPathsView | undefined>(undefined);
  if (data) last.current = data;
  const pick = data ?? last.current;
  const label = (id: string) => data?.nodes[id]?.label ?? id;
  const path = data?.paths[chosen];
  const nodes = data ? [...new Set(data.paths.flatMap((p) => p.hops.flatMap((h) => [h.from, h.to])))].map((id) => ({ id, label: label(id), type: data.nodes[id]?.type ?? 'workload' })) : [];
  const edges = data ? [...new Map(data.paths.flatMap((p) => p.hops).map((h) => [`${h.from}>${h.to}`, { from: h.from, to: h.to, label: h.edge, marked: !!path?.hops.some((x) => x.from === h.from && x.to === h.to) }])).values()] : [];
  return (
    <>
      {pick && (
        <form class="filters" aria-label="Choose the cluster" onSubmit={(e) => e.preventDefault()}>
          <label>
            Cluster
            <select value={pick.cluster} onChange={(e) => navigate(withQuery(url, { cluster: e.currentTarget.value }))}>
              {pick.clusters.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </form>
      )}
      {error && <Failure error={error} />}
      {!data && !error && <Loading what="attack paths" />}
      {data && data.paths.length === 0 && <Empty>The scan of {when(data.scannedAt)} found no attack path to cluster-admin, Secrets or the nodes.</Empty>}
      {data && data.paths.length > 0 && (
        <div class="grid">
          <Section title="Attack paths" id="paths" wide>
            <p class="muted">
              {data.paths.length} path{data.paths.length === 1 ? '' : 's'} found by the whole-cluster scan of {when(data.scannedAt)}, most likely first. Path {chosen + 1} is drawn in red.
            </p>
            <Graph nodes={nodes} edges={edges} label={`Attack graph: ${nodes.length} nodes, ${edges.length} steps; path ${chosen + 1} highlighted. Every path is listed step by step below.`} />
            <ol class="paths">
              {data.paths.map((p, i) => (
                <li key={i}>
                  <h3>
                    {label(p.from)} → {label(p.to)} <span class="muted">(likelihood {p.score}, {p.hops.length} steps)</span>{' '}
                    <button type="button" aria-pressed={i === chosen} onClick={() => setChosen(i)}>
                      {i === chosen ? 'Shown on the graph' : `Show path ${i + 1} on the graph`}
                    </button>
                  </h3>
                  <ol class="steps">
                    {p.hops.map((h, n) => {
                      const cut = p.cuts.find((c) => c.hop === n);
                      return (
                        <li key={n} class={cut ? 'cut' : undefined}>
                          <strong>{label(h.from)}</strong> → <strong>{label(h.to)}</strong> ({h.edge}): {h.evidence}{' '}
                          <span class="muted">
                            {h.technique.id} {h.technique.name}
                          </span>
                          {cut && <p class="cut-here">Cut here: {cut.change}</p>}
                        </li>
                      );
                    })}
                  </ol>
                </li>
              ))}
            </ol>
          </Section>
          <Section title="The cut" id="cut">
            {data.cut.length === 0 ? (
              <Empty>No change we know of breaks these paths.</Empty>
            ) : (
              <ul>
                {data.cut.map((c) => (
                  <li key={c.change}>
                    {c.change} <span class="muted">(breaks {c.breaks} of the paths)</span>
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
