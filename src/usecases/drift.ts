/**
 * `kubeguard drift`: loads the manifests (files, Kustomize, Helm output — the file loader) and the live side (a
 * cluster read with managedFields kept, or a snapshot / `kubectl get -o json --show-managed-fields` dump), runs
 * the rules on both, and hands them to analysis/drift. Secret values are compared as keyed hashes: the manifest's
 * are hashed with the key the live side was read with, so neither is ever held in clear next to the other.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { NotEvaluated, Resource, ResourceRef, ScanError } from '../core/model.js';
import { UsageError } from '../core/errors.js';
import { apiGroupOf } from '../core/ref.js';
import type { KubeguardConfig } from '../engine/config.js';
import { RULES } from '../engine/catalog.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { scan } from '../engine/scan.js';
import { analyzeDrift, type AuditChange, type DriftReport, type IgnoreDifference } from '../analysis/drift/index.js';
import { resourceOfKind } from '../analysis/drift/attribute.js';
import type { KindFailure, ListedResource, WantedResource } from '../sources/cluster/index.js';
import { clusterSourceName, objectsToResources, readCluster, readSnapshot, REDACTED_DATA_FIELD, sanitizeObject, scopeOf, WANTED_RESOURCES } from '../sources/cluster/index.js';
import { readEventFiles } from '../sources/events/files.js';
import { ScanResultStore } from '../sources/scan-results/store.js';
import { imageKey } from '../sources/scan-results/image-key.js';
import { loadInputs } from './inputs.js';

export interface DriftSpec {
  paths: readonly string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  config: KubeguardConfig;
  /** audit.k8s.io/v1 event files (JSON lines or EventList). */
  audit?: readonly string[];
  /** The scan-result store (image digests scanned); absent or missing file: digests are not judged as scanned or not. */
  scanResults?: string;
  now: Date;
  onNote?: (message: string) => void;
}

export interface DriftOutcome {
  report: DriftReport;
  errors: ScanError[];
  notEvaluated: NotEvaluated[];
}

