/**
 * A deterministic synthetic cluster: NS namespaces, RB RoleBindings, CRB ClusterRoleBindings, with Roles,
 * ServiceAccounts and Deployments around them, and a few dangerous grants so escalation paths exist.
 */
import type { KubeObject } from '../../src/core/model.js';
import { rng } from '../support/rng.js';

const RBAC = 'rbac.authorization.k8s.io';


export const RESOURCES: [string, string][] = [
  ['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['', 'services'], ['apps', 'deployments'], ['apps', 'statefulsets'],
  ['batch', 'jobs'], ['', 'serviceaccounts'], ['networking.k8s.io', 'ingresses'], ['', 'persistentvolumeclaims'],
];
export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

export interface Corpus {
  objects: KubeObject[];
  namespaces: string[];
  counts: Record<string, number>;
}

export function syntheticCluster(nsCount = 3200, rbCount = 11000, crbCount = 200, seed = 42): Corpus {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const objects: KubeObject[] = [];
  const namespaces = Array.from({ length: nsCount }, (_, i) => `ns-${i}`);
  const clusterRoles: string[] = ['view', 'edit', 'admin', 'cluster-admin'];
  for (let i = 0; i < 60; i++) {
    const name = `custom-${i}`;
    clusterRoles.push(name);
    const rules = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
      const [g, r] = pick(RESOURCES);
      return { apiGroups: [g], resources: [r], verbs: [pick(VERBS), pick(VERBS)] };
    });
    if (i % 20 === 0) rules.push({ apiGroups: [''], resources: ['pods'], verbs: ['create'] });
    objects.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
  }
  for (const [i, ns] of namespaces.entries()) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: i % 2 ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : {} } });
    for (let s = 0; s < 3; s++) objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${s}`, namespace: ns } });
    objects.push({
      apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'app', namespace: ns },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: i % 7 === 0 ? ['create', 'update'] : ['get'] },
      ],
    });
    objects.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
      spec: { template: { spec: { serviceAccountName: `sa-${i % 3}`, containers: [{ name: 'c', image: 'nginx' }] } } },
    });
  }
  for (let i = 0; i < rbCount; i++) {
    const ns = namespaces[i % nsCount];
    const useRole = rand() < 0.5;
    const subj = rand() < 0.6
      ? { kind: 'ServiceAccount', name: `sa-${Math.floor(rand() * 3)}`, namespace: ns }
      : { kind: 'User', name: `user-${Math.floor(rand() * 2000)}`, apiGroup: RBAC };
    objects.push({
      apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: ns },
      roleRef: useRole ? { apiGroup: RBAC, kind: 'Role', name: 'app' } : { apiGroup: RBAC, kind: 'ClusterRole', name: pick(clusterRoles) },
      subjects: [subj],
    });
  }
  for (let i = 0; i < crbCount; i++) {
    const role = i < 3 ? 'cluster-admin' : pick(clusterRoles.filter((r) => r !== 'cluster-admin'));
    const ns = pick(namespaces);
    objects.push({
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
      subjects: [rand() < 0.5 ? { kind: 'ServiceAccount', name: `sa-${i % 3}`, namespace: ns } : { kind: 'Group', name: `team-${i % 40}`, apiGroup: RBAC }],
    });
  }
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind ?? ''] = (counts[o.kind ?? ''] ?? 0) + 1;
  return { objects, namespaces, counts };
}
