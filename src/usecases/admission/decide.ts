/**
 * One admission decision: the object of an AdmissionRequest judged by the same `scan()` as `kubeguard scan`,
 * then each finding given its mode (enforce → deny, warn → AdmissionReview warning, audit → log and audit
 * annotation), then the image gates within the time left.
 *
 * Deliberate differences from a file scan, all about *whether* to judge, never *how*:
 * - DELETE and CONNECT are admitted; so are subresources other than ephemeralcontainers (status, scale, …);
 * - exempt namespaces and objects matching the exempt label selector are admitted without checks;
 * - an UPDATE of an object that is being deleted (deletionTimestamp set: finalizers being removed) is admitted;
 * - requests by exempt users (`exemptUsernames`) are admitted without checks;
 * - an UPDATE that leaves the pod spec unchanged (labels, annotations, replicas…) does not enforce
 *   violations the object already had — they are returned as warnings. This mirrors Pod Security Admission,
 *   which exempts "updates to pods that do not change the pod spec", and keeps legacy workloads scalable;
 * - an UPDATE of a kind without a pod template (ConfigMap, ClusterRole…) enforces only violations the old
 *   object did not have (same rule, same field), so controllers that rewrite existing objects are not blocked
 *   by what was admitted before the policy existed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, Resource, ScanReport, Severity } from '../../core/model.js';
import type { RuleMode } from '../../engine/config.js';
import { refOf, isClusterScoped } from '../../core/ref.js';
import { globMatch } from '../../core/glob.js';
import { matchesSelector } from '../../core/label-selector.js';
import { podTemplateOf } from '../../core/podspec.js';
import { scan } from '../../engine/scan.js';
import { IGNORE_ANNOTATION } from '../../engine/exceptions.js';
import type { AdmissionConfig } from './config.js';
import type { AdmissionPolicy } from './policy.js';
import type { AdmissionRequest } from './review.js';
import { imagesOf, runGates } from './gates/run.js';
import { GATE_RULE_PREFIX } from './gates/types.js';

export interface Violation {
  /** Rule id, or `image-gate/<name>`. */
  ruleId: string;
  severity?: Severity;
  mode: RuleMode;
  /** JSON pointer of the offending field. */
  path: string;
  message: string;
}

export type DecisionReason =
  | 'checked'
  | 'delete'
  | 'connect'
  | 'subresource'
  | 'exempt-namespace'
  | 'exempt-labels'
  | 'exempt-user'
  | 'being-deleted';

export interface UndecidedGate {
  gate: string;
  image: string;
  reason: string;
  timedOut: boolean;
}

export interface Decision {
  allowed: boolean;
  reason: DecisionReason;
  violations: Violation[];
  /** Remarks returned as warnings (could not evaluate, expired exceptions, unchanged spec, gate notes). */
  notes: string[];
  undecided: UndecidedGate[];
  /** The object as judged (present when reason is "checked"). */
  resource?: Resource;
  report?: ScanReport;
  /** Time the rules took (ms; gates excluded): what the budget's cost estimate learns from. */
  ruleMs?: number;
}

export interface DecideOptions {
  now: Date;
  /** Epoch milliseconds by which the gates must have answered. */
  deadline: number;
}

/** The object as the engine sees it: the request's object, with kind and namespace completed from the request. */
export function admittedResource(request: AdmissionRequest): Resource | undefined {
  if (!request.object) return undefined;
  const object = asAdmitted(request.object, request);
  const resource: Resource = { ref: refOf(object), object, source: { file: 'admission' }, live: true };
  if (request.operation === 'UPDATE' && request.oldObject) resource.previous = asAdmitted(request.oldObject, request);
  resource.admission = { operation: request.operation, subResource: request.subResource, resource: request.resource, userInfo: request.userInfo, dryRun: request.dryRun };
  return resource;
}

/** The object with the kind and namespace the API server would give it (from the request when missing). */
function asAdmitted(source: KubeObject, request: AdmissionRequest): KubeObject {
  let object = source;
  if (typeof object.kind !== 'string' && request.kind) {
    const apiVersion = request.kind.group ? `${request.kind.group}/${request.kind.version}` : request.kind.version;
    object = { ...object, apiVersion, kind: request.kind.kind };
  }
  // The API server sets metadata.namespace from the request path before admission; older servers may not.
  if (request.namespace && !isClusterScoped(object.kind ?? '') && !object.metadata?.namespace) {
    object = { ...object, metadata: { ...(object.metadata ?? {}), namespace: request.namespace } };
  }
  return object;
}

function admit(reason: DecisionReason): Decision {
  return { allowed: true, reason, violations: [], notes: [], undecided: [] };
}

function podSpecUnchanged(request: AdmissionRequest, object: KubeObject): boolean {
  if (request.operation !== 'UPDATE' || !request.oldObject) return false;
  const now = podTemplateOf(object);
  const before = podTemplateOf(request.oldObject);
  return now !== undefined && before !== undefined && isDeepStrictEqual(now.spec, before.spec);
}

