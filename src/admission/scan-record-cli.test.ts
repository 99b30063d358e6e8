/**
 * `kubeguard image scan --record` feeding the webhook's vulnerability gate, end to end: a vulnerability database
 * imported from real OSV records (testdata/osv: GHSA-35jh-r3h4-6jhm, alias CVE-2021-23337, makes
 * lodash before 4.17.21 vulnerable with severity HIGH), images built as OCI layouts holding lodash 4.17.20 or
 * 4.17.21, the real CLI in a child process, then AdmissionReviews over HTTPS against a webhook reading the store;
 * and the allow-and-scan loop (webhook queue → `image scan --pending` → denial) with the image in a real registry
 * (skipped only when the registry cannot be installed, as the image module's registry tests are).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceDir } from '../test-support/conformance.js';
import { kubeguard } from '../cli/test-support/run-cli.js';
import { makeLayer, writeOciLayout } from '../sources/images/test-support/build-image.js';
import { registryUnavailable, startRegistry } from '../sources/images/test-support/registry.js';
import type { TestRegistry } from '../sources/images/test-support/registry.js';
import { RegistryClient } from '../sources/images/registry/client.js';
import { pushOciLayout } from '../sources/images/registry/push.js';
import { parseReference } from '../core/image-ref.js';
import { ScanResultStore } from '../sources/scan-results/store.js';
import { admissionReview, asReply, startTestWebhook } from './test-support/harness.js';
import type { TestWebhook } from './test-support/harness.js';
import { hardenedPodSpec, pod } from './test-support/objects.js';

let dir: string;
let db: string;
let store: string;
const layouts: Record<'vulnerable' | 'fixed', { path: string; digest: string }> = { vulnerable: { path: '', digest: '' }, fixed: { path: '', digest: '' } };

async function lodashImage(name: 'vulnerable' | 'fixed', version: string): Promise<void> {
  const path = join(dir, name);
  const layer = await makeLayer([{ path: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version, license: 'MIT' }) }]);
  const { manifests } = writeOciLayout(path, [{ layers: [layer] }]);
  layouts[name] = { path, digest: manifests[0].digest };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kg-adm-record-'));
  db = join(dir, 'vulns.db');
  store = join(dir, 'results', 'scan-results.db');
  const imported = kubeguard(['db', 'import', conformanceDir('osv', 'records'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
  await lodashImage('vulnerable', '4.17.20');
  await lodashImage('fixed', '4.17.21');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const podOf = (image: string) => admissionReview(pod(hardenedPodSpec(image)));

describe('image scan --record, then admission', () => {
  let hook: TestWebhook;
  after(async () => hook?.close());

  test('scans are recorded by manifest digest, with the counts of the report', () => {
    const vulnerable = kubeguard(['image', 'scan', layouts.vulnerable.path, '--db', db, '--record', store, '-o', 'json']);
    assert.equal(vulnerable.code, 1, vulnerable.stderr); // a high finding, as without --record
    assert.ok((JSON.parse(vulnerable.stdout) as { findings: { ruleId: string }[] }).findings.some((f) => f.ruleId === 'CVE-2021-23337'));
    assert.match(vulnerable.stderr, new RegExp(`recorded .*@${layouts.vulnerable.digest} in .*scan-results\\.db: 0 critical, 1 high, 0 medium, 0 low, 0 info`));
    const fixed = kubeguard(['image', 'scan', layouts.fixed.path, '--db', db, '--record', store, '-o', 'json', '-q']);
    // The image runs as root: a high hygiene finding (exit 1), which is not a vulnerability and is not counted.
    const fixedFindings = (JSON.parse(fixed.stdout) as { findings: { ruleId: string; severity: string }[] }).findings;
    assert.ok(fixedFindings.some((f) => f.ruleId === 'image-runs-as-root' && f.severity === 'high'));
    assert.ok(!fixedFindings.some((f) => f.ruleId.startsWith('CVE-') || f.ruleId.startsWith('GHSA-')));
    const reader = ScanResultStore.open(store, { readonly: true });
    assert.deepEqual(reader.latestByDigest(layouts.vulnerable.digest)?.counts, { critical: 0, high: 1, medium: 0, low: 0, info: 0 });
    assert.deepEqual(reader.latestByDigest(layouts.fixed.digest)?.counts, { critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    assert.ok(reader.latestByDigest(layouts.fixed.digest)?.vulnDbBuiltAt);
    reader.close();
  });

  test('an SBOM is recorded under the image named by --record-as (and refused without it)', () => {
    const sbom = join(dir, 'sbom.json');
    writeFileSync(sbom, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }] }));
    const refused = kubeguard(['image', 'scan', sbom, '--db', db, '--record', store, '-q']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--record of an SBOM needs --record-as IMAGE/);
    assert.equal(kubeguard(['image', 'scan', sbom, '--db', db, '--record', store, '--record-as', 'registry.example.com/shop/from-sbom:3.1', '-q']).code, 1);
  });

  test('without a vulnerability database nothing is recorded (never "no vulnerabilities")', () => {
    const r = kubeguard(['image', 'scan', layouts.fixed.path, '--db', join(dir, 'absent.db'), '--record', join(dir, 'other.db'), '-q']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /vulnerabilities could not be evaluated, so no scan result was recorded: no vulnerability database/);
  });

  test('the webhook denies the vulnerable image and admits the fixed one', async () => {
    hook = await startTestWebhook({ admission: { images: { vulnerabilities: { failOn: 'high', store } } } });
    const denied = asReply(await hook.post('/validate', podOf(`registry.example.com/shop/app@${layouts.vulnerable.digest}`)));
    assert.equal(denied.response.allowed, false);
    assert.match(denied.response.status?.message ?? '', /\[image-gate\/vulnerabilities\] \/spec\/containers\/0\/image: .* has vulnerabilities at or above high: 1 high/);
    const admitted = asReply(await hook.post('/validate', podOf(`registry.example.com/shop/app@${layouts.fixed.digest}`)));
    assert.equal(admitted.response.allowed, true, JSON.stringify(admitted.response));
    const bySbom = asReply(await hook.post('/validate', podOf('registry.example.com/shop/from-sbom:3.1')));
    assert.match(bySbom.response.status?.message ?? '', /from-sbom:3\.1" has vulnerabilities at or above high: 1 high/);
    const unscanned = asReply(await hook.post('/validate', podOf('registry.example.com/shop/from-sbom:3.2')));
    assert.match(unscanned.response.status?.message ?? '', /from-sbom:3\.2" has no vulnerability scan result yet/);
  });
});

describe('image scan --pending', () => {
  test('drains the queue: what scans is recorded and leaves it, what fails stays queued (exit 3)', () => {
    const queue = join(dir, 'queue.db');
    const s = ScanResultStore.open(queue);
    s.enqueue(layouts.vulnerable.path, new Date('2026-06-01T00:00:00Z'));
    s.enqueue('localhost:1/nowhere/app:1', new Date('2026-06-01T00:00:01Z'));
    s.close();
    const r = scanPending(queue);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], `recorded ${layouts.vulnerable.path}: 0 critical, 1 high, 0 medium, 0 low, 0 info`);
    assert.match(lines[1], /^failed localhost:1\/nowhere\/app:1: .* \(left in the queue\)$/);
    const after = ScanResultStore.open(queue, { readonly: true });
    assert.deepEqual(after.pending().map((p) => p.reference), ['localhost:1/nowhere/app:1']);
    assert.equal(after.latestByDigest(layouts.vulnerable.digest)?.counts.high, 1);
    after.close();
  });

  test('flag combinations that make no sense are usage errors', () => {
    assert.match(kubeguard(['image', 'scan', '-q']).stderr, /missing image: give an image reference, path or SBOM \(or --pending\)/);
    assert.match(kubeguard(['image', 'scan', layouts.fixed.path, '--pending', '-q']).stderr, /either an image or --pending/);
    assert.match(kubeguard(['image', 'scan', layouts.fixed.path, '--record', store, '--no-vulns', '-q']).stderr, /cannot be combined with --no-vulns/);
  });
});

/** `image scan --pending` with the store named by the environment, as a scheduled job would run it (no --record). */
function scanPending(store: string): ReturnType<typeof kubeguard> {
  process.env.KUBEGUARD_SCAN_RESULTS = store; // the child inherits the environment
  try {
    return kubeguard(['image', 'scan', '--pending', '--db', db, '-q']);
  } finally {
    delete process.env.KUBEGUARD_SCAN_RESULTS;
  }
}

