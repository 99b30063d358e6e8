import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import Database from 'better-sqlite3';
import { conformanceDir } from '../../test-support/conformance.js';
import { scanPackages } from '../../analysis/vulns/scan.js';
import { MemoryAdvisorySource } from '../../analysis/vulns/source.js';
import type { OsvRecord } from '../../analysis/vulns/osv.js';
import { importOsv } from './import.js';
import { VulnDb } from './store.js';
import { VulnDbCorruptError, VulnDbImportError, VulnDbMissingError } from './errors.js';
import { resolveDbPath, defaultDbPath } from './paths.js';
import { archiveUrl, updateFromMirror } from './update.js';

const NOW = new Date('2026-01-10T00:00:00Z');
const recordsDir = (): string => conformanceDir('osv', 'records');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubeguard-vulndb-test-'));
}

function zipOf(records: OsvRecord[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const r of records) files[`${r.id}.json`] = strToU8(JSON.stringify(r));
  return zipSync(files);
}

function realRecords(): OsvRecord[] {
  const out: OsvRecord[] = [];
  for (const eco of readdirSync(recordsDir())) {
    for (const f of readdirSync(join(recordsDir(), eco))) out.push(JSON.parse(readFileSync(join(recordsDir(), eco, f), 'utf8')) as OsvRecord);
  }
  return out;
}

