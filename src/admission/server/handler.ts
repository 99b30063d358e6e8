/**
 * Transport-independent request handling: body text in, HTTP status and JSON body out. It never throws:
 * a body that is not an AdmissionReview is a 400 with a Kubernetes Status naming the problem; anything
 * that goes wrong after parsing yields an AdmissionReview decided by the failure mode.
 */
import { errorMessage } from '../../core/errors.js';
import type { Decision } from '../../usecases/admission/decide.js';
import { decide } from '../../usecases/admission/decide.js';
import { mutation } from '../../usecases/admission/mutation.js';
import type { AdmissionPolicy } from '../../usecases/admission/policy.js';
import { toMutateResponse, toResponse } from '../respond.js';
import type { AdmissionRequest, AdmissionResponse, ParsedReview } from '../../usecases/admission/review.js';
import { BadReviewError, parseReview, reviewReply } from '../../usecases/admission/review.js';
import type { LogFields, Logger } from './log.js';
import type { AdmissionMetrics } from './metrics.js';
import { BudgetGuard, containersOf, workUnits } from '../budget.js';

export type Endpoint = 'validate' | 'mutate';

export interface HandlerDeps {
  /** The current policy (a getter, so a reloaded config takes effect on the next request). */
  policy: () => AdmissionPolicy;
  logger: Logger;
  metrics: AdmissionMetrics;
  clock?: () => Date;
  /** The cost estimate that enforces the budget before the work (one per server; a default one when absent). */
  budget?: BudgetGuard;
}

const defaultGuards = new WeakMap<HandlerDeps, BudgetGuard>();
function guardOf(deps: HandlerDeps): BudgetGuard {
  if (deps.budget) return deps.budget;
  let g = defaultGuards.get(deps);
  if (!g) defaultGuards.set(deps, (g = new BudgetGuard()));
  return g;
}

export interface HandlerReply {
  status: number;
  body: string;
}

/**
 * Time kept back from the budget for writing the reply once the gates have been cut off (the transport may hold a
 * reply until the other requests read in the same event-loop turn are judged: a few milliseconds at most).
 */
const REPLY_MARGIN_MS = 50;

function badRequest(message: string): HandlerReply {
  return { status: 400, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 }) };
}

function failureResponse(uid: string, policy: AdmissionPolicy, why: string): AdmissionResponse {
  const allowed = policy.failureMode === 'allow';
  return allowed
    ? { uid, allowed, warnings: [`kubeguard: ${why}; admitted (failure mode allow)`] }
    : { uid, allowed, status: { code: 500, reason: 'InternalError', message: `kubeguard: ${why}; denied (failure mode deny)` } };
}

const newDate = () => new Date();

type Outcome = 'allowed' | 'denied' | 'bad_request' | 'error';

// Label objects made once: the per-request path hands prom-client the same objects instead of new literals.
const ENDPOINT_LABELS = { validate: { endpoint: 'validate' }, mutate: { endpoint: 'mutate' } } as const;
const outcomeLabels = (endpoint: Endpoint) => ({
  allowed: { endpoint, outcome: 'allowed' },
  denied: { endpoint, outcome: 'denied' },
  bad_request: { endpoint, outcome: 'bad_request' },
  error: { endpoint, outcome: 'error' },
});
const OUTCOME_LABELS = { validate: outcomeLabels('validate'), mutate: outcomeLabels('mutate') };
const WAITED_LABELS = { validate: { endpoint: 'validate', cause: 'waited' }, mutate: { endpoint: 'mutate', cause: 'waited' } } as const;
const ESTIMATE_LABELS = { validate: { endpoint: 'validate', cause: 'estimate' }, mutate: { endpoint: 'mutate', cause: 'estimate' } } as const;

/**
 * `receivedAt` (performance.now() when the request arrived) makes the budget count the time spent reading and
 * queueing the body: a request that has already used its budget before the engine could start (the process is
 * overloaded) is answered at once by the failure mode instead of adding to the queue. After that the only
 * waiting is on image gates, which runGates cuts off at the deadline; the rules run synchronously and no timer
 * could interrupt them, so no per-request timer is armed here.
 */
