// Property: the indexed who-can (RuleIndex candidates + bindings by role) gives exactly the subjects that
// the straightforward authorizer walk (authorize(): every binding of the subject, VisitRulesFor order)
// allows, on random roles and bindings drawn from a vocabulary with every wildcard form.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../core/model.js';
import { analyzeRbac } from './analysis.js';
import { subjectFromKey } from './identity.js';
import type { ResourceRequest } from './types.js';

const VERBS = ['get', 'list', 'create', 'update', '*'];
const GROUPS = ['', 'apps', '*'];
const RESOURCES = ['pods', 'pods/exec', 'deployments', 'deployments/scale', '*/scale', '*', 'secrets'];
const NAMES = ['a', 'b'];
const NAMESPACES = ['ns1', 'ns2'];
const SUBJECTS = [
  { kind: 'User', name: 'u1' },
  { kind: 'User', name: 'u2' },
  { kind: 'Group', name: 'g1' },
  { kind: 'ServiceAccount', name: 'sa', namespace: 'ns1' },
  { kind: 'ServiceAccount', name: 'sa' },
];

const rule = fc.record({
  verbs: fc.subarray(VERBS, { minLength: 1 }),
  apiGroups: fc.subarray(GROUPS, { minLength: 1 }),
  resources: fc.subarray(RESOURCES, { minLength: 1 }),
  resourceNames: fc.oneof(fc.constant([]), fc.subarray(NAMES, { minLength: 1 })),
});

const world = fc.record({
  clusterRoles: fc.array(fc.array(rule, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  roles: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), rules: fc.array(rule, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
  bindings: fc.array(
    fc.record({
      cluster: fc.boolean(),
      ns: fc.constantFrom(...NAMESPACES),
      toClusterRole: fc.boolean(),
      roleIndex: fc.nat(5),
      subjects: fc.subarray(SUBJECTS, { minLength: 1 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

const request = fc.record({
  verb: fc.constantFrom('get', 'list', 'create', 'update', 'delete'),
  apiGroup: fc.constantFrom('', 'apps', 'batch'),
  resource: fc.constantFrom('pods', 'deployments', 'secrets', 'jobs'),
  subresource: fc.constantFrom(undefined, 'exec', 'scale', 'status'),
  namespace: fc.constantFrom(undefined, 'ns1', 'ns2'),
  name: fc.constantFrom(undefined, 'a', 'c'),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function objects(w: World): KubeObject[] {
  const out: KubeObject[] = [];
  const rbac = 'rbac.authorization.k8s.io/v1';
  w.clusterRoles.forEach((rules, i) => out.push({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: `cr${i}` }, rules }));
  w.roles.forEach((r, i) => out.push({ apiVersion: rbac, kind: 'Role', metadata: { name: `r${i}`, namespace: r.ns }, rules: r.rules }));
  w.bindings.forEach((b, i) => {
    const roleRef = b.cluster || b.toClusterRole || w.roles.length === 0
      ? { kind: 'ClusterRole', name: `cr${b.roleIndex % w.clusterRoles.length}` }
      : { kind: 'Role', name: `r${b.roleIndex % w.roles.length}` };
    out.push({
      apiVersion: rbac,
      kind: b.cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: b.cluster ? { name: `b${i}` } : { name: `b${i}`, namespace: b.ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
      subjects: b.subjects,
    });
  });
  return out;
}

describe('who-can agrees with the authorizer walk', () => {
  it('for random RBAC worlds and requests', () => {
    fc.assert(
      fc.property(world, fc.array(request, { minLength: 1, maxLength: 8 }), (w, reqs) => {
        const rbac = analyzeRbac(objects(w), { bootstrap: false });
        const candidates = [...rbac.index.subjectKeys()];
        for (const raw of reqs) {
          const req: ResourceRequest = { verb: raw.verb, apiGroup: raw.apiGroup, resource: raw.resource };
          if (raw.subresource) req.subresource = raw.subresource;
          if (raw.namespace) req.namespace = raw.namespace;
          if (raw.name) req.name = raw.name;
          const fromIndex = rbac
            .whoCan(req)
            .subjects.filter((s) => s.name !== 'system:masters')
            .map((s) => (s.kind === 'ServiceAccount' ? `sa:${s.namespace}/${s.name}` : `${s.kind === 'User' ? 'user' : 'group'}:${s.name}`))
            .sort();
          // The walk, per subject, on the subject's own bindings only (a group key stands for that group).
          const fromWalk = candidates
            .filter((k) => {
              const s = subjectFromKey(k);
              const info = s.kind === 'Group' ? { name: '', groups: [s.name] } : { name: s.kind === 'User' ? s.name : `system:serviceaccount:${s.namespace}:${s.name}`, groups: [] };
              return rbac.can(info, req).allowed;
            })
            .sort();
          assert.deepEqual(fromIndex, fromWalk, JSON.stringify(req));
        }
      }),
      { numRuns: 300 },
    );
  });
});
