import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import detector from './detector.js';
import { runDetector, runDetectorOnEvents, testDetectorFixtures } from '../test-support.js';
import { pantherCases } from '../panther-test-helpers.js';

testDetectorFixtures(detector, import.meta.url);

it('meets Panther Kubernetes.Secrets.DumpAllNamespaces: a critical incident exactly on the cluster-wide lists', () => {
  const cases = pantherCases('Kubernetes.Secrets.DumpAllNamespaces');
  assert.equal(cases.length, 9);
  for (const c of cases) {
    const critical = runDetectorOnEvents(detector, c.events).incidents.some((i) => i.severity === 'critical');
    assert.equal(critical, c.expected, `${c.name} (${c.format})`);
  }
});

it('with posture, a service account reading a secret its pods use is quiet; another one is reported', () => {
  const text = readFileSync(new URL('./fixtures/pass-own-namespace-sa.jsonl', import.meta.url), 'utf8');
  const users = (ns: string, name: string) => (ns === 'shop' && name === 'db-password' ? new Set(['shop/api']) : undefined);
  assert.equal(runDetector(detector, text).incidents.length, 0, 'without posture: own namespace presumed the user');
  const r = runDetector(detector, text, { environment: { secretUsers: users } });
  assert.deepEqual(r.incidents.map((i) => i.message), ['system:serviceaccount:shop:web read secret shop/db-password, which its workloads do not use']);
});
