/**
 * Open-loop load at a fixed rate, evenly paced, for the latency phase of the admission bench.
 *
 * Why not autocannon's `overallRate`: it gives each connection a quota per second and sends that quota back to
 * back at the start of every second (lib/httpClient.js, `reqsMadeThisSecond`), so 2,000 req/s arrive as one burst
 * of 2,000 requests each second; its p99 then measures how fast a server drains a burst (the saturation figure
 * again), and its coordinated-omission correction with a 1 ms expected interval multiplies that tail.
 * Here request i is due at start + i/rate, whatever happened to earlier requests, and its latency is counted from
 * that due time to the end of its reply (as wrk2 does), so a stalled server is charged for every request it held
 * up, and a late load generator too (`lateMs` says how far it fell behind; a large value voids the run).
 */
import { Pool } from 'undici';
import * as hdr from 'hdr-histogram-js';

/** The figures of one load phase (this generator's, or autocannon's as load-generator.ts maps them). */
export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** Replies other than the expected allow (failure-mode answers when a request waited past its budget). */
  mismatches: number;
  non2xx: number;
  total: number;
  /** Paced load only: the longest the generator sent a request after its due time, ms. */
  lateMs?: number;
}

export interface PacedOptions {
  origin: string;
  path: string;
  body: string;
  /** The whole reply body expected; anything else counts as a mismatch. */
  expectBody: string;
  rate: number;
  connections: number;
  seconds: number;
  /** Paced load first, unmeasured, on the same connections (TLS handshakes, JIT). Default 2 s. */
  warmupSeconds?: number;
  /** Called between warm-up and measurement (e.g. to sample the server's CPU time); measuring waits for it. */
  afterWarmup?: () => Promise<void>;
}

export async function pacedLoad(opts: PacedOptions): Promise<LoadResult> {
  // Up to `connections`: undici opens one only when the open ones are all busy, so an evenly paced load uses as
  // many as it needs (a handful at 2,000 req/s), as a client that keeps its connections would.
  const pool = new Pool(opts.origin, { connections: opts.connections, pipelining: 1, connect: { rejectUnauthorized: false } });
  try {
    await paced(pool, opts, opts.warmupSeconds ?? 2);
    await opts.afterWarmup?.();
    return await paced(pool, opts, opts.seconds);
  } finally {
    await pool.close();
  }
}

async function paced(pool: Pool, opts: PacedOptions, seconds: number): Promise<LoadResult> {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 }); // µs
  const headers = { 'content-type': 'application/json' };
  const total = Math.round(opts.rate * seconds);
  const intervalMs = 1000 / opts.rate;
  let sent = 0;
  let lateMs = 0;
  const result = { errors: 0, mismatches: 0, non2xx: 0 };
  const inFlight = new Set<Promise<void>>();

  const send = (dueAt: number) => {
    lateMs = Math.max(lateMs, performance.now() - dueAt);
    const p = pool
      .request({ path: opts.path, method: 'POST', headers, body: opts.body })
      .then(async (res) => {
        const text = await res.body.text();
        histogram.recordValue(Math.max(1, Math.round((performance.now() - dueAt) * 1000)));
        if (res.statusCode < 200 || res.statusCode > 299) result.non2xx++;
        else if (text !== opts.expectBody) result.mismatches++;
      })
      .catch(() => {
        result.errors++;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) send(start + sent++ * intervalMs);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  const ms = (us: number) => us / 1000;
  return {
    reqPerSec: (total - result.errors) / elapsed,
    p50: ms(histogram.getValueAtPercentile(50)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    total,
    lateMs,
    ...result,
  };
}
