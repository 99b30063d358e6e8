/**
 * Vulnerabilities: advisories (CVE, GHSA, …) worst first with how many images, workloads and clusters they reach;
 * one advisory → its images (a published fix and the most exposed first) → the workloads running them, per
 * cluster. Filters live in the URL.
 */
import type { AdvisoryDetail, AdvisoryView } from '../api';
import { Empty, Failure, Loading, Section, Severity, Status } from '../components/bits';
import { count } from '../format';
import { Link, pathOf, withQuery } from '../router';
import { FilterForm, SeverityFilter, TextFilter } from '../components/filters';
import { useApi } from '../use-api';
import { workloadPath } from './findings';

const FILTERS = ['cluster', 'namespace', 'severity', 'fixable', 'q'] as const;

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = url.searchParams.get(k);
    if (v) out[k] = v;
  }
  return out;
}

function Filters({ url }: { url: URL }) {
  return (
    <FilterForm url={url} label="Filter vulnerabilities" clearHref="/vulnerabilities">
      <label>
        Search
        <input name="q" type="search" defaultValue={url.searchParams.get('q') ?? ''} placeholder="advisory id, package or image" />
      </label>
      <TextFilter url={url} name="cluster" label="Cluster" />
      <TextFilter url={url} name="namespace" label="Namespace" />
      <SeverityFilter url={url} />
      <label>
        Fix
        <select name="fixable" defaultValue={url.searchParams.get('fixable') ?? ''}>
          <option value="">any</option>
          <option value="true">a fix is published</option>
          <option value="false">no fix yet</option>
        </select>
      </label>
    </FilterForm>
  );
}

export function VulnerabilitiesPage({ url }: { url: URL }) {
  const query = queryOf(url);
  const { data, error } = useApi<{ items: AdvisoryView[]; truncated: boolean }>('/vulnerabilities', query);
  const qs = new URLSearchParams(query).toString();
  return (
    <>
      <Filters url={url} key={url.search} />
      {error ? (
        <Failure error={error} />
      ) : !data ? (
        <Loading what="vulnerabilities" />
      ) : data.items.length === 0 ? (
        <Empty>No open vulnerability matches. Images are scanned by `kubeguard image scan --upload` or `kubeguard scan --images --upload`.</Empty>
      ) : (
        <>
          <p class="muted" role="status">
            {count(data.items.length)} advisories{data.truncated && ' (the first 5,000; narrow the filters)'}
          </p>
          <table class="advisories">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Advisory</th>
                <th scope="col">Fix</th>
                <th scope="col" class="num">
                  Images
                </th>
                <th scope="col" class="num">
                  Workloads
                </th>
                <th scope="col" class="num">
                  Clusters
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Severity value={a.severity} />
                  </td>
                  <th scope="row">
                    <Link class="open-advisory" href={pathOf('vulnerabilities', a.id) + (qs ? `?${qs}` : '')}>
                      {a.id}
                    </Link>
                  </th>
                  <td>{a.fixable ? 'published' : 'none yet'}</td>
                  <td class="num">{count(a.images)}</td>
                  <td class="num">{count(a.workloads)}</td>
                  <td class="num">{count(a.clusters)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function AdvisoryPage({ id, url }: { id: string; url: URL }) {
  const { data, error } = useApi<AdvisoryDetail>(pathOf('vulnerabilities', id), queryOf(url));
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what={id} />;
  return (
    <>
      <p>
        <Severity value={data.severity} /> {data.message.split(' — image ')[0]}
      </p>
      <p>
        <Link href={withQuery(new URL('/findings', location.origin), { ruleId: id })}>Every finding of {id}</Link>
        {data.truncated && <span class="muted"> (the first 20,000 shown here)</span>}
      </p>
      {data.images.map((img) => (
        <Section key={img.image} title={img.image} wide>
          <p class="muted">
            {img.fixedIn ? `fixed in ${img.fixedIn}` : 'no fix published'}
            {img.exposure && ` · most exposed workload: ${img.exposure}`} · clusters: {img.clusters.join(', ')}
          </p>
          {img.workloads.length === 0 ? (
            <Empty>No workload scan has seen this image run (scanned directly only).</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Workload</th>
                  <th scope="col">Cluster</th>
                  <th scope="col">Container</th>
                  <th scope="col">Exposure</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {img.workloads.map((w) => (
                  <tr key={`${w.cluster}/${w.fingerprint}`}>
                    <th scope="row">
                      <Link href={workloadPath(w.cluster, w)}>
                        {w.kind} {w.namespace ? `${w.namespace}/` : ''}
                        {w.name}
                      </Link>
                    </th>
                    <td>{w.cluster}</td>
                    <td>{w.container ?? '—'}</td>
                    <td>{w.exposure ?? '—'}</td>
                    <td>
                      <Status value={w.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      ))}
    </>
  );
}
