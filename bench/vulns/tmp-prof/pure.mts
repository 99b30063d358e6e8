import { VulnDb } from '../../../src/sources/vulndb/store.js';
import { scanPackages } from '../../../src/analysis/vulns/scan.js';
import { packageQuery } from '../../../src/analysis/vulns/package.js';
import type { OsvRecord } from '../../../src/analysis/vulns/osv.js';
import { synthPackages } from '../synth.js';
const db = VulnDb.open('/tmp/kgprof/vulns.db');
const pk = synthPackages();
const cache = new Map<string, OsvRecord[]>();
for (const q of pk.map(packageQuery)) if (q.ok) cache.set(q.query.ecosystem + '\0' + q.query.name, db.advisoriesFor(q.query.ecosystem, q.query.name));
const src = { advisoriesFor: (e: string, n: string) => cache.get(e + '\0' + n) ?? [] };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let i = 0; i < 8; i++) {
  let c = cpu();
  scanPackages(src, pk);
  const pure = cpu() - c;
  c = cpu();
  scanPackages(db, pk);
  console.log(`pure matching ${pure.toFixed(1)} ms cpu; with db ${(cpu() - c).toFixed(1)} ms cpu`);
}
