/**
 * One measurement in a fresh process (so peak RSS is its own), printed as JSON on stdout:
 *   baseline FILE  — read the snapshot line by line and JSON.parse every object (the least any reader does)
 *   phases FILE [--fold] — the steps of `kubeguard scan --snapshot FILE`: loadInputs, scan (time per rule), and the
 *                  JSON render of the first 100,000 findings (extrapolated: the whole report may not fit in a V8
 *                  string). --fold first drops objects whose controller is in the snapshot (Pods of ReplicaSets,
 *                  ReplicaSets of Deployments, Jobs of CronJobs), to measure what folding them into their
 *                  controller in the engine would save.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyRule } from '../../src/core/rule.js';
import { RULES } from '../../src/engine/catalog.js';
import { resolveRules } from '../../src/engine/resolve-rules.js';
import { scan } from '../../src/engine/scan.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { loadInputs } from '../../src/cli/inputs.js';

const [mode, file] = process.argv.slice(2);
const t0 = performance.now();

async function baseline(): Promise<Record<string, unknown>> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let objects = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.startsWith('{"apiVersion":"v1","kind":"List"') || line === ']}') continue;
    JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
    objects++;
  }
  return { objects };
}

/** Rules of the catalogue, plus cluster rules not yet in the generated index (so their cost is measured too). */
async function allRules(): Promise<AnyRule[]> {
  const rules: AnyRule[] = [...RULES];
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/rules/cluster');
  for (const id of readdirSync(dir)) {
    if (rules.some((r) => r.id === id) || !existsSync(join(dir, id, 'rule.ts'))) continue;
    rules.push((await import(join(dir, id, 'rule.ts'))).default);
  }
  return rules;
}

async function phases(): Promise<Record<string, unknown>> {
  const tLoad = performance.now();
  const inputs = await loadInputs([], { snapshot: file }, RULES);
  const loadMs = performance.now() - tLoad;
  const loaded = inputs.resources.length;
  if (process.argv.includes('--fold')) {
    const uids = new Set(inputs.resources.map((r) => r.object.metadata?.uid));
    inputs.resources = inputs.resources.filter((r) => {
      const owners = r.object.metadata?.ownerReferences as { uid?: string; controller?: boolean }[] | undefined;
      return !owners?.some((o) => o.controller && uids.has(o.uid));
    });
  }
  const catalog = await allRules();
  const resolved = resolveRules(catalog, { preset: 'strict' }).concat(
    catalog.filter((r) => r.category === 'cluster').filter((r) => !resolveRules(catalog, { preset: 'strict' }).some((x) => x.rule.id === r.id)).map((rule) => ({ rule, severity: rule.severity, options: rule.defaultOptions ?? {} })),
  );
  const perRule = new Map<string, number>();
  const timed = resolved.map((r) => ({
    ...r,
    rule: {
      ...r.rule,
      check: (ctx: Parameters<AnyRule['check']>[0], res: Parameters<AnyRule['check']>[1], opts: Record<string, unknown>) => {
        const s = performance.now();
        try {
          r.rule.check(ctx, res, opts);
        } finally {
          perRule.set(r.rule.id, (perRule.get(r.rule.id) ?? 0) + performance.now() - s);
        }
      },
    },
  }));
  const tScan = performance.now();
  const report = scan(inputs.resources, { rules: timed, now: new Date(), errors: inputs.errors, notEvaluated: inputs.notEvaluated });
  const scanMs = performance.now() - tScan;
  const heapAfterScanMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const sample = Math.min(report.findings.length, 100_000);
  const tRender = performance.now();
  let textLength = 0;
  for (const chunk of REPORTERS.json({ ...report, findings: report.findings.slice(0, sample) }, { color: false, rules: catalog })) textLength += chunk.length;
  const renderMs = ((performance.now() - tRender) * report.findings.length) / Math.max(1, sample);
  const reportBytes = (textLength * report.findings.length) / Math.max(1, sample);
  const top = [...perRule].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id, ms]) => ({ id, ms: Math.round(ms) }));
  return { loaded, scanned: inputs.resources.length, rules: timed.length, findings: report.findings.length, loadMs, scanMs, heapAfterScanMiB, renderMsEstimate: renderMs, reportBytesEstimate: reportBytes, slowestRules: top };
}

const result = mode === 'baseline' ? await baseline() : await phases();
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({ mode, ...result, wallMs: performance.now() - t0, maxRssMiB: usage.maxRSS / 1024 }) + '\n');
