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

/** A detector's setting in `runtime.detectors`: off/on, a severity, or the full form. */
export type DetectorSettingValue = 'off' | 'on' | Severity | { enabled?: boolean; severity?: Severity; options?: Record<string, unknown> };

export interface SinkConfig {
  /** stdout (JSON lines), file (JSON lines appended), webhook (JSON POST), slack (incoming webhook). */
  type: 'stdout' | 'file' | 'webhook' | 'slack';
  /** file: the path. */
  path?: string;
  /** webhook, slack: the URL. */
  url?: string;
  /** webhook: extra headers (an Authorization header, for example). */
  headers?: Record<string, string>;
  /** Incidents below this severity are not sent to this sink. */
  minSeverity?: Severity;
}

/** The `runtime:` section: detection on events (runtime analyze, runtime serve). */
export interface RuntimeConfig {
  detectors?: Record<string, DetectorSettingValue>;
  /** CIDRs of the cluster's own networks (pods, services, nodes); default: private and special ranges. */
  clusterNetworks?: string[];
  /** API server addresses as pods see them (`ip` or `ip:port`), beyond the kubernetes Service of a snapshot. */
  apiServers?: string[];
  /** A gap longer than this between detections starts a new incident (`10m`). */
  incidentWindow?: string | number;
  sinks?: SinkConfig[];
}

export interface KubeguardConfig {
  preset?: PresetName | PresetName[];
  failOn?: Severity;
  rules?: Record<string, 'off' | 'on' | Severity | RuleSetting>;
  exceptions?: ExceptionSpec[];
  /** Settings of the admission webhook; read by src/admission. */
  admission?: Record<string, unknown>;
  runtime?: RuntimeConfig;
}

export const DEFAULT_CONFIG: KubeguardConfig = { preset: 'recommended', failOn: 'high' };
