/** Prometheus metrics of `runtime serve`, on a registry of its own. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RuntimeService } from '../usecases/runtime/serve.js';

export interface ReceiverMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'code'>;
  incidents: Counter<'state' | 'origin' | 'outcome'>;
}

export function createReceiverMetrics(service: RuntimeService, options: { processMetrics?: boolean } = {}): ReceiverMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'kubeguard_runtime_' });
  new Gauge({
    name: 'kubeguard_runtime_events_total',
    help: 'Events read, by producer format (a counter exposed as a gauge of the running total).',
    labelNames: ['format'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [format, n] of Object.entries(service.stats.formats)) this.set({ format }, n ?? 0);
    },
  });
  new Gauge({
    name: 'kubeguard_runtime_records_skipped_total',
    help: 'Records that produced no event (broken, unknown, unmapped), by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(service.stats.reasons)) this.set({ reason }, n);
    },
  });
  new Gauge({
    name: 'kubeguard_runtime_detections_total',
    help: 'Detections by detector, after exceptions.',
    labelNames: ['rule'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [rule, n] of Object.entries(service.engine.stats.byRule)) this.set({ rule }, n);
    },
  });
  new Gauge({
    name: 'kubeguard_runtime_detections_suppressed_total',
    help: 'Detections suppressed by exceptions.',
    registers: [registry],
    collect() {
      this.set(service.engine.stats.suppressed);
    },
  });
  new Gauge({
    name: 'kubeguard_runtime_open_incidents',
    help: 'Incidents open now (detections within the incident window).',
    registers: [registry],
    collect() {
      this.set(service.openIncidents().length);
    },
  });
  const incidents = new Counter({
    name: 'kubeguard_runtime_incident_updates_total',
    help: 'Incident updates by state (open, closed), origin (local, remote node) and outcome (sent, deduplicated).',
    labelNames: ['state', 'origin', 'outcome'] as const,
    registers: [registry],
  });
  service.onUpdate = (u, origin, suppressed) => incidents.inc({ state: u.state, origin, outcome: suppressed ? 'deduplicated' : 'sent' });
  return {
    registry,
    incidents,
    requests: new Counter({ name: 'kubeguard_runtime_requests_total', help: 'Requests by endpoint and HTTP status.', labelNames: ['endpoint', 'code'], registers: [registry] }),
  };
}
