/**
 * Attested content: SBOM attestations as package lists, vulnerability-scan attestations summarised. Shapes from
 * cosign's specs/COSIGN_VULN_ATTESTATION_SPEC.md (Trivy's `--format cosign-vuln` output) and Grype's JSON report.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attestedPackages, attestedScans, describeScan } from './attested-content.js';
import type { SignedAttestation } from './attested-content.js';

const signer = { identity: 'https://github.com/o/r/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com', keyId: 'ab' };
const att = (predicateType: string, predicate: Record<string, unknown>, origin = 'referrer sha256:1'): SignedAttestation => ({ predicateType, predicate, signer, origin });
const NOW = new Date('2026-12-06T12:00:00Z');
const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';

describe('attested content', () => {
  it('the first SBOM attestation that reads is the package list; an unreadable one is skipped and named', () => {
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }] };
    const r = attestedPackages('img', 'sha256:aa', [att('https://slsa.dev/provenance/v1', {}), att('https://cyclonedx.org/bom', { not: 'a bom' }, 'o1'), att('https://cyclonedx.org/bom/v1.5', bom, 'o2')]);
    assert.ok(r.ok);
    assert.deepEqual(r.sbom.packages.map((p) => p.name), ['lodash']);
    assert.deepEqual(r.source, { image: 'img', digest: 'sha256:aa', packages: 'attestation', attestation: { predicateType: 'https://cyclonedx.org/bom/v1.5', origin: 'o2', signer } });
    const bad = attestedPackages('img', undefined, [att('https://spdx.dev/Document', { nothing: true }, 'o3')]);
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.note : '', /o3: not a CycloneDX/);
    assert.deepEqual(attestedPackages('img', undefined, []), { ok: false, note: 'no verified SBOM attestation' });
  });

  it('Trivy (cosign-vuln) and Grype results counted by severity; stale past 7 days or undated; unknown formats listed', () => {
    const trivy = att(VULN, {
      scanner: { uri: 'pkg:github/aquasecurity/trivy@v0.50.1', version: 'v0.50.1', db: { uri: '', version: '2' }, result: { Results: [{ Vulnerabilities: [{ Severity: 'CRITICAL' }, { Severity: 'HIGH' }, { Severity: 'UNKNOWN' }] }, { Target: 'no vulns' }] } },
      metadata: { scanFinishedOn: '2026-12-05T12:00:00Z' },
    });
    const grype = att('cosign.sigstore.dev/attestation/vuln/v1', { scanner: { uri: 'pkg:github/anchore/grype', result: { matches: [{ vulnerability: { severity: 'Negligible' } }, { vulnerability: { severity: 'Low' } }] } }, metadata: { scanFinishedOn: '2026-11-01T00:00:00Z' } });
    const odd = att(VULN, { scanner: { uri: 'x', result: { something: [] } } });
    const [t, g, o] = attestedScans([trivy, grype, odd, att('https://cyclonedx.org/bom', {})], NOW);
    assert.deepEqual(t, { origin: 'referrer sha256:1', signer, scanner: { uri: 'pkg:github/aquasecurity/trivy@v0.50.1', version: 'v0.50.1', db: { version: '2' } }, finishedOn: '2026-12-05T12:00:00.000Z', stale: false, counts: { info: 0, low: 0, medium: 0, high: 1, critical: 1 }, unknown: 1 });
    assert.equal(describeScan(t), 'pkg:github/aquasecurity/trivy@v0.50.1 v0.50.1 on 2026-12-05T12:00:00.000Z: 1 critical, 1 high');
    assert.deepEqual([g.stale, g.counts], [true, { info: 1, low: 1, medium: 0, high: 0, critical: 0 }]);
    assert.deepEqual([o.stale, o.counts, o.note], [true, undefined, 'no scanFinishedOn date; result format not known (Trivy or Grype JSON are counted)']);
    assert.match(describeScan(o), /vulnerabilities not counted \(stale\)$/);
  });
});
