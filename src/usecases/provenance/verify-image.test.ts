/**
 * Keyless image signatures end to end: a private Sigstore instance (@sigstore/mock: Fulcio CA + CT log, Rekor
 * with signed entry timestamps, inclusion proofs and checkpoints) with its own trusted root, images pushed to the
 * real test registry (Debian docker-registry) and signed the two ways cosign stores signatures — legacy
 * `sha256-<hex>.sig` layers and Sigstore bundles as OCI 1.1 referrers (fallback tag; distribution 2.8 has no
 * referrers API) — then verified by `kubeguard image verify` as a process and by the use case.
 * Refused: a tampered signature, a wrong identity, an expired certificate, a missing inclusion proof.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../core/image-ref.js';
import { RegistryClient } from '../../sources/images/registry/client.js';
import { pushOciLayout } from '../../sources/images/registry/push.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import { simpleSigningPayload } from '../../sources/images/test-support/cosign-sign.js';
import { mockSigstore, pushLegacyKeyless, pushReferrerBundles, statementFor } from '../../sources/images/test-support/sigstore-sign.js';
import type { MockSigstore } from '../../sources/images/test-support/sigstore-sign.js';
import { registryUnavailable, startRegistry } from '../../sources/images/test-support/registry.js';
import type { TestRegistry } from '../../sources/images/test-support/registry.js';
import { kubeguardAsync } from '../../cli/test-support/run-cli.js';
import { verifyImageRequest } from './verify-image.js';
import { conformanceDir } from '../../test-support/conformance.js';

const skip = process.env.CI === 'true' ? undefined : registryUnavailable();
const ID = 'https://github.com/kubeguard/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const SLSA = 'https://slsa.dev/provenance/v1';
const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';
/** lodash 4.17.20: GHSA-35jh-r3h4-6jhm (testdata/osv/SOURCE.md). */
const BOM = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [{ type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }] };
const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** `trivy image --format cosign-vuln` (cosign specs/COSIGN_VULN_ATTESTATION_SPEC.md), finished 30 days ago: stale. */
const SCANNED = new Date(Date.now() - 30 * 86400_000).toISOString();
const TRIVY_SCAN = {
  invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
  scanner: {
    uri: 'pkg:github/aquasecurity/trivy@v0.50.1',
    version: 'v0.50.1',
    db: { uri: '', version: '' },
    result: { SchemaVersion: 2, ArtifactName: 'bundled', Results: [{ Target: 'app', Vulnerabilities: [{ VulnerabilityID: 'CVE-2021-23337', PkgName: 'lodash', InstalledVersion: '4.17.20', FixedVersion: '4.17.21', Severity: 'HIGH' }, { VulnerabilityID: 'CVE-2020-28500', PkgName: 'lodash', InstalledVersion: '4.17.20', FixedVersion: '4.17.21', Severity: 'MEDIUM' }] }] },
  },
  metadata: { scanStartedOn: SCANNED, scanFinishedOn: SCANNED },
};

