/** Parsing, mode precedence, reply shaping and settings validation, without a server. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BadReviewError, parseReview } from './review.js';
import { buildPolicy } from './policy.js';
import { toResponse, MAX_WARNINGS, MAX_WARNING_CHARS } from '../../admission/respond.js';
import type { Decision } from './decide.js';
import { parseAdmissionConfig } from './schema.js';
import { ruleCatalog } from '../../admission/test-support/catalog.js';
import { handleAdmission } from '../../admission/server/handler.js';
import { createMetrics } from '../../admission/server/metrics.js';
import { createLogger } from '../../admission/server/log.js';
import { admissionReview } from '../../admission/test-support/harness.js';
import { privilegedPod, hardenedPod } from '../../admission/test-support/objects.js';
import { defineRule } from '../../core/rule.js';

describe('parseReview', () => {
  test('reads the documented request fields', () => {
    const r = parseReview(JSON.stringify({
      apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
      request: { uid: 'u1', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, subResource: '', name: 'd', namespace: 'ns', operation: 'UPDATE', userInfo: { username: 'alice', groups: ['g'] }, object: { kind: 'Deployment' }, oldObject: { kind: 'Deployment' }, dryRun: true },
    }));
    assert.equal(r.apiVersion, 'admission.k8s.io/v1');
    assert.deepEqual([r.request.uid, r.request.operation, r.request.namespace, r.request.dryRun, r.request.kind?.kind, r.request.subResource], ['u1', 'UPDATE', 'ns', true, 'Deployment', undefined]);
    assert.ok(r.request.oldObject);
  });

  test('DELETE needs no object; CREATE does', () => {
    const del = parseReview(JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'DELETE', object: null, oldObject: { kind: 'Pod' } } }));
    assert.equal(del.request.object, null);
    assert.throws(() => parseReview(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE', object: null } })), BadReviewError);
  });
});

describe('mode precedence', () => {
  test('namespace entry > rule mode > severity threshold (failOn, else high)', async () => {
    const catalog = await ruleCatalog();
    const p = buildPolicy({
      catalog,
      config: {
        failOn: 'medium',
        rules: { 'pss-privileged': { mode: 'warn' } },
        admission: { namespaces: [{ namespaces: ['dev-*'], mode: 'audit', rules: ['pss-privileged'] }, { namespaces: ['sandbox'], mode: 'warn' }] },
      },
    });
    assert.equal(p.enforceAtOrAbove, 'medium');
    assert.equal(p.modeFor('pss-privileged', 'critical', 'dev-1'), 'audit');
    assert.equal(p.modeFor('pss-privileged', 'critical', 'prod'), 'warn');
    assert.equal(p.modeFor('pss-host-ports', 'medium', 'dev-1'), 'enforce');
    assert.equal(p.modeFor('pss-host-ports', 'low', 'prod'), 'warn');
    assert.equal(p.modeFor('pss-host-ports', 'medium', 'sandbox'), 'warn');
    assert.equal(p.modeFor('image-gate/signature', undefined, 'prod'), 'enforce');
  });

  test('admission.enforceAtOrAbove overrides failOn; no config means high', async () => {
    const catalog = await ruleCatalog();
    assert.equal(buildPolicy({ catalog, config: {} }).enforceAtOrAbove, 'high');
    assert.equal(buildPolicy({ catalog, config: { failOn: 'low', admission: { enforceAtOrAbove: 'critical' } } }).enforceAtOrAbove, 'critical');
  });
});

describe('skipRules', () => {
  test('skipped rules do not run at admission; unknown ids are a config error', async () => {
    const catalog = await ruleCatalog();
    const p = buildPolicy({ catalog, config: { admission: { skipRules: ['pss-privileged'] } } });
    assert.ok(!p.rules.some((r) => r.rule.id === 'pss-privileged'));
    assert.ok(p.rules.some((r) => r.rule.id === 'pss-host-namespaces'));
    assert.throws(() => buildPolicy({ catalog, config: { admission: { skipRules: ['no-such-rule'] } } }), /unknown rule "no-such-rule"/);
  });
});

describe('settings validation', () => {
  test('unknown or mistyped admission settings are a config error naming the field', () => {
    assert.throws(() => parseAdmissionConfig({ budgetMS: 100 }), /admission must NOT have additional properties/);
    assert.throws(() => parseAdmissionConfig({ budgetMs: 60000 }), /admission\/budgetMs must be <= 29000/);
    assert.throws(() => parseAdmissionConfig({ namespaces: [{ namespaces: ['a'], mode: 'block' }] }), /admission\/namespaces\/0\/mode/);
    assert.deepEqual(parseAdmissionConfig(undefined), {});
  });
});

describe('toResponse', () => {
  const decision = (n: number, mode: 'enforce' | 'warn'): Decision => ({
    allowed: mode !== 'enforce',
    reason: 'checked',
    violations: Array.from({ length: n }, (_, i) => ({ ruleId: `r${i}`, mode, path: `/spec/x/${i}`, message: 'm'.repeat(300) })),
    notes: [],
    undecided: [],
  });

  test('warnings are capped in length and number, with a note of how many more', () => {
    const r = toResponse('u', decision(30, 'warn'));
    assert.equal(r.warnings?.length, MAX_WARNINGS + 1);
    assert.ok(r.warnings!.every((w) => w.length <= MAX_WARNING_CHARS));
    assert.match(r.warnings![MAX_WARNINGS], /and 10 more warnings/);
  });

  test('denials carry code 403 and name each rule with its pointer', () => {
    const r = toResponse('u', decision(2, 'enforce'));
    assert.equal(r.status?.code, 403);
    assert.match(r.status!.message, /2 violations: \[r0\] \/spec\/x\/0: m+; \[r1\] \/spec\/x\/1/);
  });
});

describe('overload', () => {
  test('a request that used its budget before it could be judged gets the failure mode at once, logged and counted', async () => {
    const logs: string[] = [];
    for (const failureMode of ['deny', 'allow'] as const) {
      const policy = buildPolicy({ catalog: await ruleCatalog(), config: { admission: { budgetMs: 1000, failureMode } } });
      const metrics = createMetrics({ processMetrics: false });
      const deps = { policy: () => policy, logger: createLogger({ write: (l) => logs.push(l) }), metrics };
      const late = JSON.parse((await handleAdmission('validate', JSON.stringify(admissionReview(hardenedPod())), deps, performance.now() - 5000)).body) as { response: { allowed: boolean; status?: { message: string }; warnings?: string[] } };
      assert.equal(late.response.allowed, failureMode === 'allow');
      assert.match(late.response.status?.message ?? late.response.warnings?.[0] ?? '', /overloaded/);
      assert.match(await metrics.registry.metrics(), /kubeguard_admission_over_budget_total\{endpoint="validate",cause="waited"\} 1/);
      const onTime = JSON.parse((await handleAdmission('validate', JSON.stringify(admissionReview(privilegedPod())), deps)).body) as { response: { allowed: boolean; status?: { message: string } } };
      assert.match(onTime.response.status?.message ?? '', /pss-privileged/);
    }
    assert.ok(logs.some((l) => l.includes('waited past its budget')));
  });
});

describe('UPDATE: the object before the change', () => {
  test('rules see request.oldObject as resource.previous on UPDATE, and nothing on CREATE', async () => {
    // A rule of this test's own: denies scaling a Deployment down to zero (it reads the previous replica count).
    const scaledToZero = defineRule({
      id: 'test-scaled-to-zero',
      title: 'Scaled to zero',
      description: 'test rule reading the previous object',
      category: 'workload',
      severity: 'high',
      kinds: ['Deployment'],
      messages: { zero: 'scaled from {{before}} replicas to 0' },
      remediation: 'none',
      check(ctx, resource) {
        const before = (resource.previous?.spec as { replicas?: number } | undefined)?.replicas;
        if ((resource.object.spec as { replicas?: number } | undefined)?.replicas === 0 && before) ctx.report({ messageId: 'zero', path: '/spec/replicas', data: { before } });
      },
    });
    const policy = buildPolicy({ catalog: [scaledToZero], config: {} });
    const deps = { policy: () => policy, logger: createLogger({ write: () => undefined }), metrics: createMetrics({ processMetrics: false }) };
    // A pod template that does not change: the update only scales (Pod Security admission would exempt it; a
    // violation this change brings is still enforced).
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } };
    const deployment = (replicas: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template } });
    const reply = async (review: Record<string, unknown>) => (JSON.parse((await handleAdmission('validate', JSON.stringify(review), deps)).body) as { response: { allowed: boolean; status?: { message: string } } }).response;
    const update = await reply(admissionReview(deployment(0), { operation: 'UPDATE', oldObject: deployment(3) }));
    assert.equal(update.allowed, false);
    assert.match(update.status?.message ?? '', /test-scaled-to-zero.*scaled from 3 replicas to 0/);
    assert.equal((await reply(admissionReview(deployment(0)))).allowed, true, 'CREATE has no previous object');
    assert.equal((await reply(admissionReview(deployment(0), { operation: 'UPDATE', oldObject: deployment(0) }))).allowed, true);
  });
});
