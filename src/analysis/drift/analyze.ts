/**
 * analyzeDrift: manifests against live objects, matched by identity (API group, kind, namespace, name). For each
 * pair, the manifest gets the API server's defaults (defaults.ts) and the two are compared field by field
 * (compare.ts); what the server, its admission plugins or controllers wrote (server-set.ts, managedFields), and
 * what the config says to ignore, drops out. Each remaining difference is classed (classify.ts) and attributed.
 * Live objects no manifest declares are shadow objects — only in the namespaces and kinds the manifests cover.
 */
import type { Finding, KubeObject, NotEvaluated, Resource, ResourceRef, Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import { apiGroupOf, isClusterScoped } from '../../core/ref.js';
import { getAt, parsePointer, pointer } from '../../core/pointer.js';
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { applyDefaults, hasKnownDefaults } from './defaults.js';
import { applySchemaDefaults, crdSchemas, schemaKey } from './crd-defaults.js';
import { diffLeaves, groupLeaves, type Difference, type Leaf } from './compare.js';
import { serverSetReason } from './server-set.js';
import { fieldManagers, ownersOf, type FieldManager } from './managed-fields.js';
import { keyedPath } from './list-keys.js';
import { judgeImage, networkLoosening, rbacWidening, RBAC_KINDS } from './classify.js';
import { revertPatch, adoptSnippet, cleanLive } from './repair.js';
import { attribute } from './attribute.js';
import { movedTags, PodOwners } from './running-images.js';
import { secretSafe } from './secret-safe.js';
import type { ChangedBy, DriftClass, DriftInput, DriftReport, IgnoreDifference, JudgedDrift } from './model.js';

/** Kubernetes' own controllers and scheduler: fields only they own are their business, not drift. */
export const KUBERNETES_CONTROLLERS: readonly string[] = ['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-apiserver'];

/** engine/exceptions.ts IGNORE_ANNOTATION (the engine is out of the analysis layer's reach). */
const IGNORE_ANNOTATION_KEY = 'kubeguard.io/ignore';
const IGNORE_POINTER_TOKEN = 'kubeguard.io~1ignore';

const CONTAINER_IMAGE = /^\/(?:spec\/(?:template\/spec|jobTemplate\/spec\/template\/spec)|spec)\/(?:containers|initContainers|ephemeralContainers)\/\d+\/image$/;

export function identityOf(ref: Pick<ResourceRef, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  return `${apiGroupOf(ref.apiVersion)}/${ref.kind}/${isClusterScoped(ref.kind) ? '' : (ref.namespace ?? 'default')}/${ref.name}`;
}

/** Objects Kubernetes makes by itself in every namespace, or for a controller: never shadow objects. */
function systemMade(o: KubeObject): boolean {
  const name = o.metadata?.name ?? '';
  if (Array.isArray(o.metadata?.ownerReferences) && o.metadata.ownerReferences.length > 0) return true;
  if (o.kind === 'ServiceAccount' && name === 'default') return true;
  if (o.kind === 'ConfigMap' && (name === 'kube-root-ca.crt' || name === 'istio-ca-root-cert')) return true;
  if (o.kind === 'Secret' && typeof o.type === 'string' && (o.type === 'kubernetes.io/service-account-token' || o.type.startsWith('helm.sh/release'))) return true;
  if (o.kind === 'Service' && name === 'kubernetes' && o.metadata?.namespace === 'default') return true;
  return false;
}

function findingsBy(findings: readonly Finding[]): Map<string, { ruleId: string; path: string; severity: Severity }[]> {
  const out = new Map<string, { ruleId: string; path: string; severity: Severity }[]>();
  const add = (ref: ResourceRef, ruleId: string, path: string, severity: Severity): void => {
    const id = identityOf(ref);
    (out.get(id) ?? out.set(id, []).get(id)!).push({ ruleId, path, severity });
  };
  for (const f of findings) {
    add(f.resource, f.ruleId, f.path, f.severity);
    for (const r of f.related ?? []) add(r.resource, r.ruleId, r.path, r.severity);
  }
  return out;
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(b + '/') || b.startsWith(a + '/') || a === '' || b === '';
}

function ignoreFor(rules: readonly IgnoreDifference[], o: KubeObject): IgnoreDifference[] {
  const group = apiGroupOf(o.apiVersion ?? '');
  return rules.filter((r) => r.kind === o.kind && (r.group ?? '') === group && (!r.name || r.name === o.metadata?.name) && (!r.namespace || r.namespace === o.metadata?.namespace));
}

interface Pair {
  manifest: Resource;
  live: Resource;
}

export function analyzeDrift(input: DriftInput): DriftReport {
  const controllers = new Set([...KUBERNETES_CONTROLLERS, ...(input.controllers ?? [])]);
  const notEvaluated: NotEvaluated[] = [];
  const drifts: JudgedDrift[] = [];
  const liveById = new Map<string, Resource>();
  for (const r of input.live) liveById.set(identityOf(r.ref), r);
  const manifestFindings = findingsBy(input.findings.manifest);
  const liveFindings = findingsBy(input.findings.live);
  const liveObjects = input.live.map((r) => r.object);

  const pairs: Pair[] = [];
  const declared = new Set<string>();
  let notApplied = 0;
  for (const m of input.manifests) {
    const id = identityOf(m.ref);
    declared.add(id);
    const l = liveById.get(id);
    if (l) {
      if (l.ref.apiVersion !== m.ref.apiVersion) {
        notEvaluated.push({ ruleId: 'drift', resource: m.ref, reason: `the cluster serves ${m.ref.kind} as ${l.ref.apiVersion}, the manifest is ${m.ref.apiVersion}: not compared field by field` });
        continue;
      }
      pairs.push({ manifest: m, live: l });
      continue;
    }
    const why = input.unreadable(m.ref);
    if (why !== undefined) {
      notEvaluated.push({ ruleId: 'drift', resource: m.ref, reason: why });
      continue;
    }
    notApplied++;
    drifts.push({
      drift: { ...refFields(m.ref), class: 'not-applied', path: '', manifest: m.object, live: null, ruleIds: [], changedBy: [], patch: { revert: [{ op: 'add', path: '', value: m.object }], adopt: null } },
      // a missing NetworkPolicy leaves open what it would close; a missing grant or workload takes nothing away
      severity: m.ref.kind === 'NetworkPolicy' ? 'high' : 'low',
      why: m.ref.kind === 'NetworkPolicy' ? 'declared in the manifests, absent from the cluster: the traffic it would deny is allowed' : 'declared in the manifests, absent from the cluster',
      apiVersion: m.ref.apiVersion,
      ...(m.source ? { source: { file: m.source.file, ...(m.source.line ? { line: m.source.line } : {}) } } : {}),
    });
  }

  let drifted = 0;
  // the live CRDs win over the manifests' (they are what the server defaults with)
  const schemas = crdSchemas([...input.manifests.map((r) => r.object), ...liveObjects]);
  const podOwners = new PodOwners(liveObjects);
  for (const { manifest, live } of pairs) {
    const found = judgePair(manifest, live, {
      schemas,
      controllers,
      ignore: ignoreFor(input.ignore ?? [], live.object),
      introduced: introducedFindings(manifest, live, manifestFindings, liveFindings),
      liveObjects,
      scanned: input.scanned,
      audit: input.audit ?? [],
    });
    // a tag the pods run at another digest than scanned (the registry moved it, the object did not change)
    for (const t of movedTags(live.object, podOwners, input.scannedDigests)) {
      if (found.some((d) => d.drift.path === t.path)) continue;
      found.push({
        drift: {
          ...refFields(live.ref),
          class: 'image',
          path: t.path,
          manifest: t.image,
          live: t.running.map((d) => `${t.image}@${d}`),
          ruleIds: [],
          changedBy: [],
          patch: {
            revert: t.scanned?.length ? [{ op: 'replace', path: t.path, value: `${t.image}@${t.scanned[0]}` }] : [],
            adopt: t.running.length === 1 ? adoptSnippet(live.ref, live.object, { op: 'changed', path: t.path, manifest: t.image, live: `${t.image}@${t.running[0]}` }) : null,
          },
        },
        severity: t.severity,
        why: t.why,
        apiVersion: live.ref.apiVersion,
        ...(manifest.source ? { source: { file: manifest.source.file, ...(manifest.source.line ? { line: manifest.source.line } : {}) } } : {}),
      });
    }
    if (found.length) drifted++;
    for (const d of found) drifts.push(d);
  }

  // shadow objects: live, declared by no manifest, in the namespaces and kinds the manifests cover
  const scope = shadowScope(input.manifests);
  let shadow = 0;
  for (const l of input.live) {
    const o = l.object;
    if (declared.has(identityOf(l.ref)) || systemMade(o)) continue;
    if (!inScope(o, scope)) continue;
    shadow++;
    const found = liveFindings.get(identityOf(l.ref)) ?? [];
    const worst = found.reduce<Severity>((s, f) => (severityRank(f.severity) > severityRank(s) ? f.severity : s), RBAC_KINDS.has(o.kind ?? '') ? 'high' : 'medium');
    const managers = fieldManagers(o);
    drifts.push({
      drift: {
        ...refFields(l.ref),
        class: 'shadow',
        path: '',
        manifest: null,
        live: cleanLive(o),
        ruleIds: [...new Set(found.map((f) => f.ruleId))].sort(),
        changedBy: attribute(l.ref, managers, input.audit ?? [], ['create']),
        patch: { revert: [{ op: 'remove', path: '' }], adopt: cleanLive(o) },
      },
      severity: worst,
      why: `in the cluster, declared by no manifest (${scope.kinds.has(`${apiGroupOf(l.ref.apiVersion)}/${l.ref.kind}`) ? 'a kind' : 'a binding'} the manifests cover${l.ref.namespace ? `, namespace ${l.ref.namespace}` : ''})`,
      apiVersion: l.ref.apiVersion,
    });
  }

  for (const d of drifts) {
    d.drift.manifest = secretSafe(d.drift.manifest);
    d.drift.live = secretSafe(d.drift.live);
    d.drift.patch = secretSafe(d.drift.patch) as typeof d.drift.patch;
  }
  drifts.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || key(a).localeCompare(key(b)));
  return {
    drifts,
    compared: { matched: pairs.length, drifted, notApplied, shadow },
    shadowScope: { namespaces: [...scope.namespaces].sort(), kinds: [...scope.kinds].sort() },
    notEvaluated,
  };
}

