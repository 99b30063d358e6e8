/**
 * OCI 1.1 referrers found through the referrers API itself, not its fallback tag. The real test registry
 * (distribution 2.8) has no such API and no installable registry here has one, so the spec's endpoint is served by
 * an in-test front before it (src/sources/images/test-support/referrers-front.ts, per distribution-spec v1.1
 * "Listing Referrers" and "Pushing Manifests with Subject"): the bundles are pushed as a v1.1 client pushes them
 * (the front answers OCI-Subject, so no fallback tag is written), and `image verify` must find them by the API,
 * following its Link pages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../core/image-ref.js';
import { RegistryClient, RegistryError, nextLink } from '../../sources/images/registry/client.js';
import { pushOciLayout } from '../../sources/images/registry/push.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import { mockSigstore, pushReferrerBundles, statementFor } from '../../sources/images/test-support/sigstore-sign.js';
import { registryUnavailable, startRegistry } from '../../sources/images/test-support/registry.js';
import type { TestRegistry } from '../../sources/images/test-support/registry.js';
import { startReferrersFront } from '../../sources/images/test-support/referrers-front.js';
import type { ReferrersFront } from '../../sources/images/test-support/referrers-front.js';
import { verifyImageRequest } from './verify-image.js';

const skip = process.env.CI === 'true' ? undefined : registryUnavailable();
const ID = 'https://github.com/kubeguard/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

describe('OCI 1.1 referrers API (distribution-spec v1.1)', { skip }, () => {
  let reg: TestRegistry;
  let front: ReferrersFront;
  let dir: string;
  let rootFile: string;
  let digest: string;
  const client = new RegistryClient();
  const ref = () => parseReference(`${front.host}/kg/api:v1`);

  before(async () => {
    reg = await startRegistry();
    front = await startReferrersFront(reg.host, { pageSize: 2 });
    dir = mkdtempSync(join(tmpdir(), 'kg-referrers-'));
    const sigstore = await mockSigstore();
    rootFile = join(dir, 'trusted_root.json');
    writeFileSync(rootFile, JSON.stringify(sigstore.trustedRoot));
    writeOciLayout(join(dir, 'api'), [{ layers: [await makeLayer([{ path: 'app', content: 'api' }])] }]);
    digest = await pushOciLayout(client, join(dir, 'api'), ref());
    const size = (await client.getManifest(ref())).body.length;
    const ok = { identity: ID, issuer: ISSUER };
    await pushReferrerBundles(client, ref(), { digest, size }, [
      await sigstore.signStatement(statementFor('api', digest, 'https://sigstore.dev/cosign/sign/v1', {}), ok),
      await sigstore.signStatement(statementFor('api', digest, 'https://slsa.dev/provenance/v1', { runDetails: { builder: { id: 'https://github.com/actions/runner' } } }), ok),
      await sigstore.signStatement(statementFor('api', digest, 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX', specVersion: '1.5', components: [] }), ok),
    ]);
  });
  after(async () => {
    await front?.stop();
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the bundles are indexed by the API (three referrers over two Link pages) and no fallback tag exists', async () => {
    await assert.rejects(client.getManifest(ref(), digest.replace(':', '-')), (e: unknown) => e instanceof RegistryError && e.status === 404);
    const before = front.referrersRequests.length;
    const { index, via } = await client.getReferrers(ref(), digest);
    assert.equal(via, 'api');
    assert.equal(index.manifests.length, 3);
    assert.ok(index.manifests.every((d) => d.artifactType === BUNDLE));
    assert.equal(front.referrersRequests.length - before, 2, 'the second page was followed by its Link');
  });

  it('image verify finds the signature and the attestations through the referrers API', async () => {
    const before = front.referrersRequests.length;
    const r = await verifyImageRequest({ reference: `${front.host}/kg/api:v1`, policy: { identity: ID, issuer: ISSUER }, trustedRoot: rootFile, client, env: { KUBEGUARD_TRUST_DIR: join(dir, 'none') } });
    assert.equal(r.status, 'verified', r.reasons.join('; '));
    assert.deepEqual(r.signers.map((s) => s.identity), [ID]);
    assert.deepEqual(r.attestations.map((a) => a.predicateType), ['https://slsa.dev/provenance/v1', 'https://cyclonedx.org/bom']);
    assert.ok(r.checks.every((c) => c.origin.startsWith('referrer sha256:')));
    assert.ok(front.referrersRequests.length > before);
  });

  it('the endpoint as the spec has it: empty index (not 404) for no referrers, 400 for a bad digest, artifactType filter', async () => {
    const base = `http://${front.host}/v2/kg/api/referrers`;
    const none = await fetch(`${base}/sha256:${'0'.repeat(64)}`);
    assert.equal(none.status, 200);
    assert.deepEqual(((await none.json()) as { manifests: unknown[] }).manifests, []);
    assert.equal((await fetch(`${base}/not-a-digest`)).status, 400);
    const filtered = await fetch(`${base}/${digest}?artifactType=${encodeURIComponent('application/example')}`);
    assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
    assert.deepEqual(((await filtered.json()) as { manifests: unknown[] }).manifests, []);
  });
});

describe('nextLink (RFC 8288 Link, rel="next")', () => {
  const at = 'http://127.0.0.1:5000/v2/a/referrers/sha256:1';
  it('resolves a relative target on the same registry; refuses another origin and other relations', () => {
    assert.equal(nextLink('</v2/a/referrers/sha256:1?page=1>; rel="next"', at)?.href, 'http://127.0.0.1:5000/v2/a/referrers/sha256:1?page=1');
    assert.equal(nextLink('<http://127.0.0.1:5000/x?n=2>; rel=next', at)?.pathname, '/x');
    assert.equal(nextLink('<http://evil.example/x>; rel="next"', at), undefined);
    assert.equal(nextLink('</x>; rel="prev"', at), undefined);
    assert.equal(nextLink(null, at), undefined);
  });
});
