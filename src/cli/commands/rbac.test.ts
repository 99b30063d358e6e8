/** `kubeguard rbac` through the CLI; expected answers follow from RBAC semantics and the bootstrap roles. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeguard } from '../test-support/run-cli.js';

const FILE = 'examples/manifests/rbac.yaml';
interface Subject { kind: string; name: string; namespace?: string; via: { binding: string; role: string }[] }

function whoCan(args: string[]): Subject[] {
  const r = kubeguard(['rbac', 'who-can', ...args, '-f', FILE, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { subjects: Subject[] }).subjects;
}
const names = (s: Subject[]) => s.map((x) => `${x.kind}:${x.namespace ? x.namespace + '/' : ''}${x.name}`).sort();

describe('kubeguard rbac', () => {
  it('who-can resolves a binding to the bootstrap cluster-admin role, and the unbound ClusterRole grants nothing', () => {
    const subjects = whoCan(['get', 'secrets', '-n', 'shop']);
    const deployer = subjects.find((s) => s.kind === 'ServiceAccount' && s.name === 'deployer');
    assert.deepEqual(deployer?.via, [{ binding: 'ClusterRoleBinding/ci-is-admin', role: 'ClusterRole/cluster-admin' }]);
    assert.ok(names(subjects).includes('Group:system:masters'), 'system:masters is a superuser');
    // view (bound to system:authenticated) excludes secrets; ci-deployer grants secrets but is bound to nobody
    assert.ok(!names(subjects).includes('Group:system:authenticated'));
  });

  it('who-can sees the view role aggregated to every authenticated user', () => {
    const subjects = whoCan(['list', 'pods', '-n', 'shop']);
    const all = subjects.find((s) => s.name === 'system:authenticated');
    assert.deepEqual(all?.via, [{ binding: 'ClusterRoleBinding/everyone-can-read', role: 'ClusterRole/view' }]);
  });

  it('without the bootstrap dataset, a binding to an undefined role grants nothing', () => {
    const r = kubeguard(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-f', FILE, '--no-bootstrap', '-o', 'json']);
    assert.deepEqual(names((JSON.parse(r.stdout) as { subjects: Subject[] }).subjects), ['Group:system:masters']);
  });

  it('blast-radius of a CronJob follows its service account to cluster-admin', () => {
    const r = kubeguard(['rbac', 'blast-radius', 'ci/CronJob/release', '-f', FILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /runs as service account ci\/deployer/);
    assert.match(r.stdout, /cluster-admin equivalent in 1 step/);
  });

  it('paths --format json lists the service account path step by step', () => {
    const r = kubeguard(['rbac', 'paths', '--to', 'cluster-admin', '-f', FILE, '--format', 'json']);
    const paths = (JSON.parse(r.stdout) as { paths: { from: { kind: string; name: string }; to: string; steps: { via: string }[] }[] }).paths;
    const sa = paths.find((p) => p.from.kind === 'ServiceAccount' && p.from.name === 'deployer');
    assert.ok(sa, JSON.stringify(paths.map((p) => p.from)));
    assert.equal(sa.steps.length, 1);
    assert.match(sa.steps[0].via, /ClusterRoleBinding\/ci-is-admin/);
  });
});
