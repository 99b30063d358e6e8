import { VulnDb } from '../../../src/sources/vulndb/store.js';
import { scanPackages } from '../../../src/analysis/vulns/scan.js';
import { synthPackages } from '../synth.js';
const db = VulnDb.open('/tmp/kgprof/vulns.db');
const pk = synthPackages();
for (let i = 0; i < 15; i++) scanPackages(db, pk);
