/**
 * Property-based fuzzing of request bodies (fast-check): whatever arrives, the webhook answers either a valid
 * AdmissionReview (echoing the uid) or a 400 Status, never crashes, and leaves no unhandled rejection.
 * Bodies range from random text and random JSON to AdmissionReviews whose objects are random trees built from
 * the field names rules read (containers, securityContext, capabilities, volumes, templates…).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildPolicy } from '../usecases/admission/policy.js';
import type { AdmissionPolicy } from '../usecases/admission/policy.js';
import { handleAdmission } from './server/handler.js';
import type { HandlerReply } from './server/handler.js';
import { createMetrics } from './server/metrics.js';
import { silentLogger } from './server/log.js';
import { ruleCatalog } from './test-support/catalog.js';
import { startTestWebhook } from './test-support/harness.js';
import type { TestWebhook } from './test-support/harness.js';
import { REVIEW_API_VERSIONS } from '../usecases/admission/review.js';

const KEYS = [
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'template', 'jobTemplate',
  'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'privileged', 'capabilities', 'add', 'drop',
  'image', 'volumes', 'hostPath', 'path', 'hostNetwork', 'hostPID', 'hostIPC', 'seccompProfile', 'type', 'runAsUser',
  'runAsNonRoot', 'allowPrivilegeEscalation', 'ports', 'hostPort', 'env', 'value', 'valueFrom', 'resources', 'limits',
  'requests', 'os', 'sysctls', 'procMount', 'appArmorProfile', 'seLinuxOptions', 'kubeguard.io/ignore', 'data',
  'serviceAccountName', 'automountServiceAccountToken', 'livenessProbe', 'readinessProbe', 'lifecycle', 'rules', 'subjects', 'roleRef',
];
const leaf = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.constant(null),
  fc.constantFrom('ALL', 'SYS_ADMIN', 'NET_RAW', 'RuntimeDefault', 'Unconfined', 'Localhost', 'nginx:latest', 'r.io/a@sha256:' + 'a'.repeat(64), 'windows', '/var/run/docker.sock', 'default', 'kube-system', '0', ''),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 5 }),
  ),
}));
/** Mostly well-formed (weight 8), sometimes anything. */
const mostly = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: tree, weight: 1 });
const container = fc.record(
  {
    name: fc.string({ maxLength: 8 }),
    image: fc.oneof(fc.constantFrom('nginx', 'nginx:latest', 'r.io/a@sha256:' + 'a'.repeat(64), 'evil.io/x:1'), leaf),
    securityContext: mostly(
      fc.record(
        { privileged: fc.boolean(), allowPrivilegeEscalation: fc.boolean(), runAsNonRoot: fc.boolean(), runAsUser: fc.integer({ min: -1, max: 2000 }), capabilities: mostly(fc.record({ add: fc.array(fc.constantFrom('SYS_ADMIN', 'NET_RAW', 'CHOWN')), drop: fc.array(fc.constantFrom('ALL', 'NET_RAW')) }, { requiredKeys: [] })) },
        { requiredKeys: [] },
      ),
    ),
    ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), hostPort: fc.integer({ min: 0, max: 65535 }) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 }),
    extra: tree,
  },
  { requiredKeys: ['name', 'image'] },
);
const podSpec = fc.record(
  {
    containers: mostly(fc.array(container, { minLength: 1, maxLength: 2 })),
    initContainers: mostly(fc.array(container, { maxLength: 1 })),
    ephemeralContainers: mostly(fc.array(container, { maxLength: 1 })),
    hostNetwork: fc.boolean(),
    hostPID: fc.boolean(),
    securityContext: tree,
    volumes: mostly(fc.array(fc.record({ name: fc.string({ maxLength: 4 }), hostPath: fc.record({ path: fc.constantFrom('/', '/var/run/docker.sock', '/data') }) }), { maxLength: 2 })),
    os: fc.oneof(fc.constant({ name: 'windows' }), tree),
    extra: tree,
  },
  { requiredKeys: ['containers'] },
);
const template = fc.record({ metadata: tree, spec: podSpec }, { requiredKeys: ['spec'] });
const kubeObject = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'example.com/v1'), leaf),
    kind: fc.oneof({ arbitrary: fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodTemplate', 'ConfigMap', 'Secret', 'ClusterRoleBinding', 'Widget'), weight: 8 }, leaf),
    metadata: mostly(
      fc.record({ name: fc.string({ maxLength: 10 }), namespace: fc.constantFrom('default', 'shop', 'kube-system'), labels: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), annotations: fc.dictionary(fc.constantFrom('kubeguard.io/ignore', 'a'), fc.string({ maxLength: 30 })) }, { requiredKeys: [] }),
    ),
    spec: fc.oneof(podSpec, fc.record({ template, jobTemplate: fc.record({ spec: fc.record({ template }) }) }, { requiredKeys: [] }), tree),
    template: fc.oneof(template, tree),
    data: tree,
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
);
const request = fc.record(
  {
    uid: fc.oneof({ arbitrary: fc.uuid(), weight: 8 }, leaf),
    kind: fc.oneof(fc.record({ group: fc.constantFrom('', 'apps'), version: fc.constant('v1'), kind: fc.constantFrom('Pod', 'Deployment') }), leaf),
    namespace: fc.oneof({ arbitrary: fc.constantFrom('shop', 'default', 'kube-system'), weight: 8 }, leaf),
    operation: fc.oneof({ arbitrary: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'), weight: 8 }, leaf),
    subResource: fc.oneof({ arbitrary: fc.constantFrom('status', 'ephemeralcontainers'), weight: 4 }, leaf),
    object: fc.oneof({ arbitrary: kubeObject, weight: 8 }, tree),
    oldObject: fc.oneof(kubeObject, tree),
    dryRun: fc.oneof({ arbitrary: fc.boolean(), weight: 8 }, leaf),
    userInfo: fc.oneof(fc.record({ username: fc.string(), groups: fc.array(fc.string()) }), tree),
  },
  { requiredKeys: ['uid', 'operation', 'object'] },
);
const review = fc.record(
  {
    apiVersion: fc.oneof({ arbitrary: fc.constantFrom(...REVIEW_API_VERSIONS), weight: 8 }, leaf),
    kind: fc.oneof({ arbitrary: fc.constant('AdmissionReview'), weight: 8 }, leaf),
    request: fc.oneof({ arbitrary: request, weight: 8 }, tree),
  },
  { requiredKeys: ['apiVersion', 'kind', 'request'] },
);
/** A well-formed envelope around a fuzzed object: reaches the decision path. */
const wellFormed = fc.record({
  apiVersion: fc.constantFrom(...REVIEW_API_VERSIONS),
  kind: fc.constant('AdmissionReview'),
  request: fc.record(
    {
      uid: fc.uuid(),
      namespace: fc.constantFrom('shop', 'default', 'kube-system'),
      operation: fc.constantFrom('CREATE', 'UPDATE', 'CREATE', 'UPDATE', 'DELETE'),
      object: kubeObject,
      oldObject: fc.oneof(kubeObject, fc.constant(null)),
      dryRun: fc.boolean(),
    },
    { requiredKeys: ['uid', 'operation', 'object'] },
  ),
});
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json(),
  { arbitrary: review.map((r) => JSON.stringify(r)), weight: 3 },
  { arbitrary: wellFormed.map((r) => JSON.stringify(r)), weight: 6 },
  review.map((r) => JSON.stringify(r).slice(0, -3)), // truncated
);

const outcomes = { badRequest: 0, allowed: 0, denied: 0 };
const badMessages = new Map<string, number>();

function checkReply(reply: HandlerReply, sent: string): void {
  if (reply.status === 400) {
    outcomes.badRequest++;
    const m = (JSON.parse(reply.body) as { message: string }).message.replace(/\(got .*|: .*/, '');
    badMessages.set(m, (badMessages.get(m) ?? 0) + 1);
    const s = JSON.parse(reply.body) as { kind: string; code: number; message: string };
    assert.equal(s.kind, 'Status');
    assert.equal(s.code, 400);
    assert.ok(typeof s.message === 'string' && s.message.length > 0);
    return;
  }
  assert.equal(reply.status, 200, reply.body);
  const r = JSON.parse(reply.body) as { apiVersion: string; kind: string; response: Record<string, unknown> };
  const req = (JSON.parse(sent) as { request: { uid: string }; apiVersion: string });
  assert.equal(r.kind, 'AdmissionReview');
  assert.equal(r.apiVersion, req.apiVersion);
  assert.equal(r.response.uid, req.request.uid);
  assert.equal(typeof r.response.allowed, 'boolean');
  outcomes[r.response.allowed ? 'allowed' : 'denied']++;
  if (r.response.allowed === false) assert.equal(typeof (r.response.status as { message: unknown }).message, 'string');
  if (r.response.warnings !== undefined) {
    assert.ok(Array.isArray(r.response.warnings));
    for (const w of r.response.warnings as unknown[]) assert.ok(typeof w === 'string' && w.length <= 256);
  }
  if (r.response.patchType !== undefined) assert.equal(r.response.patchType, 'JSONPatch');
}

describe('fuzzing request bodies', () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  let policies: AdmissionPolicy[];
  let hook: TestWebhook;
  before(async () => {
    process.on('unhandledRejection', onRejection);
    const catalog = await ruleCatalog();
    policies = [
      buildPolicy({ config: { preset: 'strict' }, catalog }),
      buildPolicy({ config: { preset: 'recommended', admission: { mutate: { enabled: true }, images: { allowedRegistries: ['r.io'], requireDigest: true }, exemptSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } } }, catalog }),
    ];
    hook = await startTestWebhook({ admission: { mutate: { enabled: true } } });
  });
  after(async () => {
    await hook.close();
    process.off('unhandledRejection', onRejection);
  });

  test('in process: every body gets a valid AdmissionReview or a 400, for both endpoints', async () => {
    const deps = policies.map((p) => ({ policy: () => p, logger: silentLogger, metrics: createMetrics({ processMetrics: false }) }));
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom<'validate' | 'mutate'>('validate', 'mutate'), fc.nat(deps.length - 1), async (text, endpoint, i) => {
        checkReply(await handleAdmission(endpoint, text, deps[i]), text);
      }),
      { numRuns: 1500 },
    );
    // The generator must reach the decision path, not only the parser.
    assert.ok(outcomes.allowed > 100 && outcomes.denied > 30 && outcomes.badRequest > 100, `${JSON.stringify(outcomes)} ${JSON.stringify([...badMessages])}`);
  });

  test('over HTTPS: the server answers every body and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/validate', '/mutate'), async (text, path) => {
        const r = await hook.post(path, text);
        checkReply({ status: r.status, body: r.text }, text);
      }),
      { numRuns: 200 },
    );
    assert.equal((await hook.get('/healthz')).status, 200);
  });

  test('no unhandled rejection happened', async () => {
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(rejections, []);
  });
});