/** Why the request is exempt from checks (and from defaults at the mutating endpoint), if it is. */
export function exemptionOf(request: AdmissionRequest, resource: Resource, settings: AdmissionConfig): 'exempt-namespace' | 'exempt-labels' | 'exempt-user' | undefined {
  const namespace = request.namespace ?? resource.ref.namespace;
  if (namespace !== undefined && settings.exemptNamespaces?.some((g) => globMatch(g, namespace))) return 'exempt-namespace';
  if (settings.exemptSelector && matchesSelector(settings.exemptSelector, resource.object.metadata?.labels)) return 'exempt-labels';
  const user = request.userInfo?.username;
  if (user !== undefined && settings.exemptUsernames?.some((g) => globMatch(g, user))) return 'exempt-user';
  return undefined;
}

export async function decide(request: AdmissionRequest, policy: AdmissionPolicy, options: DecideOptions): Promise<Decision> {
  if (request.operation === 'DELETE') return admit('delete');
  if (request.operation === 'CONNECT') return admit('connect');
  if (request.subResource && request.subResource !== 'ephemeralcontainers') return admit('subresource');
  const resource = admittedResource(request);
  if (!resource) return admit('checked');
  const { object } = resource;
  const namespace = request.namespace ?? resource.ref.namespace;
  const exempt = exemptionOf(request, resource, policy.settings);
  if (exempt) return admit(exempt);
  if (request.operation === 'UPDATE' && object.metadata?.deletionTimestamp) return admit('being-deleted');

  const started = performance.now();
  const report = scan([resource], { rules: policy.rules, exceptions: policy.exceptions, annotationExceptions: policy.annotationExceptions, now: options.now });
  const ruleMs = performance.now() - started;
  const violations: Violation[] = report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    mode: policy.modeFor(f.ruleId, f.severity, namespace),
    path: f.path,
    message: f.message,
  }));
  const notes: string[] = [];
  for (const e of report.errors) {
    if (policy.failureMode === 'deny') violations.push({ ruleId: e.ruleId ?? 'kubeguard', mode: 'enforce', path: '', message: `${e.message} (failure mode deny)` });
    else notes.push(`${e.message} (failure mode allow)`);
  }
  for (const n of report.notEvaluated) if (n.ruleId) notes.push(`rule ${n.ruleId} could not evaluate: ${n.reason}`);
  for (const x of report.expiredExceptions) {
    if (x.findings > 0) notes.push(`exception for ${x.rule} expired on ${x.expires} and no longer applies (${x.reason})`);
  }
  // The object's own annotation: every suppression it made is said (config allowed it), and every one refused.
  for (const s of report.suppressed) if (s.source === 'annotation') notes.push(`${s.ruleId} suppressed by the object's ${IGNORE_ANNOTATION} annotation (allowed by config annotationExceptions.live): ${s.reason}`);
  for (const r of report.refusedExceptions ?? []) notes.push(`${IGNORE_ANNOTATION} not honoured for ${r.ruleId}: ${r.refused}`);

  const grandfathered = podSpecUnchanged(request, object);
  const undecided: UndecidedGate[] = [];
  if (!grandfathered && policy.gates.length > 0) {
    const outcomes = await runGates(policy.gates, imagesOf(object), {
      deadline: options.deadline,
      now: options.now,
      dryRun: request.dryRun === true,
      ...(namespace !== undefined && { namespace }),
    });
    for (const o of outcomes) {
      const ruleId = GATE_RULE_PREFIX + o.gate;
      const mode = policy.modeFor(ruleId, undefined, namespace);
      for (const v of o.result.violations) violations.push({ ruleId, mode, path: v.path, message: v.message });
      for (const u of o.result.undecided ?? []) {
        undecided.push({ gate: o.gate, image: u.image, reason: u.reason, timedOut: o.timedOut });
        const failMode: RuleMode = policy.failureMode === 'deny' ? mode : mode === 'audit' ? 'audit' : 'warn';
        violations.push({ ruleId, mode: failMode, path: u.path, message: `could not decide: ${u.reason} (failure mode ${policy.failureMode})` });
      }
      notes.push(...(o.result.notes ?? []));
    }
  }

  // An UPDATE is not denied for what the object already had: when the pod spec is unchanged (as Pod Security
  // admission exempts such updates) or the kind has no pod template, violations the old object also gives (same
  // rule, same field) are warnings. One that only the change brings — e.g. from a rule reading resource.previous —
  // is enforced.
  if (request.operation === 'UPDATE' && request.oldObject && (grandfathered || !podTemplateOf(object)) && violations.some((v) => v.mode === 'enforce')) {
    const before = admittedResource({ ...request, object: request.oldObject, oldObject: undefined });
    const had = new Set(before ? scan([before], { rules: policy.rules, exceptions: policy.exceptions, annotationExceptions: policy.annotationExceptions, now: options.now }).findings.map((f) => `${f.ruleId}\0${f.path}`) : []);
    const kept = violations.filter((v) => v.mode === 'enforce' && had.has(`${v.ruleId}\0${v.path}`));
    for (const v of kept) v.mode = 'warn';
    if (kept.length > 0) {
      notes.push(grandfathered ? `this update leaves the pod spec unchanged: ${kept.length} violation(s) it already had are not enforced` : `${kept.length} violation(s) the object already had before this update are not enforced`);
    }
  }
  return {
    allowed: !violations.some((v) => v.mode === 'enforce'),
    reason: 'checked',
    violations,
    notes,
    undecided,
    resource,
    report,
    ruleMs,
  };
}