describe('allow-and-scan through a real registry', { skip: registryUnavailable() }, () => {
  let reg: TestRegistry;
  let hook: TestWebhook;
  let queueStore: string;
  before(async () => {
    reg = await startRegistry();
    await pushOciLayout(new RegistryClient(), layouts.vulnerable.path, parseReference(`${reg.host}/shop/app:1.0`));
    queueStore = join(dir, 'allow-and-scan.db');
    hook = await startTestWebhook({ admission: { images: { vulnerabilities: { failOn: 'high', onMissing: 'allow-and-scan', store: queueStore } } } });
  });
  after(async () => {
    await hook?.close();
    await reg?.stop();
  });

  test('an unscanned image is admitted and queued; `image scan --pending` scans it from the registry; then it is denied', async () => {
    const image = `${reg.host}/shop/app:1.0`;
    const first = asReply(await hook.post('/validate', podOf(image)));
    assert.equal(first.response.allowed, true);
    assert.ok(first.response.warnings?.some((w) => w === `kubeguard: image "${image}" has no scan result yet; admitted and queued for a background scan`), JSON.stringify(first.response));
    await new Promise((r) => setTimeout(r, 50)); // the queue write runs after the reply
    const drained = scanPending(queueStore);
    assert.equal(drained.code, 0, drained.stderr);
    assert.equal(drained.stdout, `recorded ${image}: 0 critical, 1 high, 0 medium, 0 low, 0 info\n`);
    const again = asReply(await hook.post('/validate', podOf(image)));
    assert.equal(again.response.allowed, false);
    assert.match(again.response.status?.message ?? '', /has vulnerabilities at or above high: 1 high/);
    const pinned = asReply(await hook.post('/validate', podOf(`${reg.host}/shop/app@${layouts.vulnerable.digest}`)));
    assert.equal(pinned.response.allowed, false, 'the manifest digest pulled from the registry was recorded too');
  });
});
