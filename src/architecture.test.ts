/** GUIDE.md §2 as a test: dependencies point down only and the pure layers do no I/O (.dependency-cruiser.cjs). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './test-support/conformance.js';

it('respects the architecture rules', () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), 'src', 'web/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

it('builds nothing test-only into dist/ (tsconfig.build.json)', () => {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const built = r.stdout.split('\n').filter((f) => f.includes('/src/'));
  assert.ok(built.length > 100, `tsc listed ${built.length} files`);
  assert.deepEqual(built.filter((f) => /\.test\.ts$|\/test-support|test-helpers\.ts$|\/testdata\//.test(f)), []);
});
