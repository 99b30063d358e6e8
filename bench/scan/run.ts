/**
 * Scan throughput on 10,000 mixed objects, from YAML and from a JSON List, against the bare parse of the same
 * text measured in the same run. Targets (issue 2): ≥ 8,000 objects/s from YAML with scan/parse ≤ 1.5,
 * with file and line on every finding; ≥ 50,000 objects/s from JSON.
 * Timed runs follow an untimed one, so code is warm, and a large JSON text's line index is built on the helper
 * thread (json-index-offload.ts) while JSON.parse runs; in a one-shot CLI run the first large JSON file is indexed
 * on the main thread while the helper starts.
 *   node --import tsx bench/scan/run.ts [N]
 */
import yaml from 'js-yaml';
import { parseManifestText } from '../../src/sources/manifests/parse-text.js';
import { scan } from '../../src/engine/scan.js';
import { resolveRules } from '../../src/engine/resolve-rules.js';
import { RULES } from '../../src/engine/catalog.js';
import { syntheticObjects } from './corpus.js';
import { offloadState } from '../../src/sources/manifests/json-index-offload.js';

const n = Number(process.argv[2] ?? 10_000);
const objects = syntheticObjects(n);
const yamlText = objects.map((o) => yaml.dump(o, { noRefs: true })).join('---\n');
const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2);
const rules = resolveRules(RULES, { preset: 'recommended' });
const now = new Date();

/** Best of `runs`: wall-clock ms and, since the machine is shared, CPU ms of this process (user + system). */
function best(fn: () => void, runs = 3): number {
  let min = Infinity;
  let minCpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
    const d = process.cpuUsage(c);
    minCpu = Math.min(minCpu, (d.user + d.system) / 1000);
  }
  cpuOf.set(fn, minCpu);
  return min;
}
const cpuOf = new Map<() => void, number>();

function fullScan(text: string, file: string) {
  const parsed = parseManifestText(text, file);
  return scan(parsed.resources, { rules, now, errors: parsed.errors });
}

// One untimed run of each first (as for the bare parses, whose code is warm from the start).
/** Findings of a scan, and how many lack a line (the report is not kept alive through the timed runs). */
function counts(text: string, file: string): { findings: number; withoutLine: number } {
  const { findings } = fullScan(text, file);
  return { findings: findings.length, withoutLine: findings.filter((f) => !f.location?.line).length };
}
const yamlCounts = counts(yamlText, 'corpus.yaml');
const jsonCounts = counts(jsonText, 'corpus.json');
const yamlBareFn = () => yaml.loadAll(yamlText);
const yamlScanFn = () => fullScan(yamlText, 'corpus.yaml');
const jsonBareFn = () => JSON.parse(jsonText);
const jsonScanFn = () => fullScan(jsonText, 'corpus.json');
const yamlBare = best(yamlBareFn);
const yamlScan = best(yamlScanFn);
const jsonBare = best(jsonBareFn);
const jsonScan = best(jsonScanFn);

const mb = (s: string) => (Buffer.byteLength(s) / 1e6).toFixed(1);
console.log(`scan bench: ${n} objects, ${rules.length} rules, ${yamlCounts.findings} findings (${yamlCounts.withoutLine} without a line)`);
console.log(`YAML ${mb(yamlText)} MB: bare js-yaml loadAll ${yamlBare.toFixed(0)} ms; full scan ${yamlScan.toFixed(0)} ms = ${Math.round((n / yamlScan) * 1000)} objects/s; ratio scan/parse ${(yamlScan / yamlBare).toFixed(2)} (target ≥ 8000/s, ≤ 1.5)`);
console.log(`JSON ${mb(jsonText)} MB: bare JSON.parse ${jsonBare.toFixed(0)} ms; full scan ${jsonScan.toFixed(0)} ms = ${Math.round((n / jsonScan) * 1000)} objects/s; ratio ${(jsonScan / jsonBare).toFixed(2)} (target ≥ 50000/s); ${jsonCounts.findings} findings (${jsonCounts.withoutLine} without a line)`);
if (jsonCounts.findings !== yamlCounts.findings) console.log('WARNING: YAML and JSON scans disagree on the number of findings');
const cpu = (f: () => void) => cpuOf.get(f)!;
console.log(`CPU time (best of 3): js-yaml ${cpu(yamlBareFn).toFixed(0)} ms, YAML scan ${cpu(yamlScanFn).toFixed(0)} ms (ratio ${(cpu(yamlScanFn) / cpu(yamlBareFn)).toFixed(2)}, ${Math.round((n / cpu(yamlScanFn)) * 1000)} objects/CPU-s); JSON.parse ${cpu(jsonBareFn).toFixed(0)} ms, JSON scan ${cpu(jsonScanFn).toFixed(0)} ms (${Math.round((n / cpu(jsonScanFn)) * 1000)} objects/CPU-s)`);
console.log(`JSON line index on the helper thread: ${offloadState().state} (${offloadState().answered} texts indexed there)`);
console.log(`RSS at the end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
