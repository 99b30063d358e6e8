/** Adds findings made outside the rule engine (image vulnerabilities per workload) to a scan report. */
import type { AppliedException, ExpiredException, Finding, ImageSource, NotEvaluated, ScanReport } from '../core/model.js';
import { summarise } from './scan.js';

export interface ExtraParts {
  findings: readonly Finding[];
  notEvaluated?: readonly NotEvaluated[];
  suppressed?: readonly AppliedException[];
  expiredExceptions?: readonly ExpiredException[];
  images?: readonly ImageSource[];
}

export function mergeIntoReport(report: ScanReport, extra: ExtraParts): ScanReport {
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
