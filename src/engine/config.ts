/** The shape of kubeguard.yaml (validated against schema/kubeguard.schema.json). */
import type { Severity } from '../core/model.js';
import type { LabelSelector } from '../core/label-selector.js';
import type { CelRuleSpec } from './cel-rules.js';

export const PRESETS = ['recommended', 'pss-baseline', 'pss-restricted', 'strict'] as const;
export type PresetName = (typeof PRESETS)[number];

export type RuleMode = 'enforce' | 'warn' | 'audit';

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
  /** How the admission webhook treats the rule's findings. */
  mode?: RuleMode;
}

export interface ExceptionSpec {
  /** Rule ids or aliases; `*` for every rule. */
  rules: string[];
  namespaces?: string[];
  kinds?: string[];
  names?: string[];
  selector?: LabelSelector;
  reason: string;
  owner?: string;
  ticket?: string;
  /** ISO date (YYYY-MM-DD, end of that day UTC) or date-time; after it the exception no longer applies. */
  expires?: string;
}

export interface KubeguardConfig {
  preset?: PresetName | PresetName[];
  failOn?: Severity;
  rules?: Record<string, 'off' | 'on' | Severity | RuleSetting>;
  exceptions?: ExceptionSpec[];
  /** Settings of the admission webhook; read by src/admission. */
  admission?: Record<string, unknown>;
  /** Rules written in CEL (src/engine/cel-rules.ts), judged like built-in rules. */
  customRules?: CelRuleSpec[];
}

export const DEFAULT_CONFIG: KubeguardConfig = { preset: 'recommended', failOn: 'high' };
