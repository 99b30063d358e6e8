/**
 * The webhook over real HTTPS, with AdmissionReview bodies shaped as the Kubernetes documentation specifies.
 * Expected decisions follow from the rules' upstream semantics (a privileged container violates Pod Security
 * "baseline"; PSA exempts pod updates that leave the spec unchanged), not from the webhook's own output.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import type { KubeObject } from '../../core/model.js';
import { admissionReview, asReply, startTestWebhook } from '../test-support/harness.js';
import type { TestWebhook } from '../test-support/harness.js';
import { hardenedPod, hardenedPodSpec, pod, privilegedPod, privilegedPodSpec, workloads } from '../test-support/objects.js';

/** Key text for test doubles that do not parse keys (the webhook reads anything without a PEM header as a file path). */
const FAKE_PEM = '-----BEGIN PUBLIC KEY-----\ntest double\n-----END PUBLIC KEY-----';

const PRIVILEGED_FIELD = '/spec/containers/0/securityContext/privileged';

describe('admission webhook over HTTPS, default config', () => {
  let hook: TestWebhook;
  before(async () => {
    hook = await startTestWebhook();
  });
  after(() => hook.close());

  test('a hardened pod is allowed, and the reply echoes uid and apiVersion', async () => {
    const body = admissionReview(hardenedPod(), { uid: '705ab4f5-6393-11e8-b7cc-42010a800002' });
    const reply = asReply(await hook.post('/validate', body));
    assert.equal(reply.apiVersion, 'admission.k8s.io/v1');
    assert.equal(reply.kind, 'AdmissionReview');
    assert.equal(reply.response.uid, '705ab4f5-6393-11e8-b7cc-42010a800002');
    assert.equal(reply.response.allowed, true);
    assert.equal(reply.response.status, undefined);
  });

  test('a privileged pod is denied, naming the rule and the field', async () => {
    const reply = asReply(await hook.post('/validate', admissionReview(privilegedPod())));
    assert.equal(reply.response.allowed, false);
    assert.equal(reply.response.status?.code, 403);
    assert.match(reply.response.status?.message ?? '', /\[pss-privileged\]/);
    assert.ok(reply.response.status?.message.includes(PRIVILEGED_FIELD), reply.response.status?.message);
    assert.match(reply.response.status?.message ?? '', /Pod\/shop\/root/);
  });

  test('v1beta1 reviews get v1beta1 replies with the same decision', async () => {
    const reply = asReply(await hook.post('/validate', admissionReview(privilegedPod(), { apiVersion: 'admission.k8s.io/v1beta1' })));
    assert.equal(reply.apiVersion, 'admission.k8s.io/v1beta1');
    assert.equal(reply.response.allowed, false);
  });

  test('medium findings warn and do not deny', async () => {
    const spec = hardenedPodSpec();
    const c = (spec.containers as Record<string, unknown>[])[0];
    c.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m' } }; // no memory limit (medium)
    const reply = asReply(await hook.post('/validate', admissionReview(pod(spec))));
    assert.equal(reply.response.allowed, true);
    assert.ok(reply.response.warnings?.some((w) => w.startsWith('[memory-limit-missing] /spec/containers/0')), JSON.stringify(reply.response.warnings));
  });

  test('every workload kind with a privileged container is denied at the field of its own pod template', async () => {
    for (const { object, specPath } of workloads(privilegedPodSpec())) {
      const reply = asReply(await hook.post('/validate', admissionReview(object)));
      assert.equal(reply.response.allowed, false, object.kind);
      assert.ok(reply.response.status?.message.includes(`${specPath}/containers/0/securityContext/privileged`), `${object.kind}: ${reply.response.status?.message}`);
    }
    for (const { object } of workloads(hardenedPodSpec())) {
      assert.equal(asReply(await hook.post('/validate', admissionReview(object))).response.allowed, true, object.kind);
    }
  });

  test('init and ephemeral containers are judged too', async () => {
    const spec = hardenedPodSpec();
    spec.initContainers = [{ name: 'setup', image: 'busybox@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }];
    const reply = asReply(await hook.post('/validate', admissionReview(pod(spec))));
    assert.equal(reply.response.allowed, false);
    assert.ok(reply.response.status?.message.includes('/spec/initContainers/0/securityContext/privileged'));
  });

  test('dry-run requests get the same decision', async () => {
    const reply = asReply(await hook.post('/validate', admissionReview(privilegedPod(), { dryRun: true })));
    assert.equal(reply.response.allowed, false);
    assert.ok(hook.logs.some((l) => l.msg === 'denied' && l.dryRun === true));
  });

  test('UPDATE that makes a pod privileged is denied; UPDATE that only relabels a privileged pod is admitted with warnings', async () => {
    const changed = asReply(await hook.post('/validate', admissionReview(privilegedPod('web'), { operation: 'UPDATE', oldObject: hardenedPod('web') })));
    assert.equal(changed.response.allowed, false);
    const old = privilegedPod('legacy');
    const relabelled = privilegedPod('legacy');
    relabelled.metadata!.labels = { app: 'web', tier: 'legacy' };
    const same = asReply(await hook.post('/validate', admissionReview(relabelled, { operation: 'UPDATE', oldObject: old })));
    assert.equal(same.response.allowed, true);
    assert.ok(same.response.warnings?.some((w) => w.startsWith('[pss-privileged]')));
    assert.ok(same.response.warnings?.some((w) => w.includes('pod spec unchanged') || w.includes('leaves the pod spec unchanged')));
  });

  test('UPDATE of an object being deleted (finalizer removal) is admitted', async () => {
    const dying = privilegedPod('dying');
    dying.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
    const reply = asReply(await hook.post('/validate', admissionReview(dying, { operation: 'UPDATE', oldObject: privilegedPod('dying') })));
    assert.equal(reply.response.allowed, true);
  });

  test('DELETE is admitted (object null, oldObject set)', async () => {
    const reply = asReply(await hook.post('/validate', admissionReview(null, { operation: 'DELETE', oldObject: privilegedPod() })));
    assert.equal(reply.response.allowed, true);
  });

  test('status subresource updates are admitted; ephemeralcontainers updates are judged', async () => {
    const status = asReply(await hook.post('/validate', admissionReview(privilegedPod(), { operation: 'UPDATE', oldObject: privilegedPod(), subResource: 'status' })));
    assert.equal(status.response.allowed, true);
    const debug = hardenedPod();
    (debug.spec as Record<string, unknown>).ephemeralContainers = [{ name: 'dbg', image: 'busybox@sha256:' + 'b'.repeat(64), securityContext: { privileged: true } }];
    const eph = asReply(await hook.post('/validate', admissionReview(debug, { operation: 'UPDATE', oldObject: hardenedPod(), subResource: 'ephemeralcontainers' })));
    assert.equal(eph.response.allowed, false);
    assert.ok(eph.response.status?.message.includes('/spec/ephemeralContainers/0/securityContext/privileged'));
  });

  test('an object without metadata.namespace takes the request namespace', async () => {
    const p = hardenedPod();
    delete p.metadata!.namespace;
    const reply = asReply(await hook.post('/validate', admissionReview(p, { namespace: 'shop' })));
    assert.equal(reply.response.allowed, true);
    assert.ok(!(reply.response.warnings ?? []).some((w) => w.startsWith('[default-namespace]')));
  });

  test('malformed bodies get 400 with a clear message and the server keeps serving', async () => {
    const cases: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[]', /JSON object/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }), /kind must be "AdmissionReview"/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v2', kind: 'AdmissionReview', request: {} }), /apiVersion must be one of/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /request is missing/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'x', operation: 'CREATE' } }), /request.object is required/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 1, operation: 'CREATE' } }), /request.uid/],
    ];
    for (const [body, message] of cases) {
      const r = await hook.post('/validate', body);
      assert.equal(r.status, 400, body);
      const s = r.json as { kind: string; code: number; message: string };
      assert.equal(s.kind, 'Status');
      assert.equal(s.code, 400);
      assert.match(s.message, message);
    }
    assert.equal(asReply(await hook.post('/validate', admissionReview(hardenedPod()))).response.allowed, true);
  });

  test('oversized bodies get 413; unknown routes 404; wrong methods 405', async () => {
    const big = JSON.stringify(admissionReview(pod({ ...hardenedPodSpec(), padding: 'x'.repeat(9 * 1024 * 1024) })));
    const tooLarge = await hook.post('/validate', big);
    assert.equal(tooLarge.status, 413);
    // Refused from the declared Content-Length, before the body is read.
    assert.match((tooLarge.json as { message: string }).message, /^request body of \d+ bytes exceeds the limit of 8388608 bytes$/);
    assert.equal((await hook.get('/nope')).status, 404);
    assert.equal((await hook.get('/validate')).status, 405);
    assert.equal(asReply(await hook.post('/validate', admissionReview(hardenedPod()))).response.allowed, true);
  });

  test('health, readiness and Prometheus metrics', async () => {
    assert.equal((await hook.get('/healthz')).status, 200);
    assert.equal((await hook.get('/readyz')).status, 200);
    const metrics = await hook.get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /kubeguard_admission_requests_total\{endpoint="validate",outcome="denied"\} \d+/);
    assert.match(metrics.text, /kubeguard_admission_requests_total\{endpoint="validate",outcome="bad_request"\} \d+/);
    assert.match(metrics.text, /kubeguard_admission_request_duration_seconds_bucket\{le="0.005",endpoint="validate"\} \d+/);
    assert.match(metrics.text, /kubeguard_admission_violations_total\{rule="pss-privileged",mode="enforce"\} \d+/);
  });

  test('logs are JSON without object contents', async () => {
    const secretPod = privilegedPod('leaky');
    ((secretPod.spec as Record<string, unknown>).containers as Record<string, unknown>[])[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2-very-secret' }];
    await hook.post('/validate', admissionReview(secretPod));
    const all = JSON.stringify(hook.logs);
    assert.ok(hook.logs.some((l) => l.msg === 'denied' && l.name === 'leaky'));
    assert.ok(!all.includes('hunter2-very-secret'));
  });

  test('TLS below 1.2 is refused', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: hook.port, ca: hook.certs.ca.cert, servername: 'localhost', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => {
        resolve(`connected with ${s.getProtocol()}`);
        s.end();
      });
      s.on('error', (e) => resolve(`refused: ${e.message}`));
    });
    assert.match(outcome, /^refused/);
  });
});