describe('image verify: keyless signatures in a registry', { skip }, () => {
  let reg: TestRegistry;
  let dir: string;
  let sigstore: MockSigstore;
  let rootFile: string;
  const client = new RegistryClient();
  const digests: Record<string, string> = {};

  async function pushImage(name: string): Promise<{ digest: string; size: number }> {
    const layout = join(dir, name);
    writeOciLayout(layout, [{ layers: [await makeLayer([{ path: 'app', content: name }])] }]);
    const ref = parseReference(`${reg.host}/kg/${name}:v1`);
    const digest = await pushOciLayout(client, layout, ref);
    digests[name] = digest;
    return { digest, size: (await client.getManifest(ref)).body.length };
  }

  before(async () => {
    reg = await startRegistry();
    dir = mkdtempSync(join(tmpdir(), 'kg-keyless-'));
    sigstore = await mockSigstore();
    rootFile = join(dir, 'trusted_root.json');
    writeFileSync(rootFile, JSON.stringify(sigstore.trustedRoot));
    const ok = { identity: ID, issuer: ISSUER };

    // legacy keyless .sig
    const legacy = await pushImage('legacy');
    const payload = simpleSigningPayload(`${reg.host}/kg/legacy`, legacy.digest);
    await pushLegacyKeyless(client, parseReference(`${reg.host}/kg/legacy:v1`), legacy.digest, payload, (await sigstore.signMessage(payload, ok)).legacy);

    // bundle referrers: a cosign/sign/v1 signature and SLSA provenance
    const bundled = await pushImage('bundled');
    const slsa = { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1', externalParameters: { workflow: { repository: 'https://github.com/kubeguard/app', ref: 'refs/heads/main', path: '.github/workflows/release.yml' } } }, runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } } };
    await pushReferrerBundles(client, parseReference(`${reg.host}/kg/bundled:v1`), bundled, [
      await sigstore.signStatement(statementFor('bundled', bundled.digest, COSIGN_SIGN, {}), ok),
      await sigstore.signStatement(statementFor('bundled', bundled.digest, SLSA, slsa), ok),
      await sigstore.signStatement(statementFor('bundled', bundled.digest, 'https://cyclonedx.org/bom', BOM), ok),
      await sigstore.signStatement(statementFor('bundled', bundled.digest, VULN, TRIVY_SCAN), ok),
    ]);
    // an SBOM attestation by someone else only: not trusted, the layers are analysed
    const foreign = await pushImage('foreign');
    await pushReferrerBundles(client, parseReference(`${reg.host}/kg/foreign:v1`), foreign, [await sigstore.signStatement(statementFor('foreign', foreign.digest, 'https://cyclonedx.org/bom', BOM), { identity: 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main', issuer: ISSUER })]);

    await pushImage('unsigned');

    // signed by someone else
    const other = await pushImage('other');
    await pushReferrerBundles(client, parseReference(`${reg.host}/kg/other:v1`), other, [await sigstore.signStatement(statementFor('other', other.digest, COSIGN_SIGN, {}), { identity: 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main', issuer: ISSUER })]);

    // tampered: the legacy signature of another payload
    const tampered = await pushImage('tampered');
    const tPayload = simpleSigningPayload(`${reg.host}/kg/tampered`, tampered.digest);
    const elsewhere = await sigstore.signMessage(Buffer.from(tPayload.toString().replace('tampered', 'tamperex')), ok);
    await pushLegacyKeyless(client, parseReference(`${reg.host}/kg/tampered:v1`), tampered.digest, tPayload, elsewhere.legacy);

    // certificate expired when logged: issued 1 h before the log integrated the entry (validity 10 min)
    const expired = await pushImage('expired');
    const late = await mockSigstore({ caClock: new Date(Date.now() - 3600_000), logClock: new Date() });
    const lateRoot = join(dir, 'late_root.json');
    writeFileSync(lateRoot, JSON.stringify(late.trustedRoot));
    await pushReferrerBundles(client, parseReference(`${reg.host}/kg/expired:v1`), expired, [await late.signStatement(statementFor('expired', expired.digest, COSIGN_SIGN, {}), ok)]);

    // no inclusion proof
    const noproof = await pushImage('noproof');
    await pushReferrerBundles(client, parseReference(`${reg.host}/kg/noproof:v1`), noproof, [await sigstore.signStatement(statementFor('noproof', noproof.digest, COSIGN_SIGN, {}), { ...ok, omitInclusionProof: true })]);
  });
  after(async () => {
    await reg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const verify = (name: string, policy = { identity: ID, issuer: ISSUER }, trustedRoot?: string) =>
    verifyImageRequest({ reference: `${reg.host}/kg/${name}:v1`, policy, trustedRoot: trustedRoot ?? rootFile, client, env: { KUBEGUARD_TRUST_DIR: join(dir, 'none') } });

  it('kubeguard image verify (a process): 0 for a legacy keyless .sig, 1 unsigned, 2 without identity, 3 without trust', async () => {
    const args = (name: string) => ['image', 'verify', `${reg.host}/kg/${name}:v1`, '--trusted-root', rootFile, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '-q'];
    const ok = await kubeguardAsync([...args('legacy'), '--format', 'json']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const out = JSON.parse(ok.stdout) as { verified: boolean; digest: string; signers: { identity: string; issuer: string }[] };
    assert.equal(out.digest, digests.legacy);
    assert.deepEqual(out.signers.map((s) => [s.identity, s.issuer]), [[ID, ISSUER]]);
    const unsigned = await kubeguardAsync(args('unsigned'));
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.stdout, /NOT verified: .*no signatures/);
    assert.equal((await kubeguardAsync(['image', 'verify', `${reg.host}/kg/legacy:v1`, '--certificate-identity', ID])).code, 2);
    const noRoot = await kubeguardAsync([...args('legacy').map((a) => (a === rootFile ? join(dir, 'missing.json') : a))]);
    assert.equal(noRoot.code, 3, noRoot.stdout);
  });

  it('Sigstore bundles attached as OCI 1.1 referrers: the signature and the SLSA provenance attestation', async () => {
    const r = await verify('bundled');
    assert.equal(r.status, 'verified', r.reasons.join('; '));
    assert.deepEqual(r.attestations.map((a) => a.predicateType), [SLSA, 'https://cyclonedx.org/bom', VULN]);
    assert.equal((r.attestations[0].predicate.runDetails as { builder: { id: string } }).builder.id, 'https://github.com/actions/runner/github-hosted');
  });

  it('identity constraints: exact, RE2 regexp, and a wrong identity refused', async () => {
    assert.equal((await verify('bundled', { identityRegExp: '^https://github\\.com/kubeguard/', issuer: ISSUER } as never)).status, 'verified');
    const wrong = await verify('other');
    assert.equal(wrong.status, 'not-verified');
    assert.match(wrong.reasons.join(), /identity|subject/i);
    assert.equal((await verify('legacy', { identity: ID, issuer: 'https://accounts.google.com' })).status, 'not-verified');
  });

  it('refused: tampered signature, expired certificate, missing inclusion proof; another root → not verified', async () => {
    const tampered = await verify('tampered');
    assert.equal(tampered.status, 'not-verified');
    assert.match(tampered.reasons.join(), /digest mismatch|signature/);
    const expired = await verify('expired', undefined, join(dir, 'late_root.json'));
    assert.equal(expired.status, 'not-verified');
    assert.match(expired.reasons.join(), /certificate/i);
    const noproof = await verify('noproof');
    assert.equal(noproof.status, 'not-verified');
    assert.match(noproof.reasons.join(), /invalid bundle/);
    // the public-good root does not trust the private instance
    const pg = await verifyImageRequest({ reference: `${reg.host}/kg/legacy:v1`, policy: { identity: ID, issuer: ISSUER }, client, env: { KUBEGUARD_TRUST_DIR: join(dir, 'none') } });
    assert.equal(pg.status, 'not-verified');
  });

  it('scan --images judges workload images as the webhook would (admission.images.signature in the config)', async () => {
    const db = join(dir, 'vulns.db');
    assert.equal((await kubeguardAsync(['db', 'import', conformanceDir('osv', 'records'), '--db', db])).code, 0);
    const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - {name: app, image: "${reg.host}/kg/${name}:v1"}
`;
    writeFileSync(join(dir, 'apps.yaml'), ['bundled', 'legacy', 'unsigned', 'other'].map(deployment).join('---\n'));
    writeFileSync(
      join(dir, 'kubeguard.yaml'),
      JSON.stringify({ admission: { images: { signature: { trustedRoot: rootFile, policies: [{ images: [`${reg.host}/kg`], identity: ID, issuer: ISSUER }] } } } }),
    );
    const r = await kubeguardAsync(['scan', join(dir, 'apps.yaml'), '--images', '--db', db, '-c', join(dir, 'kubeguard.yaml'), '--format', 'json', '-q']);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; resource: { name: string }; path: string; message: string }[]; notEvaluated: unknown[] };
    const signature = report.findings.filter((f) => f.ruleId === 'image-gate/signature');
    assert.deepEqual(signature.map((f) => f.resource.name).sort(), ['other', 'unsigned'], r.stderr);
    assert.ok(signature.every((f) => f.path === '/spec/template/spec/containers/0/image'));
    assert.match(signature.find((f) => f.resource.name === 'other')!.message, /has no valid signature by https:\/\/github\.com\/kubeguard\/app/);
    assert.equal(r.code, 1, r.stderr);
    // the verified CycloneDX attestation of "bundled" is its package list (its layers hold no package at all)
    const lodash = report.findings.filter((f) => /CVE-2021-23337|GHSA-35jh-r3h4-6jhm/.test(f.ruleId));
    assert.deepEqual(lodash.map((f) => f.resource.name), ['bundled'], r.stderr);
    const images = (JSON.parse(r.stdout) as { images: { image: string; packages: string; attestation?: { signer: { identity: string } }; note?: string; scans?: { stale: boolean }[] }[] }).images;
    const bundled = images.find((i) => i.image.endsWith('/kg/bundled:v1'))!;
    assert.equal(bundled.packages, 'attestation');
    assert.equal(bundled.attestation!.signer.identity, ID);
    assert.equal(bundled.scans![0].stale, true);
    assert.deepEqual(images.filter((i) => i.packages === 'layers').map((i) => i.image.split('/kg/')[1]).sort(), ['legacy:v1', 'other:v1', 'unsigned:v1']);
    assert.equal(images.find((i) => i.image.endsWith('/kg/legacy:v1'))!.note, 'no verified SBOM attestation');

    // a policy requiring a fresh vulnerability scan without critical findings (Kyverno's sample): bundled's scan is 30 days old
    const strict = join(dir, 'kubeguard-vuln.yaml');
    writeFileSync(strict, JSON.stringify({ admission: { images: { signature: { trustedRoot: rootFile, policies: [{ images: [`${reg.host}/kg`], identity: ID, issuer: ISSUER, attestations: [{ predicateType: VULN, maxAgeHours: 168, failOn: 'critical' }] }] } } } }));
    const s2 = await kubeguardAsync(['scan', join(dir, 'apps.yaml'), '--images', '--db', db, '-c', strict, '--format', 'json', '-q']);
    const gated = (JSON.parse(s2.stdout) as typeof report).findings.filter((f) => f.ruleId === 'image-gate/signature');
    assert.match(gated.find((f) => f.resource.name === 'bundled')!.message, /lacks required attestations: .*more than 168 h ago/, s2.stderr);
    assert.match(gated.find((f) => f.resource.name === 'legacy')!.message, /no verified https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1 \(maxAgeHours=168, failOn=critical\) attestation/);
  });

  it('image scan REF: a verified SBOM attestation is the package list when a signer is named; else the layers', async () => {
    const db = join(dir, 'vulns.db');
    const signer = ['--trusted-root', rootFile, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER];
    type Report = { findings: { ruleId: string }[]; notEvaluated: { reason: string }[]; images: { packages: string; digest?: string; note?: string; attestation?: { predicateType: string; signer: { identity: string; issuer: string } }; scans?: { scanner: { uri: string; version: string }; finishedOn: string; stale: boolean; counts: Record<string, number> }[] }[] };
    const scan = async (name: string, extra: string[]) => {
      const r = await kubeguardAsync(['image', 'scan', `${reg.host}/kg/${name}:v1`, '--db', db, '--format', 'json', '-q', ...extra]);
      return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout || '{}') as Report };
    };
    const lodash = (rep: Report) => rep.findings.some((f) => /CVE-2021-23337|GHSA-35jh-r3h4-6jhm/.test(f.ruleId));

    const attested = await scan('bundled', signer);
    assert.equal(attested.code, 1, attested.stderr);
    assert.ok(lodash(attested.report), attested.stderr);
    const src = attested.report.images[0];
    assert.equal(src.packages, 'attestation');
    assert.equal(src.digest, digests.bundled);
    assert.deepEqual([src.attestation!.predicateType, src.attestation!.signer.identity, src.attestation!.signer.issuer], ['https://cyclonedx.org/bom', ID, ISSUER]);
    // the attested Trivy scan: scanner, date, counts; 30 days old → stale
    const [scanned] = src.scans!;
    assert.deepEqual([scanned.scanner.uri, scanned.scanner.version, scanned.finishedOn, scanned.stale], ['pkg:github/aquasecurity/trivy@v0.50.1', 'v0.50.1', SCANNED, true]);
    assert.deepEqual([scanned.counts.high, scanned.counts.medium, scanned.counts.critical], [1, 1, 0]);

    // no signer named: the layers (which hold no lodash)
    const plain = await scan('bundled', []);
    assert.equal(plain.report.images[0].packages, 'layers');
    assert.equal(lodash(plain.report), false);
    assert.equal((await scan('bundled', [...signer, '--sbom-source', 'layers'])).report.images[0].packages, 'layers');

    // the signer from the config's signature policy, as scan --images and the webhook read it
    const cfg = join(dir, 'scan-policy.yaml');
    writeFileSync(cfg, JSON.stringify({ admission: { images: { signature: { trustedRoot: rootFile, policies: [{ images: [`${reg.host}/kg`], identity: ID, issuer: ISSUER }] } } } }));
    const fromConfig = await scan('bundled', ['-c', cfg]);
    assert.equal(fromConfig.report.images[0].packages, 'attestation', fromConfig.stderr);

    // an SBOM attested by another identity is not trusted: layers, and the report says why
    const foreign = await scan('foreign', signer);
    assert.deepEqual([foreign.report.images[0].packages, foreign.report.images[0].note], ['layers', 'no verified SBOM attestation']);
    assert.equal(lodash(foreign.report), false);
    // --sbom-source attestation without one: could not evaluate (exit 3), never "no vulnerabilities"
    const forced = await scan('legacy', [...signer, '--sbom-source', 'attestation']);
    assert.equal(forced.code, 3, forced.stderr);
    assert.match(forced.report.notEvaluated[0].reason, /no verified SBOM attestation/);
    assert.equal((await kubeguardAsync(['image', 'scan', `${reg.host}/kg/legacy:v1`, '--sbom-source', 'attestation', '--db', db, '-q'])).code, 2);
  });

  it('a verified CycloneDX attestation is the SBOM image scan matches, without re-analysing layers', async () => {
    const sbom = join(dir, 'attested-bom.json');
    const v = await kubeguardAsync(['image', 'verify', `${reg.host}/kg/bundled:v1`, '--trusted-root', rootFile, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '--sbom', sbom, '-q']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /attestation https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1 by .*: pkg:github\/aquasecurity\/trivy@v0\.50\.1 v0\.50\.1 on \S+: 1 high, 1 medium \(stale\)/);
    assert.deepEqual(JSON.parse(readFileSync(sbom, 'utf8')), BOM);
    const scan = await kubeguardAsync(['image', 'scan', sbom, '--db', join(dir, 'vulns.db'), '--format', 'json', '-q']);
    assert.ok((JSON.parse(scan.stdout) as { findings: { message: string }[] }).findings.some((f) => /GHSA-35jh-r3h4-6jhm|CVE-2021-23337/.test(JSON.stringify(f))), scan.stdout);
    // an unsigned image yields no SBOM file
    const none = join(dir, 'none-bom.json');
    await kubeguardAsync(['image', 'verify', `${reg.host}/kg/unsigned:v1`, '--trusted-root', rootFile, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '--sbom', none, '-q']);
    assert.equal(existsSync(none), false);
  });
});
