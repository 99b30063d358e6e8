/** Drift output: the JSON contract, and a table for people (worst first, with why and who). */
import type { Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import type { DriftReport, JudgedDrift } from './model.js';

/** `{"drifts": [{kind, namespace, name, class, path, manifest, live, ruleIds, changedBy, patch}]}` — nothing more. */
export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify({ drifts: report.drifts.map((d) => d.drift) }, null, 2) + '\n';
}

/** True when a drift is at or above the threshold. */
export function driftFails(report: DriftReport, failOn: Severity): boolean {
  return report.drifts.some((d) => severityRank(d.severity) >= severityRank(failOn));
}

function short(v: unknown, max = 60): string {
  if (v === null || v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function who(d: JudgedDrift): string {
  const by = d.drift.changedBy.map((c) => [c.user, c.manager && c.user ? `(${c.manager})` : c.manager].filter(Boolean).join(' ') + (c.requestTime ?? c.time ? ` at ${c.requestTime ?? c.time}` : ''));
  return by.length ? by.join(', ') : 'unknown';
}

export function renderDriftTable(report: DriftReport): string {
  const c = report.compared;
  const lines: string[] = [];
  lines.push(`${report.drifts.length} drift(s): ${c.matched} object(s) compared, ${c.drifted} drifted, ${c.notApplied} not applied, ${c.shadow} shadow`);
  if (report.shadowScope.namespaces.length || report.shadowScope.kinds.length) {
    lines.push(`shadow objects looked for in namespaces ${report.shadowScope.namespaces.join(', ') || '(none)'} and kinds ${report.shadowScope.kinds.map((k) => k.replace(/^\//, '')).join(', ')} (those the manifests cover; cluster-wide: bindings and webhooks that reach them)`);
  }
  for (const d of report.drifts) {
    const x = d.drift;
    lines.push('');
    lines.push(`${d.severity.toUpperCase().padEnd(8)} ${x.class.padEnd(14)} ${x.kind}/${x.namespace ? x.namespace + '/' : ''}${x.name}${x.path ? ' ' + x.path : ''}`);
    lines.push(`         ${d.why}${x.ruleIds.length ? ` [${x.ruleIds.join(', ')}]` : ''}`);
    if (x.class !== 'shadow' && x.class !== 'not-applied') lines.push(`         manifest: ${short(x.manifest)}   live: ${short(x.live)}`);
    lines.push(`         changed by: ${who(d)}${d.source ? `   manifest: ${d.source.file}${d.source.line ? ':' + d.source.line : ''}` : ''}`);
    lines.push(`         revert: ${short(x.patch.revert, 100)}`);
  }
  for (const n of report.notEvaluated) lines.push(`could not evaluate${n.resource ? ` ${n.resource.kind}/${n.resource.namespace ? n.resource.namespace + '/' : ''}${n.resource.name}` : ''}: ${n.reason}`);
  return lines.join('\n') + '\n';
}
