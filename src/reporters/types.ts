import type { ScanReport } from '../core/model.js';
import type { RuleMeta } from '../core/rule.js';

export interface RenderContext {
  /** ANSI colour (only on a TTY). */
  color: boolean;
  /** The rule catalogue, for reporters that describe rules (SARIF, HTML). */
  rules: readonly RuleMeta[];
}

export type Reporter = (report: ScanReport, ctx: RenderContext) => string;
