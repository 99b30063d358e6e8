/** One finding: where it is (file:line or the live object), why, how to fix it (the patch), and an exception request. */
import { useState } from 'preact/hooks';
import type { ExceptionView, FindingDetail } from '../api';
import { api, ApiError } from '../api';
import { Failure, Loading, Section, Severity, Status } from '../components/bits';
import { resourceName, when } from '../format';
import { Link, navigate, pathOf } from '../router';
import { can, useSession } from '../session';
import { useApi } from '../use-api';
import { workloadPath } from './findings';

function Where({ f }: { f: FindingDetail }) {
  return (
    <dl class="facts">
      <dt>Object</dt>
      <dd>
        <Link href={workloadPath(f.cluster, f.resource)}>{resourceName(f.resource)}</Link> <span class="muted">({f.resource.apiVersion})</span> in cluster {f.cluster}
      </dd>
      <dt>Field</dt>
      <dd>
        <code>{f.path || '/'}</code>
      </dd>
      {f.location && (
        <>
          <dt>Source</dt>
          <dd>
            <code>
              {f.location.file}
              {f.location.line ? `:${f.location.line}` : ''}
            </code>
          </dd>
        </>
      )}
      <dt>Status</dt>
      <dd>
        <Status value={f.status} />
        {f.exceptionId !== null && (
          <>
            {' '}
            by <Link href={`/exceptions/${f.exceptionId}`}>exception #{f.exceptionId}</Link>
          </>
        )}
      </dd>
      <dt>Seen</dt>
      <dd>
        first {when(f.firstSeen)}, last {when(f.lastSeen)}
        {f.fixedAt && `, fixed ${when(f.fixedAt)}`}
        {f.reopenCount > 0 && `, reopened ${f.reopenCount}× (last ${when(f.reopenedAt)})`}
      </dd>
      <dt>Source of the finding</dt>
      <dd>{f.source}</dd>
    </dl>
  );
}

function RequestException({ f }: { f: FindingDetail }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ns = f.resource.namespace;
  return (
    <form
      class="stack"
      aria-label="Request an exception"
      onSubmit={(e) => {
        e.preventDefault();
        const d = new FormData(e.currentTarget);
        const scope = String(d.get('scope'));
        const body: Record<string, unknown> = { rules: [f.ruleId], clusters: [f.cluster], reason: String(d.get('reason')) };
        if (ns) body.namespaces = [ns];
        if (scope === 'object') Object.assign(body, { kinds: [f.resource.kind], names: [f.resource.name] });
        for (const k of ['owner', 'ticket', 'expires']) if (String(d.get(k) ?? '').trim()) body[k] = String(d.get(k)).trim();
        setBusy(true);
        setError(undefined);
        api<ExceptionView>('/exceptions', { method: 'POST', body }).then(
          (x) => navigate(`/exceptions/${x.id}`),
          (err: Error) => {
            setBusy(false);
            setError(err instanceof ApiError ? err.message : String(err));
          },
        );
      }}
    >
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <fieldset>
        <legend>Covers rule {f.ruleId} in cluster {f.cluster}</legend>
        <label class="inline">
          <input type="radio" name="scope" value="object" defaultChecked /> this object only ({resourceName(f.resource)})
        </label>
        {ns && (
          <label class="inline">
            <input type="radio" name="scope" value="namespace" /> every object in namespace {ns}
          </label>
        )}
      </fieldset>
      <label>
        Reason (required)
        <textarea name="reason" required maxLength={2000} rows={3} />
      </label>
      <label>
        Expires
        <input name="expires" type="date" />
      </label>
      <label>
        Ticket
        <input name="ticket" maxLength={200} />
      </label>
      <label>
        Owner
        <input name="owner" maxLength={200} />
      </label>
      <button type="submit" disabled={busy}>
        Request exception
      </button>
    </form>
  );
}

export function FindingPage({ cluster, fingerprint }: { cluster: string; fingerprint: string }) {
  const { session } = useSession();
  const { data: f, error } = useApi<FindingDetail>(pathOf('findings', cluster, fingerprint));
  if (error) return <Failure error={error} />;
  if (!f) return <Loading what="the finding" />;
  return (
    <>
      <p class="lead">
        <Severity value={f.severity} /> {f.message}
      </p>
      <p class="muted">
        Rule <code>{f.ruleId}</code> · <Link href={`/findings?ruleId=${encodeURIComponent(f.ruleId)}&status=open`}>every open finding of this rule</Link>
      </p>
      <div class="grid">
        <Section title="Where" id="where">
          <Where f={f} />
        </Section>
        <Section title="How to fix it" id="fix">
          {f.remediation ? <p>{f.remediation}</p> : <p class="muted">The rule gives no remediation text.</p>}
          {f.fix && f.fix.length > 0 ? (
            <>
              <h3>Patch (JSON Patch, RFC 6902)</h3>
              <pre class="code" tabIndex={0} aria-label="JSON patch">
                {JSON.stringify(f.fix, null, 2)}
              </pre>
              <p class="muted small">
                Apply to the live object: <code>kubectl patch {f.resource.kind.toLowerCase()} {f.resource.name}{f.resource.namespace ? ` -n ${f.resource.namespace}` : ''} --type json -p '…'</code>
              </p>
            </>
          ) : (
            <p class="muted">No automatic patch for this finding.</p>
          )}
          {f.evidence && (
            <>
              <h3>Evidence</h3>
              <pre class="code">{f.evidence}</pre>
            </>
          )}
        </Section>
        {f.status === 'open' && can(session, 'exceptions:request') && (
          <Section title="Request an exception" id="request">
            <RequestException f={f} />
          </Section>
        )}
      </div>
    </>
  );
}
