/**
 * The GitHub Action (action.yml): its steps are what GitHub's runner would execute — here the Scan step's script
 * and the Verdict step's `run:` are executed by bash with the environment the runner gives them (inputs as env
 * variables, $GITHUB_OUTPUT, $GITHUB_ACTION_PATH). The setup-node, npm ci and upload-sarif steps need GitHub's
 * runner and are only checked for shape.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT } from '../test-support/conformance.js';

interface Step { uses?: string; id?: string; run?: string; env?: Record<string, string>; with?: Record<string, string>; if?: string }
const action = yaml.load(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } };
const KUBEGUARD = `${process.execPath} --import ${import.meta.resolve('tsx')} ${join(REPO_ROOT, 'src', 'cli', 'run.ts')}`;
const PRIVILEGED = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app@sha256:' + 'a'.repeat(64) + '\n      securityContext:\n        privileged: true\n';

/** Runs a step's script as the runner would: bash, the step's env with inputs substituted, GITHUB_* set. */
function runStep(step: Step, inputs: Record<string, string>, outputs: Record<string, string>, cwd: string) {
  const out = join(cwd, `.github-output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(out, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: cwd, GITHUB_ACTION_PATH: REPO_ROOT, GITHUB_OUTPUT: out, KUBEGUARD, NO_COLOR: '1' };
  for (const [k, v] of Object.entries(step.env ?? {})) {
    env[k] = v.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => inputs[name] ?? action.inputs[name].default).replace(/\$\{\{ steps\.scan\.outputs\.([\w-]+) \}\}/g, (_, name: string) => outputs[name] ?? '');
  }
  const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd, env, encoding: 'utf8' });
  const produced = Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: produced };
}

describe('GitHub Action', () => {
  const step = (id: string) => action.runs.steps.find((s) => s.id === id || s.run?.includes(id))!;

  test('shape: composite, Node 20, SARIF uploaded even when the scan fails, no input spliced into a script', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/setup-node@') && String(s.with?.['node-version']) === '20'));
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.match(upload.if ?? '', /always\(\)/);
    for (const s of action.runs.steps) assert.doesNotMatch(s.run ?? '', /\$\{\{/, 'inputs reach scripts as environment variables only');
    for (const name of ['paths', 'preset', 'config', 'fail-on', 'sarif-file', 'upload-sarif', 'category']) assert.ok(action.inputs[name], name);
  });

  test('the Scan and Verdict steps: SARIF with the finding, exit-code output, the job failing on it — or not with fail-on never', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-action-'));
    try {
      mkdirSync(join(dir, 'other'));
      writeFileSync(join(dir, 'other', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n');
      const clean = runStep(step('scan'), { paths: 'other' }, {}, dir);
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(clean.outputs['exit-code'], '0', clean.stderr);
      const missing = runStep(step('scan'), { paths: 'other no-such-dir' }, {}, dir);
      assert.equal(missing.outputs['exit-code'], '3', 'an unreadable path makes the scan incomplete: exit 3, never a pass');

      mkdirSync(join(dir, 'deploy'));
      writeFileSync(join(dir, 'deploy', 'pod.yaml'), PRIVILEGED);
      const bad = runStep(step('scan'), { paths: 'deploy\nother', preset: 'pss-restricted' }, {}, dir);
      assert.equal(bad.code, 0, 'the Scan step itself succeeds so the SARIF is uploaded');
      assert.equal(bad.outputs['exit-code'], '1');
      assert.equal(bad.outputs['sarif-file'], 'kubeguard.sarif');
      const sarif = JSON.parse(readFileSync(join(dir, 'kubeguard.sarif'), 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const hit = sarif.runs[0].results.find((r) => r.ruleId === 'pss-privileged');
      assert.ok(hit, 'the privileged container is in the SARIF');
      assert.match(hit.locations[0].physicalLocation.artifactLocation.uri, /deploy\/pod\.yaml$/);
      assert.match(bad.stdout, /pss-privileged/, 'and in the log as a table');

      const verdict = action.runs.steps.find((s) => s.run?.includes('KG_EXIT'))!;
      assert.equal(runStep(verdict, {}, bad.outputs, dir).code, 1, 'the job fails on the findings');
      assert.equal(runStep(verdict, { 'fail-on': 'never' }, bad.outputs, dir).code, 0, 'report only');
      assert.equal(runStep(verdict, { 'fail-on': 'never' }, { 'exit-code': '3' }, dir).code, 3, 'an incomplete scan still fails');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
