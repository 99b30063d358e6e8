/** ValidatingAdmissionPolicies run by scan() as `vap:<name>` rules: findings, bindings, params, severities, exceptions. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from './scan.js';
import { vapRules } from './vap-rules.js';
import type { ExceptionSpec } from './config.js';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas <= 5
    messageExpression: "'replicas must be at most 5, got ' + string(object.spec.replicas)"
`;
const DEPLOYMENTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: small
  namespace: web
spec:
  replicas: 3
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
  namespace: web
spec:
  replicas: 50
`;
const binding = (actions: string, params = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit-binding
spec:
  policyName: replica-limit
  validationActions: [${actions}]
${params}`;

function load(text: string, file: string) {
  return parseManifestText(text, file).resources;
}

function run(objects: string, policyFiles = '', exceptions: ExceptionSpec[] = []) {
  const resources = load(objects, 'app.yaml');
  const vap = vapRules(resources, policyFiles ? load(policyFiles, 'policy.yaml') : []);
  return { vap, report: scan(resources, { rules: vap.rules, exceptions, now: new Date('2026-01-01T00:00:00Z'), skipped: vap.skipped }) };
}

describe('VAP rules in scan', () => {
  it('reports a denied object with vap:<name>, the policy message and the object\'s file and line', () => {
    const { report } = run(DEPLOYMENTS, POLICY);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.equal(f.ruleId, 'vap:replica-limit');
    assert.equal(f.message, 'replicas must be at most 5, got 50');
    assert.equal(f.resource.name, 'big');
    assert.deepEqual(f.location, { file: 'app.yaml', line: 9 });
    assert.equal(f.severity, 'high');
  });

  it('does not enforce a policy found among the scanned objects without a binding, and says so', () => {
    const { report } = run(`${POLICY}---\n${DEPLOYMENTS}`);
    assert.equal(report.findings.length, 0);
    assert.match(report.skipped.map((s) => s.reason).join('\n'), /replica-limit has no binding/);
  });

  it('uses the bindings among the scanned objects; Warn-only bindings give medium findings', () => {
    const { report } = run(`${POLICY}---\n${binding('Warn')}---\n${DEPLOYMENTS}`);
    assert.deepEqual(report.findings.map((f) => [f.ruleId, f.severity, f.resource.name]), [['vap:replica-limit', 'medium', 'big']]);
  });

  it('honours the binding matchResources (namespaceSelector needs the Namespace; without it: could not evaluate)', () => {
    const sel = `  matchResources:\n    namespaceSelector:\n      matchLabels: {env: prod}\n`;
    const unknown = run(`${POLICY}---\n${binding('Deny', sel)}---\n${DEPLOYMENTS}`).report;
    assert.equal(unknown.findings.length, 0);
    assert.equal(unknown.notEvaluated.length, 2);
    assert.equal(unknown.notEvaluated[0].ruleId, 'vap:replica-limit');
    const ns = (env: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels: {env: ${env}}\n---\n`;
    assert.equal(run(`${ns('prod')}${POLICY}---\n${binding('Deny', sel)}---\n${DEPLOYMENTS}`).report.findings.length, 1);
    assert.equal(run(`${ns('dev')}${POLICY}---\n${binding('Deny', sel)}---\n${DEPLOYMENTS}`).report.findings.length, 0);
  });

  it('reads params by paramRef; missing params are "could not evaluate", never a pass', () => {
    const policy = POLICY.replace('spec:\n  failurePolicy', 'spec:\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n  failurePolicy').replace('object.spec.replicas <= 5', 'object.spec.replicas <= int(params.data.max)');
    const ref = `  paramRef:\n    name: limits\n    namespace: web\n    parameterNotFoundAction: Deny\n`;
    const params = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: web}\ndata: {max: "2"}\n`;
    const withParams = run(DEPLOYMENTS, `${policy}---\n${binding('Deny', ref)}---\n${params}`).report;
    assert.deepEqual(withParams.findings.map((f) => f.resource.name).sort(), ['big', 'small']);
    const without = run(DEPLOYMENTS, `${policy}---\n${binding('Deny', ref)}`).report;
    assert.equal(without.findings.length, 0);
    assert.equal(without.notEvaluated.length, 2);
  });

  it('applies config exceptions by rule id like built-in rules', () => {
    const { report } = run(DEPLOYMENTS, POLICY, [{ rules: ['vap:replica-limit'], names: ['big'], reason: 'batch job needs 50' }]);
    assert.equal(report.findings.length, 0);
    assert.equal(report.suppressed.length, 1);
  });

  it('turns an evaluation error into a finding under failurePolicy Fail, and ignores it under Ignore', () => {
    const broken = POLICY.replace('object.spec.replicas <= 5', 'object.spec.missing <= 5');
    const fail = run(DEPLOYMENTS, broken).report;
    assert.equal(fail.findings.length, 2);
    assert.match(fail.findings[0].message, /^policy evaluation failed .*no such key: missing/);
    assert.equal(run(DEPLOYMENTS, broken.replace('failurePolicy: Fail', 'failurePolicy: Ignore')).report.findings.length, 0);
  });

  it('answers authorizer checks from the RBAC objects at hand (service accounts that may read secrets)', () => {
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-secret-readers}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "!authorizer.serviceAccount(object.metadata.namespace, object.spec.serviceAccountName).group('').resource('secrets').namespace(object.metadata.namespace).check('get').allowed()"
    messageExpression: "'service account ' + object.spec.serviceAccountName + ' can read secrets'"
`;
    const objects = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: web}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects:
- {kind: ServiceAccount, name: reader, namespace: web}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: web}
spec: {serviceAccountName: reader, containers: [{name: c, image: r.io/a:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: web}
spec: {serviceAccountName: plain, containers: [{name: c, image: r.io/a:1}]}
`;
    const { report } = run(objects, policy);
    assert.deepEqual(report.findings.map((f) => [f.resource.name, f.message]), [['a', 'service account reader can read secrets']]);
  });

  it('a field left empty in YAML (null) is absent, as the API server decodes it: has() is false, no false denial', () => {
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-privileged}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)"
`;
    const pods = `apiVersion: v1
kind: Pod
metadata: {name: empty-sc, namespace: web}
spec:
  containers:
  - name: c
    image: r.io/a:1
    securityContext:
`;
    const { report } = run(pods, policy);
    assert.deepEqual([report.findings.length, report.errors.length, report.notEvaluated.length], [0, 0, 0]);
  });
});
