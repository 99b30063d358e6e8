import { performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { importOsv } from '../../../src/sources/vulndb/import.js';
import { VulnDb } from '../../../src/sources/vulndb/store.js';
import { scanPackages } from '../../../src/analysis/vulns/scan.js';
import { PLAN, synthPackages, synthRecords } from '../synth.js';
const dir = '/tmp/kgprof';
if (!existsSync(dir + '/vulns.db')) {
  for (const plan of PLAN) {
    const files: Record<string, Uint8Array> = {};
    for (const rec of synthRecords({ ...plan, count: plan.count }, plan.ecosystem.length)) files[`${rec.id}.json`] = strToU8(JSON.stringify(rec));
    mkdirSync(`${dir}/mirror/${plan.ecosystem}`, { recursive: true });
    writeFileSync(`${dir}/mirror/${plan.ecosystem}/all.zip`, zipSync(files, { level: 1 }));
  }
  const t = performance.now();
  await importOsv(`${dir}/vulns.db`, [`${dir}/mirror`], { now: new Date(), mode: 'replace' });
  console.log('import', performance.now() - t);
}
const db = VulnDb.open(`${dir}/vulns.db`);
const pk = synthPackages();
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const r = scanPackages(db, pk);
  console.log('scan', (performance.now() - t).toFixed(1), r.vulnerabilities.length);
}
