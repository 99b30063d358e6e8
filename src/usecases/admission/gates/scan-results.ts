/**
 * The vulnerability gate's providers, backed by the scan-results store (src/sources/scan-results) that
 * `kubeguard image scan --record` fills. A lookup is one prepared, indexed query on a read-only connection, by
 * digest when the image is pinned, else by normalised reference; found results are cached for a short time, so a
 * busy webhook asks SQLite about each image about once per `cacheTtlMs`. A result older than `maxAgeMs` counts
 * as missing (new advisories appear every day). Queueing a background scan happens after the reply (setImmediate)
 * on a second, read-write connection, and at most once per image per `cacheTtlMs`.
 */
import { errorMessage } from '../../../core/errors.js';
import { imageKey } from '../../../sources/scan-results/image-key.js';
import type { ScanRecord } from '../../../sources/scan-results/store.js';
import { ScanResultStore } from '../../../sources/scan-results/store.js';
import { ExpiringCache } from './cache.js';
import type { ScanResultLookup } from './vulnerabilities.js';

export interface ScanResultProviderOptions {
  path: string;
  /** Results scanned longer ago than this count as missing. */
  maxAgeMs: number;
  /** Also open a read-write connection for the queue of background scans (onMissing allow-and-scan). */
  queue: boolean;
  /** Where a failed queueing is told (the webhook's structured log). */
  logger: { warn(message: string, fields: { image: string; error: string }): void };
  /** How long a found result is reused without asking the store again. Default 30 s. */
  cacheTtlMs?: number;
  clock?: () => number;
}

export interface ScanResultProviders {
  lookupScanResult: ScanResultLookup;
  requestScan?: (image: string) => void;
  close(): void;
}

/** The longest a lookup may hold the thread waiting for a lock (WAL readers normally never wait). */
const READ_BUSY_MS = 5;

export function scanResultProviders(options: ScanResultProviderOptions): ScanResultProviders {
  const clock = options.clock ?? Date.now;
  const ttl = options.cacheTtlMs ?? 30_000;
  // The writer first: with allow-and-scan it creates an empty store when no scan was recorded yet.
  const writer = options.queue ? ScanResultStore.open(options.path, { busyTimeoutMs: READ_BUSY_MS }) : undefined;
  const reader = ScanResultStore.open(options.path, { readonly: true, busyTimeoutMs: READ_BUSY_MS });
  const found = new ExpiringCache<ScanRecord>(ttl);
  const queued = new ExpiringCache<true>(ttl);

  const lookupScanResult: ScanResultLookup = (image) => {
    try {
      const key = imageKey(image.image);
      const cacheKey = key.digest ?? key.reference;
      const now = clock();
      let result = found.get(cacheKey, now);
      if (!result) {
        result = key.digest ? reader.latestByDigest(key.digest) : reader.latestByReference(key.reference);
        if (result) found.set(cacheKey, result, now);
      }
      if (!result) return Promise.resolve({ status: 'missing' });
      const age = now - result.scannedAt.getTime();
      if (age > options.maxAgeMs) {
        return Promise.resolve({ status: 'missing', reason: `has only a stale scan result (scanned ${result.scannedAt.toISOString()}, more than ${formatHours(options.maxAgeMs)} ago)` });
      }
      return Promise.resolve({ status: 'found', counts: result.counts, scannedAt: result.scannedAt.toISOString() });
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const requestScan = writer
    ? (image: string) => {
        // What `image scan --pending` will pull: the pinned digest itself when there is one, else the tag.
        const key = imageKey(image);
        const reference = key.digest ? `${key.reference}@${key.digest}` : key.reference;
        const now = clock();
        if (queued.get(reference, now)) return;
        queued.set(reference, true, now);
        setImmediate(() => {
          try {
            writer.enqueue(reference, new Date(now));
          } catch (e) {
            // Lost requests come back with the next admission of the image; the webhook keeps serving.
            options.logger.warn('cannot queue a background scan', { image: reference, error: errorMessage(e) });
          }
        });
      }
    : undefined;

  return {
    lookupScanResult,
    ...(requestScan && { requestScan }),
    close() {
      reader.close();
      writer?.close();
    },
  };
}

function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return hours % 24 === 0 ? `${hours / 24} day(s)` : `${hours} hour(s)`;
}
