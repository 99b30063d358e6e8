/**
 * A workload (or any object): the vulnerabilities of its images (a published fix first), its other findings, what
 * can reach it and the attack paths through it, its service account's RBAC power, its runtime baseline, and the
 * runtime incidents of its pods.
 */
import type { AdvisoryView, Finding, Incident, Page } from '../api';
import { Empty, Failure, Loading, Section, Severity } from '../components/bits';
import { Link, pathOf, withQuery } from '../router';
import { useApi } from '../use-api';
import { FindingsTable } from './findings';
import { IncidentList, workloadOf } from './runtime';
import { WorkloadReach } from './workload-graphs';
import { WorkloadAccess, WorkloadBaseline } from './workload-context';

export function WorkloadPage({ cluster, namespace, kind, name }: { cluster: string; namespace: string; kind: string; name: string }) {
  const filter = { cluster, namespace: namespace || undefined, kind, name };
  const findings = useApi<Page<Finding>>('/findings', { ...filter, status: 'open,excepted', sort: 'severity', limit: 200 });
  const vulns = useApi<{ items: AdvisoryView[] }>('/vulnerabilities', filter);
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
      <Section title="Image vulnerabilities" id="vulnerabilities" wide>
        {vulns.error ? <Failure error={vulns.error} /> : !vulns.data ? <Loading what="vulnerabilities" /> : vulns.data.items.length === 0 ? <Empty>No open vulnerability recorded for this workload's images (scan --images --upload records them).</Empty> : <WorkloadVulnerabilities items={vulns.data.items} />}
      </Section>
      <Section title="Findings" id="findings" wide>
        {findings.error ? (
          <Failure error={findings.error} />
        ) : !findings.data ? (
          <Loading what="findings" />
        ) : findings.data.items.length === 0 ? (
          <Empty>No open or excepted finding on this object.</Empty>
        ) : (
          <>
            <FindingsTable items={findings.data.items.filter((f) => !isAdvisoryId(f.ruleId))} showCluster={false} showObject={false} />
            <p>
              <Link href={withQuery(new URL('/findings', location.origin), { ...filter, status: '' })}>All findings of this object, fixed ones too</Link>
            </p>
          </>
        )}
      </Section>
      <Section title="Network and attack paths" id="reach">
        <WorkloadReach cluster={cluster} namespace={namespace} kind={kind} name={name} />
      </Section>
      <Section title="RBAC power of its service account" id="access">
        <WorkloadAccess cluster={cluster} namespace={namespace} kind={kind} name={name} />
      </Section>
      <Section title="Runtime baseline" id="baseline">
        <WorkloadBaseline cluster={cluster} namespace={namespace} name={name} />
      </Section>
      <Section title="Runtime incidents" id="incidents">
        {incidents.error ? <Failure error={incidents.error} /> : !mine ? <Loading what="incidents" /> : mine.length === 0 ? <Empty>No runtime incident from this workload's pods.</Empty> : <IncidentList items={mine} />}
      </Section>
      </div>
    </>
  );
}

/** Advisory ids (CVE-…, GHSA-…) start with a capital letter; rule ids are lower-case kebab-case. */
function isAdvisoryId(ruleId: string): boolean {
  return /^[A-Z]/.test(ruleId);
}

const RANK = ['critical', 'high', 'medium', 'low', 'info'];

/** Ranked for action: a published fix first, then by severity. */
function WorkloadVulnerabilities({ items }: { items: AdvisoryView[] }) {
  const ranked = [...items].sort((a, b) => Number(b.fixable) - Number(a.fixable) || RANK.indexOf(a.severity) - RANK.indexOf(b.severity) || (a.id < b.id ? -1 : 1));
  return (
    <table class="advisories">
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Advisory</th>
          <th scope="col">Fix</th>
        </tr>
      </thead>
      <tbody>
        {ranked.map((a) => (
          <tr key={a.id}>
            <td>
              <Severity value={a.severity} />
            </td>
            <th scope="row">
              <Link href={pathOf('vulnerabilities', a.id)}>{a.id}</Link>
            </th>
            <td>{a.fixable ? 'published' : 'none yet'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
