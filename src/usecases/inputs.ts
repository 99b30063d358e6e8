/**
 * Loading what a command judges: paths (files, directories, Kustomize/Helm, stdin) through the file loader, a
 * snapshot (kubeguard snapshot or `kubectl get -o json` dump, plain or .gz), a live cluster. Kinds the cluster
 * (or the snapshot's header) says could not be read become "could not evaluate" entries for every check that
 * needs them, so the exit code (core/outcome.ts) says the answer is incomplete.
 */
import type { LoadResult } from '../sources/files/load.js';
import { emptyLoadResult, loadPaths } from '../sources/files/load.js';
import { explainHelmTemplates } from '../sources/files/helm-template.js';
import type { NotEvaluated, ScanError } from '../core/model.js';
import { UsageError } from '../core/errors.js';
import { resolveNamespaces } from '../core/namespaces.js';
import type { ClusterState, KindFailure, RuleNeeds, SnapshotHeader } from '../sources/cluster/index.js';
import { notEvaluatedFromFailures, scopeOf } from '../sources/cluster/not-evaluated.js';
import { clusterSourceName, objectsToResources } from '../sources/cluster/resources.js';
import { appendAll } from '../core/append.js';

// the cluster client (HTTP, TLS) and the snapshot reader load only when an input needs them: start-up of a file
// scan (#25)
const clusterSource = () => import('../sources/cluster/index.js');

export type { RuleNeeds };

/** A namespace name: an RFC 1123 label (apimachinery ValidateNamespaceName). */
const NAMESPACE_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface InputSpec {
  /** Files, directories, Kustomize/Helm directories, `-` for stdin. */
  paths?: readonly string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  /** `-n`: the namespace of manifests that set none, as `kubectl apply -n` (semantics: core/namespaces.ts). */
  namespace?: string;
  /** Progress and warnings, for the adapter to show (stderr). */
  onNote?: (message: string) => void;
}

export interface Inputs extends LoadResult {
  /** Scopes that could not be read (e.g. kinds the cluster forbade): checks needing them cannot evaluate. */
  notEvaluated: NotEvaluated[];
  /** Where cluster data came from, when it did: the live context, or the snapshot's header. */
  cluster?: { context: string; server: string; collectedAt: string; failures: KindFailure[] };
}

/** True when the spec names any input. */
export function hasInputs(spec: InputSpec): boolean {
  return (spec.paths?.length ?? 0) > 0 || !!spec.snapshot || !!spec.cluster;
}

/** Reads the live cluster of the chosen kubeconfig context. */
export async function readLiveCluster(spec: Pick<InputSpec, 'context' | 'kubeconfig' | 'onNote'>): Promise<ClusterState> {
  const { readCluster } = await clusterSource();
  const state = await readCluster({ kubeconfig: spec.kubeconfig, context: spec.context, now: new Date(), onProgress: spec.onNote });
  for (const f of state.failures) spec.onNote?.(`warning: ${f.reason}`);
  return state;
}

/**
 * Loads every input the spec names. `needs` are the checks that will run (rules, or an analysis with the kinds
 * it reads): a kind that could not be read makes each check that needs it "could not evaluate".
 */
export async function loadInputs(spec: InputSpec, needs: readonly RuleNeeds[]): Promise<Inputs> {
  if (!spec.cluster && (spec.context || spec.kubeconfig)) throw new UsageError('--context and --kubeconfig go with --cluster');
  if (!hasInputs(spec)) throw new UsageError('no input: give paths, -f/--file PATH, --snapshot FILE, --cluster, or - for stdin');
  if (spec.namespace !== undefined && !NAMESPACE_NAME.test(spec.namespace)) {
    throw new UsageError(`-n/--namespace: "${spec.namespace}" is not a namespace name (lower-case letters, digits and "-", at most 63)`);
  }
  const paths = spec.paths ?? [];
  const out: Inputs = { ...(paths.length ? loadPaths([...paths]) : emptyLoadResult()), notEvaluated: [] };
  explainHelmTemplates(out);
  if (out.resources.length) {
    // manifests are placed as kubectl would place them (core/namespaces.ts); cluster objects carry their namespace
    const placed = resolveNamespaces(out.resources, { namespace: spec.namespace });
    out.resources = placed.resources;
    for (const n of placed.notes) spec.onNote?.(n);
  }
  const failures: KindFailure[] = [];

  if (spec.snapshot) {
    const { readSnapshot } = await clusterSource();
    const snap = await readSnapshot(spec.snapshot);
    out.files++;
    appendAll(out.resources, snap.resources);
    appendAll(out.errors, snap.errors);
    appendAll(out.skipped, snap.skipped);
    if (snap.header) {
      for (const f of snap.header.failures) spec.onNote?.(`warning: the snapshot lacks ${f.kind} (${scopeOf(f)}): ${f.reason}`);
      appendAll(failures, snap.header.failures);
      out.cluster = clusterInfo(snap.header);
    }
  }
  if (spec.cluster) {
    const state = await readLiveCluster(spec);
    appendAll(out.resources, objectsToResources(state.objects, clusterSourceName(state.context)));
    appendAll(failures, state.failures);
    out.cluster = { context: state.context, server: state.server, collectedAt: state.collectedAt, failures: state.failures };
  }
  appendAll(out.notEvaluated, notEvaluatedFromFailures(failures, needs));
  return out;
}

/**
 * CI safety: an input with nothing to judge is not a clean input. Without --allow-empty, a scan that found no
 * Kubernetes object and no Dockerfile gets an error saying what was looked at, so it exits 3 instead of passing.
 */
export function emptyInputError(spec: InputSpec, inputs: Inputs): ScanError | undefined {
  if (inputs.resources.length > 0 || inputs.errors.length > 0) return undefined;
  const named = [...(spec.paths ?? []), ...(spec.snapshot ? [spec.snapshot] : [])];
  const where = named.length ? named.join(', ') : 'the input';
  const skipped = inputs.skipped.length ? `; ${inputs.skipped.length} document(s) skipped as not Kubernetes objects` : '';
  return {
    kind: 'source',
    message: `no Kubernetes objects or Dockerfiles found in ${where} (${inputs.files} file(s) read${skipped}): nothing was checked. Pass --allow-empty if an empty input is expected`,
  };
}

function clusterInfo(h: SnapshotHeader): NonNullable<Inputs['cluster']> {
  return { context: h.context, server: h.server, collectedAt: h.collectedAt, failures: h.failures };
}
