/**
 * Security-relevant abilities a set of rules grants, each defined by the API requests it needs.
 * Used by the escalation graph (per identity and scope) and by the risk-catalogue rules (per role rule).
 * References: Kubernetes "RBAC good practices" (privilege escalation risks):
 * https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */
import type { PolicyRule } from './types.js';
import { apiGroupMatches, resourceMatches, verbMatches, combinedResource } from './matching.js';

export interface Probe {
  verbs: string[];
  apiGroup: string;
  resource: string;
  subresource?: string;
}

export type AbilityId =
  | 'cluster-admin'
  | 'read-secrets'
  | 'create-pods'
  | 'write-workloads'
  | 'exec-pods'
  | 'create-token'
  | 'impersonate-users'
  | 'impersonate-groups'
  | 'impersonate-serviceaccounts'
  | 'bind-clusterroles'
  | 'bind-roles'
  | 'escalate-clusterroles'
  | 'escalate-roles'
  | 'write-clusterroles'
  | 'write-roles'
  | 'create-clusterrolebindings'
  | 'create-rolebindings'
  | 'nodes-proxy'
  | 'create-persistentvolumes'
  | 'create-csr'
  | 'approve-csr'
  | 'approve-signer';

const RBAC = 'rbac.authorization.k8s.io';
const WRITE = ['create', 'update', 'patch'];

const workloadProbes: Probe[] = [
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((resource) => ({ verbs: WRITE, apiGroup: 'apps', resource })),
  ...['jobs', 'cronjobs'].map((resource) => ({ verbs: WRITE, apiGroup: 'batch', resource })),
  { verbs: WRITE, apiGroup: '', resource: 'replicationcontrollers' },
];

export const ABILITY_PROBES: Record<Exclude<AbilityId, 'cluster-admin'>, Probe[]> = {
  'read-secrets': [{ verbs: ['get', 'list', 'watch'], apiGroup: '', resource: 'secrets' }],
  'create-pods': [{ verbs: ['create'], apiGroup: '', resource: 'pods' }],
  'write-workloads': workloadProbes,
  // Exec/attach need `create` (websocket upgrades too since 1.30); older API servers accepted `get`.
  'exec-pods': [
    { verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'exec' },
    { verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'attach' },
  ],
  'create-token': [{ verbs: ['create'], apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }],
  'impersonate-users': [{ verbs: ['impersonate'], apiGroup: '', resource: 'users' }],
  'impersonate-groups': [{ verbs: ['impersonate'], apiGroup: '', resource: 'groups' }],
  'impersonate-serviceaccounts': [{ verbs: ['impersonate'], apiGroup: '', resource: 'serviceaccounts' }],
  'bind-clusterroles': [{ verbs: ['bind'], apiGroup: RBAC, resource: 'clusterroles' }],
  'bind-roles': [{ verbs: ['bind'], apiGroup: RBAC, resource: 'roles' }],
  'escalate-clusterroles': [{ verbs: ['escalate'], apiGroup: RBAC, resource: 'clusterroles' }],
  'escalate-roles': [{ verbs: ['escalate'], apiGroup: RBAC, resource: 'roles' }],
  'write-clusterroles': [{ verbs: ['update', 'patch'], apiGroup: RBAC, resource: 'clusterroles' }],
  'write-roles': [{ verbs: ['update', 'patch'], apiGroup: RBAC, resource: 'roles' }],
  'create-clusterrolebindings': [{ verbs: ['create'], apiGroup: RBAC, resource: 'clusterrolebindings' }],
  'create-rolebindings': [{ verbs: ['create'], apiGroup: RBAC, resource: 'rolebindings' }],
  'nodes-proxy': [{ verbs: ['get', 'create'], apiGroup: '', resource: 'nodes', subresource: 'proxy' }],
  'create-persistentvolumes': [{ verbs: ['create'], apiGroup: '', resource: 'persistentvolumes' }],
  'create-csr': [{ verbs: ['create'], apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests' }],
  'approve-csr': [{ verbs: ['update', 'patch'], apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' }],
  'approve-signer': [{ verbs: ['approve'], apiGroup: 'certificates.k8s.io', resource: 'signers' }],
};

/** Names a grant is limited to, or "*" when unrestricted. */
export type NameScope = '*' | ReadonlySet<string>;

export interface Grant {
  names: NameScope;
  /** The verbs that matched (for readable labels). */
  verbs: string[];
}

function probeMatch(rule: PolicyRule, p: Probe): string[] {
  const sub = p.subresource ?? '';
  if (!apiGroupMatches(rule, p.apiGroup) || !resourceMatches(rule, combinedResource(p.resource, sub), sub)) return [];
  // A create request on a resource (not a subresource) carries no name, so resourceNames never allow it.
  const createNeedsNoNames = !sub && rule.resourceNames.length > 0;
  return p.verbs.filter((v) => verbMatches(rule, v) && !(createNeedsNoNames && v === 'create'));
}

/** True when the rule is "every verb on every resource in every API group" without name limits. */
export function isClusterAdminRule(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

/** Whether one rule grants the ability, and with which verbs/names. */
export function ruleGrant(rule: PolicyRule, ability: AbilityId): Grant | undefined {
  if (ability === 'cluster-admin') return isClusterAdminRule(rule) ? { names: '*', verbs: ['*'] } : undefined;
  const verbs = new Set<string>();
  for (const p of ABILITY_PROBES[ability]) for (const v of probeMatch(rule, p)) verbs.add(v);
  if (verbs.size === 0) return undefined;
  return { names: rule.resourceNames.length === 0 ? '*' : new Set(rule.resourceNames), verbs: [...verbs] };
}

export const ABILITY_IDS: readonly AbilityId[] = ['cluster-admin', ...(Object.keys(ABILITY_PROBES) as AbilityId[])];

/** Union of grants over a rule set, per ability. */
export function abilitiesOf(rules: readonly PolicyRule[]): Map<AbilityId, Grant> {
  const out = new Map<AbilityId, Grant>();
  for (const rule of rules) {
    for (const a of ABILITY_IDS) {
      const g = ruleGrant(rule, a);
      if (g) out.set(a, mergeGrant(out.get(a), g));
    }
  }
  return out;
}

export function mergeGrant(a: Grant | undefined, b: Grant): Grant {
  if (!a) return b;
  const verbs = [...new Set([...a.verbs, ...b.verbs])];
  if (a.names === '*' || b.names === '*') return { names: '*', verbs };
  return { names: new Set([...a.names, ...b.names]), verbs };
}

export function nameAllowed(scope: NameScope | undefined, name: string): boolean {
  return scope !== undefined && (scope === '*' || scope.has(name));
}
