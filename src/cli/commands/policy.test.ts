/** `kubeguard policy test` as users run it: exit codes and what it prints. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import yaml from 'js-yaml';
import { kubeguard } from '../test-support/run-cli.js';

const DIR = 'src/cli/testdata/policy-test';

it('passes when every case is as expected (kubeguard-test.yaml and kyverno-test.yaml)', () => {
  const r = kubeguard(['policy', 'test', DIR, '--detailed-results']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok +replica-limit: replica-limit on Deployment\/web\/big: expected fail, got fail \(at most 5 replicas\)/);
  assert.match(r.stdout, /ok +replica-limit: replica-limit on Service\/big: expected skip, got skip/);
  assert.match(r.stdout, /ok +custom-rule: team-label-required on Deployment\/bare: expected fail, got fail \(bare has no team label\)/);
  assert.match(r.stdout, /3 tests, 8 cases: 8 as expected, 0 not as expected, 0 could not be evaluated/);
});

it('exits 1 when a case is not as expected, 3 when a case cannot be decided', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-policy-test-'));
  cpSync(join(DIR, 'replicas'), dir, { recursive: true });
  const test = join(dir, 'kubeguard-test.yaml');
  writeFileSync(test, readFileSync(test, 'utf8').replace('resources: [small]\n  result: pass', 'resources: [small]\n  result: fail'));
  const wrong = kubeguard(['policy', 'test', dir]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /FAIL +replica-limit: replica-limit on Deployment\/small: expected fail, got pass/);
  // without the params object the binding's paramRef cannot be resolved: not a pass, not a fail
  writeFileSync(join(dir, 'policy.yaml'), readFileSync(join(dir, 'policy.yaml'), 'utf8').split('---\napiVersion: v1\nkind: ConfigMap')[0]);
  const undecided = kubeguard(['policy', 'test', dir, '-o', 'json']);
  assert.equal(undecided.code, 3);
  const out = JSON.parse(undecided.stdout) as { cases: Array<{ ok: boolean; reason?: string }> };
  assert.ok(out.cases.some((c) => !c.ok && /could not evaluate: the params/.test(c.reason ?? '')));
});

it('exits 3 for a directory without tests or with a broken test file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-policy-test-'));
  assert.equal(kubeguard(['policy', 'test', dir]).code, 3);
  writeFileSync(join(dir, 'kubeguard-test.yaml'), 'kind: Test\npolicies: nope\n');
  const r = kubeguard(['policy', 'test', dir]);
  assert.equal(r.code, 3);
  assert.match(r.stdout, /a Test needs policies and resources/);
});

it('export-vap writes policies with bindings; unknown or inexpressible rules are usage errors', () => {
  const r = kubeguard(['policy', 'export-vap', '--rule', 'pss-privileged', '--action', 'Warn']);
  assert.equal(r.code, 0, r.stderr);
  const docs = r.stdout.split(/^---$/m).map((d) => yaml.load(d) as { kind: string; spec: { validationActions?: string[]; policyName?: string } });
  assert.deepEqual(docs.map((d) => d.kind), ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  assert.deepEqual([docs[1].spec.policyName, docs[1].spec.validationActions], ['kubeguard-pss-privileged', ['Warn']]);
  assert.equal(kubeguard(['policy', 'export-vap', '--rule', 'no-such-rule']).code, 2);
  assert.equal(kubeguard(['policy', 'export-vap', '--rule', 'liveness-probe-missing']).code, 2);
});
