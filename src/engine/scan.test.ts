import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '../core/model.js';
import { defineRule } from '../core/rule.js';
import { podTemplateOf, allContainers } from '../core/podspec.js';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from './scan.js';
import { exitCodeFor } from './report.js';
import { resolveRules } from './resolve-rules.js';
import type { ExceptionSpec } from './config.js';
import { ConfigError } from '../core/errors.js';

// Engine tests use small rules of their own: the engine's behaviour, not a real rule's, is under test.
const privileged = defineRule({
  id: 'test-privileged',
  title: 'Privileged container',
  description: 'test rule',
  category: 'pod-security',
  severity: 'high',
  kinds: 'pod-bearing',
  messages: { privileged: 'container {{name}} is privileged' },
  remediation: 'unset privileged',
  check(ctx, resource) {
    const t = podTemplateOf(resource.object)!;
    for (const c of allContainers(t.spec, t.specPath)) {
      if (c.container.securityContext?.privileged === true) ctx.report({ messageId: 'privileged', path: `${c.path}/securityContext/privileged`, data: { name: c.container.name ?? '' } });
    }
  },
});
const crashing = defineRule({
  id: 'test-crash',
  title: 'Crashes',
  description: 'test rule that throws',
  category: 'workload',
  severity: 'low',
  kinds: ['Pod'],
  messages: {},
  remediation: '',
  check() {
    throw new Error('boom');
  },
});
const noData = defineRule({
  id: 'test-nodata',
  title: 'Needs data',
  description: 'test rule that cannot evaluate',
  category: 'cluster',
  severity: 'info',
  kinds: ['Namespace'],
  messages: {},
  remediation: '',
  check(ctx) {
    ctx.couldNotEvaluate('needs pods');
  },
});
const CATALOG = [privileged, crashing, noData];

const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {team: a}
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox
          securityContext:
            privileged: true
      containers:
        - name: app
          image: nginx
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ops
  annotations:
    kubeguard.io/ignore: "test-privileged: node maintenance job, reviewed by SRE"
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: c
              image: x
              securityContext: {privileged: true}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 1}
`;

function resources(): Resource[] {
  return parseManifestText(YAML, 'app.yaml').resources;
}
const NOW = new Date('2026-06-01T12:00:00Z');

describe('scan', () => {
  it('reports on init containers with the exact line, and honours the ignore annotation', () => {
    const report = scan(resources(), { rules: resolveRules([privileged], { preset: 'strict' }), now: NOW });
    assert.equal(report.findings.length, 1);
    const [f] = report.findings;
    assert.equal(f.resource.name, 'web');
    assert.equal(f.path, '/spec/template/spec/initContainers/0/securityContext/privileged');
    assert.deepEqual(f.location, { file: 'app.yaml', line: 14 });
    assert.equal(f.message, 'container init is privileged');
    assert.equal(report.suppressed.length, 1);
    assert.equal(report.suppressed[0].source, 'annotation');
    assert.match(report.suppressed[0].reason, /reviewed by SRE/);
  });

  it('reports unknown kinds without a pod template as not evaluated, without failing the scan', () => {
    const report = scan(resources(), { rules: resolveRules([privileged], { preset: 'strict' }), now: NOW });
    assert.equal(report.notEvaluated.length, 1);
    assert.equal(report.notEvaluated[0].resource?.kind, 'Widget');
    assert.equal(exitCodeFor(report, 'high'), 1);
  });

  it('records a crashing rule as an error, keeps going, and exits 3', () => {
    const pod = parseManifestText('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x, securityContext: {privileged: true}}]\n', 'p.yaml').resources;
    const report = scan(pod, { rules: resolveRules(CATALOG, { preset: 'strict' }), now: NOW });
    assert.equal(report.findings.length, 1, 'the other rule still ran');
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0].ruleId, 'test-crash');
    assert.equal(exitCodeFor(report, 'critical'), 3);
  });

  it('could-not-evaluate makes the scan incomplete (exit 3), never a pass', () => {
    const ns = parseManifestText('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n', 'ns.yaml').resources;
    const report = scan(ns, { rules: resolveRules([noData], { preset: 'strict' }), now: NOW });
    assert.equal(report.findings.length, 0);
    assert.equal(report.notEvaluated[0].ruleId, 'test-nodata');
    assert.equal(exitCodeFor(report, 'high'), 3);
  });

  it('applies config exceptions by namespace, kind, name and selector, and reports expired ones', () => {
    const rules = resolveRules([privileged], { preset: 'strict' });
    const valid: ExceptionSpec = { rules: ['test-privileged'], namespaces: ['sh*'], kinds: ['Deployment'], names: ['web'], selector: { matchLabels: { team: 'a' } }, reason: 'legacy', owner: 'team-a', ticket: 'SEC-1', expires: '2026-06-01' };
    const r1 = scan(resources(), { rules, exceptions: [valid], now: NOW });
    assert.equal(r1.findings.length, 0);
    assert.equal(r1.suppressed.find((s) => s.source === 'config')?.ticket, 'SEC-1');

    const wrongLabel = { ...valid, selector: { matchLabels: { team: 'b' } } };
    assert.equal(scan(resources(), { rules, exceptions: [wrongLabel], now: NOW }).findings.length, 1);

    const expired = { ...valid, expires: '2026-05-31' };
    const r2 = scan(resources(), { rules, exceptions: [expired], now: NOW });
    assert.equal(r2.findings.length, 1, 'an expired exception stops applying');
    assert.deepEqual(r2.expiredExceptions, [{ rule: 'test-privileged', reason: 'legacy', expires: '2026-05-31', owner: 'team-a', ticket: 'SEC-1', findings: 1 }]);
  });

  it('overrides severity and disables rules from config', () => {
    const rules = resolveRules(CATALOG, { preset: 'recommended', rules: { 'test-privileged': 'critical', 'test-crash': 'off' } });
    assert.deepEqual(rules.map((r) => [r.rule.id, r.severity]), [['test-privileged', 'critical']]);
    assert.throws(() => resolveRules(CATALOG, { rules: { 'no-such-rule': 'off' } }), ConfigError);
  });
});

describe('not visible by design', () => {
  it('is listed but does not make the scan incomplete', () => {
    const managed = defineRule({
      id: 'test-managed',
      title: 'Managed',
      description: 'test rule for a managed control plane',
      category: 'cluster',
      severity: 'high',
      kinds: ['Namespace'],
      messages: {},
      remediation: '',
      check(ctx) {
        ctx.notVisible('not visible: managed control plane');
      },
    });
    const ns = parseManifestText('apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n', 'ns.yaml').resources;
    const report = scan(ns, { rules: resolveRules([managed], { preset: 'strict' }), now: NOW });
    assert.equal(report.notEvaluated.length, 1);
    assert.equal(report.notEvaluated[0].notVisible, true);
    assert.equal(exitCodeFor(report, 'high'), 0);
  });
});
