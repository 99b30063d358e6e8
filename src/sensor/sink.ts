/**
 * Where the sensor's events go: JSON lines to stdout or a file, or batches of JSON lines POSTed to
 * `kubeguard runtime serve` (its /events receiver). A sink is slow at times (a pipe, a disk, a network); the
 * bounded queue in front of it absorbs that and drops, counted, what it cannot hold.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import http from 'node:http';
import https from 'node:https';

export interface Sink {
  /** Writes a batch of wire lines (each without newline); resolves when the sink can take more. */
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
  /** Batches the sink gave up on (a receiver that kept failing). */
  readonly failedBatches: number;
  readonly failedEvents: number;
}

class StreamSink implements Sink {
  failedBatches = 0;
  failedEvents = 0;
  constructor(
    private readonly out: Writable,
    private readonly owned: boolean,
  ) {}

  write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const ok = this.out.write(lines.join('\n') + '\n');
    return ok ? Promise.resolve() : new Promise((resolve) => this.out.once('drain', () => resolve()));
  }

  close(): Promise<void> {
    if (!this.owned) return new Promise((resolve) => (this.out.writableNeedDrain ? this.out.once('drain', () => resolve()) : resolve()));
    return new Promise((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

export interface HttpSinkOptions {
  /** Attempts per batch before it is given up (counted). */
  attempts?: number;
  timeoutMs?: number;
  /** Bearer token for the receiver. */
  token?: string;
  /** First wait before a retry, doubled each time (default 200 ms, at most 5 s). */
  retryDelayMs?: number;
}

class HttpSink implements Sink {
  failedBatches = 0;
  failedEvents = 0;
  private readonly agent: http.Agent;

  constructor(
    private readonly url: URL,
    private readonly o: HttpSinkOptions,
  ) {
    this.agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const body = lines.join('\n') + '\n';
    const attempts = this.o.attempts ?? 5;
    for (let i = 0; i < attempts; i++) {
      try {
        await this.post(body);
        return;
      } catch {
        if (i + 1 < attempts) await new Promise((r) => setTimeout(r, Math.min((this.o.retryDelayMs ?? 200) * 2 ** i, 5000)));
      }
    }
    this.failedBatches++;
    this.failedEvents += lines.length;
  }

  private post(body: string): Promise<void> {
    const lib = this.url.protocol === 'https:' ? https : http;
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/x-ndjson', 'Content-Length': Buffer.byteLength(body) };
    if (this.o.token) headers.Authorization = `Bearer ${this.o.token}`;
    return new Promise((resolve, reject) => {
      const req = lib.request(this.url, { method: 'POST', headers, agent: this.agent, timeout: this.o.timeoutMs ?? 10_000 }, (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}

/** `-` (stdout), an http(s) URL (POST to a receiver), or a file path (created or truncated). */
export function openSink(output: string, options: HttpSinkOptions = {}): Sink {
  if (output === '-') return new StreamSink(process.stdout, false);
  if (/^https?:\/\//i.test(output)) return new HttpSink(new URL(output), options);
  return new StreamSink(createWriteStream(output, { flags: 'w' }), true);
}
