/**
 * Namespaces as kubectl has them. A namespaced object whose manifest names no namespace lands where the deployer
 * puts it: `kubectl apply -n NS` sets NS, and without -n it is the context's namespace ("default"). Installs such as
 * Argo CD's install.yaml ship without namespaces and are applied with -n; judging them in "default" would misplace
 * every service account and miss what their bindings grant.
 *
 * resolveNamespaces() places such objects once, before any rule or analysis reads them, so every command agrees:
 * - with a namespace (-n/--namespace), every namespace-less namespaced object goes there, as with `kubectl apply -n`;
 * - without one, when the input itself names where an object belongs — a binding subject `ns/name` for a
 *   ServiceAccount, a webhook, APIService or CRD conversion service reference `ns/name` for a Service — found only
 *   without a namespace, that object goes there, and so do the other namespace-less objects of its file (or, when
 *   the file says nothing, of its directory): an install is applied as one unit, and a pod can use only a service
 *   account of its own namespace. Each placed object carries the reason (Resource.namespaceNote) into its findings.
 * - anything else keeps no namespace, and is judged in "default" as kubectl would place it.
 */
import { dirname } from 'node:path';
import type { KubeObject, Resource } from './model.js';
import { apiGroupOf, isBuiltinApiGroup, isClusterScoped } from './ref.js';
import { podTemplateOf } from './podspec.js';

export interface NamespaceOptions {
  /** The namespace given on the command line (-n/--namespace), as `kubectl apply -n` sets it. */
  namespace?: string;
}

export interface NamespaceResolution {
  resources: Resource[];
  /** What was placed where and why, and what kubectl would refuse, for a person (stderr). */
  notes: string[];
}

type Scope = 'namespaced' | 'cluster' | 'unknown';

function declaredNamespace(obj: KubeObject): string | undefined {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}

/** Scope of each custom kind whose CustomResourceDefinition is in the input, by "group/Kind". */
function crdScopes(resources: readonly Resource[]): Map<string, Scope> {
  const out = new Map<string, Scope>();
  for (const r of resources) {
    if (r.ref.kind !== 'CustomResourceDefinition') continue;
    const spec = r.object.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') continue;
    out.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster' ? 'cluster' : spec.scope === 'Namespaced' ? 'namespaced' : 'unknown');
  }
  return out;
}

function scopeOf(r: Resource, crds: Map<string, Scope>): Scope {
  const { kind, apiVersion } = r.ref;
  if (isClusterScoped(kind)) return 'cluster';
  const group = apiGroupOf(apiVersion);
  if (isBuiltinApiGroup(group)) return 'namespaced';
  const fromCrd = crds.get(`${group}/${kind}`);
  if (fromCrd && fromCrd !== 'unknown') return fromCrd;
  // a custom kind templating pods runs them in its own namespace
  return podTemplateOf(r.object) ? 'namespaced' : 'unknown';
}

