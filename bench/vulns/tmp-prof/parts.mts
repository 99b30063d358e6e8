import { performance } from 'node:perf_hooks';
import { VulnDb } from '../../../src/sources/vulndb/store.js';
import { scanPackages } from '../../../src/analysis/vulns/scan.js';
import { packageQuery } from '../../../src/analysis/vulns/package.js';
import { synthPackages } from '../synth.js';
const db = VulnDb.open('/tmp/kgprof/vulns.db');
const pk = synthPackages();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let round = 0; round < 3; round++) {
  let c = cpu();
  const qs = pk.map(packageQuery).flatMap((q) => (q.ok ? [q.query] : []));
  const tq = cpu() - c;
  c = cpu();
  let n = 0;
  for (const q of qs) n += db.advisoriesFor(q.ecosystem, q.name).length;
  const tl = cpu() - c;
  c = cpu();
  scanPackages(db, pk);
  const ts = cpu() - c;
  console.log(`cpu ms: queries ${tq.toFixed(1)}, lookups+parse ${tl.toFixed(1)} (${n} records), full scan ${ts.toFixed(1)}`);
}
