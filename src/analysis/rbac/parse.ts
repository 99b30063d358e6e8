/** Normalises Role/ClusterRole/RoleBinding/ClusterRoleBinding objects into the RBAC model. */
import type { KubeObject } from '../../core/model.js';
import { namespaceOf } from '../../core/ref.js';
import type {
  LabelSelector,
  LabelSelectorRequirement,
  Origin,
  PolicyRule,
  RbacBinding,
  RbacRole,
  RoleKind,
  Subject,
  SubjectKind,
} from './types.js';
import { isJsonMap as isMap } from '../../core/json.js';

export const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isRbacGroup(obj: KubeObject): boolean {
  const av = obj.apiVersion ?? '';
  return av === '' || av.startsWith('rbac.authorization.k8s.io/');
}

export function parsePolicyRule(v: unknown): PolicyRule {
  const m = isMap(v) ? v : {};
  return {
    verbs: strings(m.verbs),
    apiGroups: strings(m.apiGroups),
    resources: strings(m.resources),
    resourceNames: strings(m.resourceNames),
    nonResourceURLs: strings(m.nonResourceURLs),
  };
}

export function parseRules(v: unknown): PolicyRule[] {
  return Array.isArray(v) ? v.map(parsePolicyRule) : [];
}

function parseSelector(v: unknown): LabelSelector {
  const m = isMap(v) ? v : {};
  const sel: LabelSelector = {};
  if (isMap(m.matchLabels)) {
    sel.matchLabels = {};
    for (const [k, val] of Object.entries(m.matchLabels)) if (typeof val === 'string') sel.matchLabels[k] = val;
  }
  if (Array.isArray(m.matchExpressions)) {
    sel.matchExpressions = m.matchExpressions.filter(isMap).map(
      (e): LabelSelectorRequirement => ({
        key: typeof e.key === 'string' ? e.key : '',
        operator: typeof e.operator === 'string' ? e.operator : '',
        values: strings(e.values),
      }),
    );
  }
  return sel;
}

export function parseRole(obj: KubeObject, origin: Origin = 'input'): RbacRole | undefined {
  if (!isRbacGroup(obj) || (obj.kind !== 'Role' && obj.kind !== 'ClusterRole')) return undefined;
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || !name) return undefined;
  const role: RbacRole = {
    kind: obj.kind,
    name,
    labels: { ...(obj.metadata?.labels ?? {}) },
    declaredRules: parseRules(obj.rules),
    origin,
  };
  if (obj.kind === 'Role') role.namespace = namespaceOf(obj);
  const agg = obj.aggregationRule;
  if (obj.kind === 'ClusterRole' && isMap(agg) && Array.isArray(agg.clusterRoleSelectors)) {
    role.aggregationSelectors = agg.clusterRoleSelectors.map(parseSelector);
  }
  return role;
}

const SUBJECT_KINDS: ReadonlySet<string> = new Set(['User', 'Group', 'ServiceAccount']);

/**
 * Subjects of a binding. A ServiceAccount subject without a namespace takes the RoleBinding's namespace
 * (appliesToUser in pkg/registry/rbac/validation/rule.go); in a ClusterRoleBinding it has none and can
 * never match, so it is dropped. Unknown kinds are dropped too (they never match upstream).
 */
export function parseSubjects(v: unknown, bindingNamespace: string | undefined): Subject[] {
  if (!Array.isArray(v)) return [];
  const out: Subject[] = [];
  for (const s of v) {
    if (!isMap(s) || typeof s.kind !== 'string' || !SUBJECT_KINDS.has(s.kind)) continue;
    if (typeof s.name !== 'string' || !s.name) continue;
    const kind = s.kind as SubjectKind;
    if (kind === 'ServiceAccount') {
      const ns = typeof s.namespace === 'string' && s.namespace ? s.namespace : bindingNamespace;
      if (!ns) continue;
      out.push({ kind, name: s.name, namespace: ns });
    } else {
      out.push({ kind, name: s.name });
    }
  }
  return out;
}

export function parseBinding(obj: KubeObject, origin: Origin = 'input'): RbacBinding | undefined {
  if (!isRbacGroup(obj) || (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding')) return undefined;
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || !name) return undefined;
  const ref = isMap(obj.roleRef) ? obj.roleRef : {};
  const refKind = ref.kind;
  if ((refKind !== 'Role' && refKind !== 'ClusterRole') || typeof ref.name !== 'string') return undefined;
  // A ClusterRoleBinding may only reference a ClusterRole (API validation).
  if (obj.kind === 'ClusterRoleBinding' && refKind !== 'ClusterRole') return undefined;
  const namespace = obj.kind === 'RoleBinding' ? namespaceOf(obj) : undefined;
  const b: RbacBinding = {
    kind: obj.kind,
    name,
    roleRef: { kind: refKind as RoleKind, name: ref.name },
    subjects: parseSubjects(obj.subjects, namespace),
    origin,
  };
  if (namespace) b.namespace = namespace;
  return b;
}
