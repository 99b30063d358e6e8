/** Sign in with a user's password (a session cookie), or with an API token for this tab only. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { navigate } from '../router';
import { logInWithPassword, logInWithToken } from '../session';

function safeNext(next: string | null): string {
  // only a path of this site: never an absolute or protocol-relative URL
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage({ url }: { url: URL }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const next = safeNext(url.searchParams.get('next'));

  async function attempt(f: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await f();
      navigate(next, { replace: true });
    } catch (e) {
      const retry = e instanceof ApiError && e.status === 429;
      setError(retry ? 'Too many attempts: wait a minute and try again.' : e instanceof ApiError && e.status === 401 ? 'Those credentials were not accepted.' : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="login">
      <h1>Sign in to kubeguard</h1>
      {url.searchParams.get('changed') && (
        <p class="notice" role="status">
          Your password was changed and your sessions ended: sign in with the new password.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void attempt(() => logInWithPassword(String(f.get('username')), String(f.get('password'))));
        }}
      >
        <label>
          User name
          <input name="username" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <details>
        <summary>Use an API token instead</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            void attempt(() => logInWithToken(String(f.get('token'))));
          }}
        >
          <label>
            API token
            <input name="token" type="password" autocomplete="off" required placeholder="kgt_…" />
          </label>
          <p class="muted">Kept for this browser tab only; closing the tab signs you out.</p>
          <button type="submit" disabled={busy}>
            Sign in with token
          </button>
        </form>
      </details>
    </main>
  );
}
