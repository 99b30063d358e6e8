/** The webhook enforces ValidatingAdmissionPolicies from `admission.policies` as `scan --policy` evaluates them. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { buildPolicy } from '../usecases/admission/policy.js';
import { handleAdmission } from './server/handler.js';
import { createMetrics } from './server/metrics.js';
import { createLogger } from './server/log.js';
import { admissionReview, newCertificates } from './test-support/harness.js';
import { createWebhook } from './serve.js';

const POLICIES = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-latest}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  validations:
  - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
    message: images must not use the latest tag
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team-label}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
    message: pods should carry a team label
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team-label-warn}
spec: {policyName: team-label, validationActions: [Warn]}
`;
const pod = (image: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'app', ...(labels && { labels }) }, spec: { containers: [{ name: 'c', image }] } });

async function review(p: ReturnType<typeof buildPolicy>, object: object): Promise<{ allowed: boolean; status?: { message: string }; warnings?: string[] }> {
  const deps = { policy: () => p, logger: createLogger({ write: () => {} }), metrics: createMetrics({ processMetrics: false }) };
  return (JSON.parse((await handleAdmission('validate', JSON.stringify(admissionReview(object as never)), deps)).body) as { response: { allowed: boolean; status?: { message: string }; warnings?: string[] } }).response;
}

describe('ValidatingAdmissionPolicies in the webhook', () => {
  const policy = buildPolicy({ catalog: [], config: {}, policyObjects: parseManifestText(POLICIES, 'policies.yaml').resources });

  test('a Deny (or unbound) policy rejects with its message; a Warn binding warns', async () => {
    const denied = await review(policy, pod('r.io/app:latest', { team: 'a' }));
    assert.equal(denied.allowed, false);
    assert.match(denied.status?.message ?? '', /vap:no-latest.*images must not use the latest tag/);
    const warned = await review(policy, pod('r.io/app:1.0'));
    assert.equal(warned.allowed, true);
    assert.match((warned.warnings ?? []).join('\n'), /pods should carry a team label/);
    const clean = await review(policy, pod('r.io/app:1.0', { team: 'a' }));
    assert.deepEqual([clean.allowed, clean.warnings ?? []], [true, []]);
  });

  test('admission.policies names files relative to the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-vap-'));
    writeFileSync(join(dir, 'policies.yaml'), POLICIES);
    const certs = await newCertificates();
    writeFileSync(join(dir, 'tls.crt'), certs.server.cert);
    writeFileSync(join(dir, 'tls.key'), certs.server.key);
    const webhook = createWebhook({ config: { admission: { policies: ['policies.yaml'] } }, configFile: join(dir, 'kubeguard.yaml'), catalog: [], tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') }, host: '127.0.0.1', port: 0, logger: createLogger({ write: () => {} }) });
    try {
      assert.deepEqual(webhook.policy.rules.map((r) => [r.rule.id, r.mode]), [['vap:no-latest', 'enforce'], ['vap:team-label', 'warn']]);
    } finally {
      await webhook.shutdown();
    }
  });

  test('policies see the real request: request.userInfo of the AdmissionReview', async () => {
    const text = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: admins-only}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "'my-admin-group' in request.userInfo.groups && request.operation == 'CREATE'"
    messageExpression: "'not an admin: ' + request.userInfo.username"
`;
    const p = buildPolicy({ catalog: [], config: {}, policyObjects: parseManifestText(text, 'p.yaml').resources });
    // the harness's reviews come from user "admin" in my-admin-group
    assert.equal((await review(p, pod('r.io/app:1.0'))).allowed, true);
    const strict = buildPolicy({ catalog: [], config: {}, policyObjects: parseManifestText(text.replace("'my-admin-group'", "'other-group'"), 'p.yaml').resources });
    const denied = await review(strict, pod('r.io/app:1.0'));
    assert.equal(denied.allowed, false);
    assert.match(denied.status?.message ?? '', /not an admin: admin/);
  });
});