function key(d: JudgedDrift): string {
  return `${d.drift.kind}/${d.drift.namespace ?? ''}/${d.drift.name}/${d.drift.path}`;
}

function refFields(ref: ResourceRef): { kind: string; namespace: string | null; name: string } {
  return { kind: ref.kind, namespace: isClusterScoped(ref.kind) ? null : (ref.namespace ?? 'default'), name: ref.name };
}

interface Scope {
  namespaces: Set<string>;
  kinds: Set<string>;
}

function shadowScope(manifests: readonly Resource[]): Scope {
  const namespaces = new Set<string>();
  const kinds = new Set<string>();
  for (const m of manifests) {
    kinds.add(`${apiGroupOf(m.ref.apiVersion)}/${m.ref.kind}`);
    if (!isClusterScoped(m.ref.kind)) namespaces.add(m.ref.namespace ?? 'default');
    if (m.ref.kind === 'Namespace') namespaces.add(m.ref.name);
  }
  return { namespaces, kinds };
}

/**
 * Namespaced objects: a covered kind in a covered namespace. Cluster-scoped objects: only bindings that grant to a
 * ServiceAccount of a covered namespace, and webhooks that call a Service there — the cluster's other ClusterRoles
 * and CRDs belong to other owners, and calling them shadow would bury the one that matters.
 */
