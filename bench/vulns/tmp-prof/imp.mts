import { importOsv } from '../../../src/sources/vulndb/import.js';
import { rmSync } from 'node:fs';
rmSync('/tmp/kgprof/imp.db', { force: true });
const c0 = process.cpuUsage();
const t = performance.now();
const r = await importOsv('/tmp/kgprof/imp.db', ['/tmp/kgprof/mirror/npm', '/tmp/kgprof/mirror/Debian'], { now: new Date(), mode: 'replace' });
const u = process.cpuUsage(c0);
console.log('imported', r.imported, 'wall', (performance.now() - t).toFixed(0), 'cpu', ((u.user + u.system) / 1000).toFixed(0));
