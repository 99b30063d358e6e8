/**
 * Single-object requests for forensics and response: GET an object or a pod's log, PATCH and POST (with
 * server-side dry run). GETs retry 429/5xx with backoff and Retry-After like the LIST client; writes retry only
 * 429 (the request was not processed), never a 5xx (it may have been).
 */
import type { RawRequest, RetryPolicy } from './transport.js';
import { DEFAULT_RETRY, isRetryable, retryAfterMs, statusOf } from './transport.js';
import { ApiStatusError, ApiTransportError } from './errors.js';

export class ObjectClient {
  constructor(
    private readonly request: RawRequest,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  private async call(method: string, path: string, body?: { data: string; contentType: string }, accept?: string): Promise<Buffer> {
    const retryable = (status: number) => (method === 'GET' ? isRetryable(status) : status === 429);
    let last: Error | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      let res;
      try {
        res = await this.request(method, path, body, accept);
      } catch (e) {
        last = e instanceof Error ? e : new Error(String(e));
        if (method !== 'GET') throw last;
        if (attempt < this.retry.maxAttempts) await this.retry.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      const error = statusOf(path, res);
      if (!retryable(res.status) || attempt === this.retry.maxAttempts) throw error;
      last = error;
      const wait = retryAfterMs(res.headers['retry-after']);
      await this.retry.sleep(Math.min(wait ?? this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs));
    }
    throw last instanceof ApiStatusError ? last : new ApiTransportError(path, last?.message ?? `${method} ${path} failed`, { cause: last });
  }

  async getJson<T>(path: string): Promise<T> {
    const body = await this.call('GET', path);
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (e) {
      throw new ApiTransportError(path, `GET ${path}: answer is not JSON`, { cause: e });
    }
  }

  /** A text answer (pod logs), at most `maxBytes` kept. */
  async getText(path: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
    const body = await this.call('GET', path, undefined, 'text/plain, */*');
    return body.subarray(0, maxBytes).toString('utf8');
  }

  async send<T>(method: 'PATCH' | 'POST', path: string, body: unknown, contentType: string): Promise<T> {
    const answer = await this.call(method, path, { data: JSON.stringify(body), contentType });
    return JSON.parse(answer.toString('utf8')) as T;
  }
}