function inScope(o: KubeObject, scope: Scope): boolean {
  const kind = `${apiGroupOf(o.apiVersion ?? '')}/${o.kind}`;
  if (!isClusterScoped(o.kind ?? '')) return scope.kinds.has(kind) && scope.namespaces.has(o.metadata?.namespace ?? 'default');
  if (o.kind === 'ClusterRoleBinding') {
    const subjects = Array.isArray(o.subjects) ? o.subjects.filter(isJsonMap) : [];
    return (scope.kinds.has(kind) || scope.kinds.has('rbac.authorization.k8s.io/RoleBinding')) && subjects.some((s) => s.kind === 'ServiceAccount' && scope.namespaces.has(String(s.namespace)));
  }
  if (o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') {
    const hooks = Array.isArray(o.webhooks) ? o.webhooks.filter(isJsonMap) : [];
    return scope.kinds.has(kind) && hooks.some((h) => isJsonMap(h.clientConfig) && isJsonMap(h.clientConfig.service) && scope.namespaces.has(String(h.clientConfig.service.namespace)));
  }
  return false;
}

interface Introduced {
  ruleId: string;
  path: string;
  severity: Severity;
}

/** Live findings the manifest did not have (same rule, same field named by key rather than index). */
function introducedFindings(manifest: Resource, live: Resource, byManifest: Map<string, Introduced[]>, byLive: Map<string, Introduced[]>): Introduced[] {
  const before = new Set((byManifest.get(identityOf(manifest.ref)) ?? []).map((f) => `${f.ruleId} ${keyedPath(manifest.object, safeTokens(f.path))}`));
  return (byLive.get(identityOf(live.ref)) ?? []).filter((f) => !before.has(`${f.ruleId} ${keyedPath(live.object, safeTokens(f.path))}`));
}

