/** The scan-results store: round trip, lookups by digest (manifest or index) and reference, the queue, errors. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageKey } from './image-key.js';
import { resolveScanResultsPath } from './paths.js';
import type { ScanRecord } from './store.js';
import { ScanResultStore, ScanResultsError } from './store.js';

const MANIFEST = 'sha256:' + 'a'.repeat(64);
const INDEX = 'sha256:' + 'b'.repeat(64);
const counts = (high: number, critical = 0) => ({ info: 0, low: 1, medium: 2, high, critical });

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'kg-scan-results-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('scan-results store', () => {
  test('a recorded scan reads back whole, by manifest digest, index digest and reference', () => {
    const path = join(dir, 'nested', 'dir', 'results.db'); // the directory is created
    const writer = ScanResultStore.open(path);
    const record: ScanRecord = {
      reference: 'ghcr.io/acme/api:1.4',
      manifestDigest: MANIFEST,
      indexDigest: INDEX,
      scannedAt: new Date('2026-06-01T10:00:00.000Z'),
      counts: counts(2, 1),
      vulnDbBuiltAt: '2026-05-31T00:00:00Z',
      vulnDbSchema: '3',
      ignoreUnfixed: true,
    };
    writer.record(record);
    const reader = ScanResultStore.open(path, { readonly: true });
    assert.deepEqual(reader.latestByDigest(MANIFEST), record);
    assert.deepEqual(reader.latestByDigest(INDEX), record);
    assert.deepEqual(reader.latestByReference('ghcr.io/acme/api:1.4'), record);
    assert.equal(reader.latestByDigest('sha256:' + 'c'.repeat(64)), undefined);
    assert.equal(reader.latestByReference('ghcr.io/acme/api:1.5'), undefined);
    reader.close();
    writer.close();
  });

  test('the newest scan of a reference wins; rescanning the same digest replaces the old row', () => {
    const store = ScanResultStore.open(join(dir, 'newest.db'));
    const base = { reference: 'docker.io/library/nginx:1.27', counts: counts(0) };
    store.record({ ...base, manifestDigest: MANIFEST, scannedAt: new Date('2026-06-01T00:00:00Z') });
    store.record({ ...base, manifestDigest: INDEX, scannedAt: new Date('2026-06-03T00:00:00Z'), counts: counts(5) }); // the tag moved
    store.record({ ...base, manifestDigest: MANIFEST, scannedAt: new Date('2026-06-02T00:00:00Z'), counts: counts(1) }); // rescan
    assert.equal(store.latestByReference(base.reference)?.counts.high, 5);
    assert.equal(store.latestByDigest(MANIFEST)?.counts.high, 1);
    assert.equal(store.latestByDigest(MANIFEST)?.scannedAt.toISOString(), '2026-06-02T00:00:00.000Z');
    store.close();
  });

  test('a reader sees what another connection records while it is open (WAL)', () => {
    const path = join(dir, 'concurrent.db');
    const writer = ScanResultStore.open(path);
    const reader = ScanResultStore.open(path, { readonly: true, busyTimeoutMs: 5 });
    assert.equal(reader.latestByReference('r.io/a:1'), undefined);
    writer.record({ reference: 'r.io/a:1', scannedAt: new Date(), counts: counts(0) });
    assert.equal(reader.latestByReference('r.io/a:1')?.counts.high, 0);
    reader.close();
    writer.close();
  });

  test('the queue: one entry per reference, requests counted, oldest first, gone once a result is recorded', () => {
    const store = ScanResultStore.open(join(dir, 'queue.db'));
    store.enqueue('r.io/b:1', new Date('2026-06-01T00:00:02Z'));
    store.enqueue('r.io/a:1', new Date('2026-06-01T00:00:01Z'));
    store.enqueue('r.io/b:1', new Date('2026-06-01T00:00:03Z'));
    assert.deepEqual(
      store.pending().map((p) => [p.reference, p.requests, p.firstRequestedAt.toISOString(), p.lastRequestedAt.toISOString()]),
      [
        ['r.io/a:1', 1, '2026-06-01T00:00:01.000Z', '2026-06-01T00:00:01.000Z'],
        ['r.io/b:1', 2, '2026-06-01T00:00:02.000Z', '2026-06-01T00:00:03.000Z'],
      ],
    );
    store.record({ reference: 'r.io/a:1', scannedAt: new Date(), counts: counts(0) });
    store.dequeue('r.io/b:1');
    assert.deepEqual(store.pending(), []);
    store.close();
  });

  test('clear errors: a missing store opened read-only, a file that is not a store', () => {
    assert.throws(() => ScanResultStore.open(join(dir, 'absent.db'), { readonly: true }), (e: unknown) => e instanceof ScanResultsError && /absent\.db: does not exist yet: record a scan with `kubeguard image scan --record/.test(e.message));
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all, just some text that is long enough to look like a file'.repeat(3));
    assert.throws(() => ScanResultStore.open(junk, { readonly: true }), (e: unknown) => e instanceof ScanResultsError && /junk\.db: cannot open/.test(e.message));
  });
});

describe('image keys and paths', () => {
  test('references are normalised as the registry client parses them; digests are kept apart', () => {
    assert.deepEqual(imageKey('nginx'), { reference: 'docker.io/library/nginx:latest' });
    assert.deepEqual(imageKey('docker.io/library/nginx:latest'), { reference: 'docker.io/library/nginx:latest' });
    assert.deepEqual(imageKey('ghcr.io/acme/api:1.4@' + MANIFEST), { reference: 'ghcr.io/acme/api:1.4', digest: MANIFEST });
    assert.deepEqual(imageKey('localhost:5000/app@' + MANIFEST), { reference: 'localhost:5000/app', digest: MANIFEST });
    assert.deepEqual(imageKey('/var/images/app-layout'), { reference: '/var/images/app-layout' });
  });

  test('the store defaults to the vulnerability database directory', () => {
    assert.equal(resolveScanResultsPath({ env: { XDG_CACHE_HOME: '/c' }, home: '/h', platform: 'linux' }), '/c/kubeguard/scan-results.db');
    assert.equal(resolveScanResultsPath({ env: { KUBEGUARD_DB: '/data/vulns.db' }, platform: 'linux' }), '/data/scan-results.db');
    assert.equal(resolveScanResultsPath({ env: { KUBEGUARD_DB: '/data/vulns.db', KUBEGUARD_SCAN_RESULTS: '/x/r.db' } }), '/x/r.db');
    assert.equal(resolveScanResultsPath({ flag: '/y/r.db', env: { KUBEGUARD_SCAN_RESULTS: '/x/r.db' } }), '/y/r.db');
  });
});
