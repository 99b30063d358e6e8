/**
 * The pre-commit hooks, run by Debian's real `pre-commit` against a temporary git repository, as a user would:
 * `pre-commit install`, then `git commit` refused for a privileged Pod and accepted for a hardened one.
 * What runs: the `kubeguard-system` hook (language system), with `kubeguard` on PATH being this checkout's CLI.
 * The `kubeguard` hook (language node) has pre-commit npm-install and build this repository into a node
 * environment — minutes and the npm registry — so here its manifest entry is validated, not installed
 * (docs/ci.md shows both).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT } from '../test-support/conformance.js';
import { toolMissing } from './test-support/tools.js';

const PRIVILEGED = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app@sha256:' + 'a'.repeat(64) + '\n      securityContext:\n        privileged: true\n';
const HARDENED = readFileSync(join(REPO_ROOT, 'src', 'packaging', 'testdata', 'hardened-pod.yaml'), 'utf8');

describe('pre-commit hooks', () => {
  test('.pre-commit-hooks.yaml is a valid manifest with both hooks', (t) => {
    if (toolMissing(t, 'pre-commit', 'scripts/setup.d/pre-commit.sh')) return;
    const r = spawnSync('pre-commit', ['validate-manifest', join(REPO_ROOT, '.pre-commit-hooks.yaml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const hooks = yaml.load(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; language: string; entry: string; files: string }[];
    assert.deepEqual(hooks.map((h) => [h.id, h.language]), [['kubeguard', 'node'], ['kubeguard-system', 'system']]);
    for (const h of hooks) {
      const files = new RegExp(h.files);
      for (const yes of ['deploy/app.yaml', 'k8s/pod.yml', 'x.json', 'Dockerfile', 'build/Dockerfile.prod', 'Containerfile']) assert.ok(files.test(yes), `${h.id} takes ${yes}`);
      for (const no of ['README.md', 'src/app.ts', 'Dockerfiles/readme.txt']) assert.ok(!files.test(no), `${h.id} leaves ${no}`);
    }
  });

  test('git commit through the installed hook: a privileged Pod is refused with the rule named, a hardened one goes in', (t) => {
    if (toolMissing(t, 'pre-commit', 'scripts/setup.d/pre-commit.sh')) return;
    const dir = mkdtempSync(join(tmpdir(), 'kg-pre-commit-'));
    try {
      const env = { ...process.env, HOME: dir, PRE_COMMIT_HOME: join(dir, 'cache'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` };
      const run = (cwd: string, cmd: string, ...args: string[]): SpawnSyncReturns<string> => spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
      const ok = (r: SpawnSyncReturns<string>) => assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      // kubeguard on PATH: this checkout's CLI
      mkdirSync(join(dir, 'bin'));
      writeFileSync(join(dir, 'bin', 'kubeguard'), `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${join(REPO_ROOT, 'src', 'cli', 'run.ts')}" "$@"\n`);
      chmodSync(join(dir, 'bin', 'kubeguard'), 0o755);
      ok(run(dir, 'git', 'config', '--global', 'user.email', 'test@example.com'));
      ok(run(dir, 'git', 'config', '--global', 'user.name', 'test'));
      ok(run(dir, 'git', 'config', '--global', 'init.defaultBranch', 'main'));
      // the hook repository: pre-commit clones it at a revision and reads .pre-commit-hooks.yaml there
      const hooks = join(dir, 'hooks');
      mkdirSync(hooks);
      copyFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
      ok(run(hooks, 'git', 'init', '-q'));
      ok(run(hooks, 'git', 'add', '.'));
      ok(run(hooks, 'git', 'commit', '-qm', 'hooks'));
      const rev = run(hooks, 'git', 'rev-parse', 'HEAD').stdout.trim();
      // the user's repository
      const repo = join(dir, 'repo');
      mkdirSync(join(repo, 'deploy'), { recursive: true });
      ok(run(repo, 'git', 'init', '-q'));
      writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: kubeguard-system\n`);
      writeFileSync(join(repo, 'README.md'), 'not scanned\n');
      ok(run(repo, 'pre-commit', 'install'));

      writeFileSync(join(repo, 'deploy', 'pod.yaml'), PRIVILEGED);
      ok(run(repo, 'git', 'add', '.'));
      const refused = run(repo, 'git', 'commit', '-m', 'privileged pod');
      assert.notEqual(refused.status, 0, 'the commit is refused');
      assert.match(refused.stdout + refused.stderr, /pss-privileged/);
      assert.match(refused.stdout + refused.stderr, /deploy\/pod\.yaml/);
      assert.notEqual(run(repo, 'git', 'rev-parse', '--verify', '-q', 'HEAD').status, 0, 'nothing was committed');

      writeFileSync(join(repo, 'deploy', 'pod.yaml'), HARDENED);
      ok(run(repo, 'git', 'add', '.'));
      ok(run(repo, 'git', 'commit', '-qm', 'hardened pod'));
      assert.match(run(repo, 'git', 'log', '--oneline').stdout, /hardened pod/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
