/** Human output: findings grouped by resource, most severe first, then a summary. Colour only when asked (TTY). */
import pc from 'picocolors';
import type { Finding, Severity } from '../core/model.js';
import { SEVERITIES, severityRank } from '../core/model.js';
import { formatRef } from '../core/ref.js';
import type { Reporter } from './types.js';

const PAINT: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  info: pc.dim,
};

export const table: Reporter = (report, { color }) => {
  const paint = (s: Severity, text: string) => (color ? PAINT[s](text) : text);
  const bold = (t: string) => (color ? pc.bold(t) : t);
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.location?.file ?? ''}\u0000${formatRef(f.resource)}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(f);
  }
  const lines: string[] = [];
  for (const findings of groups.values()) {
    const first = findings[0];
    lines.push(bold(`${formatRef(first.resource)}`) + (first.location ? `  ${first.location.file}` : ''));
    findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.location?.line ?? 0) - (b.location?.line ?? 0));
    for (const f of findings) {
      const line = f.location?.line ? `:${f.location.line}` : '';
      lines.push(`  ${paint(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.ruleId.padEnd(34)} ${f.message}${line ? `  (line ${line.slice(1)})` : ''}`);
      if (f.related?.length) lines.push(`           also: ${f.related.map((r) => `${r.ruleId}${r.resource.name !== f.resource.name || r.resource.kind !== f.resource.kind ? ` on ${formatRef(r.resource)}` : ''}`).join(', ')}`);
      if (f.namespaceNote) lines.push(`           namespace: ${f.namespaceNote}`);
    }
    lines.push('');
  }
  for (const e of report.errors) lines.push(`${color ? pc.red('ERROR') : 'ERROR'} ${e.file ? `${e.file}${e.line ? ':' + e.line : ''}: ` : ''}${e.message}`);
  for (const n of report.notEvaluated.filter((x) => x.ruleId)) {
    lines.push(`${n.notVisible ? 'NOT VISIBLE' : 'NOT EVALUATED'} ${n.ruleId}${n.resource ? ' ' + formatRef(n.resource) : ''}${n.scope ? ' ' + n.scope : ''}: ${n.reason}`);
  }
  for (const x of report.expiredExceptions) {
    lines.push(`EXPIRED EXCEPTION ${x.rule} (expired ${x.expires}${x.owner ? `, owner ${x.owner}` : ''}${x.ticket ? `, ${x.ticket}` : ''}): ${x.findings} finding(s) count again`);
  }
  const s = report.summary;
  const counts = SEVERITIES.slice().reverse().map((sev) => paint(sev, `${s.bySeverity[sev]} ${sev}`)).join(', ');
  lines.push(`${s.resources} resources scanned, ${s.findings} findings (${counts}); ${s.suppressed} suppressed by exceptions; ${s.errors} errors; ${report.notEvaluated.length} not evaluated; ${s.skipped} skipped`);
  return lines.join('\n') + '\n';
};
