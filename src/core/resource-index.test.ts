/** The resource index's homes for namespaces (effective: declared, else "default") and ownership (see its file comment). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Resource } from './model.js';
import { refOf } from './ref.js';
import { ResourceIndex } from './resource-index.js';

const res = (object: KubeObject): Resource => ({ ref: refOf(object), object });
const owner = (kind: string, name: string, uid?: string) => [{ apiVersion: 'apps/v1', kind, name, controller: true, ...(uid && { uid }) }];

describe('ResourceIndex', () => {
  const rs = res({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'shop', uid: 'u1' }, spec: { template: { spec: { containers: [] } } } });
  const bare = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  const node = res({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } });
  const pod = (name: string, namespace: string, ownerReferences: unknown[]) =>
    res({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ownerReferences }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  const mine = pod('web-1-a', 'shop', owner('ReplicaSet', 'web-1', 'u1'));
  const recreated = pod('web-1-b', 'shop', owner('ReplicaSet', 'web-1', 'other-uid'));
  const noUid = pod('web-1-c', 'shop', owner('ReplicaSet', 'web-1'));
  const elsewhere = pod('web-1-d', 'other', owner('ReplicaSet', 'web-1', 'u1'));
  const absent = pod('api-1-e', 'shop', owner('ReplicaSet', 'api-1', 'u2'));
  const notController = pod('web-1-f', 'shop', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1' }]);
  const mirror = pod('etcd-n1', 'kube-system', [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'n', controller: true }]);
  const index = new ResourceIndex([rs, bare, node, mine, recreated, noUid, elsewhere, absent, notController, mirror]);

  it('finds the scanned controller by kind, namespace and name; a different uid is another object', () => {
    assert.equal(index.templateControllerOf(mine.object), rs);
    assert.equal(index.templateControllerOf(noUid.object), rs, 'manifests carry no uids: kind, namespace and name decide');
    assert.equal(index.templateControllerOf(recreated.object), undefined);
    assert.equal(index.templateControllerOf(elsewhere.object), undefined, 'owners are in the namespace of what they own');
    assert.equal(index.templateControllerOf(absent.object), undefined, 'a controller not in the input stands for nothing');
    assert.equal(index.templateControllerOf(notController.object), undefined, 'only the controller: true reference');
    assert.equal(index.templateControllerOf(rs.object), undefined);
  });

  it('a mirror pod is controlled by its Node (cluster-scoped), whose lack of a template leaves the pod to itself', () => {
    assert.equal(index.controllerOf(mirror.object), node);
    assert.equal(index.templateControllerOf(mirror.object), undefined);
  });

  it('groups by effective namespace: an object that names none is in "default"; cluster-scoped ones in none', () => {
    assert.deepEqual(index.inNamespace('ConfigMap', 'default'), [bare]);
    assert.deepEqual(index.inNamespace('Pod', 'shop'), [mine, recreated, noUid, absent, notController]);
    assert.deepEqual(index.podBearingIn('shop').map((r) => r.ref.name), ['web-1', 'web-1-a', 'web-1-b', 'web-1-c', 'api-1-e', 'web-1-f']);
    assert.deepEqual(index.inNamespace('Node', 'default'), []);
    assert.deepEqual(index.inNamespace('Node', ''), []);
  });
});
