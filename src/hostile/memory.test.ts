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

describe('hostile memory', () => {
  it('case 19: a ConfigMap with a 50 MB value is scanned and redacted within a 256 MB heap (redaction is linear)', () => {
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: app\ndata:\n  password: ${'x'.repeat(50_000_000)}\n`);
    const r = scanUnder(256, file);
    assert.equal(r.code, 1, r.stderr.slice(0, 500));
    assert.match(r.stdout, /password: <redacted, 50000000 chars>/);
  });
});
