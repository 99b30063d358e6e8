/** Runtime incidents as a timeline: incidents per day by severity (chart), then the incidents, newest first. */
import type { Incident, Page } from '../api';
import { SEVERITIES } from '../api';
import { Empty, Failure, Loading, Severity, Status } from '../components/bits';
import { loadCharts, TrendChart } from '../components/trend-chart';
import { count, when } from '../format';
import { Link, withQuery } from '../router';
import { useApi } from '../use-api';
import { workloadPath } from './findings';

const COLOURS: Record<string, string> = { critical: '#8b0000', high: '#b3261e', medium: '#8a5a00', low: '#0b5394', info: '#57606a' };

export function workloadOf(i: Incident): { namespace?: string; kind: string; name: string } | undefined {
  const w = i.incident.workload as { namespace?: string; pod?: string; owner?: { kind?: string; name?: string } } | undefined;
  if (!w) return undefined;
  if (w.owner?.kind && w.owner.name) return { namespace: w.namespace, kind: w.owner.kind, name: w.owner.name };
  return w.pod ? { namespace: w.namespace, kind: 'Pod', name: w.pod } : undefined;
}

export function IncidentList({ items }: { items: Incident[] }) {
  return (
    <ol class="timeline">
      {items.map((i) => {
        const w = workloadOf(i);
        return (
          <li key={`${i.cluster}/${i.id}`}>
            <time dateTime={i.lastSeen}>{when(i.lastSeen)}</time> <Severity value={i.severity} /> <strong>{i.title}</strong>{' '}
            <span class="muted">
              {i.detector} · {count(i.count)}× since {when(i.firstSeen)} · {i.cluster}
            </span>{' '}
            {w && <Link href={workloadPath(i.cluster, w)}>{`${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`}</Link>} <Status value={i.status} />
          </li>
        );
      })}
    </ol>
  );
}

export function RuntimePage({ url }: { url: URL }) {
  void loadCharts();
  const p = url.searchParams;
  const query = { cluster: p.get('cluster') ?? undefined, namespace: p.get('namespace') ?? undefined, severity: p.get('severity') ?? undefined, detector: p.get('detector') ?? undefined, limit: 200, next: p.get('after') ?? undefined };
  const { data, error } = useApi<Page<Incident>>('/incidents', query);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="incidents" />;
  if (data.items.length === 0) return <Empty>No runtime incident matches. Incidents arrive from <code>kubeguard runtime serve --upload …</code>.</Empty>;
  const perDay = new Map<string, Record<string, number>>();
  for (const i of data.items) {
    const d = i.lastSeen.slice(0, 10);
    const row = perDay.get(d) ?? perDay.set(d, {}).get(d)!;
    row[i.severity] = (row[i.severity] ?? 0) + 1;
  }
  const days = [...perDay.keys()].sort();
  return (
    <>
      <TrendChart title={`Incidents per day (the ${data.items.length} shown)`} days={days} series={SEVERITIES.map((s) => ({ label: s, stroke: COLOURS[s], values: days.map((d) => perDay.get(d)![s] ?? 0) }))} />
      <IncidentList items={data.items} />
      {data.next && (
        <nav class="pager" aria-label="Pages">
          <Link href={withQuery(url, { after: data.next })}>Older incidents</Link>
        </nav>
      )}
    </>
  );
}
