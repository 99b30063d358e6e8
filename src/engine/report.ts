/**
 * The one report builder: every ScanReport — a rule scan, an image scan, a scan with image vulnerabilities or
 * signature findings added, a filtered view — gets its summary counted here from its parts, so the counts can
 * never disagree with the lists.
 */
import type { AppliedException, ExpiredException, Finding, ImageSource, NotEvaluated, RefusedException, ScanError, ScanReport, Severity, SkipNote } from '../core/model.js';
import { REPORT_SCHEMA_VERSION, SEVERITIES } from '../core/model.js';
import { TOOL } from '../generated/version.js';

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
