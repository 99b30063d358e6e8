/**
 * The signature gate end to end: a real registry (Debian's docker-registry), an image pushed by the image
 * module's client, a cosign signature made with a key the test generates, and the webhook over HTTPS with
 * `admission.images.signature.keys` pointing at the public key file. Skipped only when the registry cannot
 * be installed (same condition as the image module's registry tests).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../../sources/images/registry/client.js';
import { pushOciLayout } from '../../../sources/images/registry/push.js';
import { parseReference } from '../../../core/image-ref.js';
import { makeLayer, writeOciLayout } from '../../../sources/images/test-support/build-image.js';
import { generateKeys, pushCosignSignature, signPayload, simpleSigningPayload } from '../../../sources/images/test-support/cosign-sign.js';
import { mockSigstore, pushReferrerBundles, statementFor } from '../../../sources/images/test-support/sigstore-sign.js';
import { registryUnavailable, startRegistry } from '../../../sources/images/test-support/registry.js';
import type { TestRegistry } from '../../../sources/images/test-support/registry.js';
import { admissionReview, asReply, startTestWebhook } from '../../../admission/test-support/harness.js';
import type { TestWebhook } from '../../../admission/test-support/harness.js';
import { hardenedPodSpec, pod } from '../../../admission/test-support/objects.js';

const skip = registryUnavailable();

describe('signature gate against a real registry', { skip }, () => {
  let reg: TestRegistry;
  let hook: TestWebhook;
  let dir: string;
  let signedDigest: string;
  before(async () => {
    reg = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'kg-adm-cosign-'));
    const client = new RegistryClient();
    const keys = generateKeys('ecdsa');
    for (const [name, content] of [['signed', 'a'], ['unsigned', 'b']] as const) {
      const layout = join(dir, name);
      writeOciLayout(layout, [{ layers: [await makeLayer([{ path: 'app', content }])] }]);
      const ref = parseReference(`${reg.host}/kg/${name}:v1`);
      const digest = await pushOciLayout(client, layout, ref);
      if (name === 'signed') {
        signedDigest = digest;
        const payload = simpleSigningPayload(`${reg.host}/kg/signed`, digest);
        await pushCosignSignature(client, ref, digest, [{ payload, signature: signPayload(payload, keys.privateKey) }]);
      }
    }
    writeFileSync(join(dir, 'cosign.pub'), keys.publicPem);
    hook = await startTestWebhook({ admission: { images: { signature: { keys: [join(dir, 'cosign.pub')] } } } });
  });
  after(async () => {
    await hook?.close();
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a signed image is admitted, by tag and by digest, in every container', async () => {
    const spec = hardenedPodSpec(`${reg.host}/kg/signed:v1`);
    spec.initContainers = [{ name: 'init', image: `${reg.host}/kg/signed@${signedDigest}` }];
    const reply = asReply(await hook.post('/validate', admissionReview(pod(spec))));
    assert.equal(reply.response.allowed, true, JSON.stringify(reply.response));
  });

  test('an unsigned image is denied, naming the gate, the field and the reason', async () => {
    const spec = hardenedPodSpec(`${reg.host}/kg/signed:v1`);
    spec.initContainers = [{ name: 'init', image: `${reg.host}/kg/unsigned:v1` }];
    const reply = asReply(await hook.post('/validate', admissionReview(pod(spec))));
    assert.equal(reply.response.allowed, false);
    assert.match(reply.response.status?.message ?? '', /\[image-gate\/signature\] \/spec\/initContainers\/0\/image: image ".*kg\/unsigned:v1" has no valid signature by a trusted key \(no signature/);
  });

  test('an image that does not exist cannot be decided: failure mode deny', async () => {
    const reply = asReply(await hook.post('/validate', admissionReview(pod(hardenedPodSpec(`${reg.host}/kg/missing:v1`)))));
    assert.equal(reply.response.allowed, false);
    assert.match(reply.response.status?.message ?? '', /could not decide: signature verification failed/);
  });
});

describe('keyless signature policies at admission (private Sigstore instance, real registry)', { skip }, () => {
  const ID = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const SLSA = 'https://slsa.dev/provenance/v1';
  const BUILDER = 'https://github.com/actions/runner/github-hosted';
  let reg: TestRegistry;
  let hook: TestWebhook;
  let dir: string;
  before(async () => {
    reg = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'kg-adm-keyless-'));
    const client = new RegistryClient();
    const sigstore = await mockSigstore();
    writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    const provenance = { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1', externalParameters: { workflow: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main' } } }, runDetails: { builder: { id: BUILDER } } };
    for (const [name, identity, withProvenance] of [['good', ID, true], ['noprov', ID, false], ['fork', 'https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main', true], ['unsigned', '', false]] as const) {
      const layout = join(dir, name);
      writeOciLayout(layout, [{ layers: [await makeLayer([{ path: 'app', content: name }])] }]);
      const ref = parseReference(`${reg.host}/acme/${name}:v1`);
      const digest = await pushOciLayout(client, layout, ref);
      if (!identity) continue;
      const signer = { identity, issuer: ISSUER };
      const bundles = [await sigstore.signStatement(statementFor(name, digest, 'https://sigstore.dev/cosign/sign/v1', {}), signer)];
      if (withProvenance) bundles.push(await sigstore.signStatement(statementFor(name, digest, SLSA, provenance), signer));
      await pushReferrerBundles(client, ref, { digest, size: (await client.getManifest(ref)).body.length }, bundles);
    }
    hook = await startTestWebhook({
      admission: {
        images: {
          signature: {
            trustedRoot: join(dir, 'trusted_root.json'),
            policies: [
              { images: [`${reg.host}/acme`], namespaces: ['prod'], identity: ID, issuer: ISSUER, attestations: [{ predicateType: SLSA, builderId: BUILDER, sourceRef: 'refs/heads/main' }] },
              { images: [`${reg.host}/acme`], identityRegExp: '^https://github\\.com/acme/', issuer: ISSUER },
            ],
          },
        },
      },
    });
  });
  after(async () => {
    await hook?.close();
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const admit = async (image: string, namespace = 'prod') => asReply(await hook.post('/validate', admissionReview(pod(hardenedPodSpec(`${reg.host}/acme/${image}:v1`), 'web', namespace)))).response;

  test('prod: signed by the release workflow with SLSA provenance from main → admitted', async () => {
    const r = await admit('good');
    assert.equal(r.allowed, true, JSON.stringify(r));
  });
  test('prod: no provenance, another identity, unsigned → denied with the reason', async () => {
    assert.match((await admit('noprov')).status?.message ?? '', /lacks required attestations: no verified https:\/\/slsa\.dev\/provenance\/v1/);
    assert.match((await admit('fork')).status?.message ?? '', /has no valid signature by https:\/\/github\.com\/acme\/app\/.*identity|has no valid signature by https:\/\/github\.com\/acme\/app/);
    const unsigned = await admit('unsigned');
    assert.equal(unsigned.allowed, false);
    assert.match(unsigned.status?.message ?? '', /no signatures/);
  });
  test('another namespace: the second policy (identity by regexp, no attestations) applies', async () => {
    assert.equal((await admit('noprov', 'dev')).allowed, true);
    assert.equal((await admit('fork', 'dev')).allowed, false);
  });
});
