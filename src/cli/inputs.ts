/**
 * Resolving the input of analysis commands (scan, pss, rbac, netpol): paths through the scan loader,
 * a snapshot file (kubeguard snapshot or `kubectl get -o json` dump, plain or .gz), or a live cluster.
 * Kinds the cluster (or the snapshot's header) says could not be read become "could not evaluate" entries for
 * every rule that needed them, so the exit code says the scan was incomplete.
 */
import type { LoadResult } from '../sources/files/load.js';
import { emptyLoadResult, loadPaths } from '../sources/files/load.js';
import { explainHelmTemplates } from '../sources/files/helm-template.js';
import type { NotEvaluated, ScanError } from '../core/model.js';
import { UsageError } from '../core/errors.js';
import { RULES } from '../engine/catalog.js';
import type { ClusterState, KindFailure, SnapshotHeader } from '../sources/cluster/index.js';
import { appendAll, clusterSourceName, notEvaluatedFromFailures, objectsToResources, readCluster, readSnapshot } from '../sources/cluster/index.js';
import { note } from './io.js';
import { resolveNamespaces } from '../core/namespaces.js';

export interface InputFlags {
  file?: string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  quiet?: boolean;
  /** -n/--namespace: where namespaced manifests without a namespace go, as `kubectl apply -n` (src/core/namespaces.ts). */
  namespace?: string;
}

export interface Inputs extends LoadResult {
  /** Scopes that could not be read (e.g. kinds the cluster forbade): rules needing them cannot evaluate. */
  notEvaluated: NotEvaluated[];
  /** Where cluster data came from, when it did: the live context, or the snapshot's header. */
  cluster?: { context: string; server: string; collectedAt: string; failures: KindFailure[] };
}

/** Reads the live cluster of the chosen kubeconfig context (progress on stderr unless quiet). */
export async function readLiveCluster(flags: InputFlags): Promise<ClusterState> {
  const state = await readCluster({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    now: new Date(),
    onProgress: (m) => note(m, flags.quiet),
  });
  for (const f of state.failures) note(`warning: ${f.reason}`, flags.quiet);
  return state;
}

/** A namespace name: an RFC 1123 label (apimachinery ValidateNamespaceName). */
const NAMESPACE_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The -n/--namespace option of every command that reads manifests. */
export const NAMESPACE_OPTION = ['-n, --namespace <ns>', 'namespace of manifests that set none, as `kubectl apply -n` (default: what the input says, else "default")'] as const;

export async function loadInputs(paths: string[], flags: InputFlags = {}): Promise<Inputs> {
  if (!flags.cluster && (flags.context || flags.kubeconfig)) throw new UsageError('--context and --kubeconfig go with --cluster');
  if (flags.namespace !== undefined && !NAMESPACE_NAME.test(flags.namespace)) {
    throw new UsageError(`-n/--namespace: "${flags.namespace}" is not a namespace name (lower-case letters, digits and "-", at most 63)`);
  }
  const all = [...paths, ...(flags.file ?? [])];
  if (all.length === 0 && !flags.snapshot && !flags.cluster) throw new UsageError('no input: give paths, -f/--file PATH, --snapshot FILE, --cluster, or - for stdin');
  const out: Inputs = { ...(all.length ? loadPaths(all) : emptyLoadResult()), notEvaluated: [] };
  explainHelmTemplates(out);
  if (out.resources.length) {
    const placed = resolveNamespaces(out.resources, { namespace: flags.namespace });
    out.resources = placed.resources;
    for (const n of placed.notes) note(n, flags.quiet);
  }
  const failures: KindFailure[] = [];

  if (flags.snapshot) {
    const snap = await readSnapshot(flags.snapshot);
    out.files++;
    appendAll(out.resources, snap.resources);
    appendAll(out.errors, snap.errors);
    appendAll(out.skipped, snap.skipped);
    if (snap.header) {
      appendAll(failures, snap.header.failures);
      out.cluster = clusterInfo(snap.header);
    }
  }
  if (flags.cluster) {
    const state = await readLiveCluster(flags);
    appendAll(out.resources, objectsToResources(state.objects, clusterSourceName(state.context)));
    appendAll(failures, state.failures);
    out.cluster = { context: state.context, server: state.server, collectedAt: state.collectedAt, failures: state.failures };
  }
  appendAll(out.notEvaluated, notEvaluatedFromFailures(failures, RULES));
  return out;
}

/**
 * CI safety: an input with nothing to judge is not a clean input. Without --allow-empty, a scan that found no
 * Kubernetes object and no Dockerfile gets an error saying what was looked at, so it exits 3 instead of passing.
 */
export function emptyInputError(paths: readonly string[], inputs: Inputs): ScanError | undefined {
  if (inputs.resources.length > 0 || inputs.errors.length > 0) return undefined;
  const where = paths.length ? paths.join(', ') : 'the input';
  const skipped = inputs.skipped.length ? `; ${inputs.skipped.length} document(s) skipped as not Kubernetes objects` : '';
  return {
    kind: 'source',
    message: `no Kubernetes objects or Dockerfiles found in ${where} (${inputs.files} file(s) read${skipped}): nothing was checked. Pass --allow-empty if an empty input is expected`,
  };
}

function clusterInfo(h: SnapshotHeader): NonNullable<Inputs['cluster']> {
  return { context: h.context, server: h.server, collectedAt: h.collectedAt, failures: h.failures };
}
