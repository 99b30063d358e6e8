import type { Finding, ScanReport, Severity } from '../core/model.js';
import type { RuleMeta } from '../core/rule.js';

export interface RenderContext {
  /** ANSI colour (only on a TTY). */
  color: boolean;
  /** The rule catalogue, for reporters that describe rules (SARIF, HTML). */
  rules: readonly RuleMeta[];
  /** When the report is written (report objects carry result timestamps); default: now. */
  now?: Date;
  /** Full remediation, every related finding, standards and evidence under each finding (table). */
  verbose?: boolean;
  /** The --fail-on threshold, to say which findings fail the run. */
  failOn?: Severity;
  /** Which findings fail the run (failOn, or a standard preset's gate); default: at or above failOn. */
  fails?: (f: Finding) => boolean;
}

/** A rendered report: one string, or chunks for reports too large to hold as one string. */
export type Rendered = string | Iterable<string>;

export type Reporter = (report: ScanReport, ctx: RenderContext) => Rendered;

export function renderedToString(r: Rendered): string {
  return typeof r === 'string' ? r : [...r].join('');
}
