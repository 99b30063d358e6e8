// Verdicts of our RBAC rules against upstream data-driven suites, read in place from
// testdata/rbac (see its SOURCE.md): Polaris RBAC checks (file verdicts) and Kyverno RBAC
// policies (per-resource pass/fail). Verdicts are compared, not messages. Where an upstream policy
// deliberately judges differently from our rule, the case is listed in KNOWN_DIFFERENCES with the reason,
// and our own verdict for it is asserted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../../core/model.js';
import type { Rule } from '../../core/rule.js';
import { conformanceDir } from '../../test-support/conformance.js';
import { runRule } from '../test-support/rule-tester.js';
import adminBinding from './rbac-cluster-admin-binding/rule.js';
import anonymous from './rbac-anonymous-binding/rule.js';
import csr from './rbac-csr-approval/rule.js';
import escalate from './rbac-escalate-bind/rule.js';
import exec from './rbac-pod-exec-attach/rule.js';
import masters from './rbac-system-masters-binding/rule.js';
import nodesProxy from './rbac-nodes-proxy/rule.js';
import secrets from './rbac-read-secrets/rule.js';
import webhooks from './rbac-admission-webhook-write/rule.js';
import wildcard from './rbac-wildcard-permissions/rule.js';

interface Mapping {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rule: Rule<any>;
  /** Which findings of our rule correspond to the upstream check. */
  counts: (f: Finding) => boolean;
}

const isExecAttach = (f: Finding) => /pods\/(exec|attach)/.test(f.message);
const POLARIS: Record<string, Mapping> = {
  clusterrolePodExecAttach: { rule: exec, counts: (f) => f.resource.kind === 'ClusterRole' && isExecAttach(f) },
  rolePodExecAttach: { rule: exec, counts: (f) => f.resource.kind === 'Role' && isExecAttach(f) },
  clusterrolebindingClusterAdmin: { rule: adminBinding, counts: (f) => f.resource.kind === 'ClusterRoleBinding' },
  rolebindingClusterAdminClusterRole: { rule: adminBinding, counts: (f) => f.resource.kind === 'RoleBinding' && f.message.includes('ClusterRole ') },
  rolebindingClusterAdminRole: { rule: adminBinding, counts: (f) => f.resource.kind === 'RoleBinding' && f.message.includes('grants Role ') },
};

/** The wildcard finding names the fields holding "*" (all of them when the rule grants everything). */
const wildcardIn = (f: Finding, field: string) => f.message.includes('every verb on every resource of every API group') || new RegExp(`"\\*" in [a-zA-Z, ]*\\b${field}\\b`).test(f.message);

const KYVERNO: Record<string, Mapping> = {
  'restrict-wildcard-verbs/wildcard-verbs': { rule: wildcard, counts: (f) => wildcardIn(f, 'verbs') },
  'restrict-wildcard-resources/wildcard-resources': { rule: wildcard, counts: (f) => wildcardIn(f, 'resources') },
  'restrict-secret-role-verbs/secret-verbs': { rule: secrets, counts: () => true },
  'restrict-escalation-verbs-roles/escalate': { rule: escalate, counts: () => true },
  'restrict-clusterrole-nodesproxy/clusterrole-nodesproxy': { rule: nodesProxy, counts: () => true },
  'restrict-clusterrole-csr/certificatesigningrequests-update-prevention': { rule: csr, counts: (f) => f.message.includes('/approval') },
  'restrict-clusterrole-csr/signers-approve-prevention': { rule: csr, counts: (f) => f.message.includes('on signers') },
  'restrict-clusterrole-mutating-validating-admission-webhooks/restrict-clusterrole': { rule: webhooks, counts: () => true },
  'restrict-binding-system-groups/restrict-anonymous': { rule: anonymous, counts: (f) => f.message.includes('system:anonymous') },
  'restrict-binding-system-groups/restrict-unauthenticated': { rule: anonymous, counts: (f) => f.message.includes('system:unauthenticated') },
  'restrict-binding-system-groups/restrict-masters': { rule: masters, counts: () => true },
  'restrict-binding-clusteradmin/clusteradmin-bindings': { rule: adminBinding, counts: () => true },
};

