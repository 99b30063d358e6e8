/**
 * Issue 14, cases 14–17: special files, symbolic link loops and endless files among the inputs. The CLI runs in a
 * child process with a time limit, so a hang or a runaway read fails the test instead of stalling the suite.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';

let dir: string;
let run: { code: number | null; signal: string | null; report?: { findings: { ruleId: string; location?: { file: string } }[]; errors: { file?: string; message: string }[]; summary: { resources: number } } };
let paths: Record<string, string>;

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-files-'));
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'sub'), { recursive: true });
  writeFileSync(join(tree, 'pod.yaml'), POD);
  symlinkSync(tree, join(tree, 'loop-a')); // two loops back to the top, and one from below
  symlinkSync(tree, join(tree, 'loop-b'));
  symlinkSync('..', join(tree, 'sub', 'up'));
  symlinkSync(join(tree, 'pod.yaml'), join(tree, 'sub', 'same-pod.yaml')); // the same file by another name
  const fifoInTree = join(tree, 'p.yaml');
  const fifo = join(dir, 'p.yaml');
  for (const f of [fifo, fifoInTree]) assert.equal(spawnSync('mkfifo', [f]).status, 0, 'mkfifo');
  const kmsg = existsSync('/proc/kmsg') ? '/proc/kmsg' : '/proc/self/status';
  symlinkSync(kmsg, join(tree, 'k.yaml'));
  symlinkSync('/dev/zero', join(tree, 'z.yaml'));
  paths = { tree, fifo, fifoInTree, k: join(tree, 'k.yaml'), z: join(tree, 'z.yaml') };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'scan', '-q', '--format', 'json', fifo, tree], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  run = { code: r.status, signal: r.signal, report: r.status === null ? undefined : JSON.parse(r.stdout) };
});
after(() => rmSync(dir, { recursive: true, force: true }));

function errorFor(path: string): string {
  assert.ok(run.report, `the scan did not finish (signal ${run.signal}): it hung or ran away`);
  const e = run.report.errors.find((x) => x.file === path);
  assert.ok(e, `no error for ${path}: ${JSON.stringify(run.report.errors)}`);
  return e.message;
}

describe('hostile files', () => {
  it('finishes, scans the Pod once and says the scan is incomplete (exit 3)', () => {
    assert.equal(run.code, 3, `signal ${run.signal}`);
    assert.deepEqual(run.report!.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.location?.file), [join(paths.tree, 'pod.yaml')]);
  });

  it('case 14: a FIFO named p.yaml, given by name or met in a directory, is refused without being opened', () => {
    assert.match(errorFor(paths.fifo), /a FIFO, not a regular file \(not opened\)/);
    assert.match(errorFor(paths.fifoInTree), /a FIFO, not a regular file \(not opened\)/);
  });

  it('case 15: /proc/kmsg linked as k.yaml is refused (pseudo file system) without being opened', () => {
    assert.match(errorFor(paths.k), /proc pseudo file system \(not opened\)/);
  });

  it('case 16: two symbolic link loops: each real path is read once (no duplicate Pods, no exponential walk)', () => {
    assert.equal(run.report!.summary.resources, 1);
  });

  it('case 17: /dev/zero linked as z.yaml is refused from its stat, before any read', () => {
    assert.match(errorFor(paths.z), /a character device, not a regular file \(not opened\)/);
  });
});
