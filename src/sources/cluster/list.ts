/**
 * Paged LIST of one collection with `limit`/`continue` (API concepts: "Retrieving large results sets in chunks").
 * Items of a typed list carry no apiVersion/kind: they are filled in from the list. When a continue token has
 * expired (410 Gone, reason Expired), the list restarts once without paging, as client-go's pager does
 * (k8s.io/client-go/tools/pager: ListWithAlloc falls back to a full list on ResourceExpired).
 */
import type { KubeObject } from '../../core/model.js';
import type { ApiClient } from './transport.js';
import { ApiStatusError } from './errors.js';
import { collectionPath, groupVersionOf } from './kinds.js';
import type { ServedResource } from './discovery.js';

interface ListBody {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: KubeObject[];
}

export interface ListOutcome {
  pages: number;
  resourceVersion?: string;
}

/** Lists a collection page by page; `onItem` sees each object (with apiVersion/kind set) as it arrives. */
export async function listAll(
  client: ApiClient,
  r: ServedResource,
  namespace: string | undefined,
  pageSize: number,
  onItem: (o: KubeObject) => void,
): Promise<ListOutcome> {
  const base = collectionPath(r.group, r.version, r.resource, namespace);
  const apiVersion = groupVersionOf(r.group, r.version);
  const run = async (limit: number | undefined): Promise<ListOutcome> => {
    let token: string | undefined;
    let pages = 0;
    let resourceVersion: string | undefined;
    const buffered: KubeObject[] = [];
    do {
      const query = new URLSearchParams();
      if (limit) query.set('limit', String(limit));
      if (token) query.set('continue', token);
      const qs = query.toString();
      const body = await client.getJson<ListBody>(qs ? `${base}?${qs}` : base);
      pages++;
      resourceVersion ??= body.metadata?.resourceVersion;
      for (const item of body.items ?? []) {
        // the API omits TypeMeta on list items
        buffered.push({ apiVersion, kind: r.kind, ...item });
      }
      token = body.metadata?.continue || undefined;
    } while (token);
    for (const o of buffered) onItem(o);
    return { pages, resourceVersion };
  };
  try {
    return await run(pageSize);
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 410) return run(undefined);
    throw e;
  }
}
