/**
 * The promise of snapshots: `scan --cluster` and a scan of a snapshot of the same objects give identical
 * findings (same rules, objects, messages, paths, evidence, fixes). Only the location differs by design: live
 * findings point at `cluster:<context>`, snapshot findings at the snapshot file and the object's line.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../core/model.js';
import { RULES } from '../../engine/catalog.js';
import { resolveRules } from '../../engine/resolve-rules.js';
import { scan } from '../../engine/scan.js';
import { exitCodeFor } from '../../engine/report.js';
import { loadInputs, readLiveCluster } from '../../cli/inputs.js';
import { writeSnapshot } from './index.js';
import type { FakeApiServer } from './test-support/api-server.js';
import { sampleCluster } from './test-support/cluster-objects.js';
import { adminUser, startServer, tokenUser, writeKubeconfig } from './test-support/harness.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const rules = resolveRules(RULES, { preset: 'strict' });

function withoutLocation(f: Finding): Omit<Finding, 'location'> {
  const { location, ...rest } = f;
  void location;
  return rest;
}

describe('scan --cluster ≡ scan --snapshot', () => {
  let server: FakeApiServer;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-eq-'));

  before(async () => {
    server = await startServer(sampleCluster().objects, {
      tokens: { t: { name: 'dev', groups: [] } },
      authorize: ({ user, resource, namespace }) => user.name !== 'dev' || (resource !== 'nodes' && !(resource === 'pods' && namespace === undefined) && !(resource === 'pods' && namespace === 'kube-system')),
    });
    kubeconfig = writeKubeconfig(server.url, [adminUser(), tokenUser('dev', 't')]);
  });
  after(() => server.close());

  for (const context of ['admin', 'dev']) {
    it(`gives identical findings and could-not-evaluate entries (context ${context})`, async () => {
      const live = await loadInputs([], { cluster: true, kubeconfig, context, quiet: true }, RULES);
      const file = join(dir, `${context}.json.gz`);
      await writeSnapshot(file, await readLiveCluster({ cluster: true, kubeconfig, context, quiet: true }), { name: 'kubeguard', version: 'test' });
      const offline = await loadInputs([], { snapshot: file }, RULES);

      const a = scan(live.resources, { rules, now: NOW, errors: live.errors, notEvaluated: live.notEvaluated });
      const b = scan(offline.resources, { rules, now: NOW, errors: offline.errors, notEvaluated: offline.notEvaluated });
      assert.ok(a.findings.length > 0, 'the sample cluster has findings');
      assert.deepEqual(b.findings.map(withoutLocation), a.findings.map(withoutLocation));
      assert.deepEqual(b.notEvaluated, a.notEvaluated);
      assert.equal(exitCodeFor(b, 'high'), exitCodeFor(a, 'high'));
      assert.ok(a.findings.every((f) => f.location?.file === `cluster:${context}`));
      assert.ok(b.findings.every((f) => f.location?.file === file && typeof f.location.line === 'number'));
    });
  }

  it('turns kinds the cluster refused into could-not-evaluate for the rules that need them (exit 3)', async () => {
    const live = await loadInputs([], { cluster: true, kubeconfig, context: 'dev', quiet: true }, RULES);
    const report = scan(live.resources, { rules, now: NOW, notEvaluated: live.notEvaluated });
    // pods are readable everywhere but kube-system: the pod rules could not evaluate that namespace
    const privileged = report.notEvaluated.filter((n) => n.ruleId === 'pss-privileged');
    assert.deepEqual(privileged.map((n) => n.scope), ['namespace:kube-system']);
    assert.match(privileged[0].reason, /needs Pod: cannot list pods in namespace kube-system: 403/);
    assert.ok(report.notEvaluated.some((n) => n.ruleId === undefined && n.scope === 'cluster' && /^Node:/.test(n.reason)));
    assert.equal(exitCodeFor(report, 'critical'), 3);
    // and with full access nothing is missing
    const admin = await loadInputs([], { cluster: true, kubeconfig, context: 'admin', quiet: true }, RULES);
    assert.deepEqual(admin.notEvaluated, []);
  });
});
