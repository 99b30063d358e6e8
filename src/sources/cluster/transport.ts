/**
 * GET requests to the API server with the credentials of a kubeconfig context (client-node applies client
 * certificates, bearer tokens, exec credential plugins and in-cluster service-account config), and retries:
 * 429 and 5xx are retried with backoff, honouring `Retry-After` like client-go does
 * (k8s.io/client-go/rest/request.go: checkWait / retryAfterSeconds).
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiStatusError, ApiTransportError } from './errors.js';
import { Semaphore } from './pool.js';
import { parseJson } from '../../core/json-error.js';

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One raw GET; no retries. */
export type RawGet = (path: string) => Promise<ApiResponse>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff when the server gives no Retry-After; doubled each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Waits (injectable so tests can observe the delays). */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface KubeTransportOptions {
  /** Per-request timeout in ms (a slow or stalled server fails the attempt, which is retried). */
  timeoutMs?: number;
}

/** One raw request; no retries. */
export type RawRequest = (method: string, path: string, body?: { data: string; contentType: string }, accept?: string) => Promise<ApiResponse>;

/** Raw requests through the current context of a KubeConfig. */
export function kubeConfigRequest(kc: KubeConfig, options: KubeTransportOptions = {}): RawRequest {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ApiTransportError('', `kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const server = new URL(cluster.server);
  const basePath = server.pathname.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;
  return async (method, path, body, accept = 'application/json') => {
    const opts: https.RequestOptions = { method, headers: { Accept: accept } };
    await kc.applyToHTTPSOptions(opts);
    const lib = server.protocol === 'http:' ? http : https;
    return new Promise<ApiResponse>((resolve, reject) => {
      const req = lib.request(
        {
          ...opts,
          method,
          protocol: server.protocol,
          hostname: server.hostname.replace(/^\[|\]$/g, ''),
          port: server.port || (server.protocol === 'http:' ? 80 : 443),
          path: basePath + path,
          headers: { ...opts.headers, Accept: accept, 'User-Agent': 'kubeguard', ...(body ? { 'Content-Type': body.contentType, 'Content-Length': String(Buffer.byteLength(body.data)) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', (e) => reject(new ApiTransportError(path, `reading ${path}: ${e.message}`, { cause: e })));
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new ApiTransportError(path, `${method} ${path}: ${e.message}`, { cause: e })));
      req.end(body?.data);
    });
  };
}

/** Raw GET through the current context of a KubeConfig. */
export function kubeConfigGet(kc: KubeConfig, options: KubeTransportOptions = {}): RawGet {
  const request = kubeConfigRequest(kc, options);
  return (path) => request('GET', path);
}

/** Seconds (or an HTTP date) of a Retry-After header, as milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRetryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
}

export function statusOf(path: string, res: ApiResponse): ApiStatusError {
  let parsed: StatusBody | undefined;
  try {
    parsed = parseJson(res.body.toString('utf8')) as StatusBody;
  } catch {
    parsed = undefined;
  }
  const detail = parsed?.kind === 'Status' && parsed.message ? parsed.message : res.body.toString('utf8').slice(0, 200).trim();
  return new ApiStatusError(res.status, path, parsed?.reason, `${res.status} ${http.STATUS_CODES[res.status] ?? ''}${detail ? `: ${detail}` : ''}`.trim());
}

/**
 * GET and decode JSON, retrying 429/5xx/transport errors with backoff and Retry-After. At most `maxInFlight`
 * requests are on the wire at once, whoever issues them (a backoff wait does not hold a slot).
 */
export class ApiClient {
  private readonly slots: Semaphore;

  constructor(
    private readonly rawGet: RawGet,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    maxInFlight = 4,
  ) {
    this.slots = new Semaphore(maxInFlight);
  }

  private get(path: string): Promise<ApiResponse> {
    return this.slots.run(() => this.rawGet(path));
  }

  async getJson<T>(path: string): Promise<T> {
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      let res: ApiResponse;
      try {
        res = await this.get(path);
      } catch (e) {
        lastError = e instanceof Error ? e : new Error(String(e));
        if (attempt < this.retry.maxAttempts) await this.retry.sleep(this.backoff(attempt));
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        try {
          return parseJson(res.body.toString('utf8')) as T;
        } catch (e) {
          throw new ApiTransportError(path, `GET ${path}: answer is not JSON`, { cause: e });
        }
      }
      const error = statusOf(path, res);
      if (!isRetryable(res.status) || attempt === this.retry.maxAttempts) throw error;
      lastError = error;
      const wait = retryAfterMs(res.headers['retry-after']);
      await this.retry.sleep(wait !== undefined ? Math.min(wait, this.retry.maxDelayMs) : this.backoff(attempt));
    }
    throw lastError instanceof ApiStatusError ? lastError : new ApiTransportError(path, lastError?.message ?? `GET ${path} failed`, { cause: lastError });
  }

  /** Exponential backoff with jitter (as client-go's DefaultBackoff: base × 2^n, capped). */
  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp * (0.5 + Math.random() / 2));
  }
}
