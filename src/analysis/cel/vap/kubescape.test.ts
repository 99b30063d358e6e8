/**
 * The 60 Kubescape ValidatingAdmissionPolicies (kubescape/cel-admission-library) with their 628 admit/deny
 * cases (testdata/cel/kubescape-vap, expectations from `kubectl apply --dry-run=server` upstream): each case
 * is bound as upstream binds it (objectSelector binding, Deny or Warn, paramRef to the ControlConfiguration)
 * and evaluated as a CREATE. `fail` = denied by the policy, `warn` = admitted with its warning, `pass` = neither.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { kubernetesEnv } from '../env.js';
import { evaluateVaps, type VapContext } from './evaluate.js';
import { admissionFor } from './request.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './types.js';
import type { KubeObject } from '../../../core/model.js';

const DIR = new URL('../../../../testdata/cel/kubescape-vap/', import.meta.url).pathname;
const load = (rel: string): KubeObject => yaml.load(readFileSync(join(DIR, rel), 'utf8')) as KubeObject;

interface Case {
  control_id: string;
  policy_name: string;
  policy_file: string;
  test_name: string;
  expected: 'pass' | 'fail' | 'warn';
  binding_template: string;
  param_template: string;
  object: KubeObject;
}

it('agrees with all 628 Kubescape VAP cases', () => {
  const cases = readFileSync(join(DIR, 'derived_cases.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Case);
  assert.equal(cases.length, 628);
  const disagreements: string[] = [];
  const policies = new Set<string>();
  for (const c of cases) {
    const policy = load(c.policy_file) as ValidatingAdmissionPolicy;
    policies.add(policy.metadata!.name!);
    const param = { ...load(c.param_template), metadata: { name: 'test-params' } };
    const binding = load(c.binding_template) as ValidatingAdmissionPolicyBinding;
    binding.metadata = { name: `${policy.metadata!.name}-binding` };
    binding.spec = { ...binding.spec!, policyName: policy.metadata!.name, paramRef: { ...binding.spec!.paramRef!, name: 'test-params' } };
    const ctx: VapContext = {
      env: kubernetesEnv(),
      namespaceLabels: () => ({}),
      namespaceObject: () => undefined,
      params: (_k, ref) => (ref.name === 'test-params' ? [param] : []),
      paramNamespaced: () => false,
    };
    const out = evaluateVaps([policy], [binding], admissionFor(c.object, 'CREATE'), ctx);
    const actions = out.decisions.flatMap((d) => d.actions);
    const got = actions.includes('Deny') ? 'fail' : actions.includes('Warn') ? 'warn' : 'pass';
    if (got !== c.expected || out.notEvaluated.length) disagreements.push(`${c.control_id} ${c.test_name}: expected ${c.expected}, got ${got} ${JSON.stringify(out.decisions.map((d) => d.message))} ${JSON.stringify(out.notEvaluated)}`);
  }
  assert.equal(policies.size, 60);
  assert.deepEqual(disagreements, []);
});
