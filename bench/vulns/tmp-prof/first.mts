import { VulnDb } from '../../../src/sources/vulndb/store.js';
import { scanPackages } from '../../../src/analysis/vulns/scan.js';
import { synthPackages } from '../synth.js';
const db = VulnDb.open('/tmp/kgprof/vulns.db');
const pk = synthPackages();
const c0 = process.cpuUsage();
scanPackages(db, pk);
const u = process.cpuUsage(c0);
console.log('first scan cpu', (u.user + u.system) / 1000);
