// Expected answers follow k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go and the RBAC docs
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nonResourceURLMatches, resourceMatches, ruleAllows } from './matching.js';
import type { PolicyRule } from './types.js';

function rule(p: Partial<PolicyRule>): PolicyRule {
  return { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...p };
}

describe('RBAC rule matching', () => {
  it('"*" verb matches every verb; other verbs match exactly', () => {
    const r = rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] });
    for (const verb of ['get', 'create', 'deletecollection', 'escalate']) assert.ok(ruleAllows(r, { verb, resource: 'pods' }));
    const g = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
    assert.ok(!ruleAllows(g, { verb: 'list', resource: 'pods' }));
  });

  it('API groups match exactly, "" is the core group, "*" is any group', () => {
    const core = rule({ verbs: ['get'], apiGroups: [''], resources: ['deployments'] });
    assert.ok(!ruleAllows(core, { verb: 'get', resource: 'deployments', apiGroup: 'apps' }));
    const apps = rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] });
    assert.ok(ruleAllows(apps, { verb: 'get', resource: 'deployments', apiGroup: 'apps' }));
    const any = rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] });
    assert.ok(ruleAllows(any, { verb: 'get', resource: 'deployments', apiGroup: 'extensions' }));
  });

  it('a resource does not cover its subresources; "pods/log" must be named', () => {
    const pods = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
    assert.ok(!ruleAllows(pods, { verb: 'get', resource: 'pods', subresource: 'log' }));
    const log = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] });
    assert.ok(ruleAllows(log, { verb: 'get', resource: 'pods', subresource: 'log' }));
    assert.ok(!ruleAllows(log, { verb: 'get', resource: 'pods', subresource: 'exec' }));
  });

  it('"*" resources cover subresources; "*/scale" covers every scale subresource but no parent', () => {
    assert.ok(resourceMatches(rule({ resources: ['*'] }), 'pods/exec', 'exec'));
    const scale = rule({ resources: ['*/scale'] });
    assert.ok(resourceMatches(scale, 'deployments/scale', 'scale'));
    assert.ok(resourceMatches(scale, 'statefulsets/scale', 'scale'));
    assert.ok(!resourceMatches(scale, 'deployments', ''));
    assert.ok(!resourceMatches(scale, 'deployments/status', 'status'));
    // "pods/*" is not a wildcard form upstream: it matches only a literal "pods/*".
    assert.ok(!resourceMatches(rule({ resources: ['pods/*'] }), 'pods/exec', 'exec'));
  });

  it('resourceNames restrict named requests; unnamed requests (list, create) are not allowed', () => {
    const r = rule({ verbs: ['get', 'list', 'create', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'] });
    assert.ok(ruleAllows(r, { verb: 'get', resource: 'configmaps', name: 'my-configmap', namespace: 'default' }));
    assert.ok(ruleAllows(r, { verb: 'update', resource: 'configmaps', name: 'my-configmap', namespace: 'default' }));
    assert.ok(!ruleAllows(r, { verb: 'get', resource: 'configmaps', name: 'other', namespace: 'default' }));
    assert.ok(!ruleAllows(r, { verb: 'list', resource: 'configmaps', namespace: 'default' }));
    assert.ok(!ruleAllows(r, { verb: 'create', resource: 'configmaps', namespace: 'default' }));
  });

  it('non-resource URLs: exact, "*" and trailing-"*" prefix matches', () => {
    const r = rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/healthz/*', '/apis*'] });
    assert.ok(nonResourceURLMatches(r, '/healthz'));
    assert.ok(nonResourceURLMatches(r, '/healthz/etcd'));
    assert.ok(nonResourceURLMatches(r, '/apis'));
    assert.ok(nonResourceURLMatches(r, '/apis/apps/v1'));
    assert.ok(!nonResourceURLMatches(r, '/api'));
    const only = rule({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] });
    assert.ok(!nonResourceURLMatches(only, '/healthz'), '"/healthz/*" does not match "/healthz" itself');
    assert.ok(ruleAllows(rule({ verbs: ['*'], nonResourceURLs: ['*'] }), { verb: 'post', nonResourceURL: '/anything' }));
    assert.ok(!ruleAllows(r, { verb: 'post', nonResourceURL: '/healthz' }));
  });

  it('resource rules never allow non-resource requests and vice versa', () => {
    const res = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.ok(!ruleAllows(res, { verb: 'get', nonResourceURL: '/metrics' }));
    const url = rule({ verbs: ['*'], nonResourceURLs: ['*'] });
    assert.ok(!ruleAllows(url, { verb: 'get', resource: 'pods' }));
  });
});
