/** The CLI as users meet it: a real process, real files, exit codes and every output format. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';
import { REPORTERS } from '../reporters/index.js';
import { kubeguard } from './test-support/run-cli.js';

const TESTDATA = join(REPO_ROOT, 'src', 'cli', 'testdata');

describe('kubeguard CLI', () => {
  it('scans the bundled examples, finds the bad objects and exits 1', () => {
    const r = kubeguard(['scan', 'examples/', '--format', 'json', '--quiet']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schemaVersion, '1.0');
    assert.equal(report.tool.name, 'kubeguard');
    assert.ok(report.findings.length > 0);
    for (const f of report.findings) {
      assert.ok(f.ruleId && f.severity && f.message && f.resource && typeof f.path === 'string', JSON.stringify(f));
      assert.ok(f.location.file && f.location.line > 0, `finding without a line: ${JSON.stringify(f)}`);
    }
  });

  it('prints its version from package.json without loading any command', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = kubeguard([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${pkg.version}\n`);
    }
  });

  it('exits 0 on a clean input from stdin', () => {
    const r = kubeguard(['scan', '-', '--quiet'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n');
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('exits 2 on a usage error and 3 on an incomplete scan', () => {
    assert.equal(kubeguard(['scan', 'examples/', '--format', 'nope']).code, 2);
    assert.equal(kubeguard(['scan', 'examples/', '--fail-on', 'catastrophic']).code, 2);
    const dir = mkdtempSync(join(tmpdir(), 'kg-cli-'));
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n');
    const r = kubeguard(['scan', dir, '--format', 'json']);
    assert.equal(r.code, 3);
    assert.equal(JSON.parse(r.stdout).errors[0].line, 5);
  });

  it('rejects an invalid config with exit 2 naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-cfg-'));
    writeFileSync(join(dir, 'kubeguard.yaml'), 'preset: everything\n');
    const r = kubeguard(['scan', 'examples/', '--config', join(dir, 'kubeguard.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid config .*\/preset/);
  });

  it('never prints a planted secret value, in any format', () => {
    const planted = [
      'PLANTED-s3cr3t-Zq9vX2mN7pLw',
      'UExBTlRFRC1iYXNlNjQtdG9rZW4tdmFsdWU=',
      'PLANTED-base64-token-value',
      'PLANTEDwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
      'PLANTED-env-Hq8rT5uY1wE3',
      'PLANTEDghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'PLANTED-dockerfile-Kx7Yz2Wq9',
      'PLANTEDghp_aB3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3z',
    ];
    const out = mkdtempSync(join(tmpdir(), 'kg-out-'));
    for (const format of Object.keys(REPORTERS)) {
      const file = join(out, `report.${format}`);
      const r = kubeguard(['scan', TESTDATA, '--preset', 'strict', '--format', format, '--output', file]);
      assert.ok(r.code === 1, `${format}: exit ${r.code} ${r.stderr}`);
      const text = readFileSync(file, 'utf8') + r.stdout + r.stderr;
      for (const secret of planted) assert.ok(!text.includes(secret), `${format} output contains a planted secret`);
      assert.ok(text.length > 200, `${format} output is empty`);
    }
  });

  it('lists and explains rules', () => {
    const list = kubeguard(['rules', 'list', '--format', 'json']);
    assert.equal(list.code, 0);
    const rules = JSON.parse(list.stdout) as { id: string }[];
    assert.ok(rules.length > 0);
    const explain = kubeguard(['rules', 'explain', rules[0].id]);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, new RegExp(`^# ${rules[0].id}`));
    assert.equal(kubeguard(['rules', 'explain', 'no-such-rule']).code, 2);
  });
});
