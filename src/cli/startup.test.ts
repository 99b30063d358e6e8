/**
 * What a command loads decides how fast it starts (#25): a scan of files must not load the cluster client, the
 * upload client, the kube-bench definitions or the config file's validator, which only --cluster/--snapshot, --upload,
 * --framework and a config file need, nor node:crypto (fingerprints) or node:v8 (large inputs' GC setting).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';

function modulesLoadedBy(args: string[], cwd: string): string[] {
  const record = join(cwd, 'modules.txt');
  writeFileSync(record, '');
  const hook = join(REPO_ROOT, 'src', 'cli', 'test-support', 'record-modules.mjs');
  // tsx by its URL: the child runs in a directory without node_modules
  const r = spawnSync(process.execPath, ['--import', hook, '--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'src', 'cli', 'run.ts'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, KUBEGUARD_RECORD_MODULES: record } });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return readFileSync(record, 'utf8').split('\n').filter(Boolean);
}

it('a scan of files (no config file) loads neither the network clients nor data it does not use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-startup-'));
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n');
  const loaded = modulesLoadedBy(['scan', 'pod.yaml', '--format', 'json', '--quiet'], dir);
  const ours = (path: string) => loaded.some((u) => u.includes(`/src/${path}`));
  assert.ok(ours('engine/scan.ts'), 'the recorder saw the scan (else the test proves nothing)');
  for (const unused of ['sources/cluster/transport.ts', 'sources/cluster/snapshot-read.ts', 'sources/upload/client.ts', 'sources/upload/server-exceptions.ts', 'generated/kube-bench-cfg.ts', 'generated/validate-config.ts']) {
    assert.ok(!ours(unused), `a file scan loaded src/${unused}`);
  }
  for (const builtin of ['node:http', 'node:https', 'node:tls', 'node:zlib', 'node:readline']) assert.ok(!loaded.includes(builtin), `a file scan loaded ${builtin}`);
  // (tsx itself loads node:crypto: only our modules' imports count)
  const importedByUs = (builtin: string) => loaded.some((l) => l.startsWith(`${builtin} <- `) && l.includes('/src/'));
  assert.ok(importedByUs('node:fs'), 'the recorder saw our imports of built-in modules');
  for (const builtin of ['node:crypto', 'node:v8']) assert.ok(!importedByUs(builtin), `a file scan imported ${builtin}`);
});
