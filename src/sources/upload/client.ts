/**
 * Sending an upload to a kubeguard server: the lines gzip-streamed to POST /api/v1/scans, retried with backoff
 * on network errors, 429 and 5xx — safe, because the server applies an upload once however often it arrives.
 * The token travels only in the Authorization header and is never part of an error message.
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ConfigError, KubeguardError, errorMessage } from '../../core/errors.js';
import { validExceptions } from '../config/parse-config.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { NEWER_INVENTORY_KEYS, UPLOAD_CONTENT_TYPE, type InventoryRecord } from './format.js';

export class UploadFailed extends KubeguardError {}
/** The server answered, and said no (401, 403, 404…) or answered what is not an exceptions list: not a network matter. */
export class ServerRefused extends UploadFailed {}

export interface UploadOptions {
  /** The server's base URL (or its full /api/v1/scans URL). */
  url: string;
  token: string;
  /** Makes the body's lines; called once per attempt. */
  lines: () => Iterable<string>;
  attempts?: number;
  /** First backoff delay in ms; doubles per attempt up to maxBackoffMs (default 10 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  userAgent?: string;
  onRetry?: (message: string) => void;
}

export function scansUrl(base: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new UploadFailed('--upload needs an http(s) URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UploadFailed('--upload needs an http(s) URL');
  if (u.username || u.password) throw new UploadFailed('put credentials in --token, not in the URL');
  if (!u.pathname.endsWith('/api/v1/scans')) u.pathname = u.pathname.replace(/\/+$/, '') + '/api/v1/scans';
  return u.toString();
}

function body(lines: Iterable<string>): ReadableStream<Uint8Array> {
  const gz = Readable.from((function* () {
    for (const l of lines) yield Buffer.from(l);
  })()).pipe(createGzip());
  return Readable.toWeb(gz) as ReadableStream<Uint8Array>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends the upload; resolves with the server's outcome (JSON) once it acknowledged it. */
export async function sendUpload(options: UploadOptions): Promise<Record<string, unknown>> {
  const url = scansUrl(options.url);
  const attempts = options.attempts ?? 6;
  let delay = options.backoffMs ?? 500;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': UPLOAD_CONTENT_TYPE, 'content-encoding': 'gzip', authorization: `Bearer ${options.token}`, 'user-agent': options.userAgent ?? 'kubeguard' },
        body: body(options.lines()),
        duplex: 'half',
      } as RequestInit);
      const text = await res.text();
      if (res.ok) return JSON.parse(text) as Record<string, unknown>;
      let message = `HTTP ${res.status}`;
      try {
        const m = (JSON.parse(text) as { message?: unknown }).message;
        if (typeof m === 'string') message += `: ${m}`;
      } catch {
        /* not JSON */
      }
      if (res.status !== 429 && res.status < 500) throw new UploadFailed(`the server refused the upload (${message})`);
      last = message;
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, 60_000);
    } catch (e) {
      if (e instanceof UploadFailed) throw e;
      last = errorMessage((e as { cause?: unknown }).cause ?? e);
    }
    if (attempt < attempts) {
      options.onRetry?.(`upload attempt ${attempt} failed (${last}); retrying`);
      await sleep(retryAfterMs ?? delay);
      delay = Math.min(delay * 2, options.maxBackoffMs ?? 10_000);
    }
  }
  throw new UploadFailed(`the upload failed after ${attempts} attempts: ${last}`);
}

/** POST /api/v1/incidents?cluster=C of the server at `base` (checked as --upload is). */
export function incidentsUrl(base: string, cluster: string): string {
  const u = new URL(scansUrl(base));
  u.pathname = u.pathname.replace(/\/api\/v1\/scans$/, '/api/v1/incidents');
  u.search = new URLSearchParams({ cluster }).toString();
  return u.toString();
}

/**
 * Sends a runtime baseline file (its text, YAML) for a cluster: PUT /api/v1/baselines, which replaces the cluster's
 * previous one. Retried like uploads (network errors, 429, 5xx); resolves with the server's summary.
 */
