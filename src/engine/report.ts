/**
 * The one report builder: every ScanReport — a rule scan, an image scan, a scan with image vulnerabilities or
 * signature findings added, a filtered view — gets its summary counted here from its parts, so the counts can
 * never disagree with the lists.
 */
import type { AppliedException, ExpiredException, Finding, ImageSource, NotEvaluated, RefusedException, ScanError, ScanReport, Severity, SkipNote } from '../core/model.js';
import { REPORT_SCHEMA_VERSION, SEVERITIES } from '../core/model.js';
import { TOOL } from '../generated/version.js';
import { atOrAbove, exitCode } from '../core/outcome.js';
import { severityRank } from '../core/model.js';
import type { ResolvedRule } from './resolve-rules.js';

/** The tool's name and version, from package.json (scripts/gen-version.mjs). */
export { TOOL };

export interface ReportParts {
  /** How many objects (or images) were judged. */
  resources: number;
  findings: Finding[];
  errors?: ScanError[];
  notEvaluated?: NotEvaluated[];
  skipped?: SkipNote[];
  suppressed?: AppliedException[];
  expiredExceptions?: ExpiredException[];
  /** Exceptions the config named but the engine refused (rule scans). */
  refusedExceptions?: RefusedException[];
}

/** Parts made outside the rule engine (image vulnerabilities per workload, signature findings) to add to a report. */
export interface ExtraParts {
  findings: readonly Finding[];
  notEvaluated?: readonly NotEvaluated[];
  suppressed?: readonly AppliedException[];
  expiredExceptions?: readonly ExpiredException[];
  /** Where the scanned images' package lists came from. */
  images?: readonly ImageSource[];
}

export function buildReport(p: ReportParts): ScanReport {
  const { findings, errors = [], notEvaluated = [], skipped = [], suppressed = [], expiredExceptions = [] } = p;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL,
    findings,
    errors,
    notEvaluated,
    skipped,
    suppressed,
    expiredExceptions,
    ...(p.refusedExceptions && { refusedExceptions: p.refusedExceptions }),
    summary: summarise(p.resources, findings, errors, notEvaluated, suppressed.length, skipped.length),
  };
}

/** The report with more parts added; everything else it carries (refused exceptions, …) is kept. */
export function extendReport(report: ScanReport, extra: ExtraParts): ScanReport {
  const findings = [...report.findings, ...extra.findings];
  const notEvaluated = [...report.notEvaluated, ...(extra.notEvaluated ?? [])];
  const suppressed = [...report.suppressed, ...(extra.suppressed ?? [])];
  const expiredExceptions = [...report.expiredExceptions, ...(extra.expiredExceptions ?? [])];
  return {
    ...report,
    findings,
    notEvaluated,
    suppressed,
    expiredExceptions,
    ...((report.images ?? extra.images) && { images: [...(report.images ?? []), ...(extra.images ?? [])] }),
    summary: summarise(report.summary.resources, findings, report.errors, notEvaluated, suppressed.length, report.skipped.length),
  };
}

export function summarise(resources: number, findings: readonly Finding[], errors: readonly ScanError[], notEvaluated: readonly NotEvaluated[], suppressed: number, skipped: number): ScanReport['summary'] {
  return { resources, findings: findings.length, bySeverity: countBySeverity(findings), errors: errors.length, notEvaluated: notEvaluated.length, suppressed, skipped };
}

/** How many findings there are of each severity (every severity present, 0 when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * Whether a finding (merged or not) fails the run: at or above failOn, unless its rule gates a standard preset
 * (any finding fails) or runs only for a standard preset whose level does not apply it (never).
 */
export function failsRun(f: Pick<Finding, 'ruleId' | 'severity' | 'related'>, failOn: Severity, rules: readonly ResolvedRule[] = []): boolean {
  const policy = (id: string) => rules.find((r) => r.rule.id === id)?.fails;
  const one = (ruleId: string, severity: Severity) => {
    const p = policy(ruleId);
    return p === 'any' || (p !== 'never' && severityRank(severity) >= severityRank(failOn));
  };
  return one(f.ruleId, f.severity) || (f.related ?? []).some((r) => one(r.ruleId, r.severity));
}

/**
 * A scan's exit code (the contract: core/outcome.ts): 1 when a finding fails the run (failsRun: at/above failOn,
 * or a standard's denial); 3 when the scan is incomplete, which wins.
 */
export function exitCodeFor(report: ScanReport, failOn: Severity, rules?: readonly ResolvedRule[]): 0 | 1 | 3 {
  const failed = rules?.some((r) => r.fails) ? report.findings.some((f) => failsRun(f, failOn, rules)) : atOrAbove(report.findings, failOn).length > 0;
  return exitCode({ errors: report.errors, notEvaluated: report.notEvaluated, failed });
}
