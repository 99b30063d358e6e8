/**
 * The built-in sinks: stdout (JSON lines), a file (JSON lines, appended), a generic webhook (one JSON POST per
 * update), Slack-compatible incoming webhooks (a message when an incident opens), the central server
 * (`kubeguard serve`: POST /api/v1/incidents under an uploader token). HTTP sinks retry with backoff on
 * network errors, 429 and 5xx (honouring Retry-After), keep at most `queue` updates waiting, and count what they drop.
 * Errors name the sink, never its URL (it carries a secret for Slack).
 */
import { closeSync, openSync, writeSync, fstatSync } from 'node:fs';
import type { SinkConfig } from '../../engine/config.js';
import { ConfigError } from '../../core/errors.js';
import type { IncidentSink, IncidentUpdate, SinkStats } from './sink.js';
import { minSeverity } from './sink.js';
import { incidentsUrl } from '../upload/client.js';

export function stdoutSink(write: (line: string) => void = (l) => process.stdout.write(l)): IncidentSink {
  return { name: 'stdout', send: async (u) => write(JSON.stringify(u) + '\n'), close: async () => {} };
}

export function fileSink(path: string): IncidentSink {
  const fd = openSync(path, 'a', 0o600);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new ConfigError(`sink file ${path} is not a regular file`);
  }
  return {
    name: `file ${path}`,
    send: async (u) => {
      writeSync(fd, JSON.stringify(u) + '\n');
    },
    close: async () => closeSync(fd),
  };
}

export interface HttpSinkOptions {
  retries: number;
  baseDelayMs: number;
  timeoutMs: number;
  queue: number;
}

const DEFAULT_HTTP: HttpSinkOptions = { retries: 3, baseDelayMs: 500, timeoutMs: 10_000, queue: 1000 };

/** POSTs bodies one at a time, in order, with retries; bounded queue. */
class HttpPoster {
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0 };
  private readonly waiting: { body: string }[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly options: HttpSinkOptions,
  ) {}

  post(body: string): Promise<void> {
    if (this.waiting.length >= this.options.queue) {
      this.stats.dropped++;
      return Promise.resolve();
    }
    this.waiting.push({ body });
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let item = this.waiting.shift(); item; item = this.waiting.shift()) await this.deliver(item.body);
  }

  private async deliver(body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let retryAfter: number | undefined;
      try {
        const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', ...this.headers }, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.sent++;
          return;
        }
        if (res.status !== 429 && res.status < 500) {
          this.stats.failed++;
          process.emitWarning(`${this.name}: HTTP ${res.status}; update dropped`);
          return;
        }
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra >= 0) retryAfter = Math.min(ra * 1000, 60_000);
      } catch {
        /* network error or timeout: retried */
      }
      if (attempt >= this.options.retries) {
        this.stats.failed++;
        process.emitWarning(`${this.name}: not delivered after ${attempt + 1} attempts; update dropped`);
        return;
      }
      await new Promise((r) => setTimeout(r, retryAfter ?? this.options.baseDelayMs * 2 ** attempt));
    }
  }

  async close(): Promise<void> {
    await this.running;
  }
}

export function webhookSink(url: string, headers: Record<string, string> = {}, options: Partial<HttpSinkOptions> = {}): IncidentSink & { stats: SinkStats } {
  const poster = new HttpPoster('webhook sink', url, headers, { ...DEFAULT_HTTP, ...options });
  return { name: 'webhook', stats: poster.stats, send: (u) => poster.post(JSON.stringify(u)), close: () => poster.close() };
}

const EMOJI: Record<string, string> = { critical: ':rotating_light:', high: ':red_circle:', medium: ':large_orange_circle:', low: ':large_blue_circle:', info: ':white_circle:' };

