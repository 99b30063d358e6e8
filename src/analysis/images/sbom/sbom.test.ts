import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { toCycloneDx } from './cyclonedx.js';
import { toSpdx } from './spdx.js';
import { toTable } from './table.js';
import { importSbom } from './import.js';
import { classifyLicense } from './licenses.js';
import type { SbomInput } from './input.js';

const input: SbomInput = {
  image: { name: 'registry.example/app:1.0', digest: `sha256:${'a'.repeat(64)}`, platform: 'linux/amd64' },
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [
    { ecosystem: 'deb', name: 'libc6', version: '2.36-9+deb12u4', purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12', sourceName: 'glibc', sourceVersion: '2.36-9+deb12u4', licenses: ['LGPL-2.1+', 'GPL-2'], locations: [{ path: '/var/lib/dpkg/status', layer: 0 }], arch: 'amd64' },
    { ecosystem: 'npm', name: '@babel/core', version: '7.24.0', purl: 'pkg:npm/%40babel/core@7.24.0', licenses: ['MIT'], locations: [{ path: '/app/node_modules/@babel/core/package.json' }] },
    { ecosystem: 'pypi', name: 'requests', version: '2.31.0', purl: 'pkg:pypi/requests@2.31.0', licenses: ['Apache-2.0 OR MIT'], locations: [{ path: '/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA' }] },
    { ecosystem: 'maven', name: 'org.example:kg-lib', version: '3.1.4', purl: 'pkg:maven/org.example/kg-lib@3.1.4', licenses: [], locations: [{ path: '/opt/app/kg-lib-3.1.4.jar' }] },
  ],
  tool: { name: 'kubeguard', version: '0.1.0' },
  now: new Date('2026-06-01T12:34:56.789Z'),
};

test('CycloneDX output is valid against the CycloneDX 1.6 JSON schema (the library\'s strict validator)', async () => {
  const json = toCycloneDx(input);
  const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
  const errors = await validator.validate(json);
  assert.equal(errors, null, JSON.stringify(errors));
  const doc = JSON.parse(json) as { specVersion: string; components: { purl?: string; type: string; licenses?: unknown[] }[]; metadata: { component: { type: string } } };
  assert.equal(doc.specVersion, '1.6');
  assert.equal(doc.metadata.component.type, 'container');
  assert.ok(doc.components.some((c) => c.type === 'operating-system'));
  assert.deepEqual(
    doc.components.filter((c) => c.purl).map((c) => c.purl).sort(),
    input.packages.map((p) => p.purl).sort(),
  );
  const py = doc.components.find((c) => c.purl === 'pkg:pypi/requests@2.31.0')!;
  assert.deepEqual(py.licenses, [{ expression: 'Apache-2.0 OR MIT' }]);
});

test('SPDX 2.3 output has the required document and package fields, valid licence expressions and CONTAINS relationships', () => {
  const doc = JSON.parse(toSpdx(input)) as {
    spdxVersion: string; dataLicense: string; SPDXID: string; documentNamespace: string;
    creationInfo: { created: string; creators: string[] };
    packages: { SPDXID: string; name: string; licenseDeclared: string; downloadLocation: string; externalRefs?: { referenceType: string; referenceLocator: string }[] }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
  };
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.equal(doc.dataLicense, 'CC0-1.0');
  assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
  assert.match(doc.documentNamespace, /^https:\/\//);
  assert.equal(doc.creationInfo.created, '2026-06-01T12:34:56Z'); // spec: YYYY-MM-DDThh:mm:ssZ
  assert.ok(doc.creationInfo.creators[0].startsWith('Tool: '));
  const ids = new Set(doc.packages.map((p) => p.SPDXID));
  assert.equal(ids.size, doc.packages.length);
  for (const p of doc.packages) assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/);
  const libc = doc.packages.find((p) => p.name === 'libc6')!;
  // Debian's "LGPL-2.1+" is SPDX LGPL-2.1+ (deprecated but listed); "GPL-2" is not an SPDX id → LicenseRef.
  assert.equal(libc.licenseDeclared, 'LGPL-2.1+ AND LicenseRef-GPL-2');
  assert.deepEqual(doc.hasExtractedLicensingInfos, [{ licenseId: 'LicenseRef-GPL-2', extractedText: 'GPL-2', name: 'GPL-2' }]);
  assert.equal(doc.packages.find((p) => p.name === 'org.example:kg-lib')!.licenseDeclared, 'NOASSERTION');
  const contains = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS').map((r) => r.relatedSpdxElement);
  assert.equal(contains.length, input.packages.length + 1);
  assert.ok(doc.relationships.some((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES'));
});

test('both formats read back into the package model (purls, versions, licences)', () => {
  for (const json of [toCycloneDx(input), toSpdx(input)]) {
    const back = importSbom(JSON.parse(json));
    assert.deepEqual(back.packages.map((p) => p.purl).sort(), input.packages.map((p) => p.purl).sort());
    assert.equal(back.packages.find((p) => p.ecosystem === 'npm')?.version, '7.24.0');
    assert.equal(back.skipped, 0);
  }
});

test('an SPDX document written by another tool (spec example shape) is accepted', () => {
  const doc = {
    spdxVersion: 'SPDX-2.3',
    name: 'alpine:3.19',
    packages: [
      { name: 'musl', SPDXID: 'SPDXRef-Package-musl', versionInfo: '1.2.4_git20230717-r4', licenseDeclared: 'MIT', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1' }] },
      { name: 'no-purl', SPDXID: 'SPDXRef-Package-x', versionInfo: '1' },
    ],
  };
  const r = importSbom(doc);
  assert.equal(r.format, 'spdx');
  assert.equal(r.packages[0].ecosystem, 'apk');
  assert.equal(r.packages[0].arch, 'x86_64');
  assert.deepEqual(r.packages[0].licenses, ['MIT']);
  assert.equal(r.skipped, 1);
  assert.throws(() => importSbom({ hello: 1 }), /not a CycloneDX or SPDX/);
});

test('licence classification follows the SPDX licence list', () => {
  assert.deepEqual(classifyLicense('MIT'), { kind: 'id', id: 'MIT' });
  assert.deepEqual(classifyLicense('apache-2.0'), { kind: 'id', id: 'Apache-2.0' });
  assert.deepEqual(classifyLicense('MIT OR Apache-2.0'), { kind: 'expression', expression: 'MIT OR Apache-2.0' });
  assert.deepEqual(classifyLicense('GPL-2.0-or-later WITH Classpath-exception-2.0'), { kind: 'expression', expression: 'GPL-2.0-or-later WITH Classpath-exception-2.0' });
  assert.deepEqual(classifyLicense('BSD-like'), { kind: 'name', name: 'BSD-like' });
});

test('the table lists one row per package', () => {
  const t = toTable(input);
  assert.equal(t.trim().split('\n').length, 2 + input.packages.length);
  assert.match(t, /libc6\s+2\.36-9\+deb12u4\s+deb\s+glibc/);
});
