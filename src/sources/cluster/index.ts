/**
 * The live-cluster source.
 *
 *   const state = await readCluster({ context: 'prod', now: new Date() });   // kubeconfig, discovery, paged lists
 *   const resources = objectsToResources(state.objects, clusterSourceName(state.context));
 *   const notEvaluated = notEvaluatedFromFailures(state.failures, RULES);   // forbidden kinds → could not evaluate
 *   await writeSnapshot('cluster.json.gz', state, TOOL);                   // offline copy, Secret values never kept
 *   const snap = await readSnapshot('cluster.json.gz');                    // back: resources + header.failures
 */
import type { ClusterState, CollectOptions } from './collect.js';
import { collectCluster } from './collect.js';
import type { KubeConfigChoice } from './kubeconfig.js';
import { loadKubeConfig } from './kubeconfig.js';
import type { RetryPolicy } from './transport.js';
import { ApiClient, DEFAULT_RETRY, kubeConfigGet } from './transport.js';

export type { ClusterState, KindFailure, ListedResource } from './collect.js';
export type { SnapshotHeader } from './snapshot-format.js';
export { SNAPSHOT_FORMAT } from './snapshot-format.js';
export { collectCluster } from './collect.js';
export { loadKubeConfig } from './kubeconfig.js';
export { ApiClient, kubeConfigGet, retryAfterMs } from './transport.js';
export { ApiStatusError, ApiTransportError } from './errors.js';
export { objectsToResources, clusterSourceName } from './resources.js';
export { notEvaluatedFromFailures, scopeOf, CROSS_OBJECT_READS } from './not-evaluated.js';
export type { RuleNeeds } from './not-evaluated.js';
export { writeSnapshot } from './snapshot-write.js';
export { readSnapshot } from './snapshot-read.js';
export { sanitizeObject, REDACTED_DATA_FIELD } from './sanitize.js';
export type { SanitizeOptions } from './sanitize.js';
export type { WantedResource } from './kinds.js';
export type { SnapshotReadOptions } from './snapshot-read.js';
export { WANTED_RESOURCES } from './kinds.js';
export { appendAll } from '../../core/append.js';

export interface ReadClusterOptions extends KubeConfigChoice, Pick<CollectOptions, 'pageSize' | 'concurrency' | 'onProgress' | 'hmacKey' | 'wanted' | 'keepManagedFields'> {
  now: Date;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export async function readCluster(options: ReadClusterOptions): Promise<ClusterState> {
  const { kc, context, server } = await loadKubeConfig(options);
  const client = new ApiClient(kubeConfigGet(kc, { timeoutMs: options.timeoutMs }), { ...DEFAULT_RETRY, ...options.retry }, options.concurrency ?? 4);
  return collectCluster({ ...options, client, context, server });
}
