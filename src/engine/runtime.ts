/**
 * Config → runtime detection: which detectors run with which severity and options (`runtime.detectors`), and the
 * governed exceptions (`exceptions:`, shared with posture: rule, namespace, kind, name, labels; reason, owner,
 * ticket, expiry) applied to detections. Expiry is judged at the detection's own time, so a replay of last month's
 * events applies the exceptions that were valid then.
 */
import type { Detector } from '../core/detector.js';
import type { Resource, Severity } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { isSeverity } from '../core/model.js';
import { ConfigError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { schemaErrorsText } from '../core/schema-errors.js';
import type { DetectorSetting } from '../analysis/runtime/engine.js';
import type { Detection } from '../analysis/runtime/incidents.js';
import { incidentWorkload } from '../analysis/runtime/incidents.js';
import type { DetectorSettingValue, ExceptionSpec, KubeguardConfig } from './config.js';
import { DETECTORS } from './detectors.js';
import { expiryInstant, specMatches } from './exceptions.js';
import { optionsValidator } from './resolve-rules.js';

export interface ResolvedDetectors {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  detectors: Detector<any>[];
  settings: Record<string, DetectorSetting>;
}

function normalise(id: string, v: DetectorSettingValue): { enabled: boolean; severity?: Severity; options?: Record<string, unknown> } {
  if (v === 'off') return { enabled: false };
  if (v === 'on') return { enabled: true };
  if (typeof v === 'string') {
    if (!isSeverity(v)) throw new ConfigError(`runtime.detectors.${id}: "${v}" is neither off/on nor a severity`);
    return { enabled: true, severity: v };
  }
  return { enabled: v.enabled ?? true, severity: v.severity, options: v.options };
}

/** Every detector runs unless the config turns it off. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resolveDetectors(config: KubeguardConfig, catalog: readonly Detector<any>[] = DETECTORS): ResolvedDetectors {
  const given = config.runtime?.detectors ?? {};
  for (const id of Object.keys(given)) if (!catalog.some((d) => d.id === id)) throw new ConfigError(`unknown detector "${id}" in runtime.detectors (see \`kubeguard rules list\`)`);
  const out: ResolvedDetectors = { detectors: [], settings: {} };
  for (const d of catalog) {
    const s = given[d.id] === undefined ? { enabled: true } : normalise(d.id, given[d.id]);
    if (!s.enabled) continue;
    const options = { ...(d.defaultOptions ?? {}), ...(s.options ?? {}) };
    if (d.optionsSchema) {
      const validate = optionsValidator(d);
      if (!validate(options)) throw new ConfigError(`runtime.detectors.${d.id} options: ${schemaErrorsText(validate.errors, 'options')}`);
    }
    out.detectors.push(d);
    out.settings[d.id] = { ...(s.severity ? { severity: s.severity } : {}), options };
  }
  return out;
}

/** The incident window of the config, in ms (default 10 minutes). */
export function incidentGap(config: KubeguardConfig): number {
  const v = config.runtime?.incidentWindow;
  if (v === undefined) return 10 * 60_000;
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new ConfigError(`runtime.incidentWindow: "${v}" is not a duration (e.g. 10m)`);
  return ms;
}

export interface RuntimeExceptionUse {
  rule: string;
  reason: string;
  owner?: string;
  ticket?: string;
  expires?: string;
  /** Detections it suppressed. */
  suppressed: number;
  /** Detections it would have suppressed after it expired. */
  expiredMatches: number;
}

/** Applies config exceptions to detections and counts what each one did (bounded: one counter per exception). */
export class RuntimeExceptions {
  private readonly uses: RuntimeExceptionUse[];

  constructor(private readonly specs: readonly ExceptionSpec[]) {
    this.uses = specs.map((s) => ({ rule: s.rules.join(','), reason: s.reason, ...(s.owner ? { owner: s.owner } : {}), ...(s.ticket ? { ticket: s.ticket } : {}), ...(s.expires ? { expires: s.expires } : {}), suppressed: 0, expiredMatches: 0 }));
  }

  suppress = (d: Detection): boolean => {
    if (this.specs.length === 0) return false;
    const w = incidentWorkload(d.workload);
    const kind = w.kind ?? 'Pod';
    const resource: Resource = {
      ref: { apiVersion: '', kind, name: w.name ?? '', ...(w.namespace ? { namespace: w.namespace } : {}) },
      object: { kind, metadata: { name: w.name ?? '', ...(w.namespace ? { namespace: w.namespace } : {}), ...(d.workload.labels ? { labels: d.workload.labels } : {}) } },
    };
    const rule = { id: d.ruleId, aliases: [] } as unknown as Rule;
    for (let i = 0; i < this.specs.length; i++) {
      const spec = this.specs[i];
      // a kind-less workload (owner derived from the pod name) matches exceptions by namespace and name only
      const s = w.kind ? spec : { ...spec, kinds: undefined };
      if (!specMatches(s, rule, resource)) continue;
      if (spec.expires !== undefined && expiryInstant(spec.expires) < d.ts) {
        this.uses[i].expiredMatches++;
        continue;
      }
      this.uses[i].suppressed++;
      return true;
    }
    return false;
  };

  /** What each exception did in this run. */
  report(): RuntimeExceptionUse[] {
    return this.uses.filter((u) => u.suppressed > 0 || u.expiredMatches > 0);
  }
}