export async function sendBaseline(options: { url: string; token: string; cluster: string; text: string; attempts?: number; userAgent?: string; onRetry?: (m: string) => void }): Promise<Record<string, unknown>> {
  const u = new URL(scansUrl(options.url));
  u.pathname = u.pathname.replace(/\/api\/v1\/scans$/, '/api/v1/baselines');
  u.search = new URLSearchParams({ cluster: options.cluster }).toString();
  const attempts = options.attempts ?? 4;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(u, { method: 'PUT', headers: { 'content-type': 'application/yaml', authorization: `Bearer ${options.token}`, 'user-agent': options.userAgent ?? 'kubeguard' }, body: options.text });
      const text = await boundedText(res, 64 * 1024);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        /* not JSON: said by status */
      }
      if (res.ok) return body;
      last = `HTTP ${res.status}${typeof body.message === 'string' ? `: ${body.message.slice(0, 300)}` : ''}`;
      if (res.status < 500 && res.status !== 429) throw new ServerRefused(`the server refused the baseline (${last})`);
    } catch (e) {
      if (e instanceof UploadFailed) throw e;
      last = errorMessage((e as { cause?: unknown }).cause ?? e);
    }
    if (attempt < attempts) {
      options.onRetry?.(`baseline upload attempt ${attempt} failed (${last}); retrying`);
      await sleep(500 * 2 ** (attempt - 1));
    }
  }
  throw new UploadFailed(`the baseline upload failed after ${attempts} attempts: ${last}`);
}

/**
 * Sends an upload that carries inventory records (a whole-cluster scan's network, RBAC power, compliance). A
 * server older than some record kind refuses it as "unknown record": the upload goes again without the newer kinds
 * (NEWER_INVENTORY_KEYS), then without any inventory; `onFallback` is told which, before each retry.
 */
export async function sendUploadWithInventory(
  options: Omit<UploadOptions, 'lines'>,
  lines: (inventory: readonly InventoryRecord[]) => Iterable<string>,
  inventory: readonly InventoryRecord[],
  onFallback: (dropped: 'newer' | 'all') => void,
): Promise<Record<string, unknown>> {
  const older = inventory.filter((r) => !NEWER_INVENTORY_KEYS.some((k) => k in r));
  const tries: { records: readonly InventoryRecord[]; dropped?: 'newer' | 'all' }[] = [
    { records: inventory },
    ...(older.length < inventory.length && older.length ? [{ records: older, dropped: 'newer' as const }] : []),
    ...(inventory.length ? [{ records: [], dropped: 'all' as const }] : []),
  ];
  for (const [i, t] of tries.entries()) {
    if (t.dropped) onFallback(t.dropped);
    try {
      return await sendUpload({ ...options, lines: () => lines(t.records) });
    } catch (e) {
      if (!(e instanceof UploadFailed && i < tries.length - 1 && /unknown record/.test(e.message))) throw e;
    }
  }
  throw new UploadFailed('the upload was refused');
}

/** Reads at most `max` bytes of a response body; more is an error (a server is input like any other). */
async function boundedText(res: Response, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > max) {
      await res.body?.cancel();
      throw new UploadFailed(`the answer is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const EXCEPTIONS_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The approved server exceptions in force for a cluster, in config form (GET /api/v1/exceptions/effective), for
 * a scanner to apply as it applies `exceptions:` from kubeguard.yaml, and held to the same schema. Retried like
 * uploads (network errors, 429, 5xx); each attempt has `timeoutMs` (default 10 s); the answer is bounded.
 */
export async function fetchEffectiveExceptions(options: { url: string; token: string; cluster: string; attempts?: number; timeoutMs?: number; userAgent?: string }): Promise<ExceptionSpec[]> {
  const u = new URL(scansUrl(options.url));
  u.pathname = u.pathname.replace(/\/api\/v1\/scans$/, '/api/v1/exceptions/effective');
  u.search = new URLSearchParams({ cluster: options.cluster }).toString();
  let last = '';
  for (let attempt = 1; attempt <= (options.attempts ?? 3); attempt++) {
    try {
      const res = await fetch(u, { headers: { authorization: `Bearer ${options.token}`, 'user-agent': options.userAgent ?? 'kubeguard' }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      const text = await boundedText(res, EXCEPTIONS_MAX_BYTES);
      let body: { exceptions?: unknown; message?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        /* not JSON: said below by status */
      }
      if (res.ok) {
        if (!Array.isArray(body.exceptions)) throw new ServerRefused('the answer has no exceptions list');
        return validExceptions(body.exceptions, `${u.origin} exceptions for ${options.cluster}`);
      }
      last = `HTTP ${res.status}${typeof body.message === 'string' ? `: ${body.message.slice(0, 300)}` : ''}`;
      if (res.status < 500 && res.status !== 429) throw new ServerRefused(`the server refused to list the exceptions for ${options.cluster} (${last})`);
    } catch (e) {
      if (e instanceof ServerRefused) throw e;
      if (e instanceof UploadFailed || e instanceof ConfigError) throw new ServerRefused(`could not read the server's exceptions for ${options.cluster}: ${e.message}`, { cause: e });
      last = errorMessage((e as { cause?: unknown }).cause ?? e);
    }
    if (attempt < (options.attempts ?? 3)) await sleep(500 * attempt);
  }
  throw new UploadFailed(`could not read the server's exceptions for ${options.cluster} (${last})`);
}
