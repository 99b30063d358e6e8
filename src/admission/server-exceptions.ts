/**
 * The webhook applying the central server's approved exceptions beside the config's: the set is refreshed every
 * `intervalMs` (so an approval or a revocation reaches admission within one interval while the server answers),
 * and requests use the last good set. When the server cannot be reached the last good set stays in force — the
 * webhook says so in its log (once when it starts failing, again when it recovers) and in its metrics (refreshes
 * by outcome, the age of the set in force), so an alert can fire before staleness matters.
 */
import type { ExceptionSpec } from '../engine/config.js';
import type { ExceptionsSnapshot, ServerExceptions } from '../sources/upload/server-exceptions.js';
import type { Logger } from './server/log.js';
import type { AdmissionMetrics } from './server/metrics.js';

export const DEFAULT_REFRESH_MS = 30_000;

export interface ServerExceptionsPoller {
  /** The server's exceptions in force now (the last good set; empty before the first). */
  exceptions(): readonly ExceptionSpec[];
  /** One refresh now (the first is awaited before serving). */
  refresh(): Promise<void>;
  start(): void;
  stop(): void;
}

export function pollServerExceptions(source: ServerExceptions, o: { cluster: string; intervalMs?: number; logger: Logger; metrics: AdmissionMetrics; now?: () => Date; onChange?: (exceptions: readonly ExceptionSpec[]) => void }): ServerExceptionsPoller {
  const now = o.now ?? (() => new Date());
  let inForce: ExceptionsSnapshot | undefined;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function once(): Promise<void> {
    const r = await source.refresh(now());
    o.metrics.serverExceptionsRefreshes.inc({ outcome: r.ok ? 'ok' : r.refused ? 'refused' : 'unreachable' });
    if (r.snapshot && r.snapshot !== inForce) {
      inForce = r.snapshot;
      o.metrics.serverExceptions.set(inForce.exceptions.length);
      o.metrics.serverExceptionsFetchedAt.at = inForce.fetchedAt.getTime();
      o.onChange?.(inForce.exceptions);
    }
    const held = inForce && { exceptions: inForce.exceptions.length, fetchedAt: inForce.fetchedAt.toISOString(), ...(inForce.fromCache && { fromCache: true }) };
    if (!r.ok) {
      const fields = { cluster: o.cluster, error: r.error, ...(held ?? { exceptions: 0 }) };
      const message = inForce ? 'server exceptions: refresh failed; the last good set stays in force' : 'server exceptions: refresh failed; none in force yet (config exceptions only)';
      if (!failing) o.logger.warn(message, fields);
      else o.logger.debug(message, fields);
      failing = true;
    } else if (failing) {
      failing = false;
      o.logger.info('server exceptions: refreshed again', { cluster: o.cluster, ...held });
    }
  }

  return {
    exceptions: () => inForce?.exceptions ?? [],
    refresh() {
      running ??= once().finally(() => (running = undefined));
      return running;
    },
    start() {
      timer ??= setInterval(() => void this.refresh(), o.intervalMs ?? DEFAULT_REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
