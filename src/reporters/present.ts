/** What every human-facing report (table, markdown, html) shows the same way: order, standards, summaries. */
import type { ComplianceRefs, Finding, NotEvaluated, ScanReport, Severity } from '../core/model.js';
import { SEVERITIES, severityRank } from '../core/model.js';
import { formatRef } from '../core/ref.js';

/** Worst first, then by resource, then by line and rule: the order a person reads; each finding with its object's name. */
export function sortFindings(findings: readonly Finding[]): { f: Finding; ref: string }[] {
  // each resource's name formatted once, not twice per comparison (~50,000 findings: a million comparisons)
  const refs = new Map<Finding['resource'], string>();
  const keyed = findings.map((f) => {
    let ref = refs.get(f.resource);
    if (ref === undefined) refs.set(f.resource, (ref = formatRef(f.resource)));
    return { f, ref, rank: severityRank(f.severity) };
  });
  keyed.sort(
    (a, b) =>
      b.rank - a.rank ||
      (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0) ||
      (a.f.location?.line ?? 0) - (b.f.location?.line ?? 0) ||
      (a.f.ruleId < b.f.ruleId ? -1 : a.f.ruleId > b.f.ruleId ? 1 : 0),
  );
  return keyed;
}

/** `file:line`, as a terminal or editor opens it. */
export function fileLine(f: { location?: { file: string; line?: number } }): string {
  if (!f.location) return '';
  return f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file;
}

/** Every standard a finding cites: `PSS baseline/restricted: hostPathVolumes · CIS 5.2.12 · NSA … · MITRE T1611`. */
export function standardsText(c: ComplianceRefs | undefined): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.pss?.length) parts.push(`PSS ${c.pss.join('/')}${c.pssChecks?.length ? `: ${c.pssChecks.join(', ')}` : ''}`);
  if (c.cis?.length) parts.push(`CIS ${c.cis.join(', ')}`);
  if (c.nsa?.length) parts.push(`NSA ${c.nsa.join('; ')}`);
  if (c.mitre?.length) parts.push(`MITRE ${c.mitre.join(', ')}`);
  return parts.join(' · ');
}

/** The first sentence of a remediation: what fits on one line under a finding ("e.g." and "i.e." do not end one). */
export function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const m = /^(.+?(?<!\b(?:e\.g|i\.e|etc))[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text;
}

/** The namespace notes of the findings, once each, with how many findings they explain. */
export function namespaceNotes(findings: readonly Finding[]): { note: string; findings: number }[] {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.namespaceNote) counts.set(f.namespaceNote, (counts.get(f.namespaceNote) ?? 0) + 1);
  return [...counts].map(([note, n]) => ({ note, findings: n }));
}

/** The rules that report most, for the header. */
export function topRules(findings: readonly Finding[], n = 5): { ruleId: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : 1)).slice(0, n);
}

export function severityCounts(report: ScanReport): { severity: Severity; count: number }[] {
  return SEVERITIES.slice().reverse().map((severity) => ({ severity, count: report.summary.bySeverity[severity] }));
}

/** Not-evaluated entries with the same rule and reason, together: the reason once, the objects listed. */
export function notEvaluatedGroups(entries: readonly NotEvaluated[]): { ruleId?: string; reason: string; notVisible: boolean; objects: string[] }[] {
  const groups = new Map<string, { ruleId?: string; reason: string; notVisible: boolean; objects: string[] }>();
  for (const n of entries) {
    // "kind X (group/v1) is not known to any rule…" differs per kind only: group by the kind's group of reasons
    const key = `${n.ruleId ?? ''}\0${n.notVisible ? 1 : 0}\0${n.reason}`;
    const g = groups.get(key) ?? groups.set(key, { ruleId: n.ruleId, reason: n.reason, notVisible: Boolean(n.notVisible), objects: [] }).get(key)!;
    if (n.resource) g.objects.push(formatRef(n.resource));
    else if (n.scope) g.objects.push(n.scope);
  }
  return [...groups.values()];
}
