/**
 * Settings: your password (signed in with one); users (admin); API tokens — create (the value is shown once), list, revoke — and the notification targets
 * the server sends events to (read from kubeguard.yaml; shown by scheme and host only).
 */
import { useState } from 'preact/hooks';
import type { NotificationTarget, TokenView } from '../api';
import { api, ApiError } from '../api';
import { Empty, Failure, Loading, Section } from '../components/bits';
import { ago, when } from '../format';
import { can, useSession } from '../session';
import { useApi } from '../use-api';
import { OwnPassword, Users } from './settings-people';

const ROLES = ['viewer', 'approver', 'admin', 'uploader'] as const;

function NewToken({ onCreated }: { onCreated: () => void }) {
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [role, setRole] = useState<string>('uploader');
  return (
    <form
      class="stack"
      aria-label="New token"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const name = String(f.get('name') ?? '').trim();
        const cluster = String(f.get('cluster') ?? '').trim();
        setError(null);
        api<{ id: number; token: string }>('/tokens', { method: 'POST', body: { name, role, ...(cluster && role === 'uploader' && { cluster }) } }).then(
          (r) => {
            setCreated({ name, token: r.token });
            onCreated();
          },
          (err: Error) => setError(err),
        );
      }}
    >
      <label>
        Name
        <input name="name" required maxLength={100} />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {role === 'uploader' && (
        <label>
          Only for cluster <span class="muted">(optional)</span>
          <input name="cluster" maxLength={253} />
        </label>
      )}
      <div class="actions">
        <button type="submit">Create token</button>
      </div>
      {error && <p class="error" role="alert">{error instanceof ApiError ? error.message : 'Could not create the token.'}</p>}
      {created && (
        <div class="notice" role="status">
          <p>
            Token <strong>{created.name}</strong> — copy it now, it is not shown again:
          </p>
          <output class="secret" aria-label="New token value">
            {created.token}
          </output>
        </div>
      )}
    </form>
  );
}

function Tokens() {
  const { data, error, reload } = useApi<{ items: TokenView[] }>('/tokens');
  const [problem, setProblem] = useState<Error | null>(null);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="tokens" />;
  return (
    <>
      {problem && <Failure error={problem} />}
      <table class="tokens">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Cluster</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((t) => (
            <tr key={t.id} class={t.revokedAt ? 'row-fixed' : undefined}>
              <td>{t.id}</td>
              <th scope="row">{t.name}</th>
              <td>{t.role}</td>
              <td>{t.cluster ?? 'any'}</td>
              <td title={t.createdAt}>{when(t.createdAt)}</td>
              <td>{t.lastUsedAt ? ago(t.lastUsedAt) : 'never'}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${when(t.revokedAt)}`
                ) : (
                  <button
                    type="button"
                    aria-label={`Revoke token ${t.name}`}
                    onClick={() => {
                      if (!confirm(`Revoke the token "${t.name}"? Whoever uses it is refused from then on.`)) return;
                      api(`/tokens/${t.id}/revoke`, { method: 'POST' }).then(reload, (err: Error) => setProblem(err));
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>New token</h3>
      <NewToken onCreated={reload} />
    </>
  );
}

function Notifications() {
  const { data, error } = useApi<{ items: NotificationTarget[] }>('/notifications');
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="notification targets" />;
  if (data.items.length === 0) return <Empty>No notification target. Add them under server.notifications in kubeguard.yaml.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Events</th>
          <th scope="col">Clusters</th>
        </tr>
      </thead>
      <tbody>
        {data.items.map((n) => (
          <tr key={n.name}>
            <th scope="row">{n.name}</th>
            <td>{n.type}</td>
            <td>{n.endpoint}</td>
            <td>{n.events?.join(', ') ?? 'all'}</td>
            <td>{n.clusters?.join(', ') ?? 'all'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsPage() {
  const { session } = useSession();
  return (
    <div class="grid">
      {session?.via === 'session' && (
        <Section title="Your password" id="password">
          <OwnPassword />
        </Section>
      )}
      {can(session, 'users:manage') && (
        <Section title="Users" id="users" wide>
          <Users me={session!.user.name} />
        </Section>
      )}
      {can(session, 'tokens:manage') && (
        <>
          <Section title="API tokens" id="tokens" wide>
            <Tokens />
          </Section>
          <Section title="Notification targets" id="notifications" wide>
            <p class="muted">Read from kubeguard.yaml (server.notifications); the path and query of each URL are not shown, as they often hold the credential.</p>
            <Notifications />
          </Section>
        </>
      )}
    </div>
  );
}
