/** Runs one cluster rule over in-memory objects through the real engine (tests only). */
import type { Finding, KubeObject, NotEvaluated } from '../../core/model.js';
import type { Rule } from '../../core/rule.js';
import { refOf } from '../../core/ref.js';
import { scan } from '../../engine/scan.js';

export function runOn(rule: Rule, objects: KubeObject[], options?: Record<string, unknown>): { findings: Finding[]; notEvaluated: NotEvaluated[] } {
  const resources = objects.map((object) => ({ ref: refOf(object), object, source: { file: 'test' } }));
  const report = scan(resources, {
    rules: [{ rule, severity: rule.severity, options: { ...(rule.defaultOptions ?? {}), ...(options ?? {}) } }],
    now: new Date('2026-01-01T00:00:00Z'),
  });
  if (report.errors.length) throw new Error(report.errors.map((e) => e.message).join('; '));
  return { findings: report.findings, notEvaluated: report.notEvaluated.filter((n) => n.ruleId === rule.id) };
}
