/**
 * Applies the API server's defaults (defaults-data.ts) to an object as written in a manifest: the result is what
 * the server would store for it, so a live object that only differs by defaults shows no drift. Returns a copy.
 */
import type { KubeObject } from '../../core/model.js';
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { parseImageRef } from '../../core/image-ref.js';
import { DEFAULTS, ROOTS, TYPES, type Computed, type Condition, type FieldDefault } from './defaults-data.js';

/** True when the API server's defaults for this apiVersion/kind are known. */
export function hasKnownDefaults(obj: KubeObject): boolean {
  return ROOTS[`${obj.apiVersion}/${obj.kind}`] !== undefined;
}

export function applyDefaults(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj) as JsonMap;
  const root = ROOTS[`${obj.apiVersion}/${obj.kind}`];
  if (root) walk(copy, root, copy);
  return copy as KubeObject;
}

function walk(node: JsonMap, type: string, object: JsonMap): void {
  for (const d of DEFAULTS[type] ?? []) applyOne(node, d, object);
  const fields = TYPES[type];
  if (!fields) return;
  for (const [field, child] of Object.entries(fields)) {
    const v = node[field];
    if (Array.isArray(child)) {
      if (Array.isArray(v)) for (const item of v) if (isJsonMap(item)) walk(item, child[0], object);
    } else if (isJsonMap(v)) walk(v, child, object);
  }
}

function unset(v: unknown, zeroIsUnset: boolean | undefined): boolean {
  return v === undefined || v === null || (zeroIsUnset === true && (v === '' || v === 0));
}

function holds(node: JsonMap, c: Condition): boolean {
  if ('absent' in c) return c.absent.every((f) => node[f] === undefined || node[f] === null);
  if ('onlyFields' in c) return Object.keys(node).every((k) => c.onlyFields.includes(k));
  if ('present' in c) return node[c.present] !== undefined && node[c.present] !== null;
  if ('equals' in c) return node[c.field] === c.equals;
  return c.in.includes(node[c.field]);
}

function applyOne(node: JsonMap, d: FieldDefault, object: JsonMap): void {
  if (d.when && !d.when.every((c) => holds(node, c))) return;
  if (d.computed) {
    computed(node, d.field, d.computed, object, d.zeroIsUnset);
    return;
  }
  if (unset(node[d.field], d.zeroIsUnset)) node[d.field] = structuredClone(d.value);
}

function computed(node: JsonMap, field: string, how: Computed, object: JsonMap, zeroIsUnset?: boolean): void {
  const isUnset = unset(node[field], zeroIsUnset);
  switch (how) {
    case 'pullPolicy': {
      if (!isUnset || typeof node.image !== 'string') return;
      // parsers.ParseImageName: no tag and no digest means tag "latest"
      const ref = parseImageRef(node.image);
      const tag = ref.tag ?? (ref.digest ? undefined : 'latest');
      node[field] = tag === 'latest' ? 'Always' : 'IfNotPresent';
      return;
    }
    case 'servicePortTarget':
      if (isUnset && node.port !== undefined) node[field] = node.port;
      return;
    case 'policyTypes':
      if (!Array.isArray(node[field]) || (node[field] as unknown[]).length === 0) node[field] = Array.isArray(node.egress) && node.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      return;
    case 'subjectApiGroup':
      if (!isUnset) return;
      if (node.kind === 'ServiceAccount') node[field] = '';
      else if (node.kind === 'User' || node.kind === 'Group') node[field] = 'rbac.authorization.k8s.io';
      return;
    case 'namespaceNameLabel': {
      const name = isJsonMap(object.metadata) ? object.metadata.name : undefined;
      if (typeof name !== 'string' || name === '') return;
      const labels = isJsonMap(node.labels) ? node.labels : (node.labels = {});
      (labels as JsonMap)['kubernetes.io/metadata.name'] = name;
      return;
    }
    case 'requestsFromLimits': {
      if (!isJsonMap(node.limits)) return;
      const requests = isJsonMap(node.requests) ? node.requests : (node.requests = {});
      for (const [k, v] of Object.entries(node.limits)) if ((requests as JsonMap)[k] === undefined) (requests as JsonMap)[k] = v;
      return;
    }
    case 'labelsFromTemplate':
    case 'selectorFromTemplate': {
      const spec = isJsonMap(object.spec) ? object.spec : undefined;
      const template = spec && isJsonMap(spec.template) && isJsonMap(spec.template.metadata) ? spec.template.metadata.labels : undefined;
      const empty = !isJsonMap(node[field]) || Object.keys(node[field] as JsonMap).length === 0;
      if (isJsonMap(template) && empty) node[field] = { ...template };
      return;
    }
    case 'serviceAccountMirror':
      if (isUnset && typeof node.serviceAccountName === 'string') node[field] = node.serviceAccountName;
      return;
  }
}