/** The Slack message of an opening incident: `text` (every Slack-compatible receiver reads it) and blocks. */
export function slackMessage(u: IncidentUpdate): { text: string; blocks: unknown[] } {
  const i = u.incident;
  const w = i.workload;
  const where = w.name ? `${w.kind ? w.kind + ' ' : ''}${w.namespace ? w.namespace + '/' : ''}${w.name}` : 'the cluster';
  const message = typeof i.context.message === 'string' ? i.context.message : i.ruleId;
  const text = `${EMOJI[i.severity] ?? ''} ${i.severity.toUpperCase()} ${i.ruleId} in ${where}: ${message}`;
  const facts: string[] = [`*first seen* ${i.firstSeen}`, `*count* ${i.count}`];
  const sa = i.context.serviceAccount as { name: string; escalation: string[] } | undefined;
  if (sa?.escalation.length) facts.push(`*service account* ${sa.name} escalates: ${sa.escalation[0]}`);
  const ex = i.context.exposure as { internet: boolean } | undefined;
  if (ex?.internet) facts.push('*exposed* to the internet');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, { type: 'context', elements: facts.map((f) => ({ type: 'mrkdwn', text: f })) }] };
}

/** Slack (and Mattermost, Rocket.Chat …) incoming webhooks: one message per incident, when it opens. */
export function slackSink(url: string, options: Partial<HttpSinkOptions> = {}): IncidentSink & { stats: SinkStats } {
  const poster = new HttpPoster('slack sink', url, {}, { ...DEFAULT_HTTP, ...options });
  return {
    name: 'slack',
    stats: poster.stats,
    send: (u) => (u.state === 'open' ? poster.post(JSON.stringify(slackMessage(u))) : Promise.resolve()),
    close: () => poster.close(),
  };
}

/** The server keeps at most 64 KiB per incident (usecases/incidents/ingest.ts): a line stays under that. */
const SERVER_LINE_MAX = 60 * 1024;

/**
 * An update as the server's incident line (docs/server.md, "Runtime incidents"): its id is the update's
 * node-independent key, so the updates of one incident — and the same incident seen by several nodes — are one
 * incident there; the detector is the rule, the owner the workload's controller. Evidence, then context, are left
 * out when the line would be larger than the server keeps.
 */
export function serverIncident(u: IncidentUpdate): Record<string, unknown> {
  const i = u.incident;
  const w = i.workload;
  const message = typeof i.context.message === 'string' ? i.context.message : i.ruleId;
  const where = w.name ? ` in ${w.kind ? `${w.kind} ` : ''}${w.namespace ? `${w.namespace}/` : ''}${w.name}` : '';
  const line: Record<string, unknown> = {
    id: u.key,
    detector: i.ruleId,
    severity: i.severity,
    title: `${message}${where}`.slice(0, 1000),
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    count: i.count,
    state: u.state,
    workload: { ...(w.namespace !== undefined && { namespace: w.namespace }), ...(w.pod !== undefined && { pod: w.pod }), ...(w.container !== undefined && { container: w.container }), ...(w.kind && w.name && w.kind !== 'Pod' && { owner: { kind: w.kind, name: w.name } }) },
    context: i.context,
    evidence: i.evidence,
  };
  for (const drop of ['evidence', 'context']) if (Buffer.byteLength(JSON.stringify(line)) > SERVER_LINE_MAX) delete line[drop];
  return line;
}

/** The central server: each update as one incident line for `cluster`, under an uploader token. */
export function serverSink(url: string, token: string, cluster: string, options: Partial<HttpSinkOptions> = {}): IncidentSink & { stats: SinkStats } {
  const poster = new HttpPoster('server sink', incidentsUrl(url, cluster), { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` }, { ...DEFAULT_HTTP, ...options });
  return { name: `server (cluster ${cluster})`, stats: poster.stats, send: (u) => poster.post(JSON.stringify(serverIncident(u)) + '\n'), close: () => poster.close() };
}

/** Sinks from the config's `runtime.sinks`. */
export function sinksFromConfig(configs: readonly SinkConfig[]): IncidentSink[] {
  return configs.map((c, n) => {
    const need = (v: string | undefined, what: string) => {
      if (!v) throw new ConfigError(`runtime.sinks[${n}] (${c.type}) needs ${what}`);
      return v;
    };
    const sink = c.type === 'stdout' ? stdoutSink() : c.type === 'file' ? fileSink(need(c.path, 'path')) : c.type === 'webhook' ? webhookSink(need(c.url, 'url'), c.headers) : slackSink(need(c.url, 'url'));
    return minSeverity(sink, c.minSeverity);
  });
}
