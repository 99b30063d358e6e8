/** Custom CEL rules: config and policy-file forms, findings with path and line, severities, exceptions, errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from './scan.js';
import { resolveRules } from './resolve-rules.js';
import { celRules } from './cel-rules.js';
import type { KubeguardConfig } from './config.js';
import { ConfigError } from '../core/errors.js';

const OBJECTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
  labels:
    app: api
spec:
  replicas: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: web
  labels:
    app: billing
    team: payments
spec:
  replicas: 2
`;
const teamLabel = {
  id: 'team-label-required',
  title: 'Workloads carry a team label',
  severity: 'high' as const,
  kinds: ['Deployment'],
  match: "object.metadata.namespace != 'kube-system'",
  validations: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", messageExpression: "object.kind + ' ' + object.metadata.name + ' has no team label'", path: '/metadata/labels' }],
};

function run(config: KubeguardConfig, policyText = '') {
  const resources = parseManifestText(OBJECTS, 'app.yaml').resources;
  const policies = policyText ? parseManifestText(policyText, 'rules.yaml').resources : [];
  const rules = resolveRules(celRules(config, policies), config);
  return scan(resources, { rules, exceptions: config.exceptions, now: new Date('2026-01-01T00:00:00Z') });
}

describe('custom CEL rules', () => {
  it('from kubeguard.yaml: a finding with the rule id, its message, severity, and the line of its path', () => {
    const r = run({ customRules: [teamLabel] });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity, f.resource.name, f.message, f.path, f.location?.line]), [['team-label-required', 'high', 'api', 'Deployment api has no team label', '/metadata/labels', 6]]);
  });

  it('from a policy file as kind: Rule, with config severity overrides and exceptions like built-in rules', () => {
    const file = `apiVersion: kubeguard.io/v1alpha1\nkind: Rule\nmetadata:\n  name: team-label-required\nspec:\n  kinds: [Deployment]\n  validations:\n  - expression: "'team' in object.metadata.labels"\n    message: no team label\n`;
    assert.deepEqual(run({}, file).findings.map((f) => [f.ruleId, f.severity, f.message]), [['team-label-required', 'medium', 'no team label']]);
    assert.equal(run({ rules: { 'team-label-required': 'critical' } }, file).findings[0].severity, 'critical');
    assert.equal(run({ rules: { 'team-label-required': 'off' } }, file).findings.length, 0);
    const excepted = run({ exceptions: [{ rules: ['team-label-required'], names: ['api'], reason: 'legacy' }] }, file);
    assert.deepEqual([excepted.findings.length, excepted.suppressed.length], [0, 1]);
  });

  it('an expression that errors makes the object "could not evaluate", never a pass', () => {
    const r = run({ customRules: [{ ...teamLabel, validations: [{ expression: 'object.spec.template.spec.containers.size() > 0' }] }] });
    assert.equal(r.findings.length, 0);
    assert.equal(r.notEvaluated.length, 2);
    assert.match(r.notEvaluated[0].reason, /no such key: template/);
  });

  it('rejects bad rules as config errors: syntax, id, clash with a built-in rule, duplicates', () => {
    assert.throws(() => run({ customRules: [{ ...teamLabel, validations: [{ expression: 'object.metadata.(' }] }] }), (e: unknown) => e instanceof ConfigError && /team-label-required validations\[0\]/.test(e.message));
    assert.throws(() => run({ customRules: [{ ...teamLabel, id: 'Team_Label' }] }), /kebab-case/);
    assert.throws(() => celRules({ customRules: [teamLabel] }, [], new Set(['team-label-required'])), /built-in rule/);
    assert.throws(() => celRules({ customRules: [teamLabel, teamLabel] }), /defined twice/);
  });
});