function safeTokens(p: string): string[] {
  try {
    return parsePointer(p);
  } catch {
    return [p];
  }
}

interface PairContext {
  /** Custom resources' schemas (from CRDs among the manifests and live objects). */
  schemas: Map<string, JsonMap>;
  controllers: Set<string>;
  ignore: IgnoreDifference[];
  introduced: Introduced[];
  liveObjects: readonly KubeObject[];
  scanned?: (digest: string) => boolean | undefined;
  audit: NonNullable<DriftInput['audit']>;
}

function judgePair(m: Resource, l: Resource, ctx: PairContext): JudgedDrift[] {
  const kind = l.ref.kind;
  const schema = hasKnownDefaults(m.object) ? undefined : ctx.schemas.get(schemaKey(m.object));
  const defaulted = schema ? applySchemaDefaults(m.object, schema) : applyDefaults(m.object);
  const live = l.object;
  const managers = fieldManagers(live);
  const ignoredPointers = ctx.ignore.flatMap((r) => r.jsonPointers ?? []).map(safeTokens);
  const ignoredManagers = new Set(ctx.ignore.flatMap((r) => r.managedFieldsManagers ?? []));
  const ownersByLeaf = new Map<Leaf, FieldManager[]>();

  const kept = diffLeaves(defaulted, live).filter((leaf) => {
    const obj = leaf.op === 'removed' ? defaulted : live;
    if (serverSetReason(kind, leaf.tokens, leaf.op !== 'added', (depth) => getAt(obj, pointer(...leaf.tokens.slice(0, depth))), (p) => getAt(defaulted, p) !== undefined)) return false;
    if (ignoredPointers.some((p) => p.length <= leaf.tokens.length && p.every((t, i) => t === leaf.tokens[i]))) return false;
    if (leaf.op === 'removed') return true;
    const owners = ownersOf(managers, live, leaf.tokens);
    ownersByLeaf.set(leaf, owners);
    if (owners.some((o) => ignoredManagers.has(o.manager))) return false;
    // a field only controllers own (replicas under an autoscaler, a controller's annotation) is theirs to set
    return !(owners.length > 0 && owners.every((o) => ctx.controllers.has(o.manager)));
  });
  if (kept.length === 0) return [];

  const differences = groupLeaves(kept);
  const ownersOfDiff = (d: Difference): FieldManager[] => {
    const seen = new Map<string, FieldManager>();
    for (const leaf of kept) if (pointer(...leaf.anchor) === d.path || pointer(...leaf.tokens) === d.path) for (const o of ownersByLeaf.get(leaf) ?? []) seen.set(`${o.manager}\u0000${o.operation ?? ''}`, o);
    return [...seen.values()];
  };

  const objectClass = objectLevelClass(m.object, live, ctx.liveObjects);
  return differences.map((d) => {
    const owners = ownersOfDiff(d);
    const ruleHits = ctx.introduced.filter((f) => related(f.path, d.path));
    const ruleIds = [...new Set(ruleHits.map((f) => f.ruleId))].sort();
    const worstRule = ruleHits.reduce<Severity | undefined>((s, f) => (s === undefined || severityRank(f.severity) > severityRank(s) ? f.severity : s), undefined);
    let cls: DriftClass = 'other';
    let severity: Severity = 'low';
    let why = d.op === 'added' ? 'added in the cluster' : d.op === 'removed' ? 'removed in the cluster' : 'changed in the cluster';
    if (objectClass && objectClass.paths.some((p) => d.path === p || d.path.startsWith(p + '/'))) {
      cls = objectClass.cls;
      severity = 'high';
      why = objectClass.why;
    } else if (CONTAINER_IMAGE.test(d.path)) {
      const j = judgeImage(d.manifest, d.live, ctx.scanned);
      cls = 'image';
      severity = j.severity;
      why = j.why;
    } else if (ruleIds.length) {
      cls = 'rule-violation';
      why = `the live object breaks ${ruleIds.join(', ')}, the manifest does not`;
    }
    if (worstRule && severityRank(worstRule) > severityRank(severity)) severity = worstRule;
    if (cls === 'other' && d.path.startsWith('/metadata/')) severity = 'info';
    // an exception written into the cluster rather than reviewed in Git
    if (cls === 'other' && d.op !== 'removed' && (d.path === `/metadata/annotations/${IGNORE_POINTER_TOKEN}` || (d.path === '/metadata/annotations' && isJsonMap(d.live) && IGNORE_ANNOTATION_KEY in d.live))) {
      severity = 'medium';
      why = 'a kubeguard.io/ignore exception added in the cluster, not reviewed in the manifests';
    }
    const changedBy: ChangedBy[] = attribute(l.ref, owners, ctx.audit, ['update', 'patch']);
    return {
      drift: {
        ...refFields(l.ref),
        class: cls,
        path: d.path,
        manifest: d.manifest ?? null,
        live: d.live ?? null,
        ruleIds,
        changedBy,
        patch: { revert: revertPatch(d, live), adopt: adoptSnippet(l.ref, live, d) },
      },
      severity,
      why,
      apiVersion: l.ref.apiVersion,
      ...(m.source ? { source: { file: m.source.file, ...(m.source.line ? { line: m.source.line } : {}) } } : {}),
    };
  });
}

/** RBAC widened or a NetworkPolicy loosened: the paths of the object that carry the grant or the rules. */
function objectLevelClass(manifest: KubeObject, live: KubeObject, cluster: readonly KubeObject[]): { cls: DriftClass; why: string; paths: string[] } | undefined {
  if (RBAC_KINDS.has(live.kind ?? '')) {
    const wider = rbacWidening(manifest, live);
    if (wider.length) return { cls: 'rbac', why: `RBAC widened: ${summarise(wider)}`, paths: ['/rules', '/subjects', '/roleRef', '/aggregationRule'] };
  }
  if (live.kind === 'NetworkPolicy') {
    const looser = networkLoosening(applyDefaults(manifest), live, cluster);
    if (looser.length) return { cls: 'network-policy', why: `NetworkPolicy loosened: newly allowed ${summarise(looser)}`, paths: ['/spec'] };
  }
  return undefined;
}

function summarise(items: readonly string[]): string {
  return items.length <= 3 ? items.join('; ') : `${items.slice(0, 3).join('; ')} and ${items.length - 3} more`;
}
