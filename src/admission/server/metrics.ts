/** Prometheus metrics of the webhook, on a registry of its own (no global state shared with other code). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AdmissionMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'outcome'>;
  duration: Histogram<'endpoint'>;
  decisions: Counter<'rule' | 'mode'>;
  gateUndecided: Counter<'gate' | 'cause'>;
  overBudget: Counter<'endpoint' | 'cause'>;
  suppressed: Counter<'rule' | 'source'>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): AdmissionMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'kubeguard_admission_' });
  return {
    registry,
    requests: new Counter({
      name: 'kubeguard_admission_requests_total',
      help: 'Admission requests by endpoint and outcome (allowed, denied, bad_request, too_large, error).',
      labelNames: ['endpoint', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'kubeguard_admission_request_duration_seconds',
      help: 'Time from request received to reply written.',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'kubeguard_admission_violations_total',
      help: 'Violations found at admission by rule and mode (enforce, warn, audit).',
      labelNames: ['rule', 'mode'],
      registers: [registry],
    }),
    overBudget: new Counter({
      name: 'kubeguard_admission_over_budget_total',
      help: 'Requests refused by the failure mode before being judged: cause "waited" (their budget was used up reading and queueing) or "estimate" (their estimated cost exceeded what was left, or large requests already took their share of the budget).',
      labelNames: ['endpoint', 'cause'],
      registers: [registry],
    }),
    suppressed: new Counter({
      name: 'kubeguard_admission_suppressed_total',
      help: 'Findings suppressed at admission, by rule and by source (config exception, or the object\'s own annotation where config allows it).',
      labelNames: ['rule', 'source'],
      registers: [registry],
    }),
    gateUndecided: new Counter({
      name: 'kubeguard_admission_gate_undecided_total',
      help: 'Image gate verdicts that could not be reached (timeout or error); the failure mode applied.',
      labelNames: ['gate', 'cause'],
      registers: [registry],
    }),
  };
}
