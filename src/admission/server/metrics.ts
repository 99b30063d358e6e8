/** Prometheus metrics of the webhook, on a registry of its own (no global state shared with other code). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AdmissionMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'outcome'>;
  duration: Histogram<'endpoint'>;
  decisions: Counter<'rule' | 'mode'>;
  gateUndecided: Counter<'gate' | 'cause'>;
  overBudget: Counter<'endpoint' | 'cause'>;
  suppressed: Counter<'rule' | 'source'>;
  /** The central server's approved exceptions (admission --exceptions-from): how many, how old, refreshes. */
  serverExceptions: Gauge;
  serverExceptionsAge: Gauge;
  /** When the set in force was fetched (ms since the epoch); the age gauge is computed from it at each scrape. */
  serverExceptionsFetchedAt: { at?: number };
  serverExceptionsRefreshes: Counter<'outcome'>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): AdmissionMetrics {
  const registry = new Registry();
  const fetched: { at?: number } = {};
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
    serverExceptions: new Gauge({
      name: 'kubeguard_admission_server_exceptions',
      help: "Approved exceptions from the kubeguard server in force (the last good set).",
      registers: [registry],
    }),
    serverExceptionsAge: new Gauge({
      name: 'kubeguard_admission_server_exceptions_age_seconds',
      help: 'Seconds since the server exceptions in force were fetched (-1: none yet). Grows while the server cannot be reached.',
      registers: [registry],
      collect() {
        this.set(fetched.at === undefined ? -1 : (Date.now() - fetched.at) / 1000);
      },
    }),
    serverExceptionsFetchedAt: fetched,
    serverExceptionsRefreshes: new Counter({
      name: 'kubeguard_admission_server_exceptions_refreshes_total',
      help: 'Refreshes of the server exceptions by outcome: ok, unreachable (network, 5xx, 429) or refused (the server said no or answered nonsense).',
      labelNames: ['outcome'],
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
