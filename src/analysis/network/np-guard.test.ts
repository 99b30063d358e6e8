/**
 * np-guard/netpol-analyzer connlist conformance (testdata/netpol/np-guard-netpol-analyzer, see its
 * SOURCE.md): the cases that use plain NetworkPolicy only. Expected output lists every ALLOWED connection at
 * workload level as `src => dst : conns`; pairs not listed are denied. External peers are IP ranges; we compare on
 * our finer elementary intervals (each inside exactly one upstream range), so the comparison is semantic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCluster } from './cluster.js';
import type { ConnSet } from './conns.js';
import { computeMatrix } from './matrix.js';
import { loadManifestDir } from './test-support/load-manifests.js';
import { expectedExternal, expectedPods, NPGUARD_ROOT, readExpected } from './test-support/npguard-expected.js';

const rows = readFileSync(join(NPGUARD_ROOT, 'index.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
// Plain NetworkPolicy only, single pod network (the multi-network case models VMs on secondary networks).
const cases = rows.filter((r) => r[3] === 'true' && r[1] === 'false').map((r) => r[0]);

describe('np-guard netpol-analyzer connlist (plain NetworkPolicy cases)', () => {
  let totalPairs = 0;
  let agreePairs = 0;
  let casesAgree = 0;
  for (const name of cases) {
    it(name, () => {
      const cluster = buildCluster(loadManifestDir(join(NPGUARD_ROOT, 'cases', name)));
      // np-guard treats ipBlocks as cluster-external addresses.
      const matrix = computeMatrix(cluster, { ipBlockMatchesPods: false });
      const expected = readExpected(name);
      const kinds = new Map(cluster.pods.map((p) => [p.key, p.kind]));
      const wl = (key: string) => `${key}[${kinds.get(key)}]`;
      const mismatches: string[] = [];
      let pairs = 0;
      let agree = 0;
      const check = (what: string, got: ConnSet, want: ConnSet) => {
        pairs++;
        if (got.equals(want)) agree++;
        else mismatches.push(`${what}: ours ${got}, upstream ${want}`);
      };
      const known = new Set<string>();
      for (const a of cluster.pods) {
        for (const b of cluster.pods) {
          if (a === b) continue;
          known.add(`${wl(a.key)} => ${wl(b.key)}`);
          check(`${wl(a.key)} => ${wl(b.key)}`, matrix.connsBetween(a.key, b.key), expectedPods(expected, wl(a.key), wl(b.key)));
        }
      }
      for (const k of expected.pods.keys()) if (!known.has(k)) mismatches.push(`upstream line for unknown pair ${k}`);
      for (const e of matrix.externals) {
        for (const p of cluster.pods) {
          const pid = matrix.nodeIdOf(p.key)!;
          check(`${e.name} => ${wl(p.key)}`, matrix.table.get(matrix.connId(e.id, pid)), expectedExternal(expected, 'from', e.interval, wl(p.key)));
          check(`${wl(p.key)} => ${e.name}`, matrix.table.get(matrix.connId(pid, e.id)), expectedExternal(expected, 'to', e.interval, wl(p.key)));
        }
      }
      totalPairs += pairs;
      agreePairs += agree;
      if (mismatches.length === 0) casesAgree++;
      assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches of ${pairs}`);
    });
  }
  it('agrees on every case and every pair', () => {
    console.log(`np-guard: ${casesAgree}/${cases.length} cases agree; ${agreePairs}/${totalPairs} workload/external pairs agree`);
    assert.ok(cases.length >= 41);
    assert.equal(casesAgree, cases.length);
    assert.equal(agreePairs, totalPairs);
  });
});
