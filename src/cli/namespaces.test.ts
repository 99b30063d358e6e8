// `-n/--namespace` and namespace placement from the input's own references make scan, rbac paths, rbac
// blast-radius and rbac who-can agree on a namespace-less install (the structure of Argo CD's install.yaml, applied
// upstream with `kubectl apply -n argocd`): its controller's service account holds cluster-admin, critical everywhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanReport } from '../core/model.js';
import type { EscalationPath } from '../analysis/rbac/escalation/model.js';
import type { BlastRadius } from '../analysis/rbac/blast-radius.js';
import type { WhoCanResult } from '../analysis/rbac/who-can.js';
import { kubeguard } from './test-support/run-cli.js';

const ARGOCD = 'testdata/realworld/argocd/install.yaml';
const SA = 'argocd-application-controller';

function json<T>(args: string[]): T {
  const r = kubeguard(args);
  assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe('a namespace-less install: every command agrees', () => {
  for (const ns of [[], ['-n', 'argocd']]) {
    const how = ns.length ? 'with -n argocd' : 'from the binding subject argocd/argocd-application-controller';
    it(`scan reports the cluster-admin service account once, critical, ${how}`, () => {
      const r = kubeguard(['scan', ARGOCD, ...ns, '--format', 'json']);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout) as ScanReport;
      const critical = report.findings.filter((f) => f.severity === 'critical');
      assert.equal(critical.length, 1, JSON.stringify(critical, null, 2));
      const [f] = critical;
      assert.equal(f.ruleId, 'rbac-cluster-admin-binding');
      assert.match(f.message, /to ServiceAccount argocd\/argocd-application-controller/);
      const related = (f.related ?? []).map((x) => `${x.ruleId} ${x.resource.kind}/${x.resource.namespace}/${x.resource.name}`).sort();
      assert.deepEqual(related.filter((x) => !x.startsWith('rbac-kube-system')), [
        `rbac-workload-token-cluster-admin StatefulSet/argocd/${SA}`,
        `service-account-cluster-admin ServiceAccount/argocd/${SA}`,
      ]);
      // the role granting everything is one finding, "cluster-admin equivalent"
      const role = report.findings.filter((x) => x.resource.kind === 'ClusterRole' && x.resource.name === SA);
      assert.equal(role.length, 1);
      assert.match(role[0].message, /equivalent to cluster-admin/);
      if (ns.length) assert.equal(f.namespaceNote, undefined);
      else assert.match(r.stderr, /placed in "argocd" because ClusterRoleBinding "argocd-application-controller" names ServiceAccount argocd\/argocd-application-controller/);
      const sts = report.findings.flatMap((x) => [x, ...(x.related ?? [])]).filter((x) => x.resource.kind === 'StatefulSet');
      assert.ok(sts.every((x) => x.resource.namespace === 'argocd'));
    });

    it(`rbac paths and blast-radius grade the account critical, ${how}`, () => {
      const { paths } = json<{ paths: EscalationPath[] }>(['rbac', 'paths', '-f', ARGOCD, ...ns, '--from', `sa:argocd/${SA}`, '--to', 'cluster-admin', '-o', 'json', '-q']);
      assert.equal(paths.length, 1);
      assert.equal(paths[0].severity, 'critical');
      assert.equal(paths[0].steps.length, 1);
      const br = json<BlastRadius>(['rbac', 'blast-radius', `argocd/StatefulSet/${SA}`, '-f', ARGOCD, ...ns, '-o', 'json', '-q']);
      assert.equal(br.severity, 'critical');
      assert.deepEqual(br.serviceAccount, { namespace: 'argocd', name: SA, declared: true });
    });
  }

  it('who-can names the account once, in argocd', () => {
    const r = json<WhoCanResult>(['rbac', 'who-can', 'create', 'pods', '-A', '-f', ARGOCD, '-o', 'json', '-q']);
    const accounts = r.subjects.filter((s) => s.kind === 'ServiceAccount').map((s) => `${s.namespace}/${s.name}`);
    assert.ok(accounts.includes(`argocd/${SA}`), accounts.join(', '));
    assert.ok(!accounts.some((a) => a.startsWith('default/')), accounts.join(', '));
  });

  it('applied to another namespace the binding misses the account, as it would in the cluster', () => {
    const report = json<ScanReport>(['scan', ARGOCD, '-n', 'elsewhere', '--format', 'json', '-q']);
    const sa = report.findings.flatMap((f) => [f, ...(f.related ?? [])]).filter((f) => f.ruleId === 'service-account-cluster-admin');
    assert.deepEqual(sa, []);
  });

  it('rejects a namespace that is not a name', () => {
    const r = kubeguard(['scan', ARGOCD, '-n', 'Not_A_Namespace']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a namespace name/);
  });
});
