/** Exceptions: the requests waiting for a decision, those in force, and their history; approve, reject, revoke. */
import { useState } from 'preact/hooks';
import type { ExceptionView, Page } from '../api';
import { api, ApiError } from '../api';
import { Empty, Failure, Loading, Section, Status } from '../components/bits';
import { count, day, when } from '../format';
import { Link, withQuery } from '../router';
import { can, useSession } from '../session';
import { useApi } from '../use-api';

const TABS = [
  ['requested', 'Waiting for a decision'],
  ['approved', 'In force'],
  ['expired,revoked,rejected', 'Ended or rejected'],
] as const;

function scope(e: ExceptionView): string {
  const parts = [`clusters ${e.clusters.length ? e.clusters.join(', ') : 'all'}`];
  if (e.namespaces) parts.push(`namespaces ${e.namespaces.join(', ')}`);
  if (e.kinds) parts.push(`kinds ${e.kinds.join(', ')}`);
  if (e.names) parts.push(`names ${e.names.join(', ')}`);
  return parts.join('; ');
}

export function ExceptionsPage({ url }: { url: URL }) {
  const status = url.searchParams.get('status') ?? 'requested';
  const { data, error } = useApi<Page<ExceptionView>>('/exceptions', { status, limit: 100, next: url.searchParams.get('after') ?? undefined });
  return (
    <>
      <nav class="tabs" aria-label="Exception states">
        <ul>
          {TABS.map(([s, label]) => (
            <li key={s}>
              <Link href={withQuery(url, { status: s, after: '' })} aria-current={s === status ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {error ? (
        <Failure error={error} />
      ) : !data ? (
        <Loading what="exceptions" />
      ) : data.items.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Rules</th>
                <th scope="col">Where</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col" class="num">
                  Findings
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link href={`/exceptions/${e.id}`}>#{e.id}</Link>
                  </td>
                  <td>{e.rules.join(', ')}</td>
                  <td>{scope(e)}</td>
                  <td>{e.reason}</td>
                  <td>
                    <Status value={e.status} />
                  </td>
                  <td>{day(e.expires)}</td>
                  <td class="num">{count(e.findings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.next && (
            <nav class="pager" aria-label="Pages">
              <Link href={withQuery(url, { after: data.next })}>Next page</Link>
            </nav>
          )}
        </>
      )}
    </>
  );
}

export function ExceptionPage({ id }: { id: string }) {
  const { session } = useSession();
  const { data: e, error, reload } = useApi<ExceptionView>(`/exceptions/${encodeURIComponent(id)}`);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  if (error) return <Failure error={error} />;
  if (!e) return <Loading what="the exception" />;
  const decide = (decision: 'approve' | 'reject' | 'revoke') => {
    setProblem(undefined);
    api(`/exceptions/${e.id}/${decision}`, { method: 'POST', body: note ? { note } : {} }).then(
      () => {
        setNote('');
        reload();
      },
      (err: Error) => setProblem(err instanceof ApiError ? err.message : String(err)),
    );
  };
  const decider = can(session, 'exceptions:decide');
  return (
    <div class="grid">
      <Section title={`Exception #${e.id}`} id="exception">
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <Status value={e.status} />
          </dd>
          <dt>Rules</dt>
          <dd>{e.rules.join(', ')}</dd>
          <dt>Where</dt>
          <dd>{scope(e)}</dd>
          <dt>Reason</dt>
          <dd>{e.reason}</dd>
          {e.owner && (
            <>
              <dt>Owner</dt>
              <dd>{e.owner}</dd>
            </>
          )}
          {e.ticket && (
            <>
              <dt>Ticket</dt>
              <dd>{e.ticket}</dd>
            </>
          )}
          <dt>Expires</dt>
          <dd>{e.expires ?? 'never'}</dd>
          <dt>Requested</dt>
          <dd>
            by {e.requestedBy}, {when(e.requestedAt)}
          </dd>
          {e.decidedBy && (
            <>
              <dt>Decided</dt>
              <dd>
                by {e.decidedBy}, {when(e.decidedAt)}
                {e.note && ` — “${e.note}”`}
              </dd>
            </>
          )}
          <dt>Findings it marks excepted</dt>
          <dd>
            <Link href={`/findings?status=excepted&ruleId=${encodeURIComponent(e.rules.join(','))}`}>{count(e.findings)}</Link>
          </dd>
        </dl>
      </Section>
      {decider && (e.status === 'requested' || e.status === 'approved') && (
        <Section title="Decision" id="decision">
          {problem && (
            <p class="error" role="alert">
              {problem}
            </p>
          )}
          <label>
            Note (optional)
            <textarea rows={2} maxLength={2000} value={note} onInput={(ev) => setNote((ev.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <div class="actions">
            {e.status === 'requested' ? (
              <>
                <button type="button" onClick={() => decide('approve')}>
                  Approve
                </button>
                <button type="button" class="secondary" onClick={() => decide('reject')}>
                  Reject
                </button>
              </>
            ) : (
              <button type="button" class="danger" onClick={() => decide('revoke')}>
                Revoke
              </button>
            )}
          </div>
          <p class="muted small">The requester cannot decide their own request: another approver or an admin must.</p>
        </Section>
      )}
    </div>
  );
}
