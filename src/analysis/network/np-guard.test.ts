/**
 * np-guard/netpol-analyzer connlist conformance (../shared/conformance/netpol/np-guard-netpol-analyzer, see its
 * SOURCE.md): the cases that use plain NetworkPolicy only. Expected output lists every ALLOWED connection at
 * workload level as `src => dst : conns`; pairs not listed are denied. External peers are IP ranges; we compare on
 * our finer elementary intervals (each inside exactly one upstream range), so the comparison is semantic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import { buildCluster } from './cluster.js';
import { ConnSet } from './conns.js';
import { parseIp } from './ip.js';
import { computeMatrix } from './matrix.js';
import { loadManifestDir } from './test-support/load-manifests.js';

const root = conformanceDir('netpol', 'np-guard-netpol-analyzer');
const rows = readFileSync(join(root, 'index.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
// Plain NetworkPolicy only, single pod network (multi-network cases model VMs / UDNs).
const cases = rows.filter((r) => r[3] === 'true' && r[1] === 'false').map((r) => r[0]);

interface ExtLine {
  family: 4 | 6;
  start: bigint;
  end: bigint;
  workload: string;
  conns: ConnSet;
}

function parseExpected(text: string): { pods: Map<string, ConnSet>; fromExt: ExtLine[]; toExt: ExtLine[] } {
  const pods = new Map<string, ConnSet>();
  const fromExt: ExtLine[] = [];
  const toExt: ExtLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?) => (.+?) : (.+)$/.exec(line.trim());
    if (!m) continue;
    const [, src, dst, conns] = m;
    const ext = (s: string) => /^(.+)-(.+)\[External\]$/.exec(s);
    const es = ext(src);
    const ed = ext(dst);
    const c = ConnSet.parse(conns);
    const mk = (e: RegExpExecArray, workload: string): ExtLine => {
      const a = parseIp(e[1]);
      return { family: a.family, start: a.value, end: parseIp(e[2]).value, workload, conns: c };
    };
    if (es) fromExt.push(mk(es, dst));
    else if (ed) toExt.push(mk(ed, src));
    else pods.set(`${src} => ${dst}`, c);
  }
  return { pods, fromExt, toExt };
}

describe('np-guard netpol-analyzer connlist (plain NetworkPolicy cases)', () => {
  let totalPairs = 0;
  let agreePairs = 0;
  let casesAgree = 0;
  for (const name of cases) {
    it(name, () => {
      const cluster = buildCluster(loadManifestDir(join(root, 'cases', name)));
      // np-guard treats ipBlocks as cluster-external addresses.
      const matrix = computeMatrix(cluster, { ipBlockMatchesPods: false });
      const expected = parseExpected(readFileSync(join(root, 'expected', `${name}_connlist_output.txt`), 'utf8'));
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
      for (const a of cluster.pods) {
        for (const b of cluster.pods) {
          if (a === b) continue;
          const k = `${wl(a.key)} => ${wl(b.key)}`;
          check(k, matrix.connsBetween(a.key, b.key), expected.pods.get(k) ?? ConnSet.NONE);
          expected.pods.delete(k);
        }
      }
      for (const k of expected.pods.keys()) mismatches.push(`upstream line for unknown pair ${k}`);
      for (const e of matrix.externals) {
        const inside = (l: ExtLine) => l.family === e.interval.family && l.start <= e.interval.start && e.interval.end <= l.end;
        for (const p of cluster.pods) {
          const w = wl(p.key);
          const want = (lines: ExtLine[]) => lines.filter((l) => l.workload === w && inside(l)).reduce((acc, l) => acc.union(l.conns), ConnSet.NONE);
          const pid = matrix.nodeIdOf(p.key)!;
          check(`${e.name} => ${w}`, matrix.table.get(matrix.connId(e.id, pid)), want(expected.fromExt));
          check(`${w} => ${e.name}`, matrix.table.get(matrix.connId(pid, e.id)), want(expected.toExt));
        }
      }
      totalPairs += pairs;
      agreePairs += agree;
      if (mismatches.length === 0) casesAgree++;
      assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches of ${pairs}`);
    });
  }
  it('summary', () => {
    console.log(`np-guard: ${casesAgree}/${cases.length} cases agree; ${agreePairs}/${totalPairs} workload pairs agree`);
    assert.ok(cases.length >= 40);
  });
});