/** Upstream case → our verdict and why it differs. */
const KNOWN_DIFFERENCES: Record<string, { ours: 'pass' | 'fail'; reason: string }> = {
  'polaris/clusterrolebindingClusterAdmin/success.gce_calico_binding.yaml': {
    ours: 'fail',
    reason: 'Polaris exempts the GKE binding name gce:podsecuritypolicy:calico-sa by configuration; we exempt only "system:*"',
  },
  'polaris/rolebindingClusterAdminClusterRole/success.gce_calico_binding.yaml': {
    ours: 'fail',
    reason: 'same Polaris-specific name exemption',
  },
  'polaris/rolebindingClusterAdminRole/success.gce_calico_binding.yaml': {
    ours: 'fail',
    reason: 'same Polaris-specific name exemption',
  },
  'polaris/clusterrolePodExecAttach/success.gce_calico_clusterrole.yaml': {
    ours: 'fail',
    reason: 'same Polaris-specific name exemption (ClusterRole gce:podsecuritypolicy:calico-sa)',
  },
  'polaris/rolePodExecAttach/success.gce_calico_binding.yaml': {
    ours: 'fail',
    reason: 'same Polaris-specific name exemption',
  },
  'kyverno/restrict-binding-clusteradmin/clusteradmin-bindings/RoleBinding/badrb01': {
    ours: 'pass',
    reason: 'roleRef is kind Role named cluster-admin: a namespaced Role absent from the input, not the cluster-admin ClusterRole (Kyverno matches the name only)',
  },
  'kyverno/restrict-binding-clusteradmin/clusteradmin-bindings/RoleBinding/badrb02': {
    ours: 'pass',
    reason: 'same: a Role named cluster-admin is not the ClusterRole',
  },
  'kyverno/restrict-clusterrole-csr/certificatesigningrequests-update-prevention/ClusterRole/violating-clusterrole': {
    ours: 'pass',
    reason: 'the rule names apiGroups [""]; CSRs live in certificates.k8s.io, so it grants nothing on them (APIGroupMatches)',
  },
  'kyverno/restrict-clusterrole-csr/signers-approve-prevention/ClusterRole/violating-clusterrole': {
    ours: 'pass',
    reason: 'same: signers are in certificates.k8s.io, not the core group',
  },
  'kyverno/restrict-escalation-verbs-roles/escalate/Role/badrole01': {
    ours: 'pass',
    reason: 'impersonate on roles grants nothing: impersonation applies to users, groups, serviceaccounts, uids and userextras (rbac-impersonate covers those)',
  },
};

function verdictOf(findings: Finding[], m: Mapping, pick: (f: Finding) => boolean = () => true): 'pass' | 'fail' {
  return findings.some((f) => m.counts(f) && pick(f)) ? 'fail' : 'pass';
}

function check(key: string, ours: 'pass' | 'fail', expected: 'pass' | 'fail'): void {
  const known = KNOWN_DIFFERENCES[key];
  if (known) {
    assert.notEqual(expected, known.ours, `${key} agrees with upstream now: drop it from KNOWN_DIFFERENCES`);
    assert.equal(ours, known.ours, known.reason);
  } else {
    assert.equal(ours, expected, key);
  }
}

const base = conformanceDir('rbac');
const index = readFileSync(join(base, 'index.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .map(([source, check, caseName, expected, path]) => ({ source, check, caseName, expected, path }));

describe('Polaris RBAC checks: file verdicts', () => {
  const cases = index.filter((c) => c.source === 'polaris' && POLARIS[c.check]);
  it('covers the Polaris cluster-admin and exec/attach checks', () => assert.ok(cases.length >= 60, `${cases.length}`));
  for (const c of cases) {
    it(`${c.check} / ${c.caseName}`, () => {
      const m = POLARIS[c.check];
      const run = runRule(m.rule, [join(base, c.path)]);
      check(`polaris/${c.check}/${c.caseName}`, verdictOf(run.findings, m), c.expected === 'fail' ? 'fail' : 'pass');
    });
  }
});

interface KyvernoTest {
  resources: string[];
  results: { policy: string; rule: string; kind: string; resources: string[]; result: string }[];
}

describe('Kyverno RBAC policies: per-resource verdicts', () => {
  const policies = [...new Set(index.filter((c) => c.source === 'kyverno-policies').map((c) => c.path.split('/').slice(0, 3).join('/')))];
  let compared = 0;
  for (const dir of policies) {
    const testFile = join(base, dir, '.kyverno-test', 'kyverno-test.yaml');
    const test = parse(readFileSync(testFile, 'utf8')) as KyvernoTest;
    const files = test.resources.map((r) => join(dirname(testFile), r));
    for (const res of test.results) {
      const m = KYVERNO[`${res.policy}/${res.rule}`];
      if (!m || (res.result !== 'pass' && res.result !== 'fail')) continue;
      for (const name of res.resources.map((r) => r.trim())) {
        it(`${res.policy}/${res.rule}: ${res.kind}/${name} ${res.result}`, () => {
          compared++;
          const run = runRule(m.rule, files);
          const ours = verdictOf(run.findings, m, (f) => f.resource.kind === res.kind && f.resource.name === name);
          check(`kyverno/${res.policy}/${res.rule}/${res.kind}/${name}`, ours, res.result as 'pass' | 'fail');
        });
      }
    }
  }
  it('compared the Kyverno results', () => assert.ok(compared >= 60, `${compared}`));
});
