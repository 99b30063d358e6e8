/**
 * "What would this policy change?": NetworkPolicies pasted or read from a file, evaluated by the server against the
 * cluster's network from its latest whole-cluster scan (POST /api/v1/network/proposal, as `kubeguard netpol diff`);
 * the connections gained and lost are listed, and those of the namespace shown are drawn on its graph.
 */
import { useState } from 'preact/hooks';
import { api, type ProposalChange, type ProposalView } from '../api';
import { Empty, Failure } from '../components/bits';

function Changes({ title, items, total }: { title: string; items: ProposalChange[]; total: number }) {
  return (
    <table class="edges">
      <caption>
        {title} ({total}
        {total > items.length ? `, the first ${items.length} listed` : ''})
      </caption>
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Connections</th>
          <th scope="col">Before → after</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={`${c.from.id}>${c.to.id}`}>
            <td>{c.from.label}</td>
            <td>{c.to.label}</td>
            <td>{c.connections}</td>
            <td>
              {c.before} → {c.after}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Proposal({ cluster, namespace, onResult }: { cluster: string; namespace: string; onResult: (r: ProposalView | undefined) => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [result, setResult] = useState<ProposalView | undefined>(undefined);
  const show = (r: ProposalView | undefined) => {
    setResult(r);
    onResult(r);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      show(await api<ProposalView>('/network/proposal', { method: 'POST', body: { cluster, namespace, policies: text } }));
    } catch (err) {
      show(undefined);
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const readFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setText(await file.text());
  };
  return (
    <>
      <form class="proposal" onSubmit={submit} aria-label="Evaluate a proposed NetworkPolicy">
        <label for="proposal-text">NetworkPolicy YAML or JSON (several documents allowed; without a namespace: {namespace})</label>
        <textarea id="proposal-text" rows={10} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="row">
          <label>
            or read a file <input type="file" accept=".yaml,.yml,.json" onChange={readFile} />
          </label>
          <button type="submit" disabled={busy || !text.trim()}>
            {busy ? 'Evaluating…' : 'What would it change?'}
          </button>
          {result && (
            <button type="button" class="secondary" onClick={() => show(undefined)}>
              Clear
            </button>
          )}
        </div>
      </form>
      {error && <Failure error={error} />}
      {result && (
        <div role="status" aria-live="polite" class="proposal-result">
          <p>
            {result.policies.map((p) => `${p.namespace}/${p.name} (${p.replaces ? 'replaces the one in the cluster' : 'new'})`).join(', ')}: {result.counts.gained} connection(s) gained, {result.counts.lost} lost, against the scan of {cluster}.
          </p>
          {result.warnings.map((w) => (
            <p class="error" key={w}>
              {w}
            </p>
          ))}
          {result.counts.gained + result.counts.lost === 0 ? <Empty>Nothing would change: the cluster's policies already allow exactly this.</Empty> : null}
          {result.counts.gained > 0 && <Changes title="Gained" items={result.gained} total={result.counts.gained} />}
          {result.counts.lost > 0 && <Changes title="Lost" items={result.lost} total={result.counts.lost} />}
        </div>
      )}
    </>
  );
}

/** A change's endpoints as the namespace graph names them (other namespaces are one node; outside addresses are not drawn). */
export function graphEndpoint(e: ProposalChange['from'], namespace: string): string | undefined {
  if (e.id.startsWith('external:')) return undefined;
  return e.namespace === namespace ? e.id : `namespace:${e.namespace}`;
}
