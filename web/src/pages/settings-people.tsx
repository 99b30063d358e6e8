/**
 * People in Settings: users for admins (create, set a new password, disable or enable — the server ends the user's
 * sessions on both), and your own password for whoever signed in with one (every session of yours ends: sign in
 * again).
 */
import { useState } from 'preact/hooks';
import type { UserView } from '../api';
import { api, ApiError } from '../api';
import { Failure, Loading } from '../components/bits';
import { ago, when } from '../format';
import { navigate } from '../router';
import { forgetSession } from '../session';
import { useApi } from '../use-api';

const USER_ROLES = ['viewer', 'approver', 'admin'] as const;
const MIN = 12;

const problemText = (e: Error) => (e instanceof ApiError ? e.message : 'The server did not answer.');

function NewUser({ onCreated }: { onCreated: (name: string) => void }) {
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      class="stack"
      aria-label="New user"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const name = String(f.get('name') ?? '').trim();
        setError(null);
        api('/users', { method: 'POST', body: { name, role: String(f.get('role')), password: String(f.get('password') ?? '') } }).then(
          () => {
            form.reset();
            onCreated(name);
          },
          (err: Error) => setError(err),
        );
      }}
    >
      <label>
        User name
        <input name="name" required maxLength={200} autocomplete="off" />
      </label>
      <label>
        User role
        <select name="role">
          {USER_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label>
        First password <span class="muted">(at least {MIN} characters; tell it to the user, who can change it)</span>
        <input name="password" type="password" required minLength={MIN} autocomplete="new-password" />
      </label>
      <div class="actions">
        <button type="submit">Create user</button>
      </div>
      {error && (
        <p class="error" role="alert">
          {problemText(error)}
        </p>
      )}
    </form>
  );
}

function NewPassword({ user, onDone }: { user: string; onDone: (message: string) => void }) {
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      class="inline"
      aria-label={`New password for ${user}`}
      onSubmit={(e) => {
        e.preventDefault();
        const password = String(new FormData(e.currentTarget).get('password') ?? '');
        api(`/users/${encodeURIComponent(user)}/password`, { method: 'PUT', body: { password } }).then(
          () => onDone(`New password set for ${user}; their sessions ended.`),
          (err: Error) => setError(err),
        );
      }}
    >
      <label>
        New password for {user}
        <input name="password" type="password" required minLength={MIN} autocomplete="new-password" />
      </label>
      <button type="submit">Save password</button>
      {error && (
        <p class="error" role="alert">
          {problemText(error)}
        </p>
      )}
    </form>
  );
}

export function Users({ me }: { me: string }) {
  const { data, error, reload } = useApi<{ items: UserView[] }>('/users');
  const [resetting, setResetting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="users" />;
  const act = (name: string, action: 'disable' | 'enable') => {
    setProblem(null);
    api(`/users/${encodeURIComponent(name)}/${action}`, { method: 'POST' }).then(() => {
      setNotice(action === 'disable' ? `${name} is disabled: sign-in refused, sessions ended.` : `${name} may sign in again.`);
      reload();
    }, setProblem);
  };
  return (
    <>
      {problem && (
        <p class="error" role="alert">
          {problemText(problem)}
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <table class="users">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Password changed</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((u) => (
            <tr key={u.name} class={u.disabled ? 'row-fixed' : undefined}>
              <th scope="row">{u.name}</th>
              <td>{u.role}</td>
              <td title={u.createdAt}>{when(u.createdAt)}</td>
              <td>{u.lastLoginAt ? ago(u.lastLoginAt) : 'never'}</td>
              <td title={u.passwordChangedAt}>{when(u.passwordChangedAt)}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td class="actions">
                {u.name !== me &&
                  (u.disabled ? (
                    <button type="button" aria-label={`Enable ${u.name}`} onClick={() => act(u.name, 'enable')}>
                      Enable
                    </button>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Disable ${u.name}`}
                      onClick={() => {
                        if (confirm(`Disable ${u.name}? Their sessions end and sign-in is refused until enabled.`)) act(u.name, 'disable');
                      }}
                    >
                      Disable
                    </button>
                  ))}{' '}
                <button type="button" aria-expanded={resetting === u.name} aria-label={`Set a new password for ${u.name}`} onClick={() => setResetting(resetting === u.name ? null : u.name)}>
                  New password
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {resetting && (
        <NewPassword
          user={resetting}
          onDone={(m) => {
            setResetting(null);
            setNotice(m);
            reload();
          }}
        />
      )}
      <h3>New user</h3>
      <NewUser
        onCreated={(name) => {
          setNotice(`${name} was created.`);
          reload();
        }}
      />
    </>
  );
}

export function OwnPassword() {
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      class="stack"
      aria-label="Change your password"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setError(null);
        api('/session/password', { method: 'PUT', body: { current: String(f.get('current') ?? ''), password: String(f.get('password') ?? '') } }).then(() => {
          // the server ended every session of ours, this one too
          forgetSession();
          navigate('/login?changed=1', { replace: true });
        }, setError);
      }}
    >
      <label>
        Current password
        <input name="current" type="password" required autocomplete="current-password" />
      </label>
      <label>
        New password <span class="muted">(at least {MIN} characters)</span>
        <input name="password" type="password" required minLength={MIN} autocomplete="new-password" />
      </label>
      <div class="actions">
        <button type="submit">Change password</button>
      </div>
      {error && (
        <p class="error" role="alert">
          {problemText(error)}
        </p>
      )}
    </form>
  );
}
