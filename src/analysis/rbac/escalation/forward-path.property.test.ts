// Property: the per-identity forward search over edges built on demand (RbacAnalysis.pathTo, used by the scan
// rules) finds a path exactly when the all-pairs reverse search over the whole graph (ShortestPaths) does, and
// one of the same length (paths of 1 to 8 steps occur), on random RBAC objects built from the escalation techniques' permissions, bound to
// service accounts, users and implicit groups, with workloads and token Secrets for the pod/exec/secret hubs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../../core/model.js';
import { analyzeRbac } from '../analysis.js';
import { CAPABILITY_IDS } from './model.js';

const RBAC = 'rbac.authorization.k8s.io';
const NAMESPACES = ['ns1', 'ns2'];
const RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] },
  { apiGroups: [RBAC], resources: ['clusterrolebindings', 'rolebindings'], verbs: ['create'] },
  { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
];
const SUBJECTS = [
  { kind: 'ServiceAccount', name: 'a', namespace: 'ns1' },
  { kind: 'ServiceAccount', name: 'b', namespace: 'ns2' },
  { kind: 'User', name: 'u1', apiGroup: RBAC },
  { kind: 'Group', name: 'system:serviceaccounts:ns1', apiGroup: RBAC },
  { kind: 'Group', name: 'system:authenticated', apiGroup: RBAC },
];

const roleSpec = fc.record({ cluster: fc.boolean(), ns: fc.constantFrom(...NAMESPACES), rules: fc.subarray(RULES, { minLength: 1, maxLength: 3 }) });
const bindingSpec = fc.record({
  role: fc.nat(5),
  clusterWide: fc.boolean(),
  toClusterAdmin: fc.boolean(),
  ns: fc.constantFrom(...NAMESPACES),
  subjects: fc.subarray(SUBJECTS, { minLength: 1, maxLength: 2 }),
});
const workloadSpec = fc.record({ ns: fc.constantFrom(...NAMESPACES), sa: fc.constantFrom('a', 'b', 'c', 'default'), automount: fc.boolean() });

type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;

function objects(roles: Drawn<typeof roleSpec>[], bindings: Drawn<typeof bindingSpec>[], workloads: Drawn<typeof workloadSpec>[], tokenSecret: boolean): KubeObject[] {
  const out: KubeObject[] = roles.map((r, i) =>
    r.cluster
      ? { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: `r${i}` }, rules: r.rules }
      : { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: `r${i}`, namespace: r.ns }, rules: r.rules },
  );
  bindings.forEach((b, i) => {
    const role = roles[b.role % roles.length];
    const roleRef = b.toClusterAdmin ? { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: RBAC } : { kind: role.cluster ? 'ClusterRole' : 'Role', name: `r${b.role % roles.length}`, apiGroup: RBAC };
    if (b.clusterWide && roleRef.kind === 'ClusterRole') out.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `b${i}` }, roleRef, subjects: b.subjects });
    else out.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `b${i}`, namespace: roleRef.kind === 'Role' ? role.ns : b.ns }, roleRef, subjects: b.subjects });
  });
  workloads.forEach((w, i) =>
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w${i}`, namespace: w.ns },
      spec: { template: { spec: { serviceAccountName: w.sa, automountServiceAccountToken: w.automount, containers: [{ name: 'c', image: 'x' }] } } },
    }),
  );
  if (tokenSecret) out.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 't', namespace: 'ns2', annotations: { 'kubernetes.io/service-account.name': 'b' } } });
  return out;
}

describe('forward search on demand agrees with the all-pairs search', () => {
  it('same reachability and the same number of steps, for every service account and user', () => {
    fc.assert(
      fc.property(
        fc.array(roleSpec, { minLength: 1, maxLength: 6 }),
        fc.array(bindingSpec, { maxLength: 6 }),
        fc.array(workloadSpec, { maxLength: 4 }),
        fc.boolean(),
        (roles, bindings, workloads, tokenSecret) => {
          const input = objects(roles, bindings, workloads, tokenSecret);
          const full = analyzeRbac(input);
          const sp = full.shortestPaths;
          const ids = [...full.graph.nodes.values()].filter((n) => n.type === 'identity' && !n.id.startsWith('group:')).map((n) => n.id);
          for (const cap of CAPABILITY_IDS) {
            const lazy = analyzeRbac(input); // a fresh analysis per capability: the forward search from scratch
            for (const id of ids) {
              const expected = sp.pathFrom(id, cap);
              const got = lazy.pathTo(id, cap);
              assert.equal(got?.steps.length, expected?.steps.length, `${id} → ${cap}`);
              if (got) assert.equal(got.steps[0].subject, id);
            }
          }
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
