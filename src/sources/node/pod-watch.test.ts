/**
 * The pods of one node, listed and watched from the in-process API server (src/sources/cluster/test-support):
 * the field selector keeps other nodes' pods out, watch events keep the index current, a compacted history
 * (410 Gone) makes it list again, and a token that may not watch is retried without losing what it knew.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { startServer, tokenUser, writeKubeconfig } from '../cluster/test-support/harness.js';
import type { FakeApiServer } from '../cluster/test-support/api-server.js';
import { PodIndex } from './pods.js';
import { PodWatch, kubeconfigConnection } from './pod-watch.js';
import { waitFor } from './test-support/wait.js';

const pod = (name: string, node: string, ip: string, id: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '10' },
  spec: { nodeName: node, containers: [{ name: 'app', image: 'app:1' }] },
  status: { podIP: ip, containerStatuses: [{ name: 'app', containerID: `containerd://${id.repeat(64)}` }] },
});

describe('PodWatch', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  before(async () => {
    server = await startServer([pod('a', 'node-1', '10.0.0.1', 'a'), pod('b', 'node-2', '10.0.0.2', 'b')], {
      tokens: { 'sensor-token': { name: 'system:serviceaccount:kubeguard-sensor:kubeguard-sensor', groups: [] }, 'list-only': { name: 'lister', groups: [] } },
      authorize: (r) => r.resource === 'pods' && (r.verb === 'list' || r.user.name !== 'lister'),
    });
    kubeconfig = writeKubeconfig(server.url, [tokenUser('sensor', 'sensor-token'), tokenUser('lister', 'list-only')]);
  });
  after(() => server.close());

  it("lists this node's pods only, then follows additions, changes and deletions", async () => {
    const index = new PodIndex('node-1');
    const watch = new PodWatch(await kubeconfigConnection(kubeconfig, 'sensor'), 'node-1', index);
    await watch.start();
    try {
      assert.equal(index.podByIp('10.0.0.1')?.pod, 'a');
      assert.equal(index.podByIp('10.0.0.2'), undefined, "another node's pod");
      assert.ok(server.log.some((l) => l.path.includes('fieldSelector=spec.nodeName%3Dnode-1')), 'the server was asked for this node only');
      await waitFor('the watch', () => server.watchers() === 1);
      server.apply(pod('c', 'node-1', '10.0.0.3', 'c'));
      server.apply(pod('d', 'node-2', '10.0.0.4', 'd'));
      await waitFor('c', () => index.container('c'.repeat(64)));
      server.apply({ ...pod('a', 'node-1', '10.0.0.9', 'a') });
      await waitFor('a moved', () => index.podByIp('10.0.0.9'));
      assert.equal(index.podByIp('10.0.0.1'), undefined);
      server.remove(pod('c', 'node-1', '10.0.0.3', 'c'));
      await waitFor('c gone', () => index.container('c'.repeat(64)) === undefined);
      assert.equal(index.podByIp('10.0.0.4'), undefined);
      assert.equal(watch.stats.errors, 0);
    } finally {
      await watch.stop();
    }
  });

  it('lists again when its resourceVersion was compacted away (410 Gone)', async () => {
    const index = new PodIndex('node-1');
    const watch = new PodWatch(await kubeconfigConnection(kubeconfig, 'sensor'), 'node-1', index);
    await watch.start();
    try {
      await waitFor('the watch', () => server.watchers() >= 1);
      const lists = watch.stats.lists;
      // the stream ends, a pod is added, and history is compacted before the client can watch again: its
      // resourceVersion is gone, so only a new list can bring the pod
      server.endWatches();
      server.apply(pod('e', 'node-1', '10.0.0.5', 'e'));
      server.compact();
      await waitFor('e', () => index.container('e'.repeat(64)));
      assert.equal(watch.stats.lists, lists + 1);
    } finally {
      await watch.stop();
    }
  });

  it('a token that may list but not watch: keeps the listed pods and counts the failures', async () => {
    const index = new PodIndex('node-1');
    const watch = new PodWatch(await kubeconfigConnection(kubeconfig, 'lister'), 'node-1', index, 50);
    await watch.start();
    try {
      await waitFor('a failed watch', () => watch.stats.errors > 0);
      assert.ok(index.size > 0);
      assert.match(watch.stats.lastError ?? '', /403/);
    } finally {
      await watch.stop();
    }
  });
});
