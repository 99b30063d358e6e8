import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PodIndex, digestOfImageId } from './pods.js';
import type { KubeObject } from '../../core/model.js';

const ID = 'c'.repeat(64);
const pod = (name: string, over: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    uid: `f81d4fae-7dec-11d0-a765-${name.length.toString(16).padStart(12, '0')}`,
    labels: { app: 'web', 'pod-template-hash': '7d4b9c6f5d' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c6f5d', uid: 'u', controller: true }],
  },
  spec: { nodeName: 'node-1', serviceAccountName: 'web', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  status: {
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }],
    containerStatuses: [{ name: 'nginx', containerID: `containerd://${ID}`, image: 'docker.io/library/nginx:1.27', imageID: `docker.io/library/nginx@sha256:${'a'.repeat(64)}` }],
    initContainerStatuses: [{ name: 'init', containerID: `containerd://${'d'.repeat(64)}`, image: 'busybox', imageID: '' }],
  },
  ...over,
});

describe('PodIndex', () => {
  it('finds a container by its bare id, a pod by uid and by each of its IPs', () => {
    const idx = new PodIndex('node-1');
    idx.addAll([pod('web-7d4b9c6f5d-x2x7k')]);
    const c = idx.container(ID);
    assert.equal(c?.container, 'nginx');
    assert.equal(c?.containerId, `containerd://${ID}`);
    assert.equal(c?.imageDigest, `sha256:${'a'.repeat(64)}`);
    assert.deepEqual(c?.owner, { kind: 'Deployment', name: 'web' }, 'a ReplicaSet named <deployment>-<pod-template-hash>');
    assert.equal(c?.serviceAccount, 'web');
    assert.equal(idx.container('d'.repeat(64))?.container, 'init', 'init containers too');
    assert.equal(idx.podByIp('fd00::7')?.pod, 'web-7d4b9c6f5d-x2x7k');
    assert.equal(idx.podByIp('FD00:0:0:0:0:0:0:7')?.pod, 'web-7d4b9c6f5d-x2x7k', 'one spelling per IPv6 address');
    assert.equal(idx.podByUid('f81d4fae-7dec-11d0-a765-000000000014')?.pod, 'web-7d4b9c6f5d-x2x7k');
  });
  it('walks to the top controller when the ReplicaSet is known', () => {
    const idx = new PodIndex();
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d4b9c6f5d', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web-v2', controller: true }] } };
    idx.addAll([pod('p'), rs]);
    assert.deepEqual(idx.container(ID)?.owner, { kind: 'Deployment', name: 'web-v2' });
  });
  it('keeps only the pods of its node, and no IPs of host-network pods', () => {
    const idx = new PodIndex('node-2');
    idx.addAll([pod('elsewhere')]);
    assert.equal(idx.size, 0);
    const all = new PodIndex();
    all.addAll([pod('hostnet', { spec: { nodeName: 'node-1', hostNetwork: true } })]);
    assert.equal(all.podByIp('10.244.1.7'), undefined);
    assert.equal(all.container(ID)?.pod, 'hostnet');
  });
  it('a watch replaces and removes pods', () => {
    const idx = new PodIndex();
    idx.upsert(pod('a'));
    idx.upsert(pod('a', { status: { podIP: '10.244.1.8' } }));
    assert.equal(idx.podByIp('10.244.1.7'), undefined, 'the old IP is gone');
    assert.equal(idx.podByIp('10.244.1.8')?.pod, 'a');
    idx.remove(pod('a'));
    assert.equal(idx.size, 0);
    assert.equal(idx.podByIp('10.244.1.8'), undefined);
  });
  it('digests of kubelet imageIDs', () => {
    assert.equal(digestOfImageId(`docker-pullable://nginx@sha256:${'b'.repeat(64)}`), `sha256:${'b'.repeat(64)}`);
    assert.equal(digestOfImageId(`sha256:${'b'.repeat(64)}`), `sha256:${'b'.repeat(64)}`);
    assert.equal(digestOfImageId('nginx:latest'), undefined);
  });
});
