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

/** The `drift:` section (kubeguard drift, docs/drift.md). */
export interface DriftConfig {
  /** Differences not to report, in Argo CD's `ignoreDifferences` form (jsonPointers, managedFieldsManagers). */
  ignoreDifferences?: { group?: string; kind: string; name?: string; namespace?: string; jsonPointers?: string[]; managedFieldsManagers?: string[] }[];
  /** Field managers that are controllers (beyond Kubernetes' own): fields only they own are not drift. */
  controllers?: string[];
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
  runtime?: RuntimeConfig;
  /** Rules written in CEL (src/engine/cel-rules.ts), judged like built-in rules. */
  customRules?: CelRuleSpec[];
  drift?: DriftConfig;
}

export interface NotificationChannel {
  name?: string;
  type: 'webhook' | 'slack' | 'smtp';
  /** webhook/slack: where to POST; smtp: the mail server, smtp://[user:password@]host[:port] or smtps://… */
  url: string;
  /** Event kinds to send; all when absent. (Not for smtp: a digest covers its period.) */
  events?: string[];
  /** Only events of these clusters (events without a cluster always go); smtp: the clusters a digest covers. */
  clusters?: string[];
  /** smtp: the sender, the recipients (one message each), the period, a CA file for the mail server. */
  from?: string;
  to?: string[];
  period?: 'daily' | 'weekly';
  caFile?: string;
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

const ON = new Set(['on', 'yes', 'y', 'true', 'enable', 'enabled']);
const OFF = new Set(['off', 'no', 'n', 'false', 'disable', 'disabled']);
const WORDS = new Set(['info', 'low', 'medium', 'high', 'critical', 'enforce', 'warn', 'audit', ...PRESETS]);

/** "On", "YES", true → "on"; "Off", "no", false → "off"; anything else as it was. */
function onOff(v: unknown): unknown {
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (typeof v !== 'string') return v;
  const lower = v.trim().toLowerCase();
  return ON.has(lower) ? 'on' : OFF.has(lower) ? 'off' : WORDS.has(lower) ? lower : v;
}

function word(v: unknown): unknown {
  return typeof v === 'string' && WORDS.has(v.trim().toLowerCase()) ? v.trim().toLowerCase() : v;
}

/**
 * Config as people write it, in the spelling the schema checks. YAML 1.1 (which kubectl's decoder follows, and so
 * does ours) reads `off`, `no`, `On` as booleans: `liveness-probe-missing: off` is `false` by the time it is read.
 * So a rule's value may be on/off/yes/no/true/false in any case, or a boolean; `enabled:` likewise; severities,
 * modes and presets in any case. Returns a new value; unknown shapes are left for the schema to reject.
 */
export function normaliseConfigSpelling(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const c = { ...(value as Record<string, unknown>) };
  if (typeof c.failOn === 'string') c.failOn = word(c.failOn);
  if (typeof c.preset === 'string') c.preset = word(c.preset);
  else if (Array.isArray(c.preset)) c.preset = c.preset.map(word);
  if (c.rules !== null && typeof c.rules === 'object' && !Array.isArray(c.rules)) {
    const rules: Record<string, unknown> = {};
    for (const [id, v] of Object.entries(c.rules as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const s = { ...(v as Record<string, unknown>) };
        if ('enabled' in s) {
          const e = onOff(s.enabled);
          s.enabled = e === 'on' ? true : e === 'off' ? false : s.enabled;
        }
        if ('severity' in s) s.severity = word(s.severity);
        if ('mode' in s) s.mode = word(s.mode);
        rules[id] = s;
      } else rules[id] = onOff(v);
    }
    c.rules = rules;
  }
  return c;
}