interface Reference {
  kind: 'ServiceAccount' | 'Service';
  namespace: string;
  name: string;
  /** Who names it, for the note: `ClusterRoleBinding "x" names ServiceAccount ns/name`. */
  by: string;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function serviceRef(v: unknown, by: string, out: Reference[]): void {
  if (!isMap(v) || typeof v.namespace !== 'string' || typeof v.name !== 'string' || !v.namespace || !v.name) return;
  out.push({ kind: 'Service', namespace: v.namespace, name: v.name, by });
}

/** The `ns/name` references an object makes to namespaced objects (only those that name a namespace). */
function referencesOf(obj: KubeObject): Reference[] {
  const out: Reference[] = [];
  const label = `${obj.kind} "${obj.metadata?.name ?? ''}"`;
  switch (obj.kind) {
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (Array.isArray(obj.subjects)) {
        for (const s of obj.subjects) {
          if (isMap(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string' && s.namespace && typeof s.name === 'string' && s.name) {
            out.push({ kind: 'ServiceAccount', namespace: s.namespace, name: s.name, by: label });
          }
        }
      }
      break;
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      if (Array.isArray(obj.webhooks)) for (const w of obj.webhooks) if (isMap(w) && isMap(w.clientConfig)) serviceRef(w.clientConfig.service, label, out);
      break;
    case 'APIService':
      if (isMap(obj.spec)) serviceRef(obj.spec.service, label, out);
      break;
    case 'CustomResourceDefinition': {
      const conversion = isMap(obj.spec) && isMap(obj.spec.conversion) ? obj.spec.conversion : undefined;
      if (conversion && isMap(conversion.webhook) && isMap(conversion.webhook.clientConfig)) serviceRef(conversion.webhook.clientConfig.service, label, out);
      break;
    }
  }
  return out;
}

function placed(r: Resource, namespace: string, note?: string): Resource {
  const object = { ...r.object, metadata: { ...(r.object.metadata ?? {}), namespace } };
  const out: Resource = { ...r, ref: { ...r.ref, namespace }, object };
  if (note) out.namespaceNote = note;
  return out;
}

export function resolveNamespaces(resources: readonly Resource[], options: NamespaceOptions = {}): NamespaceResolution {
  const crds = crdScopes(resources);
  const notes: string[] = [];
  const homeless = resources.filter((r) => declaredNamespace(r.object) === undefined && scopeOf(r, crds) === 'namespaced');

  if (options.namespace !== undefined) {
    const ns = options.namespace;
    for (const r of resources) {
      const declared = declaredNamespace(r.object);
      if (declared !== undefined && declared !== ns && scopeOf(r, crds) === 'namespaced') {
        notes.push(`warning: ${r.ref.kind} "${r.ref.name}" sets namespace "${declared}": \`kubectl apply -n ${ns}\` would refuse it; judged in "${declared}"`);
      }
    }
    const set = new Set(homeless);
    return { resources: resources.map((r) => (set.has(r) ? placed(r, ns) : r)), notes };
  }
  if (homeless.length === 0) return { resources: [...resources], notes };

  // Objects the references may mean: found only without a namespace (a declared one of that namespace wins).
  const declared = new Set<string>();
  for (const r of resources) {
    const ns = declaredNamespace(r.object);
    if (ns !== undefined) declared.add(`${r.ref.kind}/${ns}/${r.ref.name}`);
  }
  const byName = new Map<string, Resource[]>();
  for (const r of homeless) {
    if (r.ref.kind !== 'ServiceAccount' && r.ref.kind !== 'Service') continue;
    const key = `${r.ref.kind}/${r.ref.name}`;
    (byName.get(key) ?? byName.set(key, []).get(key)!).push(r);
  }
  const hints = new Map<Resource, { namespace: string; reason: string } | null>();
  if (byName.size > 0) {
    for (const r of resources) {
      for (const ref of referencesOf(r.object)) {
        if (declared.has(`${ref.kind}/${ref.namespace}/${ref.name}`)) continue;
        for (const target of byName.get(`${ref.kind}/${ref.name}`) ?? []) {
          const reason = `${ref.by} names ${ref.kind} ${ref.namespace}/${ref.name}`;
          const known = hints.get(target);
          // two references placing one object in different namespaces: ambiguous, so it is not placed
          if (known === undefined) hints.set(target, { namespace: ref.namespace, reason });
          else if (known !== null && known.namespace !== ref.namespace) hints.set(target, null);
        }
      }
    }
  }

  // An install is one unit: the file of a placed object, else its directory, says where the rest of it goes.
  const unit = (level: (r: Resource) => string) => {
    const m = new Map<string, Map<string, string>>();
    for (const [r, h] of hints) {
      if (!h) continue;
      const key = level(r);
      const nss = m.get(key) ?? m.set(key, new Map()).get(key)!;
      if (!nss.has(h.namespace)) nss.set(h.namespace, h.reason);
    }
    return m;
  };
  const fileOf = (r: Resource) => r.source?.file ?? '';
  const dirOf = (r: Resource) => (r.source?.file ? dirname(r.source.file) : '');
  const byFile = unit(fileOf);
  const byDir = unit(dirOf);

  const placements = new Map<Resource, Resource>();
  const counts = new Map<string, { namespace: string; reason: string; objects: number }>();
  for (const r of homeless) {
    const direct = hints.get(r);
    let choice: { namespace: string; reason: string } | undefined = direct ?? undefined;
    if (!choice && direct !== null) {
      const inFile = byFile.get(fileOf(r));
      const inDir = inFile === undefined ? byDir.get(dirOf(r)) : undefined;
      const one = inFile ?? inDir;
      if (one && one.size === 1) {
        const [[namespace, reason]] = [...one];
        choice = { namespace, reason: `${inFile ? 'its file' : 'its directory'} is applied to ${namespace}: ${reason}` };
      }
    }
    if (!choice) continue;
    const note = `the manifest sets no namespace; placed in "${choice.namespace}" because ${choice.reason}`;
    placements.set(r, placed(r, choice.namespace, note));
    const key = `${choice.namespace}\0${fileOf(r)}`;
    const c = counts.get(key) ?? counts.set(key, { namespace: choice.namespace, reason: choice.reason, objects: 0 }).get(key)!;
    c.objects++;
  }
  for (const [key, c] of counts) {
    notes.push(`${c.objects} object(s) of ${key.split('\0')[1] || 'the input'} set no namespace: placed in "${c.namespace}" because ${c.reason} (-n/--namespace overrides)`);
  }
  const left = homeless.length - placements.size;
  if (left > 0) notes.push(`${left} namespaced object(s) set no namespace: judged in "default", where \`kubectl apply\` puts them without -n (pass -n/--namespace to choose)`);
  return { resources: resources.map((r) => placements.get(r) ?? r), notes };
}
