import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, isValidDigest, normalizedName, parseImageRef, parseReference, registryOf } from './image-ref.js';

// Cases follow the reference grammar and normalisation of github.com/distribution/reference (ParseNormalizedNamed).
describe('parseImageRef', () => {
  const cases: [string, { registry?: string; repository: string; tag?: string; digest?: string }, string][] = [
    ['nginx', { repository: 'nginx' }, 'docker.io/library/nginx'],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }, 'docker.io/library/nginx'],
    ['library/nginx:latest', { repository: 'library/nginx', tag: 'latest' }, 'docker.io/library/nginx'],
    ['bitnami/redis:7.2', { repository: 'bitnami/redis', tag: '7.2' }, 'docker.io/bitnami/redis'],
    ['docker.io/bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis' }, 'docker.io/bitnami/redis'],
    ['index.docker.io/nginx', { registry: 'index.docker.io', repository: 'nginx' }, 'docker.io/library/nginx'],
    ['localhost/app', { registry: 'localhost', repository: 'app' }, 'localhost/app'],
    ['localhost:5000/team/app:dev', { registry: 'localhost:5000', repository: 'team/app', tag: 'dev' }, 'localhost:5000/team/app'],
    ['registry:5000/app', { registry: 'registry:5000', repository: 'app' }, 'registry:5000/app'],
    ['gcr.io/project/img@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', { registry: 'gcr.io', repository: 'project/img', digest: 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31' }, 'gcr.io/project/img'],
    ['ghcr.io/acme/api:1.2.3@sha256:abc', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.2.3', digest: 'sha256:abc' }, 'ghcr.io/acme/api'],
  ];
  for (const [raw, expected, normalized] of cases) {
    it(raw, () => {
      const ref = parseImageRef(raw);
      assert.deepEqual({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }, { registry: undefined, tag: undefined, digest: undefined, ...expected });
      assert.equal(normalizedName(ref), normalized);
    });
  }
  it('names the registry an image is pulled from', () => {
    assert.equal(registryOf(parseImageRef('nginx')), 'docker.io');
    assert.equal(registryOf(parseImageRef('quay.io/prometheus/node-exporter:v1.8.1')), 'quay.io');
  });
});

describe('parseReference (a reference to pull)', () => {
  const D = 'sha256:' + 'a'.repeat(64);
  it('normalises Docker Hub names and defaults the tag to latest only without a digest', () => {
    assert.equal(formatReference(parseReference('nginx')), 'docker.io/library/nginx:latest');
    assert.equal(formatReference(parseReference('index.docker.io/bitnami/redis:7')), 'docker.io/bitnami/redis:7');
    assert.equal(formatReference(parseReference(`localhost:5000/team/app@${D}`)), `localhost:5000/team/app@${D}`);
    assert.deepEqual(parseReference(`ghcr.io/acme/api:1.2@${D}`), { registry: 'ghcr.io', repository: 'acme/api', tag: '1.2', digest: D });
  });

  it('refuses what cannot be pulled, with the same digest check as the rules', () => {
    for (const bad of ['nginx@sha256:' + 'a'.repeat(40), 'nginx@', 'nginx:', 'Nginx', 'a//b', 'r.io/x:' + 't'.repeat(129)]) {
      assert.throws(() => parseReference(bad), /invalid/, bad);
    }
    assert.equal(isValidDigest('sha256:' + 'a'.repeat(40)), false);
    assert.equal(isValidDigest(D), true);
  });

  it('validates digests by the OCI grammar (the check image-not-pinned-by-digest reports malformed by)', () => {
    // https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
    assert.equal(isValidDigest('sha256:' + 'a'.repeat(64)), true);
    assert.equal(isValidDigest('sha256:' + 'a'.repeat(63)), false);
    assert.equal(isValidDigest('sha256:' + 'A'.repeat(64)), false);
    assert.equal(isValidDigest('sha512:' + 'a'.repeat(128)), true);
    assert.equal(isValidDigest('sha512:' + 'a'.repeat(32)), false);
    assert.equal(isValidDigest('blake3:' + 'a'.repeat(64)), true);
    assert.equal(isValidDigest('multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8'), true);
    assert.equal(isValidDigest('custom-algorithm:a'), true);
    assert.equal(isValidDigest('sha256'), false);
    assert.equal(isValidDigest('Sha256:abc'), false);
  });
});
