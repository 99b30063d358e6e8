/**
 * Reads the cluster state kubeguard needs: discovery, then a paged LIST of every wanted resource with bounded
 * concurrency. A collection the server refuses cluster-wide (403) is retried namespace by namespace, so a user
 * with namespace-scoped RBAC still gets the namespaces they may read; whatever stays unreadable is recorded as a
 * failure with its scope, never dropped silently.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../core/model.js';
import { errorMessage } from '../../core/errors.js';
import type { ApiClient } from './transport.js';
import { ApiStatusError } from './errors.js';
import { WANTED_RESOURCES, collectionPath, groupVersionOf } from './kinds.js';
import type { WantedResource } from './kinds.js';
import { discover } from './discovery.js';
import type { ServedResource } from './discovery.js';
import { listAll } from './list.js';
import { boundedRunner } from './pool.js';
import { sanitizeObject } from './sanitize.js';

/** A kind (in a namespace, or cluster-wide) that could not be read. */
export interface KindFailure {
  kind: string;
  apiVersion?: string;
  resource: string;
  /** Unset: the kind could not be read anywhere. */
  namespace?: string;
  /** HTTP status when the server answered (403 forbidden, 5xx after retries...). */
  status?: number;
  reason: string;
}

/** A resource that was listed (completely, or in the namespaces that allowed it), with its object count. */
export interface ListedResource {
  kind: string;
  apiVersion: string;
  resource: string;
  count: number;
}

export interface ClusterState {
  context: string;
  server: string;
  /** ISO time the collection started. */
  collectedAt: string;
  objects: KubeObject[];
  failures: KindFailure[];
  /** What was listed: absent add-on kinds (no CRD) are absent here and from failures. */
  listed: ListedResource[];
  /** Collections listed cluster-wide, with the list's resourceVersion: where a watch continues from (the agent). */
  watchFrom: WatchStart[];
}

export interface WatchStart {
  kind: string;
  /** The collection's path, e.g. /apis/apps/v1/deployments. */
  path: string;
  resourceVersion: string;
}

export interface CollectOptions {
  client: ApiClient;
  context: string;
  server: string;
  now: Date;
  /** HMAC key for Secret values (default: 32 random bytes, never stored). */
  hmacKey?: Buffer;
  /** Page size of LIST requests (default 500, as kubectl). */
  pageSize?: number;
  /** Collections listed at once (default 4); the ApiClient bounds the requests in flight. */
  concurrency?: number;
  wanted?: readonly WantedResource[];
  /** Keep each object's managedFields (default: dropped, see sanitize.ts). */
  keepManagedFields?: boolean;
  onProgress?: (message: string) => void;
}

export async function collectCluster(options: CollectOptions): Promise<ClusterState> {
  const { client } = options;
  const hmacKey = options.hmacKey ?? randomBytes(32);
  const pageSize = options.pageSize ?? 500;
  const run = boundedRunner(options.concurrency ?? 4);
  const wanted = options.wanted ?? WANTED_RESOURCES;
  const failures: KindFailure[] = [];
  const byResource = new Map<string, KubeObject[]>();
  const versions = new Map<string, string>();

  const discovery = await discover(client, wanted, run);
  for (const m of discovery.missing) failures.push({ kind: m.wanted.kind, resource: m.wanted.resource, reason: m.reason });

  const list = async (r: ServedResource, namespace?: string): Promise<void> => {
    const out = byResource.get(r.resource) ?? byResource.set(r.resource, []).get(r.resource)!;
    const listed = await listAll(client, r, namespace, pageSize, (o) => out.push(sanitizeObject(o, hmacKey, { keepManagedFields: options.keepManagedFields })));
    if (namespace === undefined && listed.resourceVersion) versions.set(r.resource, listed.resourceVersion);
  };
  const failure = (r: ServedResource, e: unknown, namespace?: string): KindFailure => ({
    kind: r.kind,
    apiVersion: groupVersionOf(r.group, r.version),
    resource: r.resource,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(e instanceof ApiStatusError ? { status: e.status } : {}),
    reason: `cannot list ${r.resource}${namespace !== undefined ? ` in namespace ${namespace}` : ''}: ${errorMessage(e)}`,
  });

  // namespaces first: the per-namespace fallback needs their names
  const nsResource = discovery.served.find((r) => r.group === '' && r.resource === 'namespaces');
  let namespaces: string[] | undefined;
  if (nsResource) {
    try {
      await list(nsResource);
      namespaces = (byResource.get('namespaces') ?? []).map((n) => n.metadata?.name).filter((n): n is string => typeof n === 'string');
    } catch (e) {
      failures.push(failure(nsResource, e));
    }
  }

  const others = discovery.served.filter((r) => r !== nsResource);
  await run(
    others.map((r) => async () => {
      try {
        await list(r);
        options.onProgress?.(`listed ${byResource.get(r.resource)?.length ?? 0} ${r.resource}`);
      } catch (e) {
        byResource.delete(r.resource);
        if (!(e instanceof ApiStatusError && e.status === 403 && r.namespaced && namespaces)) {
          failures.push(failure(r, e));
          return;
        }
        // forbidden cluster-wide: try each namespace (namespace-scoped RBAC)
        const nsFailures: KindFailure[] = [];
        await boundedRunner(2)(
          namespaces.map((ns) => async () => {
            try {
              await list(r, ns);
            } catch (nsError) {
              nsFailures.push(failure(r, nsError, ns));
            }
          }),
        );
        byResource.get(r.resource)?.sort((a, b) => (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? ''));
        if (nsFailures.length === namespaces.length) {
          byResource.delete(r.resource);
          failures.push(failure(r, e));
        }
        else failures.push(...nsFailures.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '')));
      }
    }),
  );

  // deterministic order: the order of the wanted resources, then the server's order
  const objects: KubeObject[] = [];
  for (const w of wanted) for (const o of byResource.get(w.resource) ?? []) objects.push(o);
  failures.sort((a, b) => wanted.findIndex((w) => w.kind === a.kind) - wanted.findIndex((w) => w.kind === b.kind));
  const listed: ListedResource[] = [];
  const watchFrom: WatchStart[] = [];
  for (const w of wanted) {
    const served = discovery.served.find((r) => r.group === w.group && r.resource === w.resource);
    const items = byResource.get(w.resource);
    if (served && items) listed.push({ kind: served.kind, apiVersion: groupVersionOf(served.group, served.version), resource: served.resource, count: items.length });
    const rv = versions.get(w.resource);
    if (served && items && rv) watchFrom.push({ kind: served.kind, path: collectionPath(served.group, served.version, served.resource), resourceVersion: rv });
  }
  return { context: options.context, server: options.server, collectedAt: options.now.toISOString(), objects, failures, listed, watchFrom };
}
