/**
 * What a person asked to see: `--severity LEVEL` (minimum shown), `--rule ID,...` and `--skip-rule ID,...`. These
 * change what is shown, never the exit code (computed on the whole report). Rule filters apply before findings
 * merge — a skipped rule's part of a merged finding disappears as if the rule had not reported — and the severity
 * filter after, on the merged severity.
 */
import type { ScanReport, Severity } from '../core/model.js';
import { severityRank } from '../core/model.js';
import { mergeFindings } from './merge-findings.js';
import { summarise } from './report.js';

export interface DisplayFilter {
  severity?: Severity;
  /** Canonical rule ids to show (aliases resolved by the caller). */
  rules?: readonly string[];
  skipRules?: readonly string[];
}

/** The report as shown: findings filtered by rule, merged, filtered by severity; the summary counts what is shown. */
export function forDisplay(report: ScanReport, filter: DisplayFilter, category?: (ruleId: string) => string | undefined): ScanReport {
  const only = filter.rules?.length ? new Set(filter.rules) : undefined;
  const skip = new Set(filter.skipRules ?? []);
  const byRule = only || skip.size ? report.findings.filter((f) => (!only || only.has(f.ruleId)) && !skip.has(f.ruleId)) : report.findings;
  const min = filter.severity ? severityRank(filter.severity) : 0;
  const merged = mergeFindings(byRule, category);
  const findings = min ? merged.filter((f) => severityRank(f.severity) >= min) : merged;
  const s = report.summary;
  const out: ScanReport = { ...report, findings, summary: summarise(s.resources, findings, report.errors, report.notEvaluated, s.suppressed, s.skipped) };
  const filters = [
    ...(filter.severity ? [`--severity ${filter.severity}`] : []),
    ...(only ? [`--rule ${[...only].join(',')}`] : []),
    ...(skip.size ? [`--skip-rule ${[...skip].join(',')}`] : []),
  ];
  // how many the filters hide: counted on the merged whole, only when there are filters
  if (filters.length) out.shown = { hidden: mergeFindings(report.findings, category).length - findings.length, filters };
  return out;
}
