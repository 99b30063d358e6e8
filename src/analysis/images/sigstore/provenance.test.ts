/**
 * SLSA provenance facts and requirements. Predicates shaped as the specs' examples: v1
 * (slsa.dev/spec/v1.0/provenance, GitHub Actions build type workflow/v1) and v0.2 (slsa.dev/provenance/v0.2,
 * invocation.configSource in SPDX download-location form).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSourceUri, provenanceFacts, requirementProblem, SLSA_V02, SLSA_V1, unmetRequirements } from './provenance.js';

const v1 = {
  predicateType: SLSA_V1,
  predicate: {
    buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1', externalParameters: { workflow: { ref: 'refs/tags/v1.2.0', repository: 'https://github.com/octocat/hello-world', path: '.github/workflow/release.yml' } }, resolvedDependencies: [{ uri: 'git+https://github.com/octocat/hello-world@refs/tags/v1.2.0', digest: { gitCommit: 'c27d339ee6075c1f744c5d4b200f7901aad2c369' } }] },
    runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' } },
  },
};
const v02 = {
  predicateType: SLSA_V02,
  predicate: { builder: { id: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0' }, buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1', invocation: { configSource: { uri: 'git+https://github.com/acme/lib@refs/heads/main', digest: { sha1: 'abc' }, entryPoint: '.github/workflows/release.yml' } } },
};

test('facts from SLSA v1 (GitHub workflow build type) and v0.2 (configSource)', () => {
  assert.deepEqual(provenanceFacts(v1), { builderId: 'https://github.com/actions/runner/github-hosted', buildType: 'https://actions.github.io/buildtypes/workflow/v1', sourceRepository: 'https://github.com/octocat/hello-world', sourceRef: 'refs/tags/v1.2.0' });
  assert.deepEqual(provenanceFacts(v02), { builderId: v02.predicate.builder.id, buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1', sourceRepository: 'https://github.com/acme/lib', sourceRef: 'refs/heads/main' });
  const generic = { predicateType: SLSA_V1, predicate: { buildDefinition: { buildType: 'x', resolvedDependencies: [{ uri: 'git+https://gitlab.com/g/p.git@refs/heads/dev' }] }, runDetails: { builder: { id: 'b' } } } };
  assert.deepEqual(provenanceFacts(generic), { builderId: 'b', buildType: 'x', sourceRepository: 'https://gitlab.com/g/p', sourceRef: 'refs/heads/dev' });
  assert.deepEqual(parseSourceUri('git+https://github.com/a/b'), { repository: 'https://github.com/a/b' });
});

test('requirements: exact or glob per condition; the reason names the differing fact', () => {
  assert.equal(requirementProblem(v1, { predicateType: SLSA_V1, sourceRepository: 'https://github.com/octocat/hello-world', sourceRef: 'refs/tags/v*' }), undefined);
  assert.equal(requirementProblem(v1, { predicateType: SLSA_V1, sourceRef: 'refs/heads/main' }), 'sourceRef is "refs/tags/v1.2.0", not "refs/heads/main"');
  assert.equal(requirementProblem(v1, { predicateType: SLSA_V1, builderId: 'https://github.com/slsa-framework/*' }), 'builderId is "https://github.com/actions/runner/github-hosted", not "https://github.com/slsa-framework/*"');
  assert.deepEqual(unmetRequirements([v1, v02], [{ predicateType: SLSA_V02, sourceRepository: 'https://github.com/acme/lib' }, { predicateType: 'https://cyclonedx.org/bom' }]), ['no verified https://cyclonedx.org/bom attestation']);
});

test('vulnerability-scan requirements (Kyverno sample: a fresh Trivy scan without high or critical findings)', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';
  const scan = (finished: string, severities: string[]) => ({
    predicateType: VULN,
    predicate: { scanner: { uri: 'pkg:github/aquasecurity/trivy@v0.50.1', result: { Results: [{ Vulnerabilities: severities.map((Severity) => ({ Severity })) }] } }, metadata: { scanFinishedOn: finished } },
  });
  const fresh = scan('2026-12-06T00:00:00Z', ['HIGH', 'LOW']);
  assert.equal(requirementProblem(fresh, { predicateType: VULN, maxAgeHours: 24, failOn: 'critical', scanner: 'pkg:github/aquasecurity/trivy@*' }, now), undefined);
  assert.equal(requirementProblem(fresh, { predicateType: VULN, failOn: 'high' }, now), 'the scan found 1 high');
  assert.equal(requirementProblem(fresh, { predicateType: VULN, scanner: 'pkg:github/anchore/grype*' }, now), 'scanner is "pkg:github/aquasecurity/trivy@v0.50.1", not "pkg:github/anchore/grype*"');
  assert.equal(requirementProblem(scan('2026-12-04T12:00:00Z', []), { predicateType: VULN, maxAgeHours: 24 }, now), 'the scan finished on 2026-12-04T12:00:00.000Z, more than 24 h ago');
  // without maxAgeHours any age is accepted; a scan that cannot be read is not "clean"
  assert.equal(requirementProblem(scan('2020-01-01T00:00:00Z', []), { predicateType: VULN, failOn: 'low' }, now), undefined);
  assert.equal(requirementProblem({ predicateType: VULN, predicate: { scanner: { uri: 'x', result: {} } } }, { predicateType: VULN, failOn: 'critical' }, now), "the scan's result format is not known, so its severities cannot be checked");
  assert.deepEqual(unmetRequirements([fresh], [{ predicateType: VULN, failOn: 'medium' }], now), [`no verified ${VULN} (failOn=medium) attestation (the scan found 1 high)`]);
});
