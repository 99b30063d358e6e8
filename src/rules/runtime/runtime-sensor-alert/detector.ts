import { defineDetector } from '../../../core/detector.js';
import type { Severity } from '../../../core/model.js';

/** Falco priorities (and syslog levels Tetragon policies use) on kubeguard's scale. */
const PRIORITY: Record<string, Severity> = {
  emergency: 'critical', alert: 'critical', critical: 'critical', error: 'high', warning: 'medium', notice: 'low',
  informational: 'info', info: 'info', debug: 'info',
};

/**
 * Another tool's verdict passed on as an incident: a Falco alert (or a Tetragon policy event) that no kubeguard
 * detector reported on. Alerts of one rule on one workload become one incident with a count — the collapsing Falco
 * lacks (falcosecurity/falco#1456) — and an incident is sent once however many nodes saw it
 * (falcosecurity/charts#580). Severity follows the tool's priority.
 */
export default defineDetector({
  id: 'runtime-sensor-alert',
  title: 'Alert from Falco or Tetragon',
  description:
    'A Falco rule (or a Tetragon policy) fired on an event that no kubeguard detector judges. The alert is kept as an ' +
    'incident, grouped per rule and workload, ranked with posture context and sent once, like every other incident.',
  category: 'runtime',
  severity: 'medium',
  events: ['process.exec', 'process.exit', 'network.connect', 'network.accept', 'network.flow', 'file.access', 'k8s.api'],
  messages: { alert: '{{source}}: {{rule}} in {{where}}' },
  remediation: 'Follow the remediation of the rule in the tool\'s documentation; see the evidence for the event the rule judged.',
  references: ['https://falco.org/docs/reference/rules/default-rules/'],
  fallback: 1,
  create() {
    return (ctx, e) => {
      const o = e.origin;
      if (!o?.rule || (o.source !== 'falco' && o.source !== 'tetragon')) return;
      const w = e.workload;
      const where = w.host ? `node ${w.node ?? '?'}` : w.pod ? `${w.namespace ?? '?'}/${w.pod}` : (w.namespace ?? 'the cluster');
      const severity = PRIORITY[(o.priority ?? '').toLowerCase()] ?? 'medium';
      ctx.report({ messageId: 'alert', data: { source: o.source === 'falco' ? 'Falco' : 'Tetragon', rule: o.rule, where }, severity, key: `${o.source}:${o.rule}` });
    };
  },
});
