/**
 * `kubeguard image scan SBOM` end to end: a database imported from real OSV records (testdata/osv),
 * expected verdicts from the facts its SOURCE.md derives from them (fixed versions are not affected).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import { kubeguard } from '../test-support/run-cli.js';

let dir: string;
let db: string;
let sbom: string;

interface Report { findings: { ruleId: string; message: string; severity: string }[]; suppressed: { ruleId: string; reason: string; source: string }[]; notEvaluated: { reason: string }[]; expiredExceptions: unknown[] }

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-vulns-'));
  db = join(dir, 'vulns.db');
  const imported = kubeguard(['db', 'import', conformanceDir('osv', 'records'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
  sbom = join(dir, 'sbom.json');
  writeFileSync(sbom, JSON.stringify({
    bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
    components: [
      { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
      { type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' },
      { type: 'library', name: 'flask', version: '2.3.1', purl: 'pkg:pypi/flask@2.3.1' },
      { type: 'library', name: 'flask', version: '2.3.2', purl: 'pkg:pypi/flask@2.3.2' },
    ],
  }));
});

function scan(extra: string[] = [], cwd?: string) {
  const r = kubeguard(['image', 'scan', sbom, '--db', db, '-o', 'json', '-q', ...extra].concat(cwd ? ['--config', join(cwd, 'kubeguard.yaml')] : []));
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('image scan with the vulnerability database', () => {
  it('finds the affected versions and not the fixed ones', () => {
    const { code, report } = scan();
    assert.equal(code, 1);
    const hits = report.findings.map((f) => `${f.ruleId} ${f.message.split(' is affected')[0]}`).sort();
    assert.deepEqual(hits, ['CVE-2021-23337 lodash 4.17.20', 'CVE-2023-30861 flask 2.3.1']);
  });

  it('drops findings an OpenVEX not_affected statement covers, showing the justification', () => {
    const vex = join(dir, 'vex.json');
    writeFileSync(vex, JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/1', author: 'sec team', timestamp: '2026-01-01T00:00:00Z', version: 1,
      statements: [{ vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': sbom, subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.20' }] }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
    }));
    const { report } = scan(['--vex', vex]);
    assert.deepEqual(report.findings.map((f) => f.ruleId), ['CVE-2023-30861']);
    assert.equal(report.suppressed[0].source, 'vex');
    assert.match(report.suppressed[0].reason, /vulnerable_code_not_in_execute_path/);
  });

  it('applies config exceptions by vulnerability id or alias, until they expire', () => {
    const cfg = mkdtempSync(join(tmpdir(), 'kg-vcfg-'));
    writeFileSync(join(cfg, 'kubeguard.yaml'), 'exceptions:\n  - rules: [GHSA-35jh-r3h4-6jhm]\n    reason: lodash template() is never called\n    expires: 2099-01-01\n  - rules: [CVE-2023-30861]\n    reason: old waiver\n    expires: 2020-01-01\n');
    const { report } = scan([], cfg);
    assert.deepEqual(report.findings.map((f) => f.ruleId), ['CVE-2023-30861']);
    assert.equal(report.suppressed.find((s) => s.source === 'config')?.ruleId, 'CVE-2021-23337');
    assert.equal(report.expiredExceptions.length, 1);
  });

  it('without a database, vulnerabilities are "not evaluated" and the scan is incomplete (exit 3)', () => {
    const r = kubeguard(['image', 'scan', sbom, '--db', join(dir, 'missing.db'), '-o', 'json', '-q']);
    assert.equal(r.code, 3);
    assert.match((JSON.parse(r.stdout) as Report).notEvaluated[0].reason, /no vulnerability database/);
  });
});
