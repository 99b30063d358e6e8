/**
 * Where is our risk, and is it getting better: open findings by severity per cluster, the trend of open / new /
 * fixed findings, compliance per framework, the rules, namespaces and workloads with most open findings, exceptions
 * that end soon.
 */
import type { ComponentChildren } from 'preact';
import type { ClusterView, ComplianceScore, CountItem, ExceptionView, Overview, Page, Trends, WorstWorkload } from '../api';
import { SEVERITIES } from '../api';
import { Empty, Failure, Loading, Section, Severity } from '../components/bits';
import { loadCharts, TrendChart } from '../components/trend-chart';
import { count, day, when } from '../format';
import { Link, pathOf, withQuery } from '../router';
import { can, useSession } from '../session';
import { useApi } from '../use-api';

const findingsLink = (q: Record<string, string>) => withQuery(new URL('/findings', location.origin), { status: 'open', ...q });

function Clusters({ items }: { items: ClusterView[] }) {
  if (items.length === 0) return <Empty>No cluster has uploaded results yet: run <code>kubeguard scan --cluster --upload URL --token T</code>.</Empty>;
  const totals = Object.fromEntries(SEVERITIES.map((s) => [s, items.reduce((n, c) => n + (c.open[s] ?? 0), 0)]));
  return (
    <>
      <ul class="tiles" aria-label="Open findings by severity, all clusters">
        {SEVERITIES.map((s) => (
          <li key={s} class={`tile sev-${s}`}>
            <Link href={findingsLink({ severity: s })}>
              <span class="big">{count(totals[s])}</span> <span>{s}</span>
            </Link>
          </li>
        ))}
      </ul>
      <table>
        <caption>Open findings by cluster, worst first</caption>
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            {SEVERITIES.map((s) => (
              <th scope="col" key={s} class="num">
                {s}
              </th>
            ))}
            <th scope="col" class="num">
              excepted
            </th>
            <th scope="col">Last scan</th>
          </tr>
        </thead>
        <tbody>
          {[...items]
            .sort((a, b) => SEVERITIES.reduce((d, s) => d || (b.open[s] ?? 0) - (a.open[s] ?? 0), 0))
            .map((c) => (
              <tr key={c.name}>
                <th scope="row">
                  <Link href={findingsLink({ cluster: c.name })}>{c.name}</Link>
                </th>
                {SEVERITIES.map((s) => (
                  <td class="num" key={s}>
                    {c.open[s] ? <Link href={findingsLink({ cluster: c.name, severity: s })}>{count(c.open[s])}</Link> : '0'}
                  </td>
                ))}
                <td class="num">{count(c.excepted)}</td>
                <td>{when(Object.values(c.lastScans).sort().pop())}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}

function Trend({ data }: { data: Trends }) {
  // every day of the period, so one day of data still reads as a month
  const days: string[] = [];
  for (let t = Date.parse(data.from.slice(0, 10)); t <= Date.parse(data.to.slice(0, 10)); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const open = new Map(data.open.map((p) => [p.day, p.open]));
  const flow = new Map(data.flow.map((p) => [p.day, p]));
  return (
    <TrendChart
      title="Findings per day, last 30 days"
      days={days}
      series={[
        { label: 'open', stroke: '#0b3d91', values: days.map((d) => open.get(d) ?? null) },
        { label: 'new', stroke: '#b3261e', dash: [6, 4], values: days.map((d) => flow.get(d)?.new ?? 0) },
        { label: 'fixed', stroke: '#1a7f37', dash: [2, 3], values: days.map((d) => flow.get(d)?.fixed ?? 0) },
      ]}
    />
  );
}

function TopCounts({ by, items, link }: { by: string; items: CountItem[]; link: (g: Record<string, string>) => string }) {
  if (items.length === 0) return <Empty>No open findings.</Empty>;
  const dims = by.split(',');
  return (
    <table>
      <thead>
        <tr>
          {dims.map((d) => (
            <th scope="col" key={d}>
              {d}
            </th>
          ))}
          <th scope="col" class="num">
            open
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={dims.map((d) => i.group[d]).join('/')}>
            {dims.map((d, n) => (
              <td key={d}>{n < dims.length - 1 ? i.group[d] : i.group[d] ? <Link href={link(i.group)}>{i.group[d]}</Link> : '(no namespace)'}</td>
            ))}
            <td class="num">{count(i.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The workloads with most open findings, worst severities first, each linked to its page. */
function Workloads({ items }: { items: WorstWorkload[] }) {
  if (items.length === 0) return <Empty>No workload has open findings.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          <th scope="col">Workload</th>
          {SEVERITIES.map((s) => (
            <th scope="col" key={s} class="num">
              {s}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((w) => (
          <tr key={[w.cluster, w.namespace, w.kind, w.name].join('/')}>
            <td>{w.cluster}</td>
            <td>
              <Link href={pathOf('workloads', w.cluster, w.namespace || '-', w.kind, w.name)}>
                {w.kind} {w.namespace ? `${w.namespace}/` : ''}
                {w.name}
              </Link>
            </td>
            {SEVERITIES.map((s) => (
              <td class="num" key={s}>
                {count(w.open[s] ?? 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Expiring() {
  const { data, error } = useApi<Page<ExceptionView>>('/exceptions', { status: 'approved', limit: 1000 });
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="exceptions" />;
  const soon = Date.now() + 14 * 86_400_000;
  const items = data.items.filter((e) => e.expires && Date.parse(e.expires.length === 10 ? `${e.expires}T23:59:59Z` : e.expires) <= soon).sort((a, b) => (a.expires! < b.expires! ? -1 : 1));
  if (items.length === 0) return <Empty>No approved exception ends in the next 14 days.</Empty>;
  return (
    <ul>
      {items.map((e) => (
        <li key={e.id}>
          <Link href={`/exceptions/${e.id}`}>
            #{e.id} {e.rules.join(', ')}
          </Link>{' '}
          ends {day(e.expires)} ({count(e.findings)} findings)
        </li>
      ))}
    </ul>
  );
}

const FRAMEWORK_NAMES: Record<string, string> = { cis: 'CIS', nsa: 'NSA/CISA', mitre: 'MITRE ATT&CK', 'pss-baseline': 'PSS baseline', 'pss-restricted': 'PSS restricted' };

/** Each cluster's compliance per framework (its latest whole-cluster scan), with the change since the scan before. */
function Compliance({ items }: { items: ComplianceScore[] }) {
  if (items.length === 0) return <Empty>No whole-cluster scan uploaded compliance scores yet (kubeguard scan --cluster --upload does).</Empty>;
  const frameworks = [...new Set(items.map((c) => c.framework))];
  const clusters = [...new Set(items.map((c) => c.cluster))];
  const cell = (c: ComplianceScore | undefined) => {
    if (!c) return '—';
    if (c.score === null) return <span title="no control could be decided">n/a</span>;
    const d = c.previous?.score == null ? undefined : Math.round((c.score - c.previous.score) * 10) / 10;
    return (
      <>
        {c.score.toFixed(1)}%{' '}
        <span class="muted">
          {c.pass}/{c.pass + c.fail}
          {d ? `, ${d > 0 ? 'up' : 'down'} ${Math.abs(d)}` : ''}
        </span>
      </>
    );
  };
  return (
    <table class="compliance">
      <caption>Controls passed of those decided, per framework (scan --framework); change since the scan before</caption>
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          {frameworks.map((f) => (
            <th scope="col" key={f} class="num">
              {FRAMEWORK_NAMES[f] ?? f}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {clusters.map((cluster) => (
          <tr key={cluster}>
            <th scope="row">{cluster}</th>
            {frameworks.map((f) => (
              <td class="num" key={f}>
                {cell(items.find((c) => c.cluster === cluster && c.framework === f))}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OverviewPage() {
  void loadCharts();
  const { session } = useSession();
  // one request for every section (the server answers them in one pass)
  const { data, error } = useApi<Overview>('/overview');
  const show = (what: string, f: (o: Overview) => ComponentChildren) => (error ? <Failure error={error} /> : data ? f(data) : <Loading what={what} />);
  return (
    <div class="grid">
      <Section title="Risk by cluster" id="clusters">
        {show('clusters', (o) => <Clusters items={o.clusters} />)}
      </Section>
      <Section title="Trend" id="trend">
        {show('trends', (o) => <Trend data={o.trends} />)}
      </Section>
      <Section title="Compliance" id="compliance">
        {show('compliance', (o) => <Compliance items={o.compliance} />)}
      </Section>
      <Section title="Top rules (open findings)" id="rules">
        {show('top rules', (o) => <TopCounts by="ruleId" items={o.topRules} link={(g) => findingsLink({ ruleId: g.ruleId })} />)}
      </Section>
      <Section title="Worst namespaces" id="namespaces">
        {show('namespaces', (o) => <TopCounts by="cluster,namespace" items={o.worstNamespaces} link={(g) => findingsLink({ cluster: g.cluster, namespace: g.namespace })} />)}
      </Section>
      <Section title="Worst workloads" id="workloads">
        {show('workloads', (o) => <Workloads items={o.worstWorkloads} />)}
      </Section>
      {can(session, 'exceptions:read') && (
        <Section title="Exceptions ending soon" id="expiring">
          <Expiring />
        </Section>
      )}
      <p class="muted">
        Severity legend: <Severity value="critical" /> <Severity value="high" /> <Severity value="medium" /> <Severity value="low" /> <Severity value="info" />
      </p>
    </div>
  );
}