export async function handleAdmission(endpoint: Endpoint, body: string, deps: HandlerDeps, receivedAt = performance.now()): Promise<HandlerReply> {
  const { logger, metrics } = deps;
  let outcome: Outcome = 'error';
  try {
    let review: ParsedReview;
    try {
      review = parseReview(body);
    } catch (e) {
      outcome = 'bad_request';
      const message = e instanceof BadReviewError ? e.message : `cannot read AdmissionReview: ${errorMessage(e)}`;
      logger.warn('bad admission request', { endpoint, error: message });
      return badRequest(message);
    }
    const policy = deps.policy();
    const { request } = review;
    let response: AdmissionResponse;
    try {
      const startedAt = performance.now();
      const left = policy.budgetMs - (startedAt - receivedAt);
      const deadline = Date.now() + Math.max(0, left - REPLY_MARGIN_MS);
      const units = workUnits(body.length, containersOf(request.object) + containersOf(request.oldObject), policy.rules.length);
      const verdict = left <= REPLY_MARGIN_MS ? undefined : guardOf(deps).admit(units, left - REPLY_MARGIN_MS, policy.budgetMs, startedAt);
      if (verdict === undefined || !verdict.ok) {
        const cause = verdict === undefined ? 'waited' : 'estimate';
        const why = verdict === undefined ? `no decision within the ${policy.budgetMs} ms budget` : verdict.why;
        metrics.overBudget.inc(cause === 'waited' ? WAITED_LABELS[endpoint] : ESTIMATE_LABELS[endpoint]);
        logger.warn(cause === 'waited' ? 'request waited past its budget before it could be judged; failure mode applied' : 'request refused before the work: over its budget; failure mode applied', {
          ...logFields(endpoint, request),
          budgetMs: policy.budgetMs,
          waitedMs: Math.round(startedAt - receivedAt),
          ...(verdict && { estimateMs: Math.round(verdict.estimateMs) }),
          failureMode: policy.failureMode,
        });
        response = endpoint === 'mutate' ? { uid: request.uid, allowed: true, warnings: ['kubeguard: overloaded; no defaults applied'] } : failureResponse(request.uid, policy, `overloaded: ${why}`);
      } else if (endpoint === 'mutate') {
        response = toMutateResponse(request.uid, await mutation(request, policy, deadline));
      } else {
        const decision = await decide(request, policy, { now: (deps.clock ?? newDate)(), deadline });
        if (decision.ruleMs !== undefined) guardOf(deps).learn(units, decision.ruleMs);
        response = toResponse(request.uid, decision);
        record(decision, endpoint, request, deps);
      }
    } catch (e) {
      logger.error('admission decision failed', { ...logFields(endpoint, request), error: errorMessage(e), failureMode: policy.failureMode });
      response = failureResponse(request.uid, policy, `internal error (${errorMessage(e)})`);
    }
    outcome = response.allowed ? 'allowed' : 'denied';
    return { status: 200, body: JSON.stringify(reviewReply(review.apiVersion, response)) };
  } finally {
    metrics.requests.inc(OUTCOME_LABELS[endpoint][outcome]);
  }
}

/** Records a request's latency, from arrival to its reply written (the transport calls it once it has written). */
export function observeDuration(metrics: AdmissionMetrics, endpoint: Endpoint, receivedAt: number): void {
  metrics.duration.observe(ENDPOINT_LABELS[endpoint], (performance.now() - receivedAt) / 1000);
}

/** Identifiers of a request for log lines (never the object: it may hold secrets). Built only when a line is written. */
function logFields(endpoint: Endpoint, request: AdmissionRequest): LogFields {
  return { endpoint, uid: request.uid, operation: request.operation, kind: request.kind?.kind, namespace: request.namespace, name: request.name, dryRun: request.dryRun === true };
}

function record(decision: Decision, endpoint: Endpoint, request: AdmissionRequest, deps: HandlerDeps): void {
  const { logger, metrics } = deps;
  const suppressed = decision.report?.suppressed ?? [];
  const refused = decision.report?.refusedExceptions ?? [];
  if (decision.violations.length === 0 && decision.undecided.length === 0 && suppressed.length === 0 && refused.length === 0) {
    if (logger.enabled('debug')) logger.debug('admitted', { ...logFields(endpoint, request), allowed: true, reason: decision.reason });
    return; // the common case stays cheap
  }
  const base = logFields(endpoint, request);
  // Every suppression is logged (and the object's own ones returned as warnings, see decide.ts).
  for (const s of suppressed) metrics.suppressed.inc({ rule: s.ruleId, source: s.source });
  if (suppressed.length > 0 || refused.length > 0) {
    logger.info('exceptions at admission', {
      ...base,
      suppressed: suppressed.map((s) => `${s.ruleId} (${s.source}: ${s.reason})`),
      refused: refused.map((r) => `${r.ruleId} (annotation: ${r.reason})`),
    });
  }
  if (decision.violations.length === 0 && decision.undecided.length === 0) return;
  for (const v of decision.violations) metrics.decisions.inc({ rule: v.ruleId, mode: v.mode });
  for (const u of decision.undecided) {
    metrics.gateUndecided.inc({ gate: u.gate, cause: u.timedOut ? 'timeout' : 'error' });
    logger.warn('image gate could not decide; failure mode applied', { ...base, gate: u.gate, image: u.image, reason: u.reason, timedOut: u.timedOut, failureMode: deps.policy().failureMode });
  }
  const rules = (mode: string) => decision.violations.filter((v) => v.mode === mode).map((v) => `${v.ruleId}@${v.path || '/'}`);
  const fields = { ...base, allowed: decision.allowed, reason: decision.reason, enforced: rules('enforce'), warned: rules('warn'), audited: rules('audit') };
  if (!decision.allowed) logger.info('denied', fields);
  else logger.info('admitted with violations', fields);
}
