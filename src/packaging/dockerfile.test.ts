/** The repository's own Dockerfile against our own Dockerfile rules (every preset): nothing at all to report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';
import { kubeguard } from '../cli/test-support/run-cli.js';

test('Dockerfile: `kubeguard scan --preset strict` finds nothing', () => {
  const r = kubeguard(['scan', '--preset', 'strict', '--format', 'json', '--fail-on', 'info', join(REPO_ROOT, 'Dockerfile')]);
  const report = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string }[]; summary: { resources: number } };
  assert.deepEqual(report.findings.map((f) => `${f.severity} ${f.ruleId}`), []);
  assert.equal(report.summary.resources, 1, 'the Dockerfile was judged');
  assert.equal(r.code, 0, r.stderr);
});

test('Dockerfile: both bases pinned by digest and overridable; numeric non-root user; exec-form entrypoint (no shell)', () => {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  assert.match(text, /^ARG BUILD_IMAGE=\S+@sha256:[0-9a-f]{64}$/m);
  assert.match(text, /^ARG BASE_IMAGE=\S+@sha256:[0-9a-f]{64}$/m);
  assert.match(text, /^FROM \$\{BASE_IMAGE\}$/m);
  assert.match(text, /^USER 65532:65532$/m);
  assert.match(text, /^ENTRYPOINT \["\/nodejs\/bin\/node", "\/app\/bin\/kubeguard.js"\]$/m);
});
