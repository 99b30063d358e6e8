/**
 * The runtime engine: every event goes to the detectors that read its kind, in arrival order; detections pass
 * the exception filter and become incidents. Pure and clock-free: windows and incident gaps use event time.
 * A detector that throws is counted and skipped for that event, never fatal.
 */
import type { Severity } from '../../core/model.js';
import { formatMessage } from '../../core/rule.js';
import type { BaselineView, Detector, DetectorContext, DetectorHandler, DetectionReport, WorkloadFacts } from '../../core/detector.js';
import type { EventKind, RuntimeEvent, WorkloadIdentity } from '../../core/events/model.js';
import { EVENT_KINDS } from '../../core/events/model.js';
import { DEFAULT_INCIDENT_LIMITS, IncidentBook, type Detection, type Incident, type IncidentLimits } from './incidents.js';
import { AddressSet, DEFAULT_CLUSTER_NETWORKS } from './networks.js';

export interface DetectorSetting {
  severity?: Severity;
  options?: Record<string, unknown>;
}

/** What the engine knows beyond the events: baselines, networks, posture. All optional. */
export interface RuntimeEnvironment {
  baseline?: (w: WorkloadIdentity) => BaselineView | undefined;
  /** CIDRs of the cluster's networks (default: private and special ranges). */
  clusterNetworks?: readonly string[];
  /** API server addresses as `ip` or `ip:port` (the kubernetes Service's cluster IP and its endpoints). */
  apiServers?: readonly string[];
  facts?: (w: WorkloadIdentity) => WorkloadFacts | undefined;
  secretUsers?: (namespace: string, name: string) => ReadonlySet<string> | undefined;
}

export interface RuntimeEngineOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  detectors: readonly Detector<any>[];
  settings?: Readonly<Record<string, DetectorSetting>>;
  environment?: RuntimeEnvironment;
  /** Exceptions: true when a detection is excepted (the caller records why). */
  suppress?: (d: Detection) => boolean;
  limits?: Partial<IncidentLimits>;
  /** An incident seen for the first time (serve sends it at once). */
  onOpen?: (i: Incident) => void;
  /** An incident over: idle past the gap, or the run ended. */
  onClose?: (i: Incident) => void;
}

export interface RuntimeEngineStats {
  events: number;
  detections: number;
  suppressed: number;
  byRule: Record<string, number>;
  /** Detector failures by detector id (the event was skipped for that detector). */
  failures: Record<string, number>;
}

/** How often (in events) idle incidents are closed. */
const SWEEP_EVERY = 4096;

export class RuntimeEngine {
  readonly stats: RuntimeEngineStats = { events: 0, detections: 0, suppressed: 0, byRule: {}, failures: {} };
  private readonly byKind = new Map<EventKind, { id: string; severity: Severity; messages: Record<string, string>; fallback: boolean; handle: DetectorHandler }[]>();
  /** Whether a detector reported on the current event (catch-all detectors then stay quiet). */
  private reported = false;
  private readonly book: IncidentBook;
  private readonly ctx: DetectorContext;
  private current!: RuntimeEvent;
  private currentDetector!: { id: string; severity: Severity; messages: Record<string, string> };
  private watermark = -Infinity;

  constructor(private readonly options: RuntimeEngineOptions) {
    for (const k of EVENT_KINDS) this.byKind.set(k, []);
    // catch-all detectors run last, so they can see whether the event was already reported
    const ordered = [...options.detectors.filter((d) => d.fallback === undefined), ...options.detectors.filter((d) => d.fallback !== undefined).sort((a, b) => a.fallback! - b.fallback!)];
    for (const d of ordered) {
      const setting = options.settings?.[d.id] ?? {};
      const entry = { id: d.id, severity: setting.severity ?? d.severity, messages: d.messages, fallback: d.fallback !== undefined, handle: d.create({ ...(d.defaultOptions ?? {}), ...(setting.options ?? {}) }) };
      for (const k of d.events) this.byKind.get(k)!.push(entry);
    }
    this.book = new IncidentBook({ ...DEFAULT_INCIDENT_LIMITS, ...options.limits }, options.onClose ?? (() => {}), options.onOpen);
    const env = options.environment ?? {};
    const cluster = new AddressSet(env.clusterNetworks ?? DEFAULT_CLUSTER_NETWORKS);
    const api = new Set(env.apiServers ?? []);
    this.ctx = {
      report: (r) => this.report(r),
      baseline: (w) => env.baseline?.(w),
      isClusterAddress: (ip) => cluster.has(ip),
      isApiServer: (ip, port) => api.has(ip) || (port !== undefined && api.has(`${ip}:${port}`)),
      facts: (w) => env.facts?.(w),
      secretUsers: (ns, name) => env.secretUsers?.(ns, name),
    };
  }

  private report(r: DetectionReport): void {
    const d = this.currentDetector;
    const e = this.current;
    this.reported = true;
    const template = d.messages[r.messageId] ?? r.messageId;
    const detection: Detection = {
      ruleId: d.id,
      severity: r.severity ?? d.severity,
      message: formatMessage(template, r.data),
      workload: r.workload ?? e.workload,
      ...(r.key !== undefined ? { key: r.key } : {}),
      evidence: r.evidence ?? [e],
      ts: e.ts,
      time: e.time,
    };
    this.stats.detections++;
    if (this.options.suppress?.(detection)) {
      this.stats.suppressed++;
      return;
    }
    this.stats.byRule[d.id] = (this.stats.byRule[d.id] ?? 0) + 1;
    this.book.add(detection);
  }

  process(e: RuntimeEvent): void {
    this.current = e;
    if (++this.stats.events % SWEEP_EVERY === 0) this.book.closeIdle(this.watermark);
    if (e.ts > this.watermark) this.watermark = e.ts;
    this.reported = false;
    for (const d of this.byKind.get(e.kind) ?? []) {
      if (d.fallback && this.reported) break;
      this.currentDetector = d;
      try {
        d.handle(this.ctx, e);
      } catch {
        this.stats.failures[d.id] = (this.stats.failures[d.id] ?? 0) + 1;
      }
    }
  }

  /** Closes incidents idle at event time `now` (serve calls this as its own time passes without events). */
  closeIdle(now: number): void {
    this.book.closeIdle(now);
  }

  /** Ends the run: every open incident is closed. */
  finish(): void {
    this.book.closeAll();
  }
}
