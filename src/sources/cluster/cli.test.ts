/** End to end through the CLI: `kubeguard snapshot`, `scan --cluster`, `scan --snapshot`, exit codes. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../../core/model.js';
import type { FakeApiServer } from './test-support/api-server.js';
import { sampleCluster } from './test-support/cluster-objects.js';
import { adminUser, startServer, tokenUser, writeKubeconfig } from './test-support/harness.js';

const ENTRY = fileURLToPath(new URL('./test-support/cli-entry.ts', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ENTRY, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('kubeguard CLI against a cluster', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-cli-'));
  const sample = sampleCluster();

  before(async () => {
    server = await startServer(sample.objects, { tokens: { t: { name: 'dev', groups: [] } }, authorize: ({ user, resource }) => user.name !== 'dev' || resource !== 'secrets' });
    kubeconfig = writeKubeconfig(server.url, [adminUser(), tokenUser('dev', 't')]);
  });
  after(() => server.close());

  it('snapshot -o FILE.gz writes a gzip snapshot; scan --snapshot and scan --cluster agree', async () => {
    const file = join(dir, 'cluster.json.gz');
    const snap = await cli(['snapshot', '-o', file, '--kubeconfig', kubeconfig]);
    assert.equal(snap.code, 0, snap.stderr);
    assert.match(snap.stderr, /wrote \d+ objects from context admin/);
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    for (const v of sample.secretValues) assert.ok(!text.includes(v));

    const offline = await cli(['scan', '--snapshot', file, '--format', 'json', '--quiet', '--fail-on', 'critical']);
    const live = await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--quiet', '--fail-on', 'critical']);
    const a = JSON.parse(live.stdout) as ScanReport;
    const b = JSON.parse(offline.stdout) as ScanReport;
    assert.ok(a.findings.length > 0);
    assert.deepEqual(b.findings.map((f) => [f.ruleId, f.resource, f.path, f.message]), a.findings.map((f) => [f.ruleId, f.resource, f.path, f.message]));
    assert.equal(offline.code, live.code);
  });

  it('a forbidden kind makes the scan incomplete (exit 3) and the snapshot records it', async () => {
    const live = await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--context', 'dev', '--format', 'json']);
    assert.equal(live.code, 3);
    assert.match(live.stderr, /warning: cannot list secrets: 403/);
    const report = JSON.parse(live.stdout) as ScanReport;
    assert.ok(report.notEvaluated.some((n) => n.ruleId === 'secret-data-in-manifest' && n.scope === 'cluster'));

    const file = join(dir, 'dev.json');
    const snap = await cli(['snapshot', '-o', file, '--kubeconfig', kubeconfig, '--context', 'dev', '--quiet']);
    assert.equal(snap.code, 3, 'an incomplete snapshot is written and says so');
    const offline = await cli(['scan', '--snapshot', file, '--format', 'json']);
    assert.equal(offline.code, 3);
    assert.deepEqual((JSON.parse(offline.stdout) as ScanReport).notEvaluated, report.notEvaluated);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await cli(['scan', '--cluster', '--kubeconfig', join(dir, 'nope')])).code, 2);
    assert.equal((await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--context', 'missing'])).code, 2);
    assert.equal((await cli(['scan', '--context', 'dev', join(dir, 'x.yaml')])).code, 2);
    const noOutput = await cli(['snapshot', '--kubeconfig', kubeconfig]);
    assert.equal(noOutput.code, 2);
    assert.ok(!existsSync(join(dir, 'undefined')));
  });
});