/** Built-in kinds drift compares beyond what every command reads (optional: absent from discovery = not installed). */
const DRIFT_EXTRA: readonly WantedResource[] = [
  { group: '', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', versions: ['v1'], optional: true },
  { group: '', resource: 'resourcequotas', kind: 'ResourceQuota', versions: ['v1'], optional: true },
  { group: '', resource: 'limitranges', kind: 'LimitRange', versions: ['v1'], optional: true },
  { group: 'policy', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', versions: ['v1'], optional: true },
  { group: 'autoscaling', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', versions: ['v2', 'v1'], optional: true },
  { group: 'scheduling.k8s.io', resource: 'priorityclasses', kind: 'PriorityClass', versions: ['v1'], optional: true },
  { group: 'storage.k8s.io', resource: 'storageclasses', kind: 'StorageClass', versions: ['v1'], optional: true },
  { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', versions: ['v1'], optional: true },
];

/** What to list: every command's kinds, drift's extra built-ins, and the manifests' other kinds (CRDs: resource name from the kind). */
function wantedFor(manifests: readonly Resource[]): WantedResource[] {
  const out = [...WANTED_RESOURCES, ...DRIFT_EXTRA];
  for (const m of manifests) {
    const group = apiGroupOf(m.ref.apiVersion);
    if (out.some((w) => w.group === group && w.kind === m.ref.kind)) continue;
    const version = m.ref.apiVersion.slice(m.ref.apiVersion.indexOf('/') + 1);
    out.push({ group, resource: resourceOfKind(m.ref.kind), kind: m.ref.kind, versions: [version], optional: true });
  }
  return out;
}

interface LiveSide {
  resources: Resource[];
  failures: KindFailure[];
  /** Kinds known to be listed completely or per namespace; undefined for a plain dump (no header says). */
  listed?: ListedResource[];
  /** Secret values were hashed under a key not kept (a kubeguard snapshot): not comparable. */
  secretsComparable: boolean;
  errors: ScanError[];
}

async function readLive(spec: DriftSpec, manifests: readonly Resource[], hmacKey: Buffer): Promise<LiveSide> {
  if (spec.cluster) {
    const state = await readCluster({ kubeconfig: spec.kubeconfig, context: spec.context, now: spec.now, onProgress: spec.onNote, hmacKey, keepManagedFields: true, wanted: wantedFor(manifests) });
    for (const f of state.failures) spec.onNote?.(`warning: ${f.reason}`);
    return { resources: objectsToResources(state.objects, clusterSourceName(state.context)), failures: state.failures, listed: state.listed, secretsComparable: true, errors: [] };
  }
  const snap = await readSnapshot(spec.snapshot!, { hmacKey, keepManagedFields: true });
  const header = snap.header;
  if (header) spec.onNote?.('note: Secret values are not compared: the snapshot keeps them hashed under a key it did not store');
  return { resources: snap.resources, failures: header?.failures ?? [], listed: header?.resources, secretsComparable: !header, errors: snap.errors };
}

function withoutSecretValues(r: Resource): Resource {
  if (r.object.kind !== 'Secret' || !(REDACTED_DATA_FIELD in r.object)) return r;
  const { [REDACTED_DATA_FIELD]: _values, ...object } = r.object;
  void _values;
  return { ...r, object };
}

/** Why the live side of an object could not be read, from the listing (or the dump's contents). */
function unreadableBy(live: LiveSide): (ref: ResourceRef) => string | undefined {
  const present = new Set(live.resources.map((r) => `${apiGroupOf(r.ref.apiVersion)}/${r.ref.kind}`));
  return (ref) => {
    const group = apiGroupOf(ref.apiVersion);
    const failure = live.failures.find((f) => f.kind === ref.kind && (f.namespace === undefined || f.namespace === ref.namespace));
    if (failure) return `the live ${ref.kind} objects (${scopeOf(failure)}) could not be read: ${failure.reason}`;
    if (live.listed) {
      if (live.listed.some((l) => l.kind === ref.kind && apiGroupOf(l.apiVersion) === group)) return undefined;
      return `the cluster does not serve ${ref.kind} (${ref.apiVersion}) or it was not listed: not-applied cannot be told from not-read`;
    }
    return present.has(`${group}/${ref.kind}`) ? undefined : `the dump holds no ${ref.kind} object: not-applied cannot be told from not-dumped`;
  };
}

function auditChanges(events: Parameters<Parameters<typeof readEventFiles>[1]>[0][]): AuditChange[] {
  const out: AuditChange[] = [];
  for (const e of events) {
    if (e.kind !== 'k8s.api') continue;
    const a = e.api;
    if (!['create', 'update', 'patch'].includes(a.verb) || !a.resource?.resource || !a.resource.name) continue;
    if (a.code !== undefined && (a.code < 200 || a.code >= 300)) continue;
    let manager: string | undefined;
    try {
      manager = a.requestURI ? (new URL(a.requestURI, 'https://x').searchParams.get('fieldManager') ?? undefined) : undefined;
    } catch {
      manager = undefined;
    }
    manager ??= a.userAgent?.split('/')[0] || undefined;
    out.push({
      time: e.time,
      verb: a.verb,
      user: a.user.username,
      ...(a.user.groups?.length ? { groups: a.user.groups } : {}),
      ...(manager ? { manager } : {}),
      apiGroup: a.resource.group ?? '',
      resource: a.resource.resource,
      ...(a.resource.namespace ? { namespace: a.resource.namespace } : {}),
      name: a.resource.name,
    });
  }
  return out;
}

/** The digests (manifest, index) of the newest scan of an image by its tag, as the admission webhook finds it. */
function scannedDigestsOf(store: ScanResultStore, image: string): string[] | undefined {
  const r = store.latestByReference(imageKey(image).reference);
  const digests = [r?.manifestDigest, r?.indexDigest].filter((d): d is string => typeof d === 'string');
  return digests.length ? digests : undefined;
}

export async function runDrift(spec: DriftSpec): Promise<DriftOutcome> {
  if (!spec.paths.length) throw new UsageError('drift: give the manifests (files, directories, Kustomize or Helm output, - for stdin)');
  if (Boolean(spec.cluster) === Boolean(spec.snapshot)) throw new UsageError('drift: give exactly one live side: --cluster or --snapshot FILE');
  if (!spec.cluster && (spec.context || spec.kubeconfig)) throw new UsageError('--context and --kubeconfig go with --cluster');
  const loaded = await loadInputs({ paths: spec.paths, namespace: spec.namespace, onNote: spec.onNote }, []);
  const errors: ScanError[] = [...loaded.errors];
  const hmacKey = randomBytes(32);
  const live = await readLive(spec, loaded.resources, hmacKey);
  errors.push(...live.errors);

  // Secrets: the manifest's values hashed as the live side's were (or neither compared)
  let manifests = loaded.resources.map((r) => (r.object.kind === 'Secret' ? { ...r, object: sanitizeObject(r.object, hmacKey) } : r));
  let liveResources = live.resources;
  if (!live.secretsComparable) {
    manifests = manifests.map(withoutSecretValues);
    liveResources = liveResources.map(withoutSecretValues);
  }

  const rules = resolveRules(RULES, spec.config);
  const scanOptions = { rules, exceptions: spec.config.exceptions, annotationExceptions: spec.config.annotationExceptions, now: spec.now };
  const manifestReport = scan(manifests, scanOptions);
  const liveReport = scan(liveResources, scanOptions);
  for (const e of [...manifestReport.errors, ...liveReport.errors]) if (e.kind === 'rule') errors.push(e);

  let audit: AuditChange[] | undefined;
  if (spec.audit?.length) {
    const events: Parameters<Parameters<typeof readEventFiles>[1]>[0][] = [];
    const read = await readEventFiles(spec.audit, (e) => events.push(e));
    for (const f of read.failed) errors.push({ kind: 'read', file: f.file, message: f.message });
    audit = auditChanges(events);
    spec.onNote?.(`read ${audit.length} mutating request(s) from the audit log`);
  }

  let store: ScanResultStore | undefined;
  if (spec.scanResults && existsSync(spec.scanResults)) store = ScanResultStore.open(spec.scanResults);
  try {
    const report = analyzeDrift({
      manifests,
      live: liveResources,
      unreadable: unreadableBy(live),
      findings: { manifest: manifestReport.findings, live: liveReport.findings },
      ignore: (spec.config.drift?.ignoreDifferences ?? []) as IgnoreDifference[],
      ...(spec.config.drift?.controllers ? { controllers: spec.config.drift.controllers } : {}),
      ...(store ? { scanned: (digest: string) => store.latestByDigest(digest) !== undefined, scannedDigests: (image: string) => scannedDigestsOf(store, image) } : {}),
      ...(audit ? { audit } : {}),
    });
    return { report, errors, notEvaluated: report.notEvaluated };
  } finally {
    store?.close();
  }
}