describe('modes, exemptions and exceptions from config', () => {
  let hook: TestWebhook;
  before(async () => {
    hook = await startTestWebhook({
      rules: { 'pss-host-namespaces': { mode: 'warn' }, 'pss-host-path-volumes': { mode: 'audit' }, 'memory-limit-missing': { mode: 'enforce' } },
      exceptions: [
        { rules: ['pss-privileged'], namespaces: ['legacy'], reason: 'migrating', expires: '2020-01-31' },
        { rules: ['pss-privileged'], namespaces: ['cni'], reason: 'CNI agent needs it', expires: '2999-12-31' },
      ],
      admission: {
        namespaces: [
          { namespaces: ['sandbox-*'], mode: 'audit' },
          { namespaces: ['staging'], mode: 'warn', rules: ['pss-privileged'] },
        ],
        exemptNamespaces: ['monitoring'],
        exemptSelector: { matchLabels: { 'kubeguard.io/exempt': 'true' } },
        exemptUsernames: ['system:serviceaccount:kube-system:clusterrole-aggregation-*'],
      },
    });
  });
  after(() => hook.close());

  const hostNetworkPod = (ns = 'shop') => pod({ ...hardenedPodSpec(), hostNetwork: true }, 'hn', ns);

  test('rule mode warn admits with a warning; audit admits with an audit annotation; enforce on a medium rule denies', async () => {
    const warned = asReply(await hook.post('/validate', admissionReview(hostNetworkPod())));
    assert.equal(warned.response.allowed, true);
    assert.ok(warned.response.warnings?.some((w) => w.startsWith('[pss-host-namespaces] /spec/hostNetwork')));
    const hp = pod({ ...hardenedPodSpec(), volumes: [{ name: 'h', hostPath: { path: '/var/data' } }] });
    const audited = asReply(await hook.post('/validate', admissionReview(hp)));
    assert.equal(audited.response.allowed, true);
    assert.match(audited.response.auditAnnotations?.['audit-violations'] ?? '', /pss-host-path-volumes@\/spec\/volumes\/0\/hostPath/);
    const spec = hardenedPodSpec();
    (spec.containers as Record<string, unknown>[])[0].resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1' } };
    const enforced = asReply(await hook.post('/validate', admissionReview(pod(spec))));
    assert.equal(enforced.response.allowed, false);
    assert.match(enforced.response.status?.message ?? '', /\[memory-limit-missing\]/);
  });

  test('namespace modes override rule modes, for every rule or for the rules named', async () => {
    const sandbox = asReply(await hook.post('/validate', admissionReview(privilegedPod('x', 'sandbox-alice'))));
    assert.equal(sandbox.response.allowed, true);
    assert.match(sandbox.response.auditAnnotations?.['audit-violations'] ?? '', /pss-privileged/);
    const staging = asReply(await hook.post('/validate', admissionReview(privilegedPod('x', 'staging'))));
    assert.equal(staging.response.allowed, true);
    assert.ok(staging.response.warnings?.some((w) => w.startsWith('[pss-privileged]')));
  });

  test('exempt namespaces and exempt labels are admitted without checks', async () => {
    const ns = asReply(await hook.post('/validate', admissionReview(privilegedPod('x', 'monitoring'))));
    assert.deepEqual([ns.response.allowed, ns.response.warnings], [true, undefined]);
    const labelled = privilegedPod('x', 'shop');
    labelled.metadata!.labels = { 'kubeguard.io/exempt': 'true' };
    assert.equal(asReply(await hook.post('/validate', admissionReview(labelled))).response.allowed, true);
  });

  test('exempt users are admitted without checks', async () => {
    const body = admissionReview(privilegedPod()) as { request: { userInfo: { username: string } } };
    body.request.userInfo.username = 'system:serviceaccount:kube-system:clusterrole-aggregation-controller';
    assert.equal(asReply(await hook.post('/validate', body)).response.allowed, true);
    body.request.userInfo.username = 'system:serviceaccount:kube-system:replicaset-controller';
    assert.equal(asReply(await hook.post('/validate', body)).response.allowed, false);
  });

  test('UPDATE of a kind without pod template enforces only violations the old object did not have', async () => {
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api', namespace: 'shop' }, data });
    const legacy = cm({ STRIPE_API_KEY: 'not-really-but-still-a-literal' });
    const created = asReply(await hook.post('/validate', admissionReview(legacy)));
    assert.equal(created.response.allowed, false, 'a literal secret-like value is denied on CREATE (high)');
    const relabel = asReply(await hook.post('/validate', admissionReview({ ...legacy, data: { ...legacy.data, LOG_LEVEL: 'debug' } }, { operation: 'UPDATE', oldObject: legacy })));
    assert.equal(relabel.response.allowed, true);
    assert.ok(relabel.response.warnings?.some((w) => w.startsWith('[configmap-secret-like-value]')));
    const added = asReply(await hook.post('/validate', admissionReview(cm({ STRIPE_API_KEY: 'x-literal-value', DB_PASSWORD: 'hunter2hunter2' }), { operation: 'UPDATE', oldObject: legacy })));
    assert.equal(added.response.allowed, false, 'a new secret-like value is enforced');
    assert.match(added.response.status?.message ?? '', /DB_PASSWORD/);
  });

  test('a valid exception admits; an expired one stops applying and says so', async () => {
    assert.equal(asReply(await hook.post('/validate', admissionReview(privilegedPod('agent', 'cni')))).response.allowed, true);
    const expired = asReply(await hook.post('/validate', admissionReview(privilegedPod('old', 'legacy'))));
    assert.equal(expired.response.allowed, false);
    assert.ok(expired.response.warnings?.some((w) => /expired on 2020-01-31/.test(w)), JSON.stringify(expired.response.warnings));
  });

  test("the object's own ignore annotation does not suppress at admission by default, and the reply says so", async () => {
    const p = privilegedPod('annotated');
    p.metadata!.annotations = { 'kubeguard.io/ignore': 'pss-privileged: node agent, reviewed in SEC-42' };
    const reply = asReply(await hook.post('/validate', admissionReview(p))).response;
    assert.equal(reply.allowed, false);
    assert.ok(reply.warnings?.some((w) => /kubeguard\.io\/ignore not honoured for pss-privileged/.test(w)), JSON.stringify(reply.warnings));
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM-style shutdown fails readiness, finishes in-flight requests, then stops accepting', async () => {
    let release: (() => void) | undefined;
    const gateStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finishVerify: (() => void) | undefined;
    const hook = await startTestWebhook(
      { admission: { images: { signature: { keys: [FAKE_PEM] } }, budgetMs: 5000 } },
      {
        shutdownDelayMs: 200,
        providers: {
          verifySignature: () =>
            new Promise((resolve) => {
              release?.();
              finishVerify = () => resolve({ verified: true, digest: 'sha256:' + 'c'.repeat(64) });
            }),
        },
      },
    );
    const inFlight = hook.post('/validate', admissionReview(hardenedPod()));
    await gateStarted;
    const stopping = hook.webhook.shutdown();
    assert.equal(hook.webhook.isReady(), false);
    assert.equal((await hook.get('/readyz')).status, 503); // still serving during the shutdown delay
    finishVerify?.();
    const reply = asReply(await inFlight);
    assert.equal(reply.response.allowed, true);
    await stopping;
    await assert.rejects(hook.get('/healthz'));
    await hook.close();
  });
});

export type { KubeObject };
