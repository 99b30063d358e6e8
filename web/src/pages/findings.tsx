/**
 * Findings: filters, search, sort and paging all happen on the server and live in the URL (a filtered view is a
 * link to share). Keyboard: "/" focuses the search, "j"/"k" move between findings, Enter opens one.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Finding, Page } from '../api';
import { Empty, Failure, Loading, Severity, Status } from '../components/bits';
import { ago, resourceName } from '../format';
import { Link, pathOf, withQuery } from '../router';
import { FilterForm, SeverityFilter, TextFilter } from '../components/filters';
import { useApi } from '../use-api';

export const FILTERS = ['cluster', 'namespace', 'ruleId', 'kind', 'name', 'severity', 'status', 'since', 'q', 'sort'] as const;
const SORTS: [string, string][] = [
  ['severity', 'severity, worst first'],
  ['-lastSeen', 'last seen, newest first'],
  ['-firstSeen', 'first seen, newest first'],
  ['ruleId', 'rule'],
  ['resource', 'object'],
];

export function findingPath(f: Pick<Finding, 'cluster' | 'fingerprint'>): string {
  return pathOf('findings', f.cluster, f.fingerprint);
}

export function workloadPath(cluster: string, r: { kind: string; namespace?: string; name: string }): string {
  return pathOf('workloads', cluster, r.namespace || '-', r.kind, r.name);
}

function FilterBar({ url }: { url: URL }) {
  const p = url.searchParams;
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <FilterForm url={url} label="Filter findings" clearHref="/findings">
      <label>
        Search <span class="muted">(/)</span>
        <input ref={search} name="q" type="search" defaultValue={p.get('q') ?? ''} placeholder="object, namespace, rule or message" />
      </label>
      <TextFilter url={url} name="cluster" label="Cluster" />
      <TextFilter url={url} name="namespace" label="Namespace" />
      <TextFilter url={url} name="ruleId" label="Rule" />
      <TextFilter url={url} name="kind" label="Kind" />
      <TextFilter url={url} name="name" label="Name" />
      <SeverityFilter url={url} />
      <label>
        Status
        <select name="status" defaultValue={p.get('status') ?? ''}>
          <option value="">any</option>
          <option value="open">open</option>
          <option value="excepted">excepted</option>
          <option value="fixed">fixed</option>
        </select>
      </label>
      <label>
        New since
        <input name="since" type="date" defaultValue={p.get('since') ?? ''} />
      </label>
      <label>
        Sort
        <select name="sort" defaultValue={p.get('sort') ?? 'severity'}>
          {SORTS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
    </FilterForm>
  );
}

function rowKeys(e: KeyboardEvent) {
  if ((e.key !== 'j' && e.key !== 'k') || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable) return;
  const links = [...document.querySelectorAll<HTMLAnchorElement>('table.findings tbody a.open-finding')];
  if (links.length === 0) return;
  const i = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = e.key === 'j' ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
  e.preventDefault();
  links[i < 0 ? 0 : next].focus();
}

export function FindingsTable({ items, showCluster = true, showObject = true }: { items: Finding[]; showCluster?: boolean; showObject?: boolean }) {
  useEffect(() => {
    document.addEventListener('keydown', rowKeys);
    return () => document.removeEventListener('keydown', rowKeys);
  }, []);
  return (
    <table class="findings">
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Finding</th>
          {showObject && <th scope="col">Object</th>}
          {showCluster && <th scope="col">Cluster</th>}
          <th scope="col">Status</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {items.map((f) => (
          <tr key={`${f.cluster}/${f.fingerprint}`} class={`row-${f.status}`}>
            <td>
              <Severity value={f.severity} />
            </td>
            <td>
              <Link class="open-finding" href={findingPath(f)}>
                {f.message || f.ruleId}
              </Link>
              <div class="muted small">{f.ruleId}</div>
            </td>
            {showObject && (
              <td>
                <Link href={workloadPath(f.cluster, f.resource)}>{resourceName(f.resource)}</Link>
              </td>
            )}
            {showCluster && <td>{f.cluster}</td>}
            <td>
              <Status value={f.status} />
              {f.reopenCount > 0 && <span class="muted small"> reopened ×{f.reopenCount}</span>}
            </td>
            <td title={f.lastSeen}>{ago(f.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FindingsPage({ url }: { url: URL }) {
  const p = url.searchParams;
  const query: Record<string, string | undefined> = { limit: '50', sort: p.get('sort') ?? 'severity', next: p.get('after') ?? undefined };
  for (const k of FILTERS) if (k !== 'sort' && p.get(k)) query[k] = k === 'since' ? `${p.get(k)}T00:00:00Z` : p.get(k)!;
  const { data, error } = useApi<Page<Finding>>('/findings', query);
  const total = useApi<{ count: number; more: boolean }>('/findings/total', { ...query, limit: undefined, next: undefined, sort: undefined });
  return (
    <>
      <FilterBar url={url} key={url.search} />
      <div aria-live="polite" class="muted" role="status">
        {total.data && `${total.data.more ? 'more than ' : ''}${total.data.count.toLocaleString('en-US')} findings match`}
      </div>
      {error ? (
        <Failure error={error} />
      ) : !data ? (
        <Loading what="findings" />
      ) : data.items.length === 0 ? (
        <Empty>No finding matches these filters.</Empty>
      ) : (
        <>
          <FindingsTable items={data.items} />
          <nav class="pager" aria-label="Pages">
            {p.get('after') && <Link href={withQuery(url, { after: '' })}>First page</Link>}
            {data.next && (
              <Link href={withQuery(url, { after: data.next })} rel="next">
                Next page
              </Link>
            )}
          </nav>
        </>
      )}
    </>
  );
}
