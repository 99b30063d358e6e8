import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSbom, SbomParseError } from './sbom.js';
import { packageQuery } from './package.js';

// Shapes as Syft and Trivy write them (CycloneDX 1.5 JSON, SPDX 2.3 JSON), trimmed to the fields read.
const cyclonedx = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  metadata: { component: { type: 'container', name: 'registry.example/app', version: 'sha256:abc' } },
  components: [
    {
      type: 'library',
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12',
    },
    {
      type: 'library',
      name: 'libc6',
      version: '2.36-9+deb12u3',
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64',
      properties: [
        { name: 'aquasecurity:trivy:SrcName', value: 'glibc' },
        { name: 'aquasecurity:trivy:SrcVersion', value: '2.36' },
        { name: 'aquasecurity:trivy:SrcRelease', value: '9+deb12u3' },
      ],
    },
    { type: 'operating-system', name: 'debian', version: '12.4' },
    { type: 'file', name: '/etc/passwd' },
    { type: 'library', name: 'express', version: '4.18.2', purl: 'pkg:npm/express@4.18.2', components: [{ type: 'library', name: 'qs', version: '6.11.0', purl: 'pkg:npm/qs@6.11.0' }] },
  ],
};

test('CycloneDX: purl components (nested too), Trivy source properties, OS component as distro', () => {
  const r = readSbom(cyclonedx);
  assert.equal(r.format, 'cyclonedx');
  assert.deepEqual(r.packages.map((p) => p.name), ['libssl3', 'libc6', 'express', 'qs']);
  assert.equal(r.skipped, 1);
  assert.deepEqual(r.pointers, ['/components/0', '/components/1', '/components/4', '/components/4/components/0']);
  assert.equal(r.distro, 'debian-12.4');
  const libc = r.packages[1];
  assert.equal(libc.sourceName, 'glibc');
  assert.equal(libc.sourceVersion, '2.36-9+deb12u3');
  const q = packageQuery(libc);
  assert.deepEqual(q.ok && q.query, { ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9+deb12u3' });
  const q1 = packageQuery(r.packages[0]);
  assert.deepEqual(q1.ok && q1.query, { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2' });
});

test('SPDX: externalRefs purls, Syft sourceInfo, root artifact skipped', () => {
  const spdx = {
    spdxVersion: 'SPDX-2.3',
    packages: [
      { name: 'alpine:3.19', versionInfo: 'sha256:abc', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:oci/alpine@sha256%3Aabc' }] },
      {
        name: 'libcrypto3',
        versionInfo: '3.1.4-r5',
        sourceInfo: 'built package from: openssl 3.1.4-r5',
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1' }],
      },
      { name: 'requests', versionInfo: '2.31.0', externalRefs: [{ referenceCategory: 'PACKAGE_MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/requests@2.31.0' }] },
      { name: 'no-purl', versionInfo: '1' },
    ],
  };
  const r = readSbom(spdx);
  assert.equal(r.format, 'spdx');
  assert.deepEqual(r.packages.map((p) => p.name), ['libcrypto3', 'requests']);
  assert.equal(r.skipped, 2);
  assert.deepEqual(r.pointers, ['/packages/1', '/packages/2']);
  const q = packageQuery(r.packages[0]);
  assert.deepEqual(q.ok && q.query, { ecosystem: 'Alpine:v3.19', name: 'openssl', version: '3.1.4-r5' });
});

test('not an SBOM: a clear error', () => {
  assert.throws(() => readSbom({ kind: 'Pod' }), SbomParseError);
});