test('import a directory of real OSV records: status counts per ecosystem, indexed lookups', async () => {
  const dir = tmp();
  try {
    const dbPath = join(dir, 'vulns.db');
    const res = await importOsv(dbPath, [recordsDir()], { now: NOW });
    assert.equal(res.imported, 8);
    assert.deepEqual(res.invalid, []);
    const db = VulnDb.open(dbPath);
    const s = db.status(new Date('2026-01-11T00:00:00Z'));
    assert.equal(s.advisories, 8);
    assert.equal(s.ageMs, 86_400_000);
    assert.deepEqual(
      s.byEcosystem.map((e) => [e.ecosystem, e.advisories]),
      [['Alpine', 1], ['Debian', 3], ['PyPI', 2], ['npm', 2]],
    );
    assert.deepEqual(db.advisoriesFor('Alpine:v3.19', 'musl').map((r) => r.id), ['ALPINE-CVE-2025-26519']);
    assert.deepEqual(db.advisoriesFor('Alpine:v3.15', 'musl'), []);
    assert.deepEqual(db.advisoriesFor('npm', 'lodash-es').map((r) => r.id), ['GHSA-35jh-r3h4-6jhm']);
    // the store and the in-memory source answer identically
    const pkgs = [
      { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
      { name: 'musl', version: '1.2.4-r2', purl: 'pkg:apk/alpine/musl@1.2.4-r2?distro=3.18.4' },
      { name: 'django', version: '3.2.3', purl: 'pkg:pypi/django@3.2.3' },
    ];
    const fromDb = scanPackages(db, pkgs).vulnerabilities.map((v) => [v.id, v.fixedVersion]);
    const fromMem = scanPackages(new MemoryAdvisorySource(realRecords()), pkgs).vulnerabilities.map((v) => [v.id, v.fixedVersion]);
    assert.deepEqual(fromDb, fromMem);
    assert.equal(fromDb.length, 3);
    assert.deepEqual(db.integrityCheck(), []);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import osv.dev-style per-ecosystem zips; invalid entries are skipped and reported', async () => {
  const dir = tmp();
  try {
    const recs = realRecords();
    mkdirSync(join(dir, 'mirror', 'npm'), { recursive: true });
    mkdirSync(join(dir, 'mirror', 'Debian'), { recursive: true });
    const npmZip = zipSync({
      ...Object.fromEntries(recs.filter((r) => r.id.startsWith('GHSA')).map((r) => [`${r.id}.json`, strToU8(JSON.stringify(r))])),
      'broken.json': strToU8('{"id": '),
      'no-id.json': strToU8('{"affected": []}'),
    });
    writeFileSync(join(dir, 'mirror', 'npm', 'all.zip'), npmZip);
    writeFileSync(join(dir, 'mirror', 'Debian', 'all.zip'), zipOf(recs.filter((r) => /^D[LS]A/.test(r.id))));
    const dbPath = join(dir, 'db', 'vulns.db');
    const res = await importOsv(dbPath, [join(dir, 'mirror')], { now: NOW });
    assert.equal(res.imported, 5);
    assert.deepEqual(res.invalid.map((i) => i.origin.split('!')[1]).sort(), ['broken.json', 'no-id.json']);
    const db = VulnDb.open(dbPath);
    assert.equal(db.status().advisories, 5);
    assert.deepEqual(db.advisoriesFor('Debian:4', 'vlc').map((r) => r.id), ['DSA-1543-1']);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('atomic: a damaged archive fails the import and leaves the previous database usable; no temp files remain', async () => {
  const dir = tmp();
  try {
    const dbPath = join(dir, 'vulns.db');
    await importOsv(dbPath, [recordsDir()], { now: NOW });
    const before = readFileSync(dbPath);
    const good = zipOf([{ id: 'GHSA-new1-new1-new1', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: ['1.0.0'] }] }]);
    const damaged = join(dir, 'damaged.zip');
    writeFileSync(damaged, good.subarray(0, good.length - 30)); // truncated: no central directory
    await assert.rejects(importOsv(dbPath, [recordsDir(), damaged], { now: NOW }), VulnDbImportError);
    assert.deepEqual(readFileSync(dbPath), before);
    const db = VulnDb.open(dbPath);
    assert.equal(db.status().advisories, 8);
    assert.deepEqual(db.advisoriesFor('npm', 'x'), []);
    db.close();
    // a flipped byte inside an entry: CRC-32 mismatch, same outcome
    const flipped = Buffer.from(zipOf(realRecords()));
    flipped[200] ^= 0xff;
    writeFileSync(damaged, flipped);
    await assert.rejects(importOsv(dbPath, [damaged], { now: NOW }), /checksum mismatch|invalid|incorrect|bad/i);
    assert.deepEqual(readFileSync(dbPath), before);
    assert.deepEqual(readdirSync(dir).sort(), ['damaged.zip', 'vulns.db']);
    await assert.rejects(importOsv(dbPath, [join(dir, 'missing')], { now: NOW }), /not found/);
    // a temp file left by a killed import (its pid no longer exists) is cleaned up by the next import
    writeFileSync(join(dir, '.vulns.db.999999999.abc.tmp'), 'partial');
    await importOsv(dbPath, [recordsDir()], { now: NOW });
    assert.deepEqual(readdirSync(dir).sort(), ['damaged.zip', 'vulns.db']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('merge keeps the newer copy of a record by `modified`; replace starts empty', async () => {
  const dir = tmp();
  try {
    const dbPath = join(dir, 'vulns.db');
    const v1: OsvRecord = { id: 'GHSA-aaaa-bbbb-cccc', modified: '2025-01-01T00:00:00Z', summary: 'old', affected: [{ package: { ecosystem: 'npm', name: 'a' }, versions: ['1.0.0'] }] };
    const v2: OsvRecord = { ...v1, modified: '2025-06-01T00:00:00Z', summary: 'new', affected: [{ package: { ecosystem: 'npm', name: 'b' }, versions: ['1.0.0'] }] };
    writeFileSync(join(dir, 'v2.json'), JSON.stringify(v2));
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(v1));
    await importOsv(dbPath, [join(dir, 'v2.json')], { now: NOW });
    const res = await importOsv(dbPath, [join(dir, 'v1.json'), recordsDir()], { now: NOW });
    assert.equal(res.skippedOlder, 1);
    let db = VulnDb.open(dbPath);
    assert.equal(db.advisoriesFor('npm', 'b')[0]?.summary, 'new');
    assert.deepEqual(db.advisoriesFor('npm', 'a'), []); // the stale index row went with the old copy
    assert.equal(db.status().advisories, 9);
    db.close();
    await importOsv(dbPath, [join(dir, 'v1.json')], { now: NOW, mode: 'replace' });
    db = VulnDb.open(dbPath);
    assert.equal(db.status().advisories, 1);
    assert.equal(db.advisoriesFor('npm', 'a')[0]?.summary, 'old');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing and corrupt databases are reported clearly; a corrupt one is not merged into', async () => {
  const dir = tmp();
  try {
    assert.throws(() => VulnDb.open(join(dir, 'nope.db')), VulnDbMissingError);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database'.repeat(20));
    assert.throws(() => VulnDb.open(garbage), (e: unknown) => e instanceof VulnDbCorruptError && /not an SQLite file/.test(e.message));
    const dbPath = join(dir, 'vulns.db');
    await importOsv(dbPath, [recordsDir()], { now: NOW });
    const truncated = join(dir, 'truncated.db');
    writeFileSync(truncated, readFileSync(dbPath).subarray(0, 4096));
    assert.throws(() => {
      const db = VulnDb.open(truncated);
      try {
        db.advisoriesFor('npm', 'lodash');
      } finally {
        db.close();
      }
    }, VulnDbCorruptError);
    // a database written by another schema version is refused with a clear reason
    const old = join(dir, 'old.db');
    writeFileSync(old, readFileSync(dbPath));
    const w = new Database(old);
    w.prepare("UPDATE meta SET value = '0' WHERE key = 'schema_version'").run();
    w.close();
    assert.throws(() => VulnDb.open(old), /another kubeguard version: schema 0/);
    const before = statSync(garbage).size;
    await assert.rejects(importOsv(garbage, [recordsDir()], { now: NOW }), VulnDbCorruptError);
    assert.equal(statSync(garbage).size, before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stale warning uses the age relative to the now the caller passes', async () => {
  const dir = tmp();
  try {
    const dbPath = join(dir, 'vulns.db');
    await importOsv(dbPath, [recordsDir()], { now: NOW });
    const db = VulnDb.open(dbPath);
    const tenDaysLater = new Date(NOW.getTime() + 10 * 86_400_000);
    assert.match(db.staleWarning(tenDaysLater, 7 * 86_400_000) ?? '', /10 day\(s\) old/);
    assert.equal(db.staleWarning(tenDaysLater, 30 * 86_400_000), undefined);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('db path: --db beats KUBEGUARD_DB beats the XDG cache dir', () => {
  assert.equal(resolveDbPath({ flag: '/x/flag.db', env: { KUBEGUARD_DB: '/x/env.db' } }), '/x/flag.db');
  assert.equal(resolveDbPath({ env: { KUBEGUARD_DB: '/x/env.db' } }), '/x/env.db');
  assert.equal(resolveDbPath({ env: { XDG_CACHE_HOME: '/c' }, home: '/h', platform: 'linux' }), '/c/kubeguard/vulns.db');
  assert.equal(defaultDbPath({}, '/h', 'linux'), '/h/.cache/kubeguard/vulns.db');
});

async function serve(files: Record<string, Uint8Array>): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[decodeURIComponent(req.url ?? '')];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`, hits };
}

test('update from a mirror (local HTTP server): per-ecosystem archives; a failed download changes nothing', async () => {
  const dir = tmp();
  const recs = realRecords();
  const { server, base, hits } = await serve({
    '/osv/npm/all.zip': zipOf(recs.filter((r) => r.id.startsWith('GHSA'))),
    '/osv/PyPI/all.zip': zipOf(recs.filter((r) => r.id.startsWith('PYSEC'))),
    '/osv/Red Hat/all.zip': zipOf([]),
  });
  try {
    const dbPath = join(dir, 'vulns.db');
    const res = await updateFromMirror({ dbPath, baseUrl: base, ecosystems: ['npm', 'PyPI', 'Red Hat'], now: NOW });
    assert.equal(res.imported, 4);
    assert.deepEqual(res.downloaded.map((d) => d.ecosystem), ['npm', 'PyPI', 'Red Hat']);
    assert.ok(hits.includes('/osv/Red%20Hat/all.zip'));
    assert.equal(archiveUrl('http://m/osv/', 'crates.io'), 'http://m/osv/crates.io/all.zip');
    const db = VulnDb.open(dbPath);
    assert.deepEqual(db.status().sources, res.downloaded.map((d) => d.url));
    db.close();
    const before = readFileSync(dbPath);
    await assert.rejects(updateFromMirror({ dbPath, baseUrl: base, ecosystems: ['npm', 'Alpine'], now: NOW }), /HTTP 404/);
    assert.deepEqual(readFileSync(dbPath), before);
    // nothing listening: a clear error, database unchanged
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    await assert.rejects(updateFromMirror({ dbPath, baseUrl: `http://127.0.0.1:${closed}`, ecosystems: ['npm'], now: NOW, timeoutMs: 5000 }), /download of .* failed/);
    assert.deepEqual(readFileSync(dbPath), before);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('end to end: CycloneDX SBOM → database → findings, with an OpenVEX suppression', async () => {
  const { readSbom, parseOpenVex, vulnerabilityFindings, describeSuppression } = await import('../../analysis/vulns/index.js');
  const dir = tmp();
  try {
    const dbPath = join(dir, 'vulns.db');
    await importOsv(dbPath, [recordsDir()], { now: NOW });
    const sbom = readSbom({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'operating-system', name: 'alpine', version: '3.19.1' },
        { type: 'library', name: 'musl', version: '1.2.4_git20230717-r4', purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64' },
        { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
        { type: 'library', name: 'flask', version: '2.3.2', purl: 'pkg:pypi/flask@2.3.2' },
      ],
    });
    const vex = parseOpenVex({ statements: [{ vulnerability: 'CVE-2021-23337', products: ['pkg:npm/lodash@4.17.20'], status: 'not_affected', justification: 'vulnerable_code_not_present' }] });
    const db = VulnDb.open(dbPath);
    const result = scanPackages(db, sbom.packages, { vex: [vex] });
    db.close();
    const findings = vulnerabilityFindings(result.vulnerabilities, { resource: { apiVersion: 'kubeguard.dev/v1', kind: 'ContainerImage', name: 'app:1' }, file: 'sbom.cdx.json' });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity, f.path]), [['CVE-2025-26519', 'high', '/packages/0']]);
    assert.match(findings[0].remediation ?? '', /Upgrade musl to 1\.2\.4_git20230717-r5/);
    assert.deepEqual(result.suppressed.map(describeSuppression), ['CVE-2021-23337 on lodash 4.17.20: not_affected — vulnerable_code_not_present']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
