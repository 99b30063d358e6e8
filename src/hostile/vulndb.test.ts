/**
 * Issue 14, cases 5 and 13 and the minor OSV severity label: the vulnerability database is replaced all or
 * nothing, an empty one never passes for "no vulnerabilities", and a record of the wrong shape is refused at import
 * with its id while the rest import.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { kubeguard } from '../cli/test-support/run-cli.js';
import { SCHEMA_SQL, SCHEMA_VERSION, META_KEYS } from '../sources/vulndb/schema.js';
import { runInProcess } from './test-support/in-process.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-vulndb-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (id: string, name: string, extra: Record<string, unknown> = {}, events: unknown[] = [{ introduced: '0' }, { fixed: '1.3.0' }]) => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events }] }],
  ...extra,
});

function folder(name: string, records: Record<string, unknown>): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const [file, r] of Object.entries(records)) writeFileSync(join(d, file), typeof r === 'string' ? r : JSON.stringify(r));
  return d;
}

function sbom(name: string, components: { purl: string; name: string; version: string }[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: components.map((c) => ({ type: 'library', ...c })) }));
  return file;
}

interface Report {
  findings: { ruleId: string; severity: string }[];
  notEvaluated: { reason: string; scope?: string }[];
}

const imageScan = async (file: string, db: string, ...extra: string[]) => {
  const r = await runInProcess(['image', 'scan', file, '--db', db, '-o', 'json', '-q', ...extra]);
  return { code: r.code, report: (r.output ? JSON.parse(r.output) : undefined) as Report | undefined };
};

describe('hostile vulnerability data', () => {
  it('case 5: an import with nothing valid (--replace or not) fails and leaves the good database as it was', () => {
    const db = join(dir, 'keep.db');
    assert.equal(kubeguard(['db', 'import', folder('good', { 'a.json': record('GHSA-good-0001', 'left-pad') }), '--db', db, '-q']).code, 0);
    for (const args of [['--replace'], []]) {
      for (const source of [folder('broken', { 'x.json': '{"id": "GHSA-x", ' }), folder('empty', {})]) {
        const r = kubeguard(['db', 'import', source, '--db', db, '-q', ...args]);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /no valid OSV record .*the previous database, if any, is unchanged/);
      }
    }
    const status = kubeguard(['db', 'status', '--db', db, '--format', 'json']);
    assert.equal(status.code, 0);
    assert.equal(JSON.parse(status.stdout).advisories, 1);
  });

  it('case 5: an empty database is refused: db status exits 3, image scan says "not evaluated" (exit 3) and --record stores nothing', async () => {
    const db = join(dir, 'empty.db');
    const sq = new Database(db);
    sq.exec(SCHEMA_SQL);
    sq.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run(META_KEYS.schemaVersion, SCHEMA_VERSION, META_KEYS.builtAt, '2026-01-01T00:00:00Z');
    sq.close();
    const status = kubeguard(['db', 'status', '--db', db]);
    assert.equal(status.code, 3);
    assert.match(status.stderr, /holds no advisories/);
    const file = sbom('one.json', [{ name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' }]);
    const scanned = await imageScan(file, db, '--fail-on', 'critical');
    assert.equal(scanned.code, 3);
    assert.match(scanned.report!.notEvaluated.map((n) => n.reason).join('\n'), /holds no advisories/);
    const store = join(dir, 'results.db');
    const recorded = await imageScan(file, db, '--record', store, '--record-as', 'registry.example.com/app:1');
    assert.equal(recorded.code, 3);
  });

  it('case 5: packages of an ecosystem the database has no advisory for are not evaluated, never clean', async () => {
    const db = join(dir, 'npm-only.db');
    assert.equal(kubeguard(['db', 'import', folder('npm', { 'a.json': record('GHSA-npm-0001', 'left-pad') }), '--db', db, '-q']).code, 0);
    const file = sbom('deb.json', [{ name: 'openssl', version: '3.0.11-1~deb12u1', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12' }]);
    const { code, report } = await imageScan(file, db);
    assert.equal(code, 3);
    assert.match(report!.notEvaluated[0].reason, /no advisories for Debian:12/);
  });

  it('case 13: "fixed": 1.5 and ranges: "x" are refused with their ids; the rest imports and scans work', async () => {
    const db = join(dir, 'shapes.db');
    const source = folder('shapes', {
      'good.json': record('GHSA-good-0002', 'left-pad'),
      'float.json': record('GHSA-float-0001', 'left-pad', {}, [{ introduced: '0' }, { fixed: 1.5 }]),
      'ranges.json': { ...record('GHSA-ranges-0001', 'left-pad'), affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: 'x' }] },
    });
    const r = kubeguard(['db', 'import', source, '--db', db]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /imported 1 records/);
    assert.match(r.stderr, /GHSA-float-0001: \/affected\/0\/ranges\/0\/events\/1\/fixed must be a string \(got a number\)/);
    assert.match(r.stderr, /GHSA-ranges-0001: \/affected\/0\/ranges must be a list \(got a string\)/);
    const { code, report } = await imageScan(sbom('pad.json', [{ name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' }]), db, '--fail-on', 'low');
    assert.equal(code, 1);
    assert.deepEqual(report!.findings.map((f) => f.ruleId), ['GHSA-good-0002']);
  });

  it('minor: an OSV severity written as a bare label ("HIGH") is high, not "unknown" reported as medium', async () => {
    const db = join(dir, 'label.db');
    assert.equal(kubeguard(['db', 'import', folder('label', { 'a.json': record('GHSA-label-0001', 'left-pad', { severity: 'HIGH' }) }), '--db', db, '-q']).code, 0);
    const { report } = await imageScan(sbom('pad2.json', [{ name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' }]), db);
    assert.deepEqual(report!.findings.map((f) => f.severity), ['high']);
  });
});
