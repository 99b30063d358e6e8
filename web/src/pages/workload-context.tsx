/**
 * On a workload's page: the RBAC power of its service account (what a compromised container's token allows, and
 * where it leads) and its runtime baseline. Each says plainly when nothing was recorded.
 */
import { Fragment } from 'preact';
import type { ContainerBaseline, WorkloadAccessView, WorkloadBaselineView } from '../api';
import { Empty, Failure, Loading, Severity } from '../components/bits';
import { when } from '../format';
import { useApi } from '../use-api';

export function WorkloadAccess({ cluster, namespace, kind, name }: { cluster: string; namespace: string; kind: string; name: string }) {
  const { data, error } = useApi<WorkloadAccessView>(namespace ? '/workloads/access' : null, { cluster, namespace, kind, name });
  if (!namespace) return <Empty>Cluster-scoped objects run no pods.</Empty>;
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="RBAC power" />;
  const a = data.access;
  if (!a) return <Empty>None recorded: {data.scannedAt ? `the whole-cluster scan of ${when(data.scannedAt)} did not list this workload` : `no whole-cluster scan of ${cluster} uploaded RBAC data (kubeguard scan --cluster --upload does)`}.</Empty>;
  return (
    <>
      <p>
        Runs as service account <strong>{a.serviceAccount.namespace}/{a.serviceAccount.name}</strong>
        {a.serviceAccount.declared ? '' : ' (no ServiceAccount object in the scan)'}. Its token {a.tokenMounted ? 'is' : 'is not'} in the pods: {a.tokenReason}. Blast radius <Severity value={a.severity} />{' '}
        <span class="muted">(scan of {when(data.scannedAt)})</span>
      </p>
      <h3>What the account may do</h3>
      {a.abilities.length === 0 ? (
        <Empty>No dangerous ability: none of its bindings grants secrets, pods, workloads, tokens, impersonation or RBAC changes.</Empty>
      ) : (
        <table class="abilities">
          <thead>
            <tr>
              <th scope="col">Scope</th>
              <th scope="col">May</th>
              <th scope="col">Granted by</th>
            </tr>
          </thead>
          <tbody>
            {a.abilities.map((l) => (
              <tr key={`${l.scope}/${l.ability}`}>
                <td>{l.scope}</td>
                <td>{l.words}</td>
                <td>{l.via.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Escalation paths</h3>
      {a.escalation.length === 0 ? (
        <Empty>None: the account reaches no capability beyond what it holds.</Empty>
      ) : (
        <ul class="escalation">
          {a.escalation.map((p) => (
            <li key={p.to}>
              <Severity value={p.severity} /> to <strong>{p.to}</strong> in {p.steps.length} step{p.steps.length === 1 ? '' : 's'}
              <ol>
                {p.steps.map((s, i) => (
                  <li key={i}>
                    {s.subject} {s.action} <span class="muted">({s.permission}; {s.via})</span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

const KINDS: [keyof ContainerBaseline, string][] = [
  ['processes', 'Processes'],
  ['egress', 'Connects to'],
  ['ingress', 'Accepts from'],
  ['dns', 'DNS names'],
  ['http', 'HTTP requests'],
];

export function WorkloadBaseline({ cluster, namespace, name }: { cluster: string; namespace: string; name: string }) {
  const { data, error } = useApi<WorkloadBaselineView>(namespace ? '/baselines/workload' : null, { cluster, namespace, workload: name });
  if (!namespace) return <Empty>Cluster-scoped objects run no pods.</Empty>;
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="the runtime baseline" />;
  if (!data.clusterBaseline) return <Empty>None recorded: no runtime baseline was uploaded for {cluster} (kubeguard runtime baseline learn, then PUT /api/v1/baselines).</Empty>;
  const c = data.clusterBaseline;
  const learnt = `learnt from ${c.learned.events} events${c.learned.from ? ` between ${when(c.learned.from)} and ${when(c.learned.until)}` : ''}, uploaded ${when(c.uploadedAt)}`;
  if (!data.baseline) return <Empty>None recorded: the cluster's baseline ({learnt}) has no entry for this workload.</Empty>;
  return (
    <>
      <p>
        {data.baseline.locked ? 'Locked: what it lacks is reported as a deviation.' : 'Learning (not locked): deviations are not reported yet.'} <span class="muted">The cluster's baseline was {learnt}.</span>
      </p>
      {Object.entries(data.baseline.containers).map(([container, b]) => (
        <div key={container}>
          <h3>Container {container}</h3>
          <dl class="baseline">
            {KINDS.map(([k, label]) => (
              <Fragment key={k}>
                <dt>{label}</dt>
                <dd>{b[k].length ? b[k].join(', ') : <span class="muted">none</span>}</dd>
              </Fragment>
            ))}
          </dl>
        </div>
      ))}
    </>
  );
}
