/** A workload (or any object): its findings, and the runtime incidents of its pods. */
import type { Finding, Incident, Page } from '../api';
import { Empty, Failure, Loading, Section } from '../components/bits';
import { Link, withQuery } from '../router';
import { useApi } from '../use-api';
import { FindingsTable } from './findings';
import { IncidentList, workloadOf } from './runtime';

export function WorkloadPage({ cluster, namespace, kind, name }: { cluster: string; namespace: string; kind: string; name: string }) {
  const filter = { cluster, namespace: namespace || undefined, kind, name };
  const findings = useApi<Page<Finding>>('/findings', { ...filter, status: 'open,excepted', sort: 'severity', limit: 200 });
  const incidents = useApi<Page<Incident>>('/incidents', { cluster, namespace: namespace || undefined, limit: 200 });
  const mine = incidents.data?.items.filter((i) => {
    const w = workloadOf(i);
    return w && w.kind === kind && w.name === name;
  });
  return (
    <>
      <p class="muted">
        Cluster {cluster}
        {namespace && `, namespace ${namespace}`}
      </p>
      <div class="grid">
      <Section title="Findings" id="findings" wide>
        {findings.error ? (
          <Failure error={findings.error} />
        ) : !findings.data ? (
          <Loading what="findings" />
        ) : findings.data.items.length === 0 ? (
          <Empty>No open or excepted finding on this object.</Empty>
        ) : (
          <>
            <FindingsTable items={findings.data.items} showCluster={false} showObject={false} />
            <p>
              <Link href={withQuery(new URL('/findings', location.origin), { ...filter, status: '' })}>All findings of this object, fixed ones too</Link>
            </p>
          </>
        )}
      </Section>
      <Section title="Runtime incidents" id="incidents">
        {incidents.error ? <Failure error={incidents.error} /> : !mine ? <Loading what="incidents" /> : mine.length === 0 ? <Empty>No runtime incident from this workload's pods.</Empty> : <IncidentList items={mine} />}
      </Section>
      </div>
    </>
  );
}
