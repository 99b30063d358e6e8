// Cross-checks the RBAC engine against kubescape/regolibrary's RBAC rule tests (read in place from
// testdata/rbac, see its SOURCE.md): for each test case, the set of subjects kubescape alerts
// on must equal the set of subjects whose bindings (resolved by our index, bootstrap policy off since
// kubescape sees only the input) allow the rule's requests. Subjects are compared, not messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import { analyzeRbac } from './analysis.js';
import { isClusterAdminRule } from './abilities.js';
import { subjectKey, userInfoOf } from './identity.js';
import { dangerousAbilities } from './ability-summary.js';
import { ruleAllows } from './matching.js';
import { objectsFromYaml } from './test-yaml.js';
import type { PolicyRule, ResourceRequest } from './types.js';

type Probe = (rule: PolicyRule) => boolean;

const req = (verbs: string[], apiGroup: string, resource: string, subresource?: string): Probe => (rule) =>
  verbs.some((verb) => ruleAllows(rule, { verb, apiGroup, resource, ...(subresource ? { subresource } : {}), namespace: 'x' } as ResourceRequest));
const any = (...ps: Probe[]): Probe => (rule) => ps.some((p) => p(rule));
const RBAC = 'rbac.authorization.k8s.io';
const WRITE = ['create', 'update', 'patch', 'delete'];

const KUBESCAPE: Record<string, Probe> = {
  'rule-can-create-pod': req(['create'], '', 'pods'),
  'rule-can-bind-escalate': any(req(['bind', 'escalate'], RBAC, 'roles'), req(['bind', 'escalate'], RBAC, 'clusterroles')),
  'rule-can-impersonate-users-groups-v1': any(req(['impersonate'], '', 'users'), req(['impersonate'], '', 'groups')),
  'rule-can-list-get-secrets-v1': req(['get', 'list', 'watch'], '', 'secrets'),
  'rule-can-create-pv': req(['create'], '', 'persistentvolumes'),
  'rule-can-create-service-account-token': req(['create'], '', 'serviceaccounts', 'token'),
  'rule-can-access-proxy-subresource': req(['get', 'create'], '', 'nodes', 'proxy'),
  'rule-can-approve-cert-signing-request': req(['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval'),
  'rule-can-modify-admission-webhooks': any(
    req(WRITE, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations'),
    req(WRITE, 'admissionregistration.k8s.io', 'validatingwebhookconfigurations'),
  ),
  'rule-can-portforward-v1': req(['create', 'get'], '', 'pods', 'portforward'),
  'exec-into-container-v1': req(['create', 'get'], '', 'pods', 'exec'),
  'rule-list-all-cluster-admins-v1': isClusterAdminRule,
};

interface Alert {
  alertObject?: { externalObjects?: { kind?: string; name?: string; namespace?: string } };
}

function expectedSubjects(caseDir: string): string[] {
  const alerts = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Alert[];
  return alerts
    .map((a) => a.alertObject?.externalObjects)
    .filter((e): e is { kind: string; name: string; namespace?: string } => !!e?.kind && !!e.name)
    .map((e) => subjectKey({ kind: e.kind as 'User' | 'Group' | 'ServiceAccount', name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}) }))
    .filter((k, i, all) => all.indexOf(k) === i)
    .sort();
}

/**
 * Cases where kubescape's Rego deliberately differs from the API server's authorizer; we assert the
 * authorizer's answer (evaluation_helpers.go) instead of kubescape's.
 */
const KNOWN_DIFFERENCES: Record<string, { ours: string[]; reason: string }> = {
  'rule-can-portforward-v1/clusterrole-clusterrolebinding': {
    ours: [],
    reason: '"pods/*" is not a wildcard for the authorizer (only "*" and "*/sub" are); kubescape treats it as one',
  },
  'exec-into-container-v1/clusterrole': {
    ours: [],
    reason: '"pods/*" does not match pods/exec in ResourceMatches',
  },
  'rule-list-all-cluster-admins-v1/clusterrole-rolebinding': {
    ours: [],
    reason: 'apiGroups [""] with resources/verbs "*" is every core resource, not every API group: not cluster-admin equivalent',
  },
};

function ourSubjects(caseDir: string, probe: Probe): string[] {
  const inputDir = join(caseDir, 'input');
  const objects = readdirSync(inputDir).flatMap((f) => objectsFromYaml(readFileSync(join(inputDir, f), 'utf8')));
  const rbac = analyzeRbac(objects, { bootstrap: false });
  const out = new Set<string>();
  for (const b of rbac.index.bindings) {
    if (rbac.index.rulesOf(b).some(probe)) for (const s of b.binding.subjects) out.add(subjectKey(s));
  }
  return [...out].sort();
}

describe('kubescape regolibrary RBAC rules: alerted subjects', () => {
  const root = conformanceDir('rbac', 'kubescape-regolibrary', 'rules');
  let compared = 0;
  for (const [rule, probe] of Object.entries(KUBESCAPE)) {
    const testDir = join(root, rule, 'test');
    if (!existsSync(testDir)) continue;
    for (const c of readdirSync(testDir).sort()) {
      const known = KNOWN_DIFFERENCES[`${rule}/${c}`];
      it(`${rule} / ${c}${known ? ' (known difference)' : ''}`, () => {
        compared++;
        const ours = ourSubjects(join(testDir, c), probe);
        if (known) {
          assert.notDeepEqual(expectedSubjects(join(testDir, c)), known.ours, 'no longer a difference: drop it from KNOWN_DIFFERENCES');
          assert.deepEqual(ours, known.ours, known.reason);
        } else {
          assert.deepEqual(ours, expectedSubjects(join(testDir, c)));
        }
      });
    }
  }
  it('compared at least 30 upstream cases', () => assert.ok(compared >= 30, `only ${compared}`));
});

describe('KubiScan risky subjects (cyberark/KubiScan unit_test.py expectations)', () => {
  // KubiScan calls a subject risky when it holds a risky permission; kubiscan-sa reads secrets, kubiscan-sa2
  // holds the same minus secrets, default holds nothing. The container verdicts of expected.yaml depend on
  // KubiScan's live token-mount heuristics and are not compared (see SOURCE.md).
  const dir = conformanceDir('rbac', 'kubiscan');
  const expected = objectsFromYaml(readFileSync(join(dir, 'expected.yaml'), 'utf8'))[0] as unknown as {
    riskySubjects: string[];
    notRiskySubjects: string[];
  };
  const objects = ['kubiscan-sa.yaml', 'kubiscan-sa2.yaml'].flatMap((f) => objectsFromYaml(readFileSync(join(dir, f), 'utf8')));
  const rbac = analyzeRbac(objects);
  const risky = (name: string): boolean =>
    dangerousAbilities(rbac.index, userInfoOf({ kind: 'ServiceAccount', namespace: 'default', name })).length > 0;

  it('risky subjects hold a dangerous ability', () => {
    assert.ok(expected.riskySubjects.length > 0);
    for (const s of expected.riskySubjects) assert.equal(risky(s), true, s);
  });
  it('not-risky subjects hold none', () => {
    for (const s of expected.notRiskySubjects) assert.equal(risky(s), false, s);
  });
});
