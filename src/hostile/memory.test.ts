/**
 * Issue 14, cases 18 and 19: memory bounded by the input. Each runs the CLI in a child process under a heap limit
 * far below what the unbounded code needed, so "fits" is a deterministic pass/fail rather than a timing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-memory-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function scanUnder(heapMb: number, file: string, format = 'json'): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'scan', '-q', '--format', format, file], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** ~10 MB of ordinary Deployments (each with the usual hardening gaps, so ~9 findings apiece). */
function deployments(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 50}
  labels:
    app: web-${i}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0
        ports:
        - containerPort: 8080
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 256Mi
        securityContext:
          runAsNonRoot: true
          allowPrivilegeEscalation: false
---
`;
    parts.push(doc);
    size += doc.length;
  }
  return parts.join('');
}

describe('hostile memory', () => {
  it('case 18: 10 MB of valid Deployments are scanned and reported within an 11× heap (the objects are let go before the report; one merge key per object)', () => {
    // before: out of memory even at 130 MB (the merge built a key string per finding while every object and its
    // line index were still held); peak RSS of the CLI is measured by the closing note's command, not here
    const file = join(dir, 'deployments.yaml');
    writeFileSync(file, deployments(10_000_000));
    const r = scanUnder(110, file);
    assert.equal(r.code, 0, r.stderr.slice(0, 500)); // findings, none at or above high
    const report = JSON.parse(r.stdout) as { summary: { resources: number }; findings: unknown[] };
    assert.ok(report.summary.resources > 12_000, `resources: ${report.summary.resources}`);
    assert.ok(report.findings.length > 100_000, `findings: ${report.findings.length}`);
  });


  it('case 19: a ConfigMap with a 50 MB value is scanned and redacted within a 256 MB heap (redaction is linear)', () => {
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: app\ndata:\n  password: ${'x'.repeat(50_000_000)}\n`);
    const r = scanUnder(256, file);
    assert.equal(r.code, 1, r.stderr.slice(0, 500));
    assert.match(r.stdout, /password: <redacted, 50000000 chars>/);
  });
});
