/**
 * Lists that Kubernetes merges as maps (`+listType=map` with `+listMapKey` in k8s.io/api's types, also the merge
 * keys of strategic merge patch) and as sets (`+listType=set`): their order is not meaningful, so elements are
 * matched by key. Every other list is atomic (compared whole, in order). Source: k8s.io/api core/v1, apps/v1,
 * admissionregistration/v1 and meta/v1 types.go markers.
 */
import { isJsonMap } from '../../core/json.js';
import { escapeToken } from '../../core/pointer.js';

const BY_FIELD: Record<string, readonly string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  resourceClaims: ['name'],
  schedulingGates: ['name'],
  resizePolicy: ['resourceName'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  conditions: ['type'],
  webhooks: ['name'],
  ownerReferences: ['uid'],
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const SETS = new Set(['finalizers']);

/** The keys of a map list at these parent tokens (`['spec','template','spec','containers']`), 'set', or undefined (atomic). */
export function listKind(tokens: readonly string[]): readonly string[] | 'set' | undefined {
  const field = tokens[tokens.length - 1];
  if (field === undefined) return undefined;
  if (SETS.has(field) && tokens[tokens.length - 2] === 'metadata') return 'set';
  if (field === 'ports') {
    // container ports: +listMapKey=containerPort +listMapKey=protocol; Service ports: port + protocol
    if (CONTAINER_LISTS.has(tokens[tokens.length - 3] ?? '')) return ['containerPort', 'protocol'];
    if (tokens.length === 2 && tokens[0] === 'spec') return ['port', 'protocol'];
    return undefined;
  }
  return BY_FIELD[field];
}

/** The key of an element: its key fields as JSON with sorted names, as managedFields writes it (`{"name":"web"}`). */
export function elementKey(element: unknown, keys: readonly string[] | 'set'): string | undefined {
  if (keys === 'set') return JSON.stringify(element);
  if (!isJsonMap(element)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of [...keys].sort()) {
    let v = element[k];
    // protocol is defaulted to TCP: an element without it is keyed as TCP
    if (v === undefined && k === 'protocol') v = 'TCP';
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length ? JSON.stringify(out) : undefined;
}

/**
 * A pointer with the elements of map lists named by key instead of index (`/spec/containers/[name=web]/image`),
 * so that the same field is the same path in a manifest and in the live object whatever the order.
 */
export function keyedPath(root: unknown, tokens: readonly string[]): string {
  let cur: unknown = root;
  const out: string[] = [];
  const seen: string[] = [];
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const kind = listKind(seen);
      const el = cur[Number(t)];
      const key = kind ? elementKey(el, kind) : undefined;
      out.push(key ? `[${key}]` : t);
      cur = el;
    } else {
      out.push(escapeToken(t));
      cur = isJsonMap(cur) ? cur[t] : undefined;
    }
    seen.push(t);
  }
  return '/' + out.join('/');
}
