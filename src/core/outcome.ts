/**
 * The exit-code contract of every command (README "Exit codes"): 0 clean · 1 failed (findings at or above
 * --fail-on, a denied verdict, a blocked flow…) · 2 usage or config error · 3 incomplete (unreadable input, a
 * crashed rule, a check that could not evaluate). 3 wins over 1: a partial answer cannot be trusted to be clean.
 */
import type { Finding, NotEvaluated, Severity } from './model.js';
import { severityRank } from './model.js';

export const EXIT = { clean: 0, failed: 1, usage: 2, incomplete: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a run knows about itself: the parts of a report (or of loaded inputs) that decide its exit code. */
export interface Outcome {
  errors?: readonly unknown[];
  notEvaluated?: readonly NotEvaluated[];
  /** Incomplete for a reason of the command's own (e.g. a queued image that could not be scanned). */
  incomplete?: boolean;
  /** The command's own verdict failed. */
  failed?: boolean;
}

/**
 * Incomplete: errors, or a check (an entry with a ruleId) that could not evaluate. Scopes outside the
 * scanner's view by design (notVisible) and entries without a check are reported, not incompleteness.
 */
export function isIncomplete(o: Outcome): boolean {
  return (o.errors?.length ?? 0) > 0 || (o.notEvaluated ?? []).some((n) => n.ruleId !== undefined && !n.notVisible) || o.incomplete === true;
}

export function exitCode(...outcomes: Outcome[]): 0 | 1 | 3 {
  if (outcomes.some(isIncomplete)) return EXIT.incomplete;
  return outcomes.some((o) => o.failed) ? EXIT.failed : EXIT.clean;
}

/** Findings at or above a severity. */
export function atOrAbove(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank(threshold));
}

/** A report's exit code: 1 when findings reach `failOn`. */
export function reportExitCode(report: { findings: readonly Finding[]; errors: readonly unknown[]; notEvaluated: readonly NotEvaluated[] }, failOn: Severity): 0 | 1 | 3 {
  return exitCode({ errors: report.errors, notEvaluated: report.notEvaluated, failed: atOrAbove(report.findings, failOn).length > 0 });
}
