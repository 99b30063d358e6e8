/**
 * Live objects as the API server returns them, made from manifests: the upstream defaults applied (defaults-data.ts),
 * the metadata the server sets, status, and managedFields as kubectl (client-side apply: manager
 * kubectl-client-side-apply with the last-applied annotation; server-side apply: manager kubectl, operation Apply)
 * or helm write them. `edit` changes a live object as `kubectl edit` / a controller would: the fields it changes
 * become that manager's (structured-merge-diff ownership for an Update).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../core/model.js';
import { isJsonMap, type JsonMap } from '../../../core/json.js';
import { applyDefaults, hasKnownDefaults } from '../defaults.js';
import { applySchemaDefaults, schemaKey } from '../crd-defaults.js';
import { elementKey, listKind } from '../list-keys.js';
import { diffLeaves } from '../compare.js';

const T0 = '2026-11-02T09:00:00Z';

/** FieldsV1 of every field an object sets (`f:`, `k:` for map-list elements, `v:` for set elements). */
export function fieldsOf(v: unknown, tokens: string[] = []): JsonMap {
  const out: JsonMap = {};
  if (isJsonMap(v)) {
    for (const [k, x] of Object.entries(v)) out[`f:${k}`] = childFields(x, [...tokens, k]);
  }
  return out;
}

function childFields(x: unknown, tokens: string[]): JsonMap {
  if (isJsonMap(x)) return Object.keys(x).length ? fieldsOf(x, tokens) : {};
  if (Array.isArray(x)) {
    const kind = listKind(tokens);
    if (!kind) return {};
    const out: JsonMap = {};
    x.forEach((el, i) => {
      const key = elementKey(el, kind);
      if (key === undefined) return;
      out[kind === 'set' ? `v:${key}` : `k:${key}`] = kind === 'set' ? {} : { '.': {}, ...fieldsOf(el, [...tokens, String(i)]) };
    });
    return out;
  }
  return {};
}

function uid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type Applier = 'kubectl-client-side-apply' | 'kubectl-server-side-apply' | 'helm';

/** What `kubectl apply` (or helm install) of this manifest leaves in the cluster. */
export function applied(manifest: KubeObject, applier: Applier = 'kubectl-client-side-apply', schemas?: Map<string, JsonMap>): KubeObject {
  const schema = hasKnownDefaults(manifest) ? undefined : schemas?.get(schemaKey(manifest));
  const o = (schema ? applySchemaDefaults(manifest, schema) : applyDefaults(manifest)) as JsonMap;
  const meta = (o.metadata ?? {}) as JsonMap;
  const name = String(meta.name);
  if (applier === 'kubectl-client-side-apply') {
    meta.annotations = { ...(isJsonMap(meta.annotations) ? meta.annotations : {}), 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest) + '\n' };
  }
  if (applier === 'helm') {
    meta.annotations = { ...(isJsonMap(meta.annotations) ? meta.annotations : {}), 'meta.helm.sh/release-name': 'rel', 'meta.helm.sh/release-namespace': String(meta.namespace ?? 'default') };
  }
  const owned = fieldsOf(applier === 'kubectl-server-side-apply' ? manifest : o);
  delete (owned['f:metadata'] as JsonMap | undefined)?.['f:name'];
  delete (owned['f:metadata'] as JsonMap | undefined)?.['f:namespace'];
  delete owned['f:apiVersion'];
  delete owned['f:kind'];
  const manager = applier === 'kubectl-server-side-apply' ? 'kubectl' : applier;
  o.metadata = {
    ...meta,
    uid: uid(`${o.kind}/${meta.namespace}/${name}`),
    resourceVersion: '4711',
    creationTimestamp: T0,
    ...(o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet' ? { generation: 1 } : {}),
    managedFields: [{ manager, operation: applier === 'kubectl-server-side-apply' ? 'Apply' : 'Update', apiVersion: o.apiVersion, time: T0, fieldsType: 'FieldsV1', fieldsV1: owned }],
  };
  if (o.kind === 'Deployment') {
    (o.metadata as JsonMap).annotations = { ...((o.metadata as JsonMap).annotations as JsonMap), 'deployment.kubernetes.io/revision': '1' };
    o.status = { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] };
    ((o.metadata as JsonMap).managedFields as JsonMap[]).push({ manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', apiVersion: o.apiVersion, time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } }, 'f:status': {} } });
  }
  if (o.kind === 'Service' && isJsonMap(o.spec)) {
    // the registry allocates an address unless the manifest asked for one (or for none: a headless Service)
    o.spec.clusterIP ??= '10.96.14.7';
    o.spec.clusterIPs ??= [o.spec.clusterIP];
    o.spec.ipFamilies = ['IPv4'];
    o.spec.ipFamilyPolicy = 'SingleStack';
    o.status = { loadBalancer: {} };
  }
  if (o.kind === 'Namespace') {
    o.spec = { finalizers: ['kubernetes'] };
    o.status = { phase: 'Active' };
  }
  return o as KubeObject;
}

/**
 * An Update by `manager` at `time` (kubectl edit → kubectl-edit, kubectl patch → kubectl-patch, a controller by its
 * name): `change` edits a copy; the fields it changed or added become the manager's and leave the others' sets.
 */
export function edit(live: KubeObject, manager: string, change: (o: JsonMap) => void, time = '2026-12-01T10:30:00Z'): KubeObject {
  const after = structuredClone(live) as JsonMap;
  change(after);
  const leaves = diffLeaves(live, after).filter((l) => l.op !== 'removed' && !(l.tokens[0] === 'metadata' && (l.tokens[1] === 'managedFields' || l.tokens[1] === 'resourceVersion')));
  const mine: JsonMap = {};
  for (const leaf of leaves) {
    let set = mine;
    let cur: unknown = after;
    const seen: string[] = [];
    for (const t of leaf.tokens) {
      let k: string;
      if (Array.isArray(cur)) {
        const kind = listKind(seen);
        const el = cur[Number(t)];
        k = kind ? `${kind === 'set' ? 'v' : 'k'}:${elementKey(el, kind)}` : '';
        cur = el;
        if (!kind) break;
      } else {
        k = `f:${t}`;
        cur = isJsonMap(cur) ? cur[t] : undefined;
      }
      set = (set[k] ??= {}) as JsonMap;
      seen.push(t);
    }
  }
  // the changed fields leave the other managers' sets (an Update takes ownership)
  const entries: JsonMap[] = (((after.metadata as JsonMap).managedFields as JsonMap[]) ?? []).map((e) => ({ ...e, fieldsV1: without(e.fieldsV1 as JsonMap, mine) }));
  entries.push({ manager, operation: 'Update', apiVersion: after.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: mine });
  (after.metadata as JsonMap).managedFields = entries;
  (after.metadata as JsonMap).resourceVersion = String(Number((after.metadata as JsonMap).resourceVersion ?? 1) + 1);
  return after as KubeObject;
}

function without(set: JsonMap, taken: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(set)) {
    const t = taken[k];
    if (t === undefined) out[k] = v;
    else if (isJsonMap(t) && Object.keys(t).filter((x) => x !== '.').length > 0 && isJsonMap(v)) {
      const rest = without(v, t);
      if (Object.keys(rest).length) out[k] = rest;
    }
  }
  return out;
}
