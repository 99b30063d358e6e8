/** The shape of kubeguard.yaml (validated against schema/kubeguard.schema.json). */
import type { Severity } from '../core/model.js';
import type { LabelSelector } from '../core/label-selector.js';

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

/** Where an object's own `kubeguard.io/ignore` annotation may suppress findings. */
export interface AnnotationScope {
  /** Namespaces (names or globs) whose objects may use it. */
  namespaces?: string[];
  /** Rules (ids, aliases, `*`) it may suppress. Findings of critical severity never. */
  rules?: string[];
}

export interface AnnotationExceptionsConfig {
  /** Files (CI: a reviewed repository, like an inline lint-disable). Default: every namespace, every rule. */
  files?: AnnotationScope;
  /** Objects from a cluster (admission requests, scan --cluster, --snapshot). Default: nowhere. */
  live?: AnnotationScope;
}

export interface KubeguardConfig {
  preset?: PresetName | PresetName[];
  failOn?: Severity;
  rules?: Record<string, 'off' | 'on' | Severity | RuleSetting>;
  exceptions?: ExceptionSpec[];
  annotationExceptions?: AnnotationExceptionsConfig;
  /** Settings of the admission webhook; read by src/admission. */
  admission?: Record<string, unknown>;
  /** Settings of the central server (`kubeguard serve`). */
  server?: ServerSettings;
}

export interface NotificationChannel {
  name?: string;
  type: 'webhook' | 'slack';
  url: string;
  /** Event kinds to send; all when absent. */
  events?: string[];
  /** Only events of these clusters (events without a cluster always go). */
  clusters?: string[];
}

export interface RetentionSettings {
  fixedFindingsDays?: number;
  uploadsDays?: number;
  eventsDays?: number;
  auditDays?: number;
  incidentsDays?: number;
  trendDays?: number;
}

export interface ServerSettings {
  notifications?: NotificationChannel[];
  retention?: RetentionSettings;
}

export const DEFAULT_CONFIG: KubeguardConfig = { preset: 'recommended', failOn: 'high' };
