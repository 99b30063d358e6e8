// CI safety: nothing to judge is not a pass; Helm templates are named as such; display filters never change the
// exit code; a standard preset fails where the standard denies.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeguard } from './test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-ci-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CI safety', () => {
  it('an empty directory, or one without manifests, exits 3 saying what was looked at; --allow-empty accepts it', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = kubeguard(['scan', empty]);
    assert.equal(none.code, 3);
    assert.match(none.stdout, new RegExp(`no Kubernetes objects or Dockerfiles found in ${empty} \\(0 file\\(s\\) read\\)`));
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'values.yaml'), 'replicaCount: 2\n');
    const other = kubeguard(['scan', notes, '--format', 'json']);
    assert.equal(other.code, 3);
    assert.match(JSON.parse(other.stdout).errors[0].message, /1 file\(s\) read; 1 document\(s\) skipped as not Kubernetes objects/);
    assert.equal(kubeguard(['scan', empty, '--allow-empty']).code, 0);
    assert.equal(kubeguard(['pss', empty]).code, 3);
    assert.equal(kubeguard(['pss', empty, '--allow-empty']).code, 0);
  });

  it('a Helm template is named as one, with how to render it, instead of YAML errors or objects named {{ … }}', () => {
    const chart = join(dir, 'chart');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'templates', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}-svc"\nspec:\n  ports:\n    - port: {{ .Values.port }}\n');
    writeFileSync(join(chart, 'templates', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\n');
    const r = kubeguard(['scan', join(chart, 'templates'), '--format', 'json']);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout) as { errors: { file: string; message: string }[]; summary: { resources: number } };
    assert.equal(report.summary.resources, 0);
    assert.deepEqual(report.errors.map((e) => e.file.split('/').pop()).sort(), ['deploy.yaml', 'svc.yaml']);
    for (const e of report.errors) assert.match(e.message, /looks like a Helm template .*helm template RELEASE CHART \| kubeguard scan -/);
  });

  it('--severity, --rule and --skip-rule change what is shown, not the exit code', () => {
    const input = 'testdata/realworld/ingress-nginx/deploy.yaml';
    const all = kubeguard(['scan', input, '--format', 'json']);
    assert.equal(all.code, 1);
    const lowOnly = kubeguard(['scan', input, '--rule', 'resource-requests-missing', '--format', 'json']);
    assert.equal(lowOnly.code, 1, 'hidden high findings still fail the run');
    const shown = JSON.parse(lowOnly.stdout) as { findings: { ruleId: string }[]; shown: { hidden: number; filters: string[] } };
    assert.ok(shown.findings.length > 0 && shown.findings.every((f) => f.ruleId === 'resource-requests-missing'));
    assert.deepEqual(shown.shown.filters, ['--rule resource-requests-missing']);
    assert.equal(kubeguard(['scan', input, '--severity', 'critical']).code, 1);
    assert.equal(kubeguard(['scan', input, '--skip-rule', 'rbac-read-secrets,rbac-admission-webhook-write']).code, 1);
    const typo = kubeguard(['scan', input, '--rule', 'rbac-read-secret']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /--rule: unknown rule "rbac-read-secret" \(did you mean "rbac-read-secrets"\?/);
  });

  it('--preset pss-restricted fails where pss --level restricted denies (microservices-demo: every pod)', () => {
    const input = 'testdata/realworld/microservices-demo';
    const pss = kubeguard(['pss', input, '--level', 'restricted']);
    assert.equal(pss.code, 1);
    assert.match(pss.stdout, /12 pod-bearing objects at restricted \(latest\): 0 allowed, 12 denied/);
    const scan = kubeguard(['scan', input, '--preset', 'pss-restricted', '--fail-on', 'critical']);
    assert.equal(scan.code, 1);
  });
});
