/**
 * Compliance views (src/analysis/compliance/report.ts) as table, JSON (the contract, as is), JUnit (one test case a
 * control: FAIL a failure, COULD_NOT_EVALUATE an error, NOT_APPLICABLE and MANUAL skipped) and a PolicyReport stream
 * (wgpolicyk8s.io/v1alpha2 ClusterPolicyReport, results as policy-reports.ts writes them: PASS pass, FAIL fail,
 * COULD_NOT_EVALUATE error, MANUAL warn, NOT_APPLICABLE skip).
 */
import yaml from 'js-yaml';
import type { ComplianceReport, ControlStatus } from '../analysis/compliance/report.js';
import { escapeXml } from './escape.js';

export const COMPLIANCE_FORMATS = ['table', 'json', 'junit', 'policyreport'] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

const fmtScore = (s: number | null) => (s === null ? 'n/a' : `${s}%`);

export function complianceTable(report: ComplianceReport, header: string[] = []): string {
  const lines = [...header];
  const sections = new Map(report.score.sections.map((s) => [s.id, s]));
  let section = '';
  for (const c of report.controls) {
    const s = [...sections.keys()].filter((id) => c.id === id || c.id.startsWith(`${id}.`)).sort((a, b) => b.length - a.length)[0] ?? '';
    if (s !== section && sections.has(s)) {
      section = s;
      const sc = sections.get(s)!;
      lines.push('', `${s} ${sc.title} — score ${fmtScore(sc.score)} (${sc.pass} pass, ${sc.fail} fail)`);
    }
    lines.push(`[${c.status}] ${c.id} ${c.title}`);
    if (c.status !== 'PASS' && c.status !== 'MANUAL') lines.push(`      ${c.evidence}`);
    for (const f of c.findings.slice(0, 20)) lines.push(`      - ${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}: ${f.message}`);
    if (c.findings.length > 20) lines.push(`      … and ${c.findings.length - 20} more findings`);
  }
  const n = report.score.counts;
  lines.push('', `${report.framework} ${report.version}: ${n.PASS} PASS, ${n.FAIL} FAIL, ${n.MANUAL} MANUAL, ${n.COULD_NOT_EVALUATE} COULD_NOT_EVALUATE, ${n.NOT_APPLICABLE} NOT_APPLICABLE — score ${fmtScore(report.score.total)}`);
  return lines.join('\n') + '\n';
}

export function complianceJson(report: ComplianceReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export function complianceJunit(report: ComplianceReport): string {
  const n = report.score.counts;
  const cases = report.controls.map((c) => {
    const open = `    <testcase classname="${escapeXml(`${report.framework} ${report.version}`)}" name="${escapeXml(`${c.id} ${c.title}`)}"`;
    const body = `${c.evidence}${c.findings.map((f) => `\n${f.resource.kind}/${f.resource.name}: ${f.message}`).join('')}`;
    if (c.status === 'FAIL') return `${open}>\n      <failure message="${escapeXml(c.evidence)}">${escapeXml(body)}</failure>\n    </testcase>`;
    if (c.status === 'COULD_NOT_EVALUATE') return `${open}>\n      <error message="${escapeXml(c.evidence)}"/>\n    </testcase>`;
    if (c.status === 'NOT_APPLICABLE' || c.status === 'MANUAL') return `${open}>\n      <skipped message="${escapeXml(`${c.status}: ${c.evidence}`)}"/>\n    </testcase>`;
    return `${open}/>`;
  });
  const skipped = n.NOT_APPLICABLE + n.MANUAL;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="kubeguard" tests="${report.controls.length}" failures="${n.FAIL}" errors="${n.COULD_NOT_EVALUATE}" skipped="${skipped}">
  <testsuite name="${escapeXml(`${report.framework} ${report.version}`)}" tests="${report.controls.length}" failures="${n.FAIL}" errors="${n.COULD_NOT_EVALUATE}" skipped="${skipped}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

const RESULT: Record<ControlStatus, string> = { PASS: 'pass', FAIL: 'fail', COULD_NOT_EVALUATE: 'error', MANUAL: 'warn', NOT_APPLICABLE: 'skip' };

/** One ClusterPolicyReport named after the framework (and the node, for node checks). */
export function compliancePolicyReport(report: ComplianceReport, options: { name: string; now?: Date; subject?: { apiVersion: string; kind: string; name: string } }): string {
  const at = options.now ?? new Date();
  const timestamp = { seconds: Math.floor(at.getTime() / 1000), nanos: 0 };
  const results = report.controls.map((c) => ({
    source: 'kubeguard',
    policy: `${report.version}/${c.id}`,
    category: report.framework,
    timestamp,
    result: RESULT[c.status],
    scored: c.status === 'PASS' || c.status === 'FAIL',
    ...(options.subject && { resources: [options.subject] }),
    message: c.title.length > 1024 ? `${c.title.slice(0, 1023)}…` : c.title,
    properties: { status: c.status, evidence: c.evidence.slice(0, 1024), ...(c.findings.length && { findings: String(c.findings.length) }) },
  }));
  const n = report.score.counts;
  const doc = {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'ClusterPolicyReport',
    metadata: { name: options.name, labels: { 'app.kubernetes.io/managed-by': 'kubeguard', 'kubeguard.io/framework': report.framework } },
    scope: options.subject,
    summary: { pass: n.PASS, fail: n.FAIL, warn: n.MANUAL, error: n.COULD_NOT_EVALUATE, skip: n.NOT_APPLICABLE },
    results,
  };
  if (!options.subject) delete (doc as { scope?: unknown }).scope;
  return yaml.dump(doc, { noRefs: true, lineWidth: -1 });
}

/** A compliance view in the chosen format; `name` names the PolicyReport, `subject` the object it reports on. */
export function renderCompliance(format: ComplianceFormat, report: ComplianceReport, options: { header?: string[]; name: string; subject?: { apiVersion: string; kind: string; name: string } }): string {
  if (format === 'json') return complianceJson(report);
  if (format === 'junit') return complianceJunit(report);
  if (format === 'policyreport') return compliancePolicyReport(report, { name: options.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 253), subject: options.subject });
  return complianceTable(report, options.header);
}
