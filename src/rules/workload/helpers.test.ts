import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageRef } from '../../core/image-ref.js';
import { exposedRuntimeSocket, normalizeHostPath, sensitiveReason } from './host-paths.js';
import { registryAllowed } from './registry-allowlist.js';

describe('registryAllowed', () => {
  const allowed = (image: string, list: string[]) => registryAllowed(parseImageRef(image), list);
  it('matches path prefixes at component boundaries, as written or fully qualified', () => {
    assert.equal(allowed('ghcr.io/acme/api:1', ['ghcr.io/acme']), true);
    assert.equal(allowed('ghcr.io/acme-evil/api:1', ['ghcr.io/acme']), false);
    assert.equal(allowed('registry.example.com.evil.io/x:1', ['registry.example.com']), false);
    assert.equal(allowed('nginx:1.27', ['docker.io']), true);
    assert.equal(allowed('nginx:1.27', ['docker.io/library/']), true);
    assert.equal(allowed('bitnami/redis:7', ['docker.io/library']), false);
  });
  it('matches Kyverno-style globs against the whole reference', () => {
    assert.equal(allowed('eu.foo.io/app:1', ['eu.foo.io/*']), true);
    assert.equal(allowed('eu.foo.io.evil/app:1', ['eu.foo.io/*']), false);
    assert.equal(allowed('europe-docker.pkg.dev/acme-prod/images/api:3', ['*.pkg.dev/acme-prod/*']), true);
  });
});

describe('host paths', () => {
  it('normalises the way the kubelet sees paths', () => {
    assert.equal(normalizeHostPath('/var//run/'), '/var/run');
    assert.equal(normalizeHostPath('/tmp/../etc/./kubernetes'), '/etc/kubernetes');
    assert.equal(normalizeHostPath('relative/path'), undefined);
  });
  it('finds runtime sockets and the directories that expose them', () => {
    assert.match(exposedRuntimeSocket('/var/run/docker.sock') ?? '', /socket \/var\/run\/docker.sock/);
    assert.match(exposedRuntimeSocket('/run') ?? '', /sockets under \/run/);
    assert.match(exposedRuntimeSocket('/run/containerd/io.containerd.runtime.v2.task') ?? '', /directory \/run\/containerd/);
    assert.equal(exposedRuntimeSocket('/run/xtables.lock'), undefined);
    assert.equal(exposedRuntimeSocket('/data'), undefined);
  });
  it('explains why a host path is sensitive', () => {
    assert.equal(sensitiveReason('/'), 'is the host root filesystem');
    assert.equal(sensitiveReason('/etc/ssl/certs'), 'is under /etc');
    assert.equal(sensitiveReason('/var'), 'contains /var/lib/kubelet');
    assert.equal(sensitiveReason('/var/lib'), 'contains /var/lib/kubelet');
    assert.equal(sensitiveReason('/var/lib/app'), undefined);
    assert.equal(sensitiveReason('/opt/data'), undefined);
    assert.equal(sensitiveReason('/run/xtables.lock'), undefined);
  });
});
