/**
 * The vulnerability gate through the real scan-results store (SQLite files written as `image scan --record`
 * writes them): found below and above the threshold, missing (deny, or admit and queue), stale, digest-pinned
 * images looked up by digest, and the webhook wired from `admission.images.vulnerabilities`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Severity } from '../../../core/model.js';
import { ScanResultStore } from '../../../sources/scan-results/store.js';
import { admissionReview, asReply, startTestWebhook } from '../../../admission/test-support/harness.js';
import { hardenedPodSpec, pod } from '../../../admission/test-support/objects.js';
import { createLogger } from '../../../admission/server/log.js';
import { imagesOf } from './run.js';
import { scanResultProviders } from './scan-results.js';
import type { GateContext } from './types.js';
import { vulnerabilityGate } from './vulnerabilities.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const HOUR = 3_600_000;
const D_CLEAN = 'sha256:' + 'c'.repeat(64);
const D_VULN = 'sha256:' + 'v'.repeat(64).replace(/v/g, 'e');
const counts = (c: Partial<Record<Severity, number>>) => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0, ...c });
const ctx = (over: Partial<GateContext> = {}): GateContext => ({ signal: new AbortController().signal, deadline: NOW + 1000, dryRun: false, now: new Date(NOW), ...over });
const images = (...refs: string[]) => imagesOf(pod({ containers: refs.map((image, i) => ({ name: `c${i}`, image })) }));
const silent = createLogger({ write: () => {} });
const nextTick = () => new Promise((r) => setImmediate(r));

let dir: string;
let path: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-adm-scan-results-'));
  path = join(dir, 'scan-results.db');
  const store = ScanResultStore.open(path);
  store.record({ reference: 'registry.example.com/shop/clean:1.0', manifestDigest: D_CLEAN, scannedAt: new Date(NOW - HOUR), counts: counts({ medium: 4, low: 9 }) });
  store.record({ reference: 'registry.example.com/shop/vuln:2.0', manifestDigest: D_VULN, scannedAt: new Date(NOW - HOUR), counts: counts({ critical: 1, high: 3, medium: 2 }) });
  store.record({ reference: 'registry.example.com/shop/old:1.0', scannedAt: new Date(NOW - 200 * HOUR), counts: counts({}) });
  store.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('vulnerability gate on the scan-results store', () => {
  test('found below the threshold is admitted, at or above it denied with the counts; by tag and by digest', async () => {
    const providers = scanResultProviders({ path, maxAgeMs: 168 * HOUR, queue: false, logger: silent, clock: () => NOW });
    const gate = vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'high' });
    const r = await gate.check(images('registry.example.com/shop/clean:1.0', 'registry.example.com/shop/vuln:2.0', `registry.example.com/shop/other@${D_VULN}`, `registry.example.com/shop/x@${D_CLEAN}`), ctx());
    assert.deepEqual(r.violations.map((v) => [v.image, v.message.split(': ')[1]]), [
      ['registry.example.com/shop/vuln:2.0', '1 critical, 3 high (scanned 2026-06-10T11:00:00.000Z)'],
      [`registry.example.com/shop/other@${D_VULN}`, '1 critical, 3 high (scanned 2026-06-10T11:00:00.000Z)'],
    ]);
    const critical = vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'critical' });
    assert.deepEqual((await critical.check(images('registry.example.com/shop/vuln:2.0'), ctx())).violations[0].message, 'image "registry.example.com/shop/vuln:2.0" has vulnerabilities at or above critical: 1 critical (scanned 2026-06-10T11:00:00.000Z)');
    providers.close();
  });

  test('a pinned digest must itself have been scanned: a result for the tag does not stand in for it', async () => {
    const providers = scanResultProviders({ path, maxAgeMs: 168 * HOUR, queue: false, logger: silent, clock: () => NOW });
    const gate = vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'high' });
    const r = await gate.check(images('registry.example.com/shop/clean:1.0@sha256:' + '0'.repeat(64)), ctx());
    assert.match(r.violations[0].message, /has no vulnerability scan result yet; scan it \(kubeguard image scan --record\)/);
    providers.close();
  });

  test('missing, onMissing deny: denied naming the image', async () => {
    const providers = scanResultProviders({ path, maxAgeMs: 168 * HOUR, queue: false, logger: silent, clock: () => NOW });
    const r = await vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'high' }).check(images('quay.io/x/never-scanned:1'), ctx());
    assert.equal(r.violations[0].message, 'image "quay.io/x/never-scanned:1" has no vulnerability scan result yet; scan it (kubeguard image scan --record) before deploying');
    providers.close();
  });

  test('a result older than the max age counts as missing', async () => {
    const providers = scanResultProviders({ path, maxAgeMs: 168 * HOUR, queue: false, logger: silent, clock: () => NOW });
    const r = await vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'high' }).check(images('registry.example.com/shop/old:1.0'), ctx());
    assert.match(r.violations[0].message, /has only a stale scan result \(scanned 2026-06-02T04:00:00.000Z, more than 7 day\(s\) ago\)/);
    const lenient = scanResultProviders({ path, maxAgeMs: 300 * HOUR, queue: false, logger: silent, clock: () => NOW });
    assert.deepEqual((await vulnerabilityGate({ lookup: lenient.lookupScanResult, failOn: 'high' }).check(images('registry.example.com/shop/old:1.0'), ctx())).violations, []);
    providers.close();
    lenient.close();
  });

  test('missing, allow-and-scan: admitted with a note and queued once (not on dry-run); a recorded scan is seen after the cache expires', async () => {
    let now = NOW;
    const providers = scanResultProviders({ path, maxAgeMs: 168 * HOUR, queue: true, logger: silent, clock: () => now, cacheTtlMs: 1000 });
    const gate = vulnerabilityGate({ lookup: providers.lookupScanResult, failOn: 'high', onMissing: 'allow-and-scan', ...(providers.requestScan && { requestScan: providers.requestScan }) });
    const dry = await gate.check(images('quay.io/x/new:1'), ctx({ dryRun: true }));
    assert.deepEqual(dry.violations, []);
    assert.deepEqual(dry.notes, ['image "quay.io/x/new:1" has no scan result yet; admitted']);
    await nextTick();
    const store = ScanResultStore.open(path);
    assert.deepEqual(store.pending(), []);
    const r = await gate.check(images('quay.io/x/new:1'), ctx());
    await gate.check(images('quay.io/x/new:1'), ctx());
    assert.deepEqual(r.notes, ['image "quay.io/x/new:1" has no scan result yet; admitted and queued for a background scan']);
    await nextTick();
    assert.deepEqual(store.pending().map((p) => [p.reference, p.requests]), [['quay.io/x/new:1', 1]]);
    await gate.check(images(`quay.io/x/pinned:2@${D_CLEAN.replace(/c/g, 'd')}`), ctx());
    await nextTick();
    assert.deepEqual(store.pending().map((p) => p.reference), ['quay.io/x/new:1', `quay.io/x/pinned:2@${D_CLEAN.replace(/c/g, 'd')}`], 'a pinned image is queued with its digest');

    // A result cached as found is reused until it expires, then the newer scan is read.
    assert.deepEqual((await gate.check(images('registry.example.com/shop/clean:1.0'), ctx())).violations, []);
    store.record({ reference: 'registry.example.com/shop/clean:1.0', manifestDigest: D_CLEAN, scannedAt: new Date(now), counts: counts({ high: 1 }) });
    assert.deepEqual((await gate.check(images('registry.example.com/shop/clean:1.0'), ctx())).violations, []);
    now += 1001;
    assert.equal((await gate.check(images('registry.example.com/shop/clean:1.0'), ctx())).violations.length, 1);
    store.record({ reference: 'registry.example.com/shop/clean:1.0', manifestDigest: D_CLEAN, scannedAt: new Date(NOW - HOUR), counts: counts({ medium: 4, low: 9 }) });
    store.close();
    providers.close();
  });
});

describe('the webhook wired from admission.images.vulnerabilities', () => {
  test('denies a vulnerable image and admits a clean one, reading the configured store', async () => {
    const hook = await startTestWebhook({ admission: { images: { vulnerabilities: { failOn: 'high', store: path, maxAgeHours: 8760 } } } });
    try {
      const denied = asReply(await hook.post('/validate', admissionReview(pod(hardenedPodSpec(`registry.example.com/shop/vuln@${D_VULN}`)))));
      assert.equal(denied.response.allowed, false);
      assert.match(denied.response.status?.message ?? '', /\[image-gate\/vulnerabilities\] \/spec\/containers\/0\/image: image "registry\.example\.com\/shop\/vuln@sha256:e+" has vulnerabilities at or above high: 1 critical, 3 high/);
      const admitted = asReply(await hook.post('/validate', admissionReview(pod(hardenedPodSpec(`registry.example.com/shop/clean@${D_CLEAN}`)))));
      assert.equal(admitted.response.allowed, true, JSON.stringify(admitted.response));
    } finally {
      await hook.close();
    }
  });

  test('a configured store that does not exist is a configuration error at start-up, naming the file', async () => {
    await assert.rejects(startTestWebhook({ admission: { images: { vulnerabilities: { failOn: 'high', store: join(dir, 'none.db') } } } }), /admission\.images\.vulnerabilities: scan-results store .*none\.db: does not exist yet/);
  });
});
