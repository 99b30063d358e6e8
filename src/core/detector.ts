/**
 * The runtime detector contract: metadata (like a posture rule's) plus a factory for the detector's state. The
 * runtime engine (analysis/runtime) creates each detector once per run and hands it every event of the kinds it
 * reads, in time order; the detector reports detections through the context. Detectors are pure: no clock (time
 * comes from events), no I/O, and memory bounded by their options (windows, caps).
 */
import type { ComplianceRefs, Severity } from './model.js';
import type { EventKind, ProcessInfo, RuntimeEvent, WorkloadIdentity } from './events/model.js';
import type { OptionsSchema } from './rule.js';

export interface DetectorMeta {
  id: string;
  title: string;
  description: string;
  category: 'runtime';
  severity: Severity;
  /** Event kinds the detector reads. */
  events: EventKind[];
  messages: Record<string, string>;
  remediation: string;
  references?: string[];
  compliance?: ComplianceRefs;
  /** Rules of other tools this detector covers (same detection, or a stricter one), by their names. */
  covers?: { falco?: string[]; panther?: string[] };
  /** What the detector remembers between events, in words (shown in its docs); absent: it judges each event alone. */
  state?: string;
  /**
   * A catch-all (other tools' alerts, baseline deviations): it runs after the others, in this order (lowest first),
   * and reports only events no detector before it reported on, so one problem is one incident.
   */
  fallback?: number;
  optionsSchema?: OptionsSchema;
  defaultOptions?: Record<string, unknown>;
}

export interface DetectionReport {
  messageId: string;
  data?: Record<string, string | number>;
  /** Events supporting the detection, the triggering one included; default: the event being judged. */
  evidence?: RuntimeEvent[];
  /** Separates incidents of one detector on one workload (the scanned host, the actor); default: one incident. */
  key?: string;
  /** The workload the detection is about when it is not the event's (the scan's source). */
  workload?: WorkloadIdentity;
  /** A severity other than the detector's default (an interactive shell versus a scripted one). */
  severity?: Severity;
}

/** A locked baseline's answers for one workload and container (analysis/runtime/baseline). */
export interface BaselineView {
  hasProcess(p: ProcessInfo): boolean;
  hasPeer(peer: string, port: number | undefined, protocol: string): boolean;
  hasDns(name: string): boolean;
  hasHttp(method: string, path: string): boolean;
}

/** What posture knows about a workload, when a snapshot or cluster was given (analysis/runtime/context). */
export interface WorkloadFacts {
  /** Whether the workload's service account can do anything with the API beyond discovery. */
  apiPermissions?: boolean;
  /** Whether the pod mounts a service account token. */
  tokenMounted?: boolean;
}

export interface DetectorContext {
  report(d: DetectionReport): void;
  /** The locked baseline of the event's workload and container; undefined when none was given or learnt. */
  baseline(w: WorkloadIdentity): BaselineView | undefined;
  /** Whether an address belongs to the cluster's own networks (pod, service and node ranges; private ranges by default). */
  isClusterAddress(ip: string): boolean;
  /** Addresses of the Kubernetes API server as seen from pods (the `kubernetes` Service and its endpoints). */
  isApiServer(ip: string, port: number | undefined): boolean;
  /** Posture facts about a workload, when known. */
  facts(w: WorkloadIdentity): WorkloadFacts | undefined;
  /** The service accounts whose pods use a Secret (volumes, env, pull secrets), when posture is known. */
  secretUsers(namespace: string, name: string): ReadonlySet<string> | undefined;
}

export type DetectorHandler = (ctx: DetectorContext, event: RuntimeEvent) => void;

export interface Detector<O extends Record<string, unknown> = Record<string, unknown>> extends DetectorMeta {
  /** Creates the detector's state for one run. */
  create(options: O): DetectorHandler;
}

export function defineDetector<O extends Record<string, unknown> = Record<string, unknown>>(d: Detector<O>): Detector<O> {
  return d;
}
