/**
 * Safe defaults as JSON Patch. The patch is applied by an independent RFC 6902 implementation
 * (fast-json-patch, with validation), and the result is judged by the real PSS "restricted" rules.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../../core/model.js';
import { resolveRules } from '../../engine/resolve-rules.js';
import { scan } from '../../engine/scan.js';
import { refOf } from '../../core/ref.js';
import { safeDefaultsPatch } from './mutate.js';
import { ruleCatalog } from '../../admission/test-support/catalog.js';
import { admissionReview, asReply, startTestWebhook } from '../../admission/test-support/harness.js';
import type { TestWebhook } from '../../admission/test-support/harness.js';
import { workloads } from '../../admission/test-support/objects.js';

const apply = (obj: KubeObject, ops: unknown[]): KubeObject => jsonpatch.applyPatch(structuredClone(obj), ops as Operation[], true, false).newDocument;

/** A pod that meets PSS restricted except for the three fields the mutation sets. */
function bareSpec(): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true },
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [
      { name: 'a', image: 'nginx:1.27' },
      { name: 'b', image: 'nginx:1.27', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['NET_RAW'] } } },
    ],
  };
}

const MUTATED_RULES = ['pss-seccomp-profile-restricted', 'pss-capabilities-restricted', 'pss-allow-privilege-escalation'];

async function restrictedFindings(obj: KubeObject): Promise<string[]> {
  const rules = resolveRules(await ruleCatalog(), { preset: 'pss-restricted' });
  return scan([{ ref: refOf(obj), object: obj }], { rules, now: new Date('2026-01-01T00:00:00Z') }).findings.map((f) => `${f.ruleId}@${f.path}`);
}

describe('safeDefaultsPatch', () => {
  test('for every workload kind the patched object no longer violates the seccomp, capabilities and privilege-escalation rules', async () => {
    for (const { object } of workloads(bareSpec())) {
      const before = await restrictedFindings(object);
      for (const id of MUTATED_RULES) assert.ok(before.some((f) => f.startsWith(id)), `${object.kind} violates ${id} before`);
      const after = await restrictedFindings(apply(object, safeDefaultsPatch(object)));
      assert.deepEqual(after, [], `${object.kind}: ${after.join(', ')}`);
    }
  });

  test('explicit values are kept and additions keep the existing list', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: bareSpec() };
    const c = ((obj.spec as Record<string, unknown>).containers as Record<string, unknown>[])[0];
    c.securityContext = { allowPrivilegeEscalation: true };
    const out = apply(obj, safeDefaultsPatch(obj));
    const containers = (out.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers;
    assert.equal(containers[0].securityContext.allowPrivilegeEscalation, true);
    assert.deepEqual(containers[1].securityContext.capabilities, { add: ['NET_BIND_SERVICE'], drop: ['NET_RAW', 'ALL'] });
  });

  test('never produces what the API server rejects: no allowPrivilegeEscalation false with privileged or CAP_SYS_ADMIN', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'x', securityContext: { privileged: true } }, { name: 'b', image: 'x', securityContext: { capabilities: { add: ['CAP_SYS_ADMIN'] } } }] },
    };
    const ops = safeDefaultsPatch(obj);
    assert.ok(!ops.some((o) => o.path.endsWith('allowPrivilegeEscalation')), JSON.stringify(ops));
  });

  test('a container seccomp profile or a pod profile means no pod-level default; Windows pods and non-workloads are left alone', () => {
    const withProfile: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }] } };
    assert.ok(!safeDefaultsPatch(withProfile).some((o) => o.path.includes('seccompProfile')));
    const windows: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w' }, spec: { os: { name: 'windows' }, containers: [{ name: 'a', image: 'x' }] } };
    assert.deepEqual(safeDefaultsPatch(windows), []);
    assert.deepEqual(safeDefaultsPatch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }), []);
  });

  test('settings switch each default off', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: bareSpec() };
    assert.deepEqual(safeDefaultsPatch(obj, { seccompRuntimeDefault: false, dropAllCapabilities: false, disallowPrivilegeEscalation: false }), []);
  });
});

describe('/mutate over HTTPS', () => {
  let off: TestWebhook;
  let on: TestWebhook;
  before(async () => {
    off = await startTestWebhook();
    on = await startTestWebhook({ admission: { mutate: { enabled: true }, exemptNamespaces: ['kube-system'] } });
  });
  after(async () => {
    await off.close();
    await on.close();
  });

  const deployment = () => workloads(bareSpec()).find((w) => w.object.kind === 'Deployment')!.object;

  test('off by default: admitted without a patch', async () => {
    const r = asReply(await off.post('/mutate', admissionReview(deployment())));
    assert.deepEqual([r.response.allowed, r.response.patch, r.response.patchType], [true, undefined, undefined]);
  });

  test('enabled: a base64 JSONPatch that applies cleanly and fixes the three fields', async () => {
    const object = deployment();
    const r = asReply(await on.post('/mutate', admissionReview(object)));
    assert.equal(r.response.allowed, true);
    assert.equal(r.response.patchType, 'JSONPatch');
    const ops = JSON.parse(Buffer.from(r.response.patch!, 'base64').toString('utf8')) as unknown[];
    assert.deepEqual(await restrictedFindings(apply(object, ops)), []);
  });

  test('exempt namespaces and DELETE get no patch', async () => {
    const exempt = asReply(await on.post('/mutate', admissionReview(deployment(), { namespace: 'kube-system' })));
    assert.equal(exempt.response.patch, undefined);
    const del = asReply(await on.post('/mutate', admissionReview(null, { operation: 'DELETE', oldObject: deployment() })));
    assert.equal(del.response.patch, undefined);
  });
});
