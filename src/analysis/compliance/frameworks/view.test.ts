/**
 * Framework views: the mappings are joined both ways (no rule names a control that is not in its framework's data, no
 * control of the data is left without a rule or a manual note), and views of real scans give the statuses the
 * definitions in view.ts promise.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/model.js';
import { refOf } from '../../../core/ref.js';
import { RULES } from '../../../engine/catalog.js';
import { resolveRules } from '../../../engine/resolve-rules.js';
import { scan } from '../../../engine/scan.js';
import { loadBenchmark } from '../kube-bench/benchmarks.js';
import { MITRE_CONTROLS, NSA_CONTROLS, pssControls } from './catalogs.js';
import { cisTranslation, DEFAULT_CIS_BENCHMARK, frameworkView, RULES_CIS_BENCHMARK, type Framework } from './view.js';

function view(framework: Framework, objects: KubeObject[]) {
  const rules = resolveRules(RULES, {});
  const report = scan(objects.map((o) => ({ ref: refOf(o), object: o })), { rules, now: new Date('2026-12-06T00:00:00Z') });
  return frameworkView(framework, { report, rules: rules.map((r) => r.rule), catalog: RULES, objects });
}
const control = (r: ReturnType<typeof view>, id: string) => r.controls.find((c) => c.id === id)!;

const pod = (name: string, spec: Record<string, unknown>, namespace = 'app'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec });

describe('framework mappings are data joined both ways', () => {
  it('every CIS id of a rule is a check of the benchmark the rules are written against, and maps onto the default one', () => {
    const from = loadBenchmark(RULES_CIS_BENCHMARK);
    const ids = new Set(from.files.flatMap((f) => f.groups.flatMap((g) => g.checks.map((c) => c.id))));
    const translate = cisTranslation(loadBenchmark(DEFAULT_CIS_BENCHMARK));
    const lost = new Set<string>();
    for (const r of RULES) {
      for (const id of r.compliance?.cis ?? []) {
        assert.ok(ids.has(id), `${r.id}: CIS ${id} is not a ${RULES_CIS_BENCHMARK} check`);
        if (!translate.has(id)) lost.add(id);
      }
    }
    // cis-1.12 folded 5.2.9 "added capabilities" into "capabilities assigned" (5.2.10 → 5.2.9 there)
    assert.deepEqual([...lost], ['5.2.9']);
    // same text, same target: the API server's --anonymous-auth (1.2.1) is not the kubelet's (4.2.1)
    assert.equal(translate.get('1.2.1'), '1.2.1');
    assert.equal(translate.get('5.7.4'), '5.6.4');
  });

  for (const [name, controls, refs] of [
    ['nsa', NSA_CONTROLS, (r: (typeof RULES)[number]) => r.compliance?.nsa ?? []],
    ['mitre', MITRE_CONTROLS, (r: (typeof RULES)[number]) => r.compliance?.mitre ?? []],
    ['pss', pssControls('restricted'), (r: (typeof RULES)[number]) => r.compliance?.pssChecks ?? []],
  ] as const) {
    it(`${name}: no dangling ids either way`, () => {
      const ids = new Set(controls.map((c) => c.id));
      const used = new Set<string>();
      for (const r of RULES) for (const id of refs(r)) {
        assert.ok(ids.has(id), `${r.id} names ${name} control ${JSON.stringify(id)}, which the catalog does not hold`);
        used.add(id);
      }
      for (const c of controls) assert.ok(used.has(c.id) || c.manual, `${name} control ${c.id} has neither a rule nor a manual note`);
    });
  }
});

describe('framework views of a scan', () => {
  it('pss-baseline: FAIL with the findings behind it, PASS where the rules ran and found nothing', () => {
    const r = view('pss-baseline', [pod('web', { containers: [{ name: 'c', image: 'nginx@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] })]);
    assert.deepEqual(Object.keys(r), ['framework', 'version', 'controls', 'score']);
    assert.equal(control(r, 'privileged').status, 'FAIL');
    assert.ok(control(r, 'privileged').findings.some((f) => f.ruleId === 'pss-privileged'));
    assert.equal(control(r, 'hostPorts').status, 'PASS');
    assert.equal(r.controls.length, 12);
    assert.ok(r.score.total !== null && r.score.total < 100);
  });

  it('says NOT_APPLICABLE when the input holds nothing the rules judge, never PASS', () => {
    const r = view('pss-restricted', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'app' }, data: { a: 'b' } }]);
    for (const c of r.controls) assert.equal(c.status, 'NOT_APPLICABLE', c.id);
    assert.equal(r.score.total, null);
  });

  it('cis: control-plane flags from the kube-system pods, merged with the rules into one result per id', () => {
    const apiserver = pod(
      'kube-apiserver-cp1',
      { containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.33.1', command: ['kube-apiserver', '--authorization-mode=Node,RBAC', '--anonymous-auth=true', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction'] }] },
      'kube-system',
    );
    const r = view('cis', [apiserver]);
    assert.equal(r.version, 'cis-1.12');
    assert.equal(new Set(r.controls.map((c) => c.id)).size, r.controls.length, 'one result per CIS id');
    const profiling = r.controls.find((c) => /1\.2\.\d+/.test(c.id) && /--profiling argument is set to false/.test(c.title))!;
    assert.equal(profiling.status, 'FAIL', 'kube-bench: --profiling eq false, absent here');
    assert.match(profiling.evidence, /from the control-plane pods in the input/);
    const anonymous = control(r, '1.2.1');
    assert.notEqual(anonymous.status, 'PASS');
    const authz = control(r, '1.2.8');
    assert.equal(authz.status, 'PASS', 'RBAC in --authorization-mode, and the rule agrees');
    assert.equal(control(r, '1.1.1').status, 'COULD_NOT_EVALUATE', 'file modes are not in API objects');
    assert.equal(control(r, '4.2.1').status, 'NOT_APPLICABLE', 'a node check');
  });
});
