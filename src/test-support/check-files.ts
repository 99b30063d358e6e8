/** Runs one rule over files through the real loader and engine (used by rule tests and `rules explain`). */
import type { Rule } from '../core/rule.js';
import type { Finding, NotEvaluated } from '../core/model.js';
import { loadPaths } from '../sources/files/load.js';
import { scan } from '../engine/scan.js';

export function checkFiles(
  rule: Rule,
  files: string[],
  options?: Record<string, unknown>,
  now = new Date('2026-01-01T00:00:00Z'),
): { findings: Finding[]; notEvaluated: NotEvaluated[] } {
  const loaded = loadPaths(files);
  if (loaded.errors.length) throw new Error(`fixture errors: ${loaded.errors.map((e) => `${e.file}:${e.line ?? ''} ${e.message}`).join('; ')}`);
  const report = scan(loaded.resources, {
    rules: [{ rule, severity: rule.severity, options: { ...(rule.defaultOptions ?? {}), ...(options ?? {}) } }],
    now,
  });
  if (report.errors.length) throw new Error(report.errors.map((e) => e.message).join('; '));
  return { findings: report.findings, notEvaluated: report.notEvaluated };
}
