/** Image gates: registries, digests, signatures (cached by digest, once per image per request), scan results, budgets. */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/model.js';
import { imagesOf, runGates } from './run.js';
import { requirementFor, signatureGate } from './signature.js';
import type { SignatureVerdict } from './signature.js';
import { vulnerabilityGate } from './vulnerabilities.js';
import type { GateContext, GateImage } from './types.js';
import { gatesFromConfig } from './from-config.js';
import { admissionReview, asReply, startTestWebhook } from '../../../admission/test-support/harness.js';
import type { TestWebhook } from '../../../admission/test-support/harness.js';
import { hardenedPodSpec, pod } from '../../../admission/test-support/objects.js';

/** Key text for test doubles that do not parse keys (the webhook reads anything without a PEM header as a file path). */
const FAKE_PEM = '-----BEGIN PUBLIC KEY-----\ntest double\n-----END PUBLIC KEY-----';

const D1 = 'sha256:' + '1'.repeat(64);
const ctx = (over: Partial<GateContext> = {}): GateContext => ({ signal: new AbortController().signal, deadline: Date.now() + 1000, dryRun: false, now: new Date('2026-06-01T00:00:00Z'), ...over });
/** A gate image parsed exactly as the webhook parses it from a pod. */
const img = (image: string): GateImage => imagesOf(pod({ containers: [{ name: 'c', image }] }))[0];

function podWithImages(...images: string[]): KubeObject {
  const spec = hardenedPodSpec();
  spec.initContainers = images.slice(1).map((image, i) => ({ name: `i${i}`, image }));
  (spec.containers as Record<string, unknown>[])[0].image = images[0];
  return pod(spec);
}

describe('images of a request', () => {
  test('each distinct image is collected once with every pointer using it', () => {
    const images = imagesOf(podWithImages('a/b@' + D1, 'a/b@' + D1, 'c/d:1'));
    assert.deepEqual(images.map((i) => [i.image, i.paths]), [
      ['a/b@' + D1, ['/spec/initContainers/0/image', '/spec/containers/0/image']],
      ['c/d:1', ['/spec/initContainers/1/image']],
    ]);
  });
});

describe('signature gate', () => {
  test('verifies each image once per request and caches verdicts by digest across requests', async () => {
    const calls: string[] = [];
    const gate = signatureGate({
      keys: ['k1'],
      verify: async (image): Promise<SignatureVerdict> => {
        calls.push(image);
        return image.includes('unsigned') ? { verified: false, digest: D1.replace(/1/g, '2'), reason: 'no signature' } : { verified: true, digest: D1 };
      },
    });
    const images = imagesOf(podWithImages('r.io/a@' + D1, 'r.io/a@' + D1, 'r.io/a@' + D1, 'r.io/unsigned:1'));
    const first = await gate.check(images, ctx());
    assert.deepEqual(first.violations.map((v) => v.image), ['r.io/unsigned:1']);
    assert.deepEqual(calls, ['r.io/a@' + D1, 'r.io/unsigned:1']);
    await gate.check(imagesOf(podWithImages('r.io/a@' + D1)), ctx());
    assert.equal(calls.length, 2, 'the digest-pinned image is served from the cache');
    await gate.check(imagesOf(podWithImages('r.io/a@' + D1)), ctx({ now: new Date('2026-06-01T01:00:00Z') }));
    assert.equal(calls.length, 3, 'an expired cache entry is verified again');
    await gate.check(imagesOf(podWithImages('r.io/unsigned:1')), ctx());
    assert.equal(calls.length, 4, 'failed verifications are not cached: a signature pushed later is seen');
  });

  test('a verifier that fails leaves the image undecided (the failure mode decides)', async () => {
    const gate = signatureGate({ keys: ['k'], verify: () => Promise.reject(new Error('registry unreachable')) });
    const r = await gate.check([img('r.io/a:1')], ctx());
    assert.equal(r.violations.length, 0);
    assert.match(r.undecided?.[0].reason ?? '', /registry unreachable/);
  });
});

