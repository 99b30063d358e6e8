import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCluster, readSnapshot, writeSnapshot } from './index.js';
import type { ClusterState } from './index.js';
import { REDACTED_DATA_FIELD } from './sanitize.js';
import type { FakeApiServer } from './test-support/api-server.js';
import { sampleCluster } from './test-support/cluster-objects.js';
import { adminUser, b64, startServer, tokenUser, writeKubeconfig } from './test-support/harness.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const TOOL = { name: 'kubeguard', version: 'test' };
const sample = sampleCluster();

describe('snapshots', () => {
  let server: FakeApiServer;
  let state: ClusterState;
  let restricted: ClusterState;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-snap-'));

  before(async () => {
    server = await startServer(sample.objects, {
      tokens: { t: { name: 'viewer', groups: [] } },
      authorize: ({ user, resource }) => user.name !== 'viewer' || resource !== 'nodes',
    });
    const kc = writeKubeconfig(server.url, [adminUser(), tokenUser('viewer', 't')]);
    state = await readCluster({ kubeconfig: kc, now: NOW, retry: { sleep: async () => {} } });
    restricted = await readCluster({ kubeconfig: kc, context: 'viewer', now: NOW, retry: { sleep: async () => {} } });
  });
  after(() => server.close());

  for (const name of ['cluster.json', 'cluster.json.gz']) {
    it(`round-trips ${name}: same objects, header, one object per line`, async () => {
      const file = join(dir, name);
      await writeSnapshot(file, restricted, TOOL);
      const raw = readFileSync(file);
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      if (name.endsWith('.gz')) assert.deepEqual([raw[0], raw[1]], [0x1f, 0x8b]);
      // a valid kubectl-style List as a whole
      const whole = JSON.parse(text) as { kind: string; items: unknown[]; kubeguard: { context: string; failures: unknown[] } };
      assert.equal(whole.kind, 'List');
      assert.equal(whole.items.length, restricted.objects.length);
      assert.equal(whole.kubeguard.context, 'viewer');
      const back = await readSnapshot(file);
      assert.deepEqual(back.errors, []);
      assert.deepEqual(back.resources.map((r) => r.object), restricted.objects);
      assert.deepEqual(back.header?.failures, restricted.failures);
      assert.equal(back.header?.collectedAt, NOW.toISOString());
      assert.ok(back.header!.failures.some((f) => f.kind === 'Node' && f.status === 403));
      assert.deepEqual(back.header?.resources, restricted.listed);
      assert.equal(back.header?.resources?.find((r) => r.kind === 'Pod')?.count, 4);
      assert.equal(back.header?.resources?.find((r) => r.kind === 'Node'), undefined, 'nodes were forbidden');
      // each object's line is where it sits in the file
      const lines = text.split('\n');
      for (const r of back.resources.slice(0, 5)) assert.ok(lines[r.source!.line! - 1].includes(`"name":"${r.ref.name}"`));
    });
  }

  it('keeps no secret value in the file, compressed or not', async () => {
    for (const name of ['s.json', 's.json.gz']) {
      const file = join(dir, name);
      await writeSnapshot(file, state, TOOL);
      const raw = readFileSync(file);
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      for (const v of sample.secretValues) {
        assert.ok(!text.includes(v) && !text.includes(b64(v)), `secret value in ${name}`);
      }
      assert.ok(!text.includes('managedFields'));
      assert.ok(text.includes('"aws-key":"hmac-sha256:'));
    }
  });

  it('reads a `kubectl get -o json` dump (plain or gzipped), sanitizing it on the way in', async () => {
    const dump = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: sample.objects };
    const plain = join(dir, 'dump.json');
    writeFileSync(plain, JSON.stringify(dump, null, 4));
    const gz = join(dir, 'dump.json.gz');
    writeFileSync(gz, gzipSync(JSON.stringify(dump)));
    for (const file of [plain, gz]) {
      const back = await readSnapshot(file);
      assert.equal(back.header, undefined);
      assert.deepEqual(back.errors, []);
      assert.equal(back.resources.length, sample.objects.length);
      const secret = back.resources.find((r) => r.ref.kind === 'Secret')!.object;
      assert.equal(secret.data, undefined);
      assert.deepEqual(Object.keys(secret[REDACTED_DATA_FIELD] as object).sort(), ['aws-key', 'password']);
      assert.ok(back.resources.every((r) => r.object.metadata?.managedFields === undefined));
    }
    // the pretty-printed dump keeps field lines
    const pretty = await readSnapshot(plain);
    const deploy = pretty.resources.find((r) => r.ref.kind === 'Deployment')!;
    const line = deploy.source!.locate!('/spec/replicas')!;
    assert.match(readFileSync(plain, 'utf8').split('\n')[line - 1], /"replicas": 2/);
  });

  it('streams a `kubectl get -A -o json` dump larger than the manifest parser takes (plain and gzipped)', async () => {
    const pods = Array.from({ length: 22_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, namespace: `ns-${i % 50}`, uid: `u-${i}`, managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:conditions': {} } } }], annotations: { note: `${i}`.padEnd(2400, '.') } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: i % 2 === 0 } }] },
    }));
    const text = JSON.stringify({ apiVersion: 'v1', items: [...pods, ...sample.objects], kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
    assert.ok(text.length > 64 * 1024 * 1024, `${text.length} bytes`);
    const plain = join(dir, 'big.json');
    writeFileSync(plain, text);
    const gz = join(dir, 'big.json.gz');
    writeFileSync(gz, gzipSync(text, { level: 1 }));
    const lines = text.split('\n');
    for (const file of [plain, gz]) {
      const back = await readSnapshot(file);
      assert.deepEqual(back.errors, []);
      assert.equal(back.resources.length, pods.length + sample.objects.length);
      const r = back.resources[12_345];
      assert.equal(r.ref.name, 'p-12345');
      assert.equal(r.object.metadata?.managedFields, undefined);
      assert.match(lines[r.source!.line! - 1], /^ {8}\{$/);
      assert.match(lines[r.source!.line!], /"apiVersion": "v1"/);
      const secret = back.resources.find((x) => x.ref.kind === 'Secret')!.object;
      assert.equal(secret.data, undefined);
      assert.ok(secret[REDACTED_DATA_FIELD]);
    }
  });

  it('reports a truncated snapshot and keeps the objects it could read', async () => {
    const file = join(dir, 'full.json');
    await writeSnapshot(file, state, TOOL);
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, lines.slice(0, 6).join('\n') + '\n{"apiVersion":"v1","kind":"Po');
    const back = await readSnapshot(cut);
    assert.equal(back.resources.length, 5);
    assert.deepEqual(back.errors.map((e) => [e.kind, e.line]), [['parse', 7], ['read', 7]]);
    assert.match(back.errors[1].message, /truncated/);
  });

  it('says so when the file cannot be read', async () => {
    const back = await readSnapshot(join(dir, 'missing.json'));
    assert.equal(back.errors.length, 1);
    assert.equal(back.errors[0].kind, 'read');
  });
});
