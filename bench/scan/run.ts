/**
 * Scan throughput on 10,000 mixed objects, from YAML and from a JSON List, against the bare parse of the same
 * text measured in the same run. Targets (issue 2): ≥ 8,000 objects/s from YAML with scan/parse ≤ 1.5,
 * with file and line on every finding; ≥ 50,000 objects/s from JSON.
 *   node --import tsx bench/scan/run.ts [N]
 */
import yaml from 'js-yaml';
import { parseManifestText } from '../../src/sources/manifests/parse-text.js';
import { scan } from '../../src/engine/scan.js';
import { resolveRules } from '../../src/engine/resolve-rules.js';
import { RULES } from '../../src/engine/catalog.js';
import { syntheticObjects } from './corpus.js';

const n = Number(process.argv[2] ?? 10_000);
const objects = syntheticObjects(n);
const yamlText = objects.map((o) => yaml.dump(o, { noRefs: true })).join('---\n');
const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2);
const rules = resolveRules(RULES, { preset: 'recommended' });
const now = new Date();

function best(fn: () => void, runs = 3): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function fullScan(text: string, file: string) {
  const parsed = parseManifestText(text, file);
  return scan(parsed.resources, { rules, now, errors: parsed.errors });
}

const report = fullScan(yamlText, 'corpus.yaml');
const withoutLine = report.findings.filter((f) => !f.location?.line).length;
const yamlBare = best(() => yaml.loadAll(yamlText));
const yamlScan = best(() => fullScan(yamlText, 'corpus.yaml'));
const jsonBare = best(() => JSON.parse(jsonText));
const jsonScan = best(() => fullScan(jsonText, 'corpus.json'));
const jsonReport = fullScan(jsonText, 'corpus.json');

const mb = (s: string) => (Buffer.byteLength(s) / 1e6).toFixed(1);
console.log(`scan bench: ${n} objects, ${rules.length} rules, ${report.findings.length} findings (${withoutLine} without a line)`);
console.log(`YAML ${mb(yamlText)} MB: bare js-yaml loadAll ${yamlBare.toFixed(0)} ms; full scan ${yamlScan.toFixed(0)} ms = ${Math.round((n / yamlScan) * 1000)} objects/s; ratio scan/parse ${(yamlScan / yamlBare).toFixed(2)} (target ≥ 8000/s, ≤ 1.5)`);
console.log(`JSON ${mb(jsonText)} MB: bare JSON.parse ${jsonBare.toFixed(0)} ms; full scan ${jsonScan.toFixed(0)} ms = ${Math.round((n / jsonScan) * 1000)} objects/s; ratio ${(jsonScan / jsonBare).toFixed(2)} (target ≥ 50000/s); ${jsonReport.findings.length} findings`);
if (jsonReport.findings.length !== report.findings.length) console.log('WARNING: YAML and JSON scans disagree on the number of findings');
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