describe('signature policies (keyless, per registry and namespace, attestations)', () => {
  const SLSA = 'https://slsa.dev/provenance/v1';
  const provenance = (builder: string, ref: string) => ({
    predicateType: SLSA,
    predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1', externalParameters: { workflow: { repository: 'https://github.com/acme/app', ref } } }, runDetails: { builder: { id: builder } } },
  });
  const GH = 'https://github.com/actions/runner/github-hosted';
  const policies = [
    { images: ['ghcr.io/acme'], namespaces: ['prod-*'], policy: { identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' }, attestations: [{ predicateType: SLSA, builderId: GH, sourceRepository: 'https://github.com/acme/app', sourceRef: 'refs/heads/main' }] },
    { images: ['ghcr.io/acme'], policy: { identityRegExp: '^https://github\\.com/acme/', issuer: 'https://token.actions.githubusercontent.com' } },
  ];

  test('the first matching policy (registry, then namespace) decides; images no policy matches are not checked without keys', () => {
    assert.equal(requirementFor(img('ghcr.io/acme/app:1').ref, 'prod-eu', { policies })?.id, 'policy 1');
    assert.equal(requirementFor(img('ghcr.io/acme/app:1').ref, 'dev', { policies })?.id, 'policy 2');
    assert.equal(requirementFor(img('ghcr.io/acme-evil/app:1').ref, 'prod-eu', { policies }), undefined);
    assert.equal(requirementFor(img('docker.io/library/nginx:1').ref, 'prod-eu', { policies, keys: ['k'] })?.id, 'keys');
  });

  test('required SLSA provenance: builder, source repository and ref must match; not-evaluated trust is undecided', async () => {
    const seen: unknown[] = [];
    const verdicts: Record<string, SignatureVerdict> = {
      'ghcr.io/acme/good:1': { verified: true, digest: D1, attestations: [provenance(GH, 'refs/heads/main')] },
      'ghcr.io/acme/fork:1': { verified: true, digest: D1, attestations: [provenance(GH, 'refs/heads/feature')] },
      'ghcr.io/acme/bare:1': { verified: true, digest: D1 },
      'ghcr.io/acme/wrong:1': { verified: false, reason: 'certificate identity mismatch' },
      'ghcr.io/acme/notrust:1': { verified: false, status: 'not-evaluated', reason: 'trusted root cannot be read' },
    };
    const gate = signatureGate({ policies, verify: async (image, requirement) => (seen.push(requirement), verdicts[image]) });
    const r = await gate.check(Object.keys(verdicts).map(img), ctx({ namespace: 'prod-eu' }));
    const byImage = Object.fromEntries(r.violations.map((v) => [v.image, v.message]));
    assert.equal(byImage['ghcr.io/acme/good:1'], undefined);
    assert.match(byImage['ghcr.io/acme/fork:1'], /lacks required attestations: no verified https:\/\/slsa\.dev\/provenance\/v1 \(builderId=.*sourceRef=refs\/heads\/main\) attestation \(sourceRef is "refs\/heads\/feature", not "refs\/heads\/main"\)/);
    assert.match(byImage['ghcr.io/acme/bare:1'], /lacks required attestations: no verified https:\/\/slsa\.dev\/provenance\/v1/);
    assert.match(byImage['ghcr.io/acme/wrong:1'], /no valid signature by https:\/\/github\.com\/acme\/app\/\.github\/workflows\/release\.yml@refs\/heads\/main \(issuer https:\/\/token\.actions\.githubusercontent\.com\) \(certificate identity mismatch\)/);
    assert.deepEqual(r.undecided?.map((u) => u.image), ['ghcr.io/acme/notrust:1']);
    assert.ok(seen.every((q) => (q as { policy?: unknown }).policy !== undefined));
  });
});

describe('vulnerability gate', () => {
  const lookup = async (i: GateImage) =>
    i.image.includes('missing') ? ({ status: 'missing' } as const) : ({ status: 'found', counts: i.image.includes('bad') ? { critical: 1, high: 2 } : { medium: 3 } } as const);

  test('denies at or above failOn, admits below', async () => {
    const r = await vulnerabilityGate({ lookup, failOn: 'high' }).check([img('r.io/bad:1'), img('r.io/good:1')], ctx());
    assert.deepEqual(r.violations.map((v) => v.image), ['r.io/bad:1']);
    assert.match(r.violations[0].message, /1 critical, 2 high/);
  });

  test('missing results: deny with a message, or admit and request a background scan (not on dry-run)', async () => {
    const denied = await vulnerabilityGate({ lookup, failOn: 'high' }).check([img('r.io/missing:1')], ctx());
    assert.match(denied.violations[0].message, /no vulnerability scan result/);
    const requested: string[] = [];
    const gate = vulnerabilityGate({ lookup, failOn: 'high', onMissing: 'allow-and-scan', requestScan: (i) => requested.push(i) });
    const dry = await gate.check([img('r.io/missing:1')], ctx({ dryRun: true }));
    assert.equal(dry.violations.length, 0);
    assert.deepEqual(requested, []);
    await gate.check([img('r.io/missing:1')], ctx());
    assert.deepEqual(requested, ['r.io/missing:1']);
  });
});

describe('gate runner and config', () => {
  test('a gate past the deadline is cut off and its images are undecided; its signal is aborted', async () => {
    let aborted = false;
    const slow = {
      name: 'slow',
      check: (_: readonly GateImage[], c: GateContext) =>
        new Promise<never>(() => {
          c.signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const quick = { name: 'quick', check: () => Promise.resolve({ violations: [] }) };
    const out = await runGates([slow, quick], [img('a/b:1')], { deadline: Date.now() + 50, dryRun: false, now: new Date() });
    assert.deepEqual(out.map((o) => [o.gate, o.timedOut]), [['slow', true], ['quick', false]]);
    assert.equal(out[0].result.undecided?.length, 1);
    assert.equal(aborted, true);
  });

  test('a gate that throws synchronously-rejected leaves images undecided, never crashes', async () => {
    const broken = { name: 'broken', check: () => Promise.reject(new TypeError('boom')) };
    const [o] = await runGates([broken], [img('a/b:1')], { deadline: Date.now() + 1000, dryRun: false, now: new Date() });
    assert.match(o.result.undecided?.[0].reason ?? '', /boom/);
  });

  test('signature or vulnerability gates without their provider are a configuration error', () => {
    assert.throws(() => gatesFromConfig({ signature: { keys: ['k'] } }), /cosign signature verification/);
    assert.throws(() => gatesFromConfig({ vulnerabilities: { failOn: 'high' } }), /vulnerability scan results/);
    // the registry allowlist and digest pinning are rules (src/engine/image-policy.ts), not gates
    assert.deepEqual(gatesFromConfig({ allowedRegistries: ['r.io'], requireDigest: true }), []);
  });
});

describe('gates in the webhook: budget and failure mode', () => {
  const never = () => new Promise<SignatureVerdict>(() => {});
  let deny: TestWebhook;
  let allow: TestWebhook;
  before(async () => {
    deny = await startTestWebhook({ admission: { budgetMs: 300, images: { signature: { keys: [FAKE_PEM] }, allowedRegistries: ['registry.example.com'], requireDigest: true } } }, { providers: { verifySignature: never } });
    allow = await startTestWebhook({ admission: { budgetMs: 300, failureMode: 'allow', images: { signature: { keys: [FAKE_PEM] } } } }, { providers: { verifySignature: never } });
  });
  after(async () => {
    await deny.close();
    await allow.close();
  });

  test('failure mode deny: a gate that cannot decide in time denies, and it is logged and counted', async () => {
    const reply = asReply(await deny.post('/validate', admissionReview(pod(hardenedPodSpec()))));
    assert.equal(reply.response.allowed, false);
    assert.match(reply.response.status?.message ?? '', /\[image-gate\/signature\] \/spec\/containers\/0\/image: could not decide: .*failure mode deny/);
    assert.ok(deny.logs.some((l) => l.msg === 'image gate could not decide; failure mode applied' && l.timedOut === true && l.failureMode === 'deny'));
    assert.match((await deny.get('/metrics')).text, /kubeguard_admission_gate_undecided_total\{gate="signature",cause="timeout"\} 1/);
  });

  test('the registry allowlist is decided by image-registry-not-allowed, as in scan, with the image field', async () => {
    const spec = hardenedPodSpec('quay.io/evil/x@sha256:' + 'e'.repeat(64));
    const reply = asReply(await deny.post('/validate', admissionReview(pod(spec))));
    assert.match(reply.response.status?.message ?? '', /\[image-registry-not-allowed\] \/spec\/containers\/0\/image: .*image "quay.io\/evil\/x@sha256:e+" is not from an allowed registry/);
  });

  test('requireDigest is decided by image-not-pinned-by-digest: a truncated sha256 (40 hex) is denied, as scan reports it', async () => {
    const spec = hardenedPodSpec('registry.example.com/app@sha256:' + 'e'.repeat(40));
    const reply = asReply(await deny.post('/validate', admissionReview(pod(spec))));
    assert.equal(reply.response.allowed, false);
    assert.match(reply.response.status?.message ?? '', /\[image-not-pinned-by-digest\] \/spec\/containers\/0\/image: .*malformed digest/);
  });

  test('failure mode allow: admitted with a warning', async () => {
    const reply = asReply(await allow.post('/validate', admissionReview(pod(hardenedPodSpec()))));
    assert.equal(reply.response.allowed, true);
    assert.ok(reply.response.warnings?.some((w) => w.startsWith('[image-gate/signature]') && w.includes('failure mode allow')));
  });
});
