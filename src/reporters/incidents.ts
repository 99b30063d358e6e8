/**
 * Runtime incidents for machines and people. JSON is the contract of `runtime analyze --format json` (issue 17):
 * `{"incidents": [{ruleId, severity, workload: {namespace, name, kind, pod, container}, count, firstSeen, lastSeen,
 * evidence: [...], context: {...}}], "events": {"read", "skipped"}}` — evidence in the event wire form (replayable),
 * the message, key and posture in `context`. The table ranks incidents and shows their context in words.
 */
import pc from 'picocolors';
import type { Severity } from '../core/model.js';
import type { RuntimeEvent } from '../core/events/model.js';
import { EVENT_WIRE_VERSION } from '../core/events/wire.js';
import type { Incident, IncidentWorkload } from '../analysis/runtime/incidents.js';

export interface IncidentJson {
  ruleId: string;
  severity: Severity;
  workload: { namespace?: string; name?: string; kind?: string; pod?: string; container?: string };
  count: number;
  firstSeen: string;
  lastSeen: string;
  evidence: Record<string, unknown>[];
  context: Record<string, unknown>;
}

export interface IncidentsJson {
  incidents: IncidentJson[];
  events: { read: number; skipped: number };
}

/** An event as evidence: its wire form (`v`, no derived `ts`), so evidence can be replayed as input. */
export function evidenceJson(e: RuntimeEvent): Record<string, unknown> {
  const { ts: _ts, ...rest } = e;
  return { v: EVENT_WIRE_VERSION, ...rest };
}

function workloadJson(w: IncidentWorkload): IncidentJson['workload'] {
  const out: IncidentJson['workload'] = {};
  for (const k of ['namespace', 'name', 'kind', 'pod', 'container'] as const) if (w[k] !== undefined) out[k] = w[k];
  return out;
}

export function incidentJson(i: Incident & { context?: Record<string, unknown> }): IncidentJson {
  return {
    ruleId: i.ruleId,
    severity: i.severity,
    workload: workloadJson(i.workload),
    count: i.count,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    evidence: i.evidence.map(evidenceJson),
    context: i.context ?? { message: i.message, key: i.key },
  };
}

/**
 * The JSON report, written as the incidents are read: the same text as `JSON.stringify(report, null, 2)` of
 * `{incidents, events}`, one incident at a time.
 */
export function* incidentsJsonChunks(incidents: Iterable<IncidentJson>, events: { read: number; skipped: number }): Generator<string> {
  let first = true;
  for (const i of incidents) {
    yield `${first ? '{\n  "incidents": [\n' : ',\n'}${indent(JSON.stringify(i, null, 2), '    ')}`;
    first = false;
  }
  const tail = JSON.stringify({ events: { read: events.read, skipped: events.skipped } }, null, 2).slice(2);
  yield `${first ? '{\n  "incidents": [],\n' : '\n  ],\n'}${tail}\n`;
}

function indent(text: string, by: string): string {
  return by + text.replaceAll('\n', '\n' + by);
}

const PAINT: Record<Severity, (s: string) => string> = { critical: (s) => pc.bold(pc.red(s)), high: pc.red, medium: pc.yellow, low: pc.cyan, info: pc.dim };

function where(w: IncidentJson['workload']): string {
  if (w.kind === 'Node') return `node ${w.name ?? '?'}`;
  if (!w.name && !w.namespace) return 'cluster';
  const name = `${w.namespace ? w.namespace + '/' : ''}${w.name ?? '?'}`;
  return w.kind ? `${w.kind} ${name}` : name;
}

/** The ranked incidents, most important first, each with its context in a few lines; a summary at the end. */
export function* incidentsTableChunks(incidents: Iterable<IncidentJson>, events: { read: number; skipped: number }, color = false): Generator<string> {
  const paint = (s: Severity, t: string) => (color ? PAINT[s](t) : t);
  const bySeverity = new Map<Severity, number>();
  let count = 0;
  for (const i of incidents) {
    count++;
    bySeverity.set(i.severity, (bySeverity.get(i.severity) ?? 0) + 1);
    const c = i.context;
    const lines: string[] = [];
    const span = i.firstSeen === i.lastSeen ? i.firstSeen : `${i.firstSeen} … ${i.lastSeen}`;
    lines.push(`${paint(i.severity, i.severity.toUpperCase().padEnd(8))} ${i.ruleId}  ${where(i.workload)}  ×${i.count}  ${span}`);
    lines.push(`         ${String(c.message ?? '')}`);
    const sa = c.serviceAccount as { name: string; tokenMounted: boolean; escalation: string[]; abilities: string[] } | undefined;
    if (sa) {
      const power = sa.escalation.length ? `escalates: ${sa.escalation[0]}${sa.escalation.length > 1 ? ` (+${sa.escalation.length - 1})` : ''}` : sa.abilities.length ? `can: ${sa.abilities.slice(0, 2).join('; ')}` : 'no dangerous permissions';
      lines.push(`         service account ${sa.name} (token ${sa.tokenMounted ? 'mounted' : 'not mounted'}): ${power}`);
    }
    const ex = c.exposure as { internet: boolean; routes: string[] } | undefined;
    if (ex && (ex.internet || ex.routes.length)) lines.push(`         exposed: ${ex.internet ? 'reachable from the internet' : ''}${ex.internet && ex.routes.length ? '; ' : ''}${ex.routes.slice(0, 3).join(', ')}`);
    const v = c.vulnerabilities as Partial<Record<Severity, number>> & { image: string } | undefined;
    if (v) lines.push(`         image ${v.image}: ${v.critical ?? 0} critical, ${v.high ?? 0} high vulnerabilities`);
    const f = c.findings as { ruleId: string; severity: Severity }[] | undefined;
    if (f?.length) lines.push(`         posture: ${c.findingCount} finding(s), e.g. ${f.slice(0, 3).map((x) => `${x.ruleId} (${x.severity})`).join(', ')}`);
    if (typeof c.notFound === 'string') lines.push(`         posture: ${c.notFound}`);
    yield lines.join('\n') + '\n';
  }
  const summary = (['critical', 'high', 'medium', 'low', 'info'] as Severity[]).filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`).join(', ');
  yield `${count ? '\n' : ''}${count} incident(s)${summary ? ` (${summary})` : ''} from ${events.read} event(s); ${events.skipped} record(s) skipped\n`;
}
