// Namespace placement as kubectl does it (`kubectl apply -n`, else the context's "default"), and placement from the
// input's own `ns/name` references for namespace-less installs such as Argo CD's install.yaml.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Resource } from './model.js';
import { refOf } from './ref.js';
import { resolveNamespaces } from './namespaces.js';

function res(obj: KubeObject, file = 'install.yaml'): Resource {
  return { ref: refOf(obj), object: obj, source: { file, line: 1 } };
}

const sa = (name: string, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...(namespace ? { namespace } : {}) } });
const deploy = (name: string, account: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { template: { spec: { serviceAccountName: account, containers: [{ name: 'c', image: 'x' }] } } },
});
const crb = (name: string, subject: { name: string; namespace?: string }): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', ...subject }],
});
const clusterRole: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [] };

const nsOf = (r: Resource) => r.object.metadata?.namespace;

describe('resolveNamespaces', () => {
  it('-n places every namespaced object without a namespace there, and only those', () => {
    const input = [res(sa('a')), res(sa('b', 'other')), res(clusterRole), res(deploy('d', 'a'))];
    const out = resolveNamespaces(input, { namespace: 'argocd' });
    assert.deepEqual(out.resources.map(nsOf), ['argocd', 'other', undefined, 'argocd']);
    assert.deepEqual(out.resources.map((r) => r.ref.namespace), ['argocd', 'other', undefined, 'argocd']);
    // kubectl apply -n argocd refuses an object that names another namespace: said, and judged where it says
    assert.match(out.notes.join('\n'), /ServiceAccount "b" sets namespace "other": `kubectl apply -n argocd` would refuse it/);
    // the user chose the namespace: no per-finding note, and the input objects are not mutated
    assert.equal(out.resources[0].namespaceNote, undefined);
    assert.equal(input[0].object.metadata?.namespace, undefined);
  });

  it('a ClusterRoleBinding subject argocd/x for a ServiceAccount x found only without a namespace places the whole file in argocd', () => {
    const input = [res(sa('controller')), res(deploy('controller', 'controller')), res(crb('controller', { name: 'controller', namespace: 'argocd' })), res(clusterRole)];
    const out = resolveNamespaces(input);
    assert.deepEqual(out.resources.map(nsOf), ['argocd', 'argocd', undefined, undefined]);
    assert.match(out.resources[0].namespaceNote ?? '', /placed in "argocd" because ClusterRoleBinding "controller" names ServiceAccount argocd\/controller/);
    assert.match(out.resources[1].namespaceNote ?? '', /its file is applied to argocd/);
    assert.match(out.notes.join('\n'), /2 object\(s\) of install.yaml set no namespace: placed in "argocd"/);
  });

  it('a declared ServiceAccount of that namespace is what the subject means: nothing is inferred', () => {
    const input = [res(sa('controller', 'argocd')), res(sa('controller')), res(crb('c', { name: 'controller', namespace: 'argocd' }))];
    const out = resolveNamespaces(input);
    assert.deepEqual(out.resources.map(nsOf), ['argocd', undefined, undefined]);
    assert.match(out.notes.join('\n'), /1 namespaced object\(s\) set no namespace: judged in "default"/);
  });

  it('references that disagree place nothing', () => {
    const input = [res(sa('x')), res(crb('one', { name: 'x', namespace: 'a' })), res(crb('two', { name: 'x', namespace: 'b' }))];
    assert.deepEqual(resolveNamespaces(input).resources.map(nsOf), [undefined, undefined, undefined]);
  });

  it('files of one directory: a file without references follows the directory; a file of another directory does not', () => {
    const input = [
      res(crb('c', { name: 'controller', namespace: 'argocd' }), 'app/rbac.yaml'),
      res(sa('controller'), 'app/sa.yaml'),
      res(deploy('controller', 'controller'), 'app/deploy.yaml'),
      res(deploy('web', 'default'), 'other/deploy.yaml'),
    ];
    assert.deepEqual(resolveNamespaces(input).resources.map(nsOf), [undefined, 'argocd', 'argocd', undefined]);
  });

  it('webhook, APIService and CRD conversion service references place the Service they name', () => {
    const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: {} });
    const vwc: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'hook' },
      webhooks: [{ name: 'v.example.com', clientConfig: { service: { namespace: 'hooks', name: 'webhook' } } }],
    };
    const api: KubeObject = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { service: { namespace: 'kube-system', name: 'metrics' } } };
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Thing' }, conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'conv', name: 'converter' } } } } },
    };
    const out = resolveNamespaces([res(vwc, 'a.yaml'), res(svc('webhook'), 'a.yaml'), res(api, 'b/x.yaml'), res(svc('metrics'), 'b/x.yaml'), res(crd, 'c/x.yaml'), res(svc('converter'), 'c/x.yaml')]);
    assert.deepEqual(out.resources.map(nsOf), [undefined, 'hooks', undefined, 'kube-system', undefined, 'conv']);
  });

  it('custom kinds: placed when their CRD in the input is Namespaced or they template pods; cluster-scoped and unknown ones are left alone', () => {
    const crd = (kind: string, scope: string): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.example.com` }, spec: { group: 'example.com', scope, names: { kind } } });
    const cr = (kind: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'example.com/v1', kind, metadata: { name: 'x' }, ...extra });
    const podTemplate = { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    const input = [res(crd('Widget', 'Namespaced')), res(crd('Gadget', 'Cluster')), res(cr('Widget')), res(cr('Gadget')), res(cr('Unknown')), res(cr('Runner', podTemplate))];
    assert.deepEqual(resolveNamespaces(input, { namespace: 'ns' }).resources.map(nsOf), [undefined, undefined, 'ns', undefined, undefined, 'ns']);
  });
});
