/**
 * The server's approved exceptions for one cluster as the webhook and the scanners hold them: fetched from
 * GET /api/v1/exceptions/effective (validated like `exceptions:` in kubeguard.yaml) and kept as the last good set
 * — in memory, and in a cache file when one is given — so that a server that cannot be reached leaves the last
 * set in force instead of none. Stale, but said so: every answer carries when the set was fetched and the error
 * of the latest failed refresh.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { ExceptionSpec } from '../../engine/config.js';
import { validExceptions } from '../config/parse-config.js';
import { defaultDbPath } from '../vulndb/paths.js';
import { ServerRefused, fetchEffectiveExceptions } from './client.js';

export interface ExceptionsSnapshot {
  exceptions: ExceptionSpec[];
  fetchedAt: Date;
  /** Read back from the cache file (this process has not reached the server yet). */
  fromCache?: boolean;
}

export interface ServerExceptionsOptions {
  url: string;
  token: string;
  cluster: string;
  userAgent?: string;
  /** Where the last good set is kept between processes (written atomically, mode 0600). */
  cacheFile?: string;
  /** Tries per refresh (default 1: a poller tries again at its next tick). */
  attempts?: number;
  timeoutMs?: number;
  /** Tests: the fetch. */
  fetch?: typeof fetchEffectiveExceptions;
}

export type RefreshOutcome =
  | { ok: true; snapshot: ExceptionsSnapshot }
  /** `refused`: the server answered no (token, permission) or nonsense, rather than not answering. */
  | { ok: false; error: string; refused: boolean; snapshot?: ExceptionsSnapshot };

/** The default cache file of a server URL and cluster: in the user cache directory beside the vulnerability database. */
export function defaultExceptionsCacheFile(url: string, cluster: string, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(`${new URL(url).origin}\0${cluster}`).digest('hex').slice(0, 32);
  return join(dirname(defaultDbPath(env)), 'server-exceptions', `${key}.json`);
}

export class ServerExceptions {
  private last: ExceptionsSnapshot | undefined;
  private error: string | undefined;

  constructor(private readonly options: ServerExceptionsOptions) {}

  /** The last good set (undefined before any), and the error of the latest refresh if it failed. */
  get snapshot(): ExceptionsSnapshot | undefined {
    return this.last;
  }

  get lastError(): string | undefined {
    return this.error;
  }

  async refresh(now: Date = new Date()): Promise<RefreshOutcome> {
    const o = this.options;
    try {
      const exceptions = await (o.fetch ?? fetchEffectiveExceptions)({ url: o.url, token: o.token, cluster: o.cluster, attempts: o.attempts ?? 1, ...(o.timeoutMs !== undefined && { timeoutMs: o.timeoutMs }), ...(o.userAgent !== undefined && { userAgent: o.userAgent }) });
      this.last = { exceptions, fetchedAt: now };
      this.error = undefined;
      if (o.cacheFile) this.writeCache(o.cacheFile, this.last);
      return { ok: true, snapshot: this.last };
    } catch (e) {
      this.error = errorMessage(e);
      this.last ??= o.cacheFile ? readCache(o.cacheFile, o) : undefined;
      return { ok: false, error: this.error, refused: e instanceof ServerRefused, ...(this.last && { snapshot: this.last }) };
    }
  }

  private writeCache(file: string, s: ExceptionsSnapshot): void {
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const body = { url: new URL(this.options.url).origin, cluster: this.options.cluster, fetchedAt: s.fetchedAt.toISOString(), exceptions: s.exceptions };
      writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
      renameSync(tmp, file);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing written */
      }
      // the set in memory is good; only a later process loses its fallback
      this.error = `fetched, but the cache file could not be written: ${errorMessage(e)}`;
    }
  }
}

const CACHE_MAX_BYTES = 16 * 1024 * 1024;

/** The cached set of the same server and cluster, or undefined (missing, foreign, damaged: never trusted). */
function readCache(file: string, o: ServerExceptionsOptions): ExceptionsSnapshot | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > CACHE_MAX_BYTES) return undefined;
    const c = JSON.parse(text) as { url?: unknown; cluster?: unknown; fetchedAt?: unknown; exceptions?: unknown };
    const fetchedAt = typeof c.fetchedAt === 'string' ? new Date(c.fetchedAt) : undefined;
    if (c.url !== new URL(o.url).origin || c.cluster !== o.cluster || !fetchedAt || Number.isNaN(fetchedAt.getTime())) return undefined;
    return { exceptions: validExceptions(c.exceptions, file), fetchedAt, fromCache: true };
  } catch {
    return undefined;
  }
}
