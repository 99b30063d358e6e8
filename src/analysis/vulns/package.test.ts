/** purl → (ecosystem key, name, version): the only way packages are matched (no CPE guessing). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageQuery, type Package } from './package.js';

const q = (p: Package) => {
  const r = packageQuery(p);
  return r.ok ? r.query : r.reason;
};
const purl = (s: string, name = 'x', version = '1'): Package => ({ name, version, purl: s });

test('language ecosystems from purls', () => {
  assert.deepEqual(q(purl('pkg:npm/%40babel/core@7.23.0', 'core', '7.23.0')), { ecosystem: 'npm', name: '@babel/core', version: '7.23.0' });
  assert.deepEqual(q(purl('pkg:pypi/Django_REST.framework@3.14.0', 'Django_REST.framework', '3.14.0')), { ecosystem: 'PyPI', name: 'django-rest-framework', version: '3.14.0' });
  assert.deepEqual(q(purl('pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible', 'docker', 'v24.0.7+incompatible')), { ecosystem: 'Go', name: 'github.com/docker/docker', version: 'v24.0.7+incompatible' });
  assert.deepEqual(q(purl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'log4j-core', '2.14.1')), { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' });
  assert.deepEqual(q(purl('pkg:cargo/time@0.1.45', 'time', '0.1.45')), { ecosystem: 'crates.io', name: 'time', version: '0.1.45' });
  assert.deepEqual(q(purl('pkg:composer/symfony/http-kernel@6.0.0', 'http-kernel', '6.0.0')), { ecosystem: 'Packagist', name: 'symfony/http-kernel', version: '6.0.0' });
});

test('distro packages: release from the distro qualifier, source package from upstream', () => {
  assert.deepEqual(q(purl('pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', 'openssl', '3.0.11-1~deb12u2')), { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2' });
  assert.deepEqual(q(purl('pkg:deb/debian/libsystemd0@252.19-1~deb12u1?arch=amd64&upstream=systemd&distro=debian-12.4', 'libsystemd0', '252.19-1~deb12u1')), { ecosystem: 'Debian:12', name: 'systemd', version: '252.19-1~deb12u1' });
  // Syft's name@version upstream form when the source version differs (binNMU)
  assert.deepEqual(q(purl('pkg:deb/debian/libgcrypt20@1.10.1-3%2Bb1?upstream=libgcrypt20%401.10.1-3&distro=debian-12', 'libgcrypt20', '1.10.1-3+b1')), { ecosystem: 'Debian:12', name: 'libgcrypt20', version: '1.10.1-3' });
  assert.deepEqual(q(purl('pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?arch=amd64&distro=ubuntu-22.04', 'curl', '7.81.0-1ubuntu1.15')), { ecosystem: 'Ubuntu:22.04', name: 'curl', version: '7.81.0-1ubuntu1.15' });
  assert.deepEqual(q(purl('pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.0', 'musl', '1.2.4-r2')), { ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4-r2' });
  assert.deepEqual(q(purl('pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl&distro=alpine-3.19.1', 'libcrypto3', '3.1.4-r5')), { ecosystem: 'Alpine:v3.19', name: 'openssl', version: '3.1.4-r5' });
  assert.deepEqual(q(purl('pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&distro=rhel-9.3', 'openssl-libs', '3.0.7-24.el9')), { ecosystem: 'Red Hat:enterprise_linux:9', name: 'openssl-libs', version: '1:3.0.7-24.el9' });
  assert.deepEqual(q(purl('pkg:apk/wolfi/glibc@2.38-r5?arch=x86_64', 'glibc', '2.38-r5')), { ecosystem: 'Wolfi', name: 'glibc', version: '2.38-r5' });
});

test('explicit fields win; missing release or unknown types are reasons, not guesses', () => {
  assert.deepEqual(q({ name: 'libssl3', version: '3.0.11-1~deb12u2', ecosystem: 'Debian:12', sourceName: 'openssl' }), { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2' });
  assert.deepEqual(q({ name: 'bash', version: '5.2.15-2+b2', ecosystem: 'Debian', distro: 'debian-12', sourceVersion: '5.2.15-2' }), { ecosystem: 'Debian:12', name: 'bash', version: '5.2.15-2' });
  assert.match(String(q(purl('pkg:deb/debian/bash@5.2.15-2'))), /distro/);
  // the image analyzers' own `ecosystem` field holds the purl type: ignored in favour of the purl
  assert.deepEqual(q({ ecosystem: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', sourceName: 'openssl', purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12' } as Package), { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2' });
  assert.deepEqual(q({ ecosystem: 'pypi', name: 'Flask', version: '2.3.1', purl: 'pkg:pypi/flask@2.3.1' } as Package), { ecosystem: 'PyPI', name: 'flask', version: '2.3.1' });
  // rpm: the binary's EVR is compared, not the source RPM's
  assert.deepEqual(q({ name: 'openssl-libs', version: '3.0.7-24.el9', sourceName: 'openssl', sourceVersion: '3.0.7-24.el9', purl: 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&distro=rocky-9.3' }), { ecosystem: 'Rocky Linux:9', name: 'openssl-libs', version: '1:3.0.7-24.el9' });
  assert.match(String(q(purl('pkg:generic/openssl@3.0.0'))), /unsupported purl type generic/);
  assert.match(String(q(purl('not a purl'))), /unparseable/);
  assert.match(String(q({ name: 'x', version: '1' })), /no ecosystem/);
});

test('the Node.js runtime binary (pkg:generic/node) is looked up in Bitnami\'s node records; other generic binaries are reasons', () => {
  assert.deepEqual(q(purl('pkg:generic/node@20.20.2', 'node', '20.20.2')), { ecosystem: 'Bitnami', name: 'node', version: '20.20.2' });
  assert.match(String(q(purl('pkg:generic/busybox@1.36.1', 'busybox', '1.36.1'))), /unsupported purl type generic/);
});
