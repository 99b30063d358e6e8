/** Loads an API resource for a view: re-fetched when its key changes, the older request aborted. */
import { useEffect, useState } from 'preact/hooks';
import type { Query } from './api';
import { api, queryString } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const key = path === null ? null : path + queryString(query);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    api<T>(path!, { query, signal: ctl.signal }).then(
      (data) => setState({ key, data }),
      (error: Error) => {
        if (!ctl.signal.aborted) setState({ key, error });
      },
    );
    return () => ctl.abort();
  }, [key, nonce]);
  const fresh = state.key === key;
  return { data: fresh ? state.data : undefined, error: fresh ? state.error : undefined, loading: key !== null && !fresh, reload: () => setNonce((n) => n + 1) };
}
